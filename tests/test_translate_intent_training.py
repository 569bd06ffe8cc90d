"""Training the intent model: a tiny synthetic set is learnt, deterministically."""

from __future__ import annotations

import json

from alto_cli.translate.intent_model import IntentModel, ngrams, rule_token
from alto_cli.translate.intent_training import (
    Example,
    Settings,
    dumps,
    fit_model,
    grouped_folds,
    train,
)

CUES = {"DI": "broken", "EX": "explain", "FA": "where", "GC": "script", "PL": "roadmap"}


def synthetic() -> list[Example]:
    """Each CMD has its own cue word; the rules always say FA (so only the words tell)."""
    examples = []
    for label, cue in CUES.items():
        for topic in ("vpn", "tokens", "pods", "mfa"):
            words = [cue, "the", topic]
            examples.append(
                Example(
                    grams=(*ngrams(words), rule_token("FA")),
                    rule_cmd="FA",
                    has_ctx=True,
                    oos_features=("CTX=X",),
                    cmd=label,
                    out_of_scope=False,
                )
            )
    for topic in ("pizza", "soccer"):  # out of scope: an everyday word
        words = ["where", "is", topic]
        examples.append(
            Example(
                grams=(*ngrams(words), rule_token("FA")),
                rule_cmd="FA",
                has_ctx=True,
                oos_features=("CTX=X", "OFF_TOPIC"),
                cmd=None,
                out_of_scope=True,
            )
        )
    return examples


def test_tiny_set_is_learnt():
    model = fit_model(synthetic(), Settings(min_df=1, c_cmd=100.0, c_oos=100.0))
    for label, cue in CUES.items():
        probs = model.command_probs(model.text_scores([cue, "the", "vpn"], (rule_token("FA"),)))
        assert next(iter(probs)) == label, (cue, probs)
        assert probs[label] > 0.5
    text = model.text_scores(["where", "is", "pizza"], (rule_token("FA"),))
    assert model.out_of_scope_prob(text, ["CTX=X", "OFF_TOPIC"]) > 0.5
    text = model.text_scores(["where", "the", "vpn"], (rule_token("FA"),))
    assert model.out_of_scope_prob(text, ["CTX=X"]) < 0.5


def test_same_data_same_bytes():
    a = dumps(train(synthetic(), Settings(min_df=1), training_hash_="h"))
    b = dumps(train(synthetic(), Settings(min_df=1), training_hash_="h"))
    assert a == b
    data = json.loads(a)
    assert data["training_hash"] == "h"
    assert IntentModel(data).labels == ("DI", "EX", "FA", "GC", "PL")


def test_min_df_prunes_rare_ngrams():
    data = json.loads(dumps(train(synthetic(), Settings(min_df=2))))
    assert "broken" in data["features"]  # in four questions
    assert all(" " not in name for name in data["features"])  # words only, no bigrams
    assert "pizza" not in data["features"]  # in one


def test_grouped_folds_keep_paraphrases_together():
    rows = [{"intent": f"i{n // 3}", "question": str(n)} for n in range(30)]
    folds = grouped_folds(rows, 5)
    assert folds == grouped_folds(rows, 5)  # deterministic
    for n in range(0, 30, 3):
        assert folds[n] == folds[n + 1] == folds[n + 2]
    assert set(folds) == set(range(5))
