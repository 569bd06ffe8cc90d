"""The shipped intent model: it loads, predicts deterministically and is current."""

from __future__ import annotations

import json
from pathlib import Path

from alto_cli.translate.intent_model import DEFAULT_PATH, IntentModel, load_model
from alto_cli.translate.intent_training import TRAINING_FILES, training_hash

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_model_loads_and_predicts_deterministically():
    first, second = load_model(), load_model()
    words = ["my", "vpn", "keeps", "dropping", "every", "few", "minutes"]
    a = first.predict(words, "DI")
    b = second.predict(words, "DI")
    assert a == b
    cmd = {k: v for k, v in a.items() if k != "OOS"}
    assert set(cmd) == {"DI", "EX", "FA", "GC", "PL"}
    assert abs(sum(cmd.values()) - 1.0) < 1e-9
    assert list(cmd.values()) == sorted(cmd.values(), reverse=True)  # best first
    assert next(iter(cmd)) == "DI"
    assert 0.0 <= a["OOS"] <= 1.0


def test_shipped_model_is_trained_on_the_current_data():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert tuple(data["training_files"]) == TRAINING_FILES
    current = training_hash([ROOT / name for name in TRAINING_FILES], ROOT)
    assert data["training_hash"] == current, (
        f"{DEFAULT_PATH.name} is stale: its training files changed since it was trained; "
        "run `make model` and commit the new file"
    )


def test_model_file_is_package_data():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # the model and the everyday lexicon (``everyday``) ship with the package
    assert '"alto_cli.translate" = ["data/*.json", "data/*.txt"]' in pyproject
    assert DEFAULT_PATH.parent.name == "data" and DEFAULT_PATH.suffix == ".json"


def test_unknown_words_give_the_bias_alone():
    model = load_model()
    assert model.text_scores(["qwzx", "vbnm"]) == (0.0,) * (7 + len(model.ctx_codes))
    assert model.code_logits(model.text_scores([])) == dict(
        zip(model.ctx_codes, model.ctx_bias, strict=True)
    )
    probs = model.command_probs(model.text_scores([]))
    assert isinstance(model, IntentModel) and abs(sum(probs.values()) - 1) < 1e-9
