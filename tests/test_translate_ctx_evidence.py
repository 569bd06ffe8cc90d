"""CTX evidence: words most codes share, words another code's documents use, real words.

Questions here are written for these tests (not in the benchmark's sets).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.doc_terms import SPREAD_KEY, USES_PREFIX, WORDS_KEY, extract

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        # "page" is paging on-call for ESC, but nearly every document uses the word
        ("python script that walks every page of the customers endpoint", ("API3",)),
        ("which page of the auth guide covers account lockout?", ("AG3",)),
        ("node code that follows the next page cursor until the list ends", ("API3",)),
        # "approval" is a business-process keyword that the Dynatrace document uses
        ("what's the approval step for getting dynatrace access?", ("DY1",)),
    ],
)
def test_shared_words_add_no_code(local, question, codes):
    assert local.translate(question).fields.ctx == codes


def test_an_incidental_word_yields_to_the_topic(local):
    # "phone" is a Contact Directory keyword, and the MFA documents use it: the topic is MFA
    result = local.translate("my phone app stopped giving MFA codes")
    assert "CONT" not in result.fields.ctx
    assert "AG3" in result.fields.ctx


def test_a_code_named_by_its_title_stays():
    # the rules' minimal cover (the CTX re-ranker may drop INC1 here: CV decides its weights)
    rules = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"), ctx_ranker=None)
    result = rules.translate("explain what happens to an incident after the postmortem")
    assert set(result.fields.ctx) >= {"INC1", "POST"}


def _spelling(result) -> list[str]:
    return [e for e in result.evidence["Q"]["evidence"] if str(e).startswith("spelling")]


def test_real_words_are_not_respelt(local):
    result = local.translate("the terraform state is locked and the apply is blocked")
    assert _spelling(result) == []
    assert result.fields.ctx == ("AWS1",)


def test_inflections_are_not_respelt(local):
    assert _spelling(local.translate("list the approved 2FA methods")) == []


def test_typos_are_still_corrected(local):
    result = local.translate("how do i reset my pasword")
    assert _spelling(result) == ["spelling: pasword -> password"]
    assert result.fields.ctx == ("AG3",)


def test_extract_records_spread_uses_and_words(tmp_path):
    files = {}
    for code, body in {
        "A": "widget gizmo gizmo gizmo ledger",
        "B": "widget sprocket sprocket",
        "C": "widget flange flange",
    }.items():
        path = tmp_path / f"{code}.md"
        path.write_text(f"# {code}\n{body}\n", encoding="utf-8")
        files[code] = [path]
    terms = extract(files, vocabulary={"gizmo", "widget"})
    assert terms[SPREAD_KEY] == {"widget": 1.0}  # every code's documents use it
    assert terms[USES_PREFIX + "A"] == {"gizmo": 3.0, "widget": 1.0}  # registry words used
    assert "sprocket" in terms[WORDS_KEY] and "ledger" in terms[WORDS_KEY]
    assert "gizmo" in terms["A"] and "widget" not in terms["A"]
