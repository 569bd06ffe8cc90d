"""Training the intent model: a tiny synthetic set is learnt, deterministically."""

from __future__ import annotations

import json

from alto_cli.translate.intent_model import IntentModel, ngrams, rule_token
from alto_cli.translate.intent_training import (
    Example,
    Settings,
    _fit_multilabel,
    dumps,
    fit_model,
    grouped_folds,
    train,
)

CUES = {"DI": "broken", "EX": "explain", "FA": "where", "GC": "script", "PL": "roadmap"}
CODES = {"vpn": "NET", "tokens": "TK", "pods": "K8S", "mfa": "MP"}


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
                    ctx=(CODES[topic],),
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


def test_the_ctx_head_learns_which_words_need_which_code():
    model = fit_model(synthetic(), Settings(min_df=1, c_ctx=100.0))
    assert model.ctx_codes == ("K8S", "MP", "NET", "TK")
    for topic, code in CODES.items():
        logits = model.code_logits(model.text_scores(["where", "the", topic]))
        assert max(logits, key=logits.get) == code and logits[code] > 0, (topic, logits)


def test_the_sparse_multilabel_fit_is_the_dense_one():
    import math

    import numpy as np

    rng = np.random.default_rng(0)
    x = (rng.random((60, 25)) < 0.1) * rng.random((60, 25))
    x[5] = 0  # a question with no known word
    y = (rng.random((60, 3)) < 0.3).astype(float)
    w, b = _fit_multilabel(x, y, 3.0, 200)
    # the textbook loop over the dense matrix, the bias as a last unpenalised row
    n, d = x.shape
    lam = 1 / (3.0 * n)
    xa = np.hstack([x, np.ones((n, 1))])
    smooth = 0.25 * np.linalg.norm(xa, 2) ** 2 / n + lam
    q = math.sqrt(lam / smooth)
    momentum = (1 - q) / (1 + q)
    penalty = np.ones((d + 1, 1))
    penalty[-1] = 0
    dense = np.zeros((d + 1, 3))
    v = dense.copy()
    for _ in range(200):
        p = 1 / (1 + np.exp(-(xa @ v)))
        step = v - (xa.T @ (p - y) / n + lam * penalty * v) / smooth
        v = step + momentum * (step - dense)
        dense = step
    assert np.allclose(w, dense[:-1], atol=1e-12) and np.allclose(b, dense[-1], atol=1e-12)


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


def steps_examples(rule_fmt: str = "SUM") -> list[Example]:
    """FA questions whose rules' FMT is ``rule_fmt``: "zork" asks for steps, "where" not."""
    return [
        Example(
            grams=(*ngrams([cue, "the", topic]), rule_token("FA")),
            rule_cmd="FA",
            has_ctx=True,
            oos_features=("CTX=X",),
            cmd="FA",
            out_of_scope=False,
            fmt=fmt,
            fmt_rule=rule_fmt,
        )
        for cue, fmt in (("zork", "STP"), ("where", "SUM"))
        for topic in CODES
    ]


def test_the_steps_head_learns_how_to_wording_over_the_rules():
    model = fit_model(steps_examples(), Settings(min_df=1, c_fmt=100.0))
    assert model.fmt_enabled
    zork = model.text_scores(["zork", "the", "vpn"], (rule_token("FA"),))
    where = model.text_scores(["where", "the", "vpn"], (rule_token("FA"),))
    assert model.steps_prob(zork, "SUM") > 0.5 > model.steps_prob(where, "SUM")


def test_without_both_formats_the_steps_head_repeats_the_rules():
    examples = [e for e in steps_examples() if e.fmt == "SUM"]
    model = fit_model(examples, Settings(min_df=1))
    text = model.text_scores(["zork", "the", "vpn"], (rule_token("FA"),))
    assert model.steps_prob(text, "STP") > 0.99 and model.steps_prob(text, "SUM") < 0.01
