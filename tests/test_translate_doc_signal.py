"""The section index's evidence for the out-of-scope head (``DocSignal``, ``doc_features``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.intent_model import DocSignal, doc_features, oos_features

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> LocalTranslator:
    return LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"), intent_model=None)


def test_top_score_bins_are_cumulative():
    low = doc_features(DocSignal(top=2.0, used=1, content=1))
    assert {"DOC_TOP<3", "DOC_TOP<6", "DOC_TOP<12"} <= set(low)
    mid = doc_features(DocSignal(top=7.5, used=1, content=1))
    assert "DOC_TOP<12" in mid and "DOC_TOP<6" not in mid
    high = doc_features(DocSignal(top=20.0, used=1, content=1))
    assert not any(f.startswith("DOC_TOP") for f in high)


def test_share_of_stems_the_documents_use():
    assert "DOC_NONE_USED" in doc_features(DocSignal(top=0.0, used=0, content=3))
    assert "DOC_ALL_USED" in doc_features(DocSignal(top=9.0, used=3, content=3))
    half = doc_features(DocSignal(top=9.0, used=2, content=5))
    assert "DOC_HALF_UNUSED" in half and "DOC_ALL_USED" not in half
    most = doc_features(DocSignal(top=9.0, used=4, content=5))
    assert not {"DOC_HALF_UNUSED", "DOC_ALL_USED", "DOC_NONE_USED"} & set(most)


def test_rare_and_agreeing_flags_and_no_content():
    found = doc_features(DocSignal(15.0, 2, 2, rare_unmatched=True, agrees=True))
    assert {"DOC_RARE_UNMATCHED", "DOC_AGREES"} <= set(found)
    assert doc_features(DocSignal(15.0, 0, 0, True, True)) == []


def test_oos_features_carry_the_doc_signal():
    found = oos_features(["MP"], False, False, doc=DocSignal(20.0, 2, 2, agrees=True))
    assert found == ["CTX=MP", "DOC_ALL_USED", "DOC_AGREES"]
    assert oos_features([], True, False)[:2] == ["NO_CTX", "RULE_OOS"]


def test_a_document_only_word_reaches_the_head(rules):
    # "fido2" is in the documents, not the registry: the rules find no code, the index does
    found = rules.rule_features("why do we make admins use fido2 keys")
    assert not found["has_ctx"]
    assert "DOC_RARE_UNMATCHED" in found["oos_features"]
    assert "DOC_ALL_USED" in found["oos_features"]


def test_words_no_document_uses(rules):
    found = rules.rule_features("what is the best recipe for banana bread")
    assert "DOC_HALF_UNUSED" in found["oos_features"] or "DOC_NONE_USED" in found["oos_features"]
    assert "DOC_ALL_USED" not in found["oos_features"]


def _model_with_open_threshold(threshold: float):
    import json

    from alto_cli.translate.intent_model import DEFAULT_PATH, IntentModel

    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["oos"]["open_threshold"] = threshold
    return IntentModel(data)


def test_the_head_opens_a_no_code_question_only_when_allowed():
    registry = load_registry(ROOT / "ctx_registry.yaml")
    question = "why do we make admins use fido2 keys"
    closed = LocalTranslator(registry, intent_model=_model_with_open_threshold(0.0))
    assert closed.translate(question).out_of_scope
    # a threshold of 1 opens every question some document's words match
    opened = LocalTranslator(registry, intent_model=_model_with_open_threshold(1.0))
    result = opened.translate(question)
    assert not result.out_of_scope
    assert len(result.fields.ctx) == 1
    notes = [e for e in result.evidence["CTX"]["evidence"] if "overrides_rules" in e]
    assert notes and notes[0]["overrides_rules"].startswith("in scope")
    # no document uses any of these words: nothing to open
    assert opened.translate("qwxz zzyq").out_of_scope


def test_no_doc_signal_for_a_code_without_documents(registry_file):
    # a registry code with no documents: the index cannot speak for it, the head reads no
    # DOC_ features (else "no document uses helpdesk" would call it out of scope)
    registry_file.write_text(
        registry_file.read_text() + "  DESK:\n    name: helpdesk_guide\n    title: Helpdesk Guide\n"
        "    description: Tickets.\n    keywords: [helpdesk]\n"
    )
    found = LocalTranslator(load_registry(registry_file)).rule_features("helpdesk opening hours")
    assert "CTX=DESK" in found["oos_features"]
    assert not any(f.startswith("DOC_") for f in found["oos_features"])
