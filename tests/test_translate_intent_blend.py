"""The translator with the intent model: overrides, fallbacks, evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.language import to_compact
from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.intent_model import ngrams, rule_token
from alto_cli.translate.intent_training import Example, Settings, fit_model

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["How do I reset MFA?", "vpn keeps dropping", "order a pizza", "explain dynatrace"]


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "ctx_registry.yaml")


def rules_only(registry, question: str) -> str:
    return to_compact(LocalTranslator(registry, intent_model=None).translate(question).fields)


@pytest.mark.parametrize("content", [None, "{not json", '{"format": 2}', "[1, 2]"])
def test_missing_or_corrupt_model_falls_back_to_rules(registry, tmp_path, monkeypatch, content):
    path = tmp_path / f"model-{content is None}-{len(content or '')}.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("ALTO_INTENT_MODEL", str(path))
    translator = LocalTranslator(registry)
    for question in QUESTIONS:
        result = translator.translate(question)
        assert to_compact(result.fields) == rules_only(registry, question)
        assert len(result.warnings) == 1
        assert result.warnings[0].startswith("intent model not used, rules only:")
        assert str(path) in result.warnings[0]
    assert translator.intent_model is None


def test_model_off_is_rules_without_warning(registry, monkeypatch):
    monkeypatch.setenv("ALTO_INTENT_MODEL", "off")
    translator = LocalTranslator(registry)
    result = translator.translate("How do I reset MFA?")
    assert result.warnings == ()
    assert not any(isinstance(e, dict) and "model" in e for e in result.evidence["CMD"]["evidence"])


def test_shipped_model_shows_its_probabilities_next_to_the_rules(registry):
    result = LocalTranslator(registry).translate("How do I reset MFA?")
    assert result.warnings == ()
    evidence = result.evidence["CMD"]["evidence"]
    assert "how-to cue" in str(evidence[0])
    shown = [e["model"] for e in evidence if isinstance(e, dict) and "model" in e]
    assert shown and shown[0].startswith("FA ")
    # agreement raises the confidence over the rules' own
    alone = LocalTranslator(registry, intent_model=None).translate("How do I reset MFA?")
    assert result.evidence["CMD"]["confidence"] >= alone.evidence["CMD"]["confidence"]


def cue_model(cues: dict[str, str], threshold: float = 0.5):
    """A model sure that a made-up word means a command, whatever the rules say."""
    examples = []
    for label, cue in cues.items():
        for rule in ("FA", "DI", "EX"):
            for topic in ("vpn", "tokens", "pods"):
                words = [cue, topic]
                examples.append(
                    Example(
                        grams=(*ngrams(words), rule_token(rule)),
                        rule_cmd=rule,
                        has_ctx=True,
                        oos_features=(),
                        cmd=label,
                        out_of_scope=False,
                    )
                )
    return fit_model(examples, Settings(min_df=1, c_cmd=1000.0, cmd_threshold=threshold))


def test_confident_model_overrides_and_fields_follow(registry):
    translator = LocalTranslator(registry, intent_model=cue_model({"GC": "zork", "PL": "quux"}))
    code = translator.translate("zork delete old tokens")
    assert code.fields.command.value == "GC"
    assert (code.fields.fmt.value, code.fields.language.value, code.fields.role.value) == (
        "PY",
        "PY",
        "EN",
    )
    assert code.fields.ctx == ("TK2",)
    why = code.evidence["CMD"]["evidence"]
    assert why[0] == "model GC over the rules" and why[1].startswith("rules said ")
    assert code.fields.query.endswith("_py")

    plan = translator.translate("quux what is the vpn")
    assert plan.fields.command.value == "PL"
    assert plan.fields.fmt.value == "STP"  # PL answers as steps
    assert rules_only(registry, "quux what is the vpn").startswith("CMD:FA")


def test_model_under_its_threshold_leaves_the_rules(registry):
    question = "explain dynatrace access"
    model = cue_model({"GC": "zork", "PL": "quux"}, threshold=1.01)  # never sure enough
    result = LocalTranslator(registry, intent_model=model).translate(question)
    alone = LocalTranslator(registry, intent_model=None).translate(question)
    assert to_compact(result.fields) == to_compact(alone.fields)
    # the model disagrees (it knows only GC and PL): the confidence drops
    assert result.evidence["CMD"]["confidence"] < alone.evidence["CMD"]["confidence"]


def test_explain_prints_model_probabilities():
    result = CliRunner().invoke(
        app,
        ["translate", "--registry", str(ROOT / "ctx_registry.yaml"), "--explain", "vpn is down"],
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"model: DI [01]\.\d\d, \w\w 0\.\d\d", result.stdout)


def test_a_strong_it_anchor_keeps_the_question_in_scope(registry):
    # the out-of-scope head leans on "hotel"; the acronym VPN outweighs it
    result = LocalTranslator(registry).translate("how do I connect to the vpn from a hotel")
    assert not result.out_of_scope
    assert result.instruction.ctx == ("NET2",)


def steps_model(enabled: bool = True):
    """Every question FA; the steps head learnt that "zork" asks for steps."""
    examples = [
        Example(
            grams=(*ngrams([cue, topic]), rule_token("FA")),
            rule_cmd="FA",
            has_ctx=True,
            oos_features=(),
            cmd="FA",
            out_of_scope=False,
            fmt=fmt,
            fmt_rule="SUM",
        )
        for cue, fmt in (("zork", "STP"), ("where", "SUM"))
        for topic in ("vpn", "tokens", "pods", "mfa")
    ]
    return fit_model(examples, Settings(min_df=1, c_fmt=100.0, fmt_enabled=enabled))


def test_the_steps_head_decides_fa_formats_without_a_cue(registry):
    question = "zork what is the vpn"
    alone = LocalTranslator(registry, intent_model=None).translate(question)
    assert alone.fields.fmt.value == "SUM"  # question word "what"
    result = LocalTranslator(registry, intent_model=steps_model()).translate(question)
    assert result.fields.fmt.value == "STP"
    assert result.evidence["FMT"]["evidence"][-1].startswith("intent model: steps 0.")
    assert result.fields.ctx == alone.fields.ctx  # CTX reads the rules' FMT, as trained
    off = LocalTranslator(registry, intent_model=steps_model(enabled=False)).translate(question)
    assert off.fields.fmt.value == "SUM"


def test_a_format_cue_is_never_overridden_by_the_steps_head(registry):
    result = LocalTranslator(registry, intent_model=steps_model()).translate(
        "zork give me a summary of the vpn"
    )
    assert result.fields.fmt.value == "SUM"
    assert "intent model" not in str(result.evidence["FMT"]["evidence"])
