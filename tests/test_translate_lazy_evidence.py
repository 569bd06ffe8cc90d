"""The local translation's evidence is built on first read: the same whenever it is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "How do I reset MFA?",
    "why does the vpn keep dropping from the hotel wifi",
    "Generate a Python script to delete old tokens.",
    "list the on call rotation for my team as a table",
    "what is a good recipe for banana bread",
    "how do I reste my pasword",
    "plan the migration of the api tokens",
]


def _shown(evidence: dict) -> str:
    return json.dumps(evidence, sort_keys=True)


@pytest.mark.parametrize("question", QUESTIONS)
def test_evidence_read_late_equals_evidence_read_at_once(local, question):
    at_once = _shown(local.translate(question).evidence)
    late = local.translate(question)
    for other in QUESTIONS * 3:  # later questions share the translator's memos
        _ = local.translate(other).evidence  # built, then thrown away
        local.translate(other, role="EN")
    assert _shown(late.evidence) == at_once
    assert late.evidence is late.evidence  # built once, then kept
    assert late.to_dict()["evidence"] == json.loads(at_once)


def test_replace_and_equality_keep_the_evidence(local):
    result = local.translate("How do I reset MFA?")
    changed = result.replace(reason="other")  # before the evidence was read
    assert changed.reason == "other"
    assert _shown(changed.evidence) == _shown(result.evidence)
    assert result == local.translate("How do I reset MFA?")
    assert result != changed
    given = result.replace(evidence={"CMD": {}})
    assert given.evidence == {"CMD": {}}


def test_made_without_init_equals_the_dataclass(local):
    from dataclasses import fields as dc_fields

    from alto_cli.translate.result import Fields, Translation

    made = local.translate("How do I reset MFA?")
    f = made.fields
    by_init = Fields(f.command, f.query, f.ctx, f.fmt, f.role, f.language)
    assert Fields.make(f.command, f.query, f.ctx, f.fmt, f.role, f.language) == by_init
    assert vars(f) == vars(by_init) and list(vars(f)) == list(vars(by_init))
    built = made.__dict__["_evidence"]  # the builder, not read yet
    values = [getattr(made, x.name) for x in dc_fields(made) if x.name != "evidence"]
    again = Translation(*values[:5], built, *values[5:])
    assert list(vars(again)) == list(vars(made))
    assert again == made and hash(f) == hash(by_init)
    with pytest.raises(AttributeError):
        made.reason = "changed"  # still frozen
    assert made.evidence is made.evidence and made.evidence == again.evidence


def test_a_translation_leaves_no_reference_cycle(local):
    """A lone candidate's verdict once held its match (which holds the verdict): every such
    question left garbage for the cycle collector."""
    import gc

    for question in QUESTIONS:
        local.translate(question)  # the memos filled first
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for question in QUESTIONS:
            str(local.translate(question).evidence)  # the verdicts written out too
            local.translate(question)  # ... and left unread
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
