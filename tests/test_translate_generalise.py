"""The local translator on phrasings it was not written against.

tests/data/translate_dev.jsonl holds questions written for these tests only (not in the
benchmark's set): failures told as symptoms, explanations and how-tos asked indirectly,
common paraphrases of IT terms, and everyday uses of IT words that are out of scope. The
floors sit a little under the measured figures, so a change that loses generality fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).resolve().parent / "data" / "translate_dev.jsonl"


def test_dev_set_floors(local):
    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    hits = {"cmd": 0, "ctx": 0, "fmt": 0, "oos": 0}
    totals = dict.fromkeys(hits, 0)
    for row in rows:
        result = local.translate(row["question"])
        if row["cmd"] is None:
            totals["oos"] += 1
            hits["oos"] += result.out_of_scope
            continue
        totals["cmd"] += 1
        hits["cmd"] += result.fields.command.value == row["cmd"]
        totals["ctx"] += 1
        hits["ctx"] += not result.out_of_scope and sorted(result.fields.ctx) == row["ctx"]
        if row["fmt"]:
            totals["fmt"] += 1
            hits["fmt"] += result.fields.fmt.value == row["fmt"]
    rates = {k: hits[k] / totals[k] for k in hits}
    assert rates["cmd"] >= 0.9, rates
    assert rates["fmt"] >= 0.9, rates
    assert rates["ctx"] >= 0.8, rates
    assert rates["oos"] >= 0.9, rates


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("the certificate on the build server has expired", "DI"),
        ("our pods keep restarting", "DI"),
        ("the browser shows a warning for the vpn portal", "DI"),
        ("how come we rotate tokens every 90 days?", "EX"),
        ("what's the point of code review?", "EX"),
        ("where is the runbook for a disk full alert?", "FA"),
    ],
)
def test_symptoms_and_indirect_cues(local, question, command):
    assert local.translate(question).fields.command.value == command


def test_implicit_how_to_answers_as_steps(local):
    result = local.translate("what do I need to do to get dynatrace access")
    assert (result.fields.command.value, result.fields.fmt.value) == ("FA", "STP")


def test_paraphrase_of_an_it_term_finds_its_code():
    # the rules' synonym rewrite and match (the CTX re-ranker, trained on the question sets,
    # keeps MP alone for this one)
    rules = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"), ctx_ranker=None)
    assert "CONT" in rules.translate("what's the help desk number?").fields.ctx
    assert "AG3" in rules.translate("how do I set up 2-step verification").fields.ctx


def test_everyday_context_is_out_of_scope(local):
    assert local.translate("how do I deploy a tent in the rain with my kids").out_of_scope
    assert not local.translate("how do I connect to the vpn from a hotel").out_of_scope


def test_registry_keyword_wins_over_a_synonym(registry_file):
    text = registry_file.read_text() + (
        "  DESK:\n    name: helpdesk_guide\n    title: Helpdesk Guide\n"
        "    description: Tickets.\n    keywords: [helpdesk]\n"
    )
    registry_file.write_text(text)
    result = LocalTranslator(load_registry(registry_file)).translate("helpdesk opening hours")
    assert result.fields.ctx == ("DESK",)


def _registry_with_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "vault.md").write_text(
        "---\ntitle: Vault\n---\n# Secret engines\nThe kv secret engine stores leases.\n"
        "Leases expire; renew leases with the lease renewer. Unseal keys are held by two "
        "officers.\n"
    )
    (docs / "chat.md").write_text("# Channels\nChannels and threads in the chat tool.\n")
    registry = tmp_path / "reg.yaml"
    registry.write_text(
        "version: 1\ncodes:\n"
        "  VLT:\n    name: vault_guide\n    title: Vault Guide\n"
        "    description: Secrets storage.\n    keywords: [vault]\n"
        "    sources: [docs/vault.md]\n"
        "  CHAT:\n    name: chat_guide\n    title: Chat Guide\n"
        "    description: Messaging.\n    keywords: [chat, slack]\n"
        "    sources: [docs/chat.md]\n"
    )
    return registry


def test_document_terms_find_a_code_its_keywords_miss(tmp_path):
    registry = load_registry(_registry_with_docs(tmp_path))
    result = LocalTranslator(registry).translate("who holds the unseal keys?")
    assert result.fields.ctx == ("VLT",)
    assert "document" in str(result.evidence["CTX"])


def test_snapshot_stores_document_terms_and_refreshes_on_edit(tmp_path):
    from alto_cli.registry_snapshot import load_registry_snapshot
    from alto_cli.translate.doc_terms import doc_terms_for

    path = _registry_with_docs(tmp_path)
    first = load_registry_snapshot(path)
    assert first.doc_terms is None
    terms = doc_terms_for(first)
    assert "unseal" in terms["VLT"]
    stored = load_registry_snapshot(path)  # a later process: read from the cache file
    assert stored.doc_terms is not None and "unseal" in stored.doc_terms["VLT"]
    doc = tmp_path / "docs" / "chat.md"
    doc.write_text(doc.read_text() + "Emoji reactions and emoji packs.\n")
    refreshed = doc_terms_for(load_registry_snapshot(path))
    assert "emoji" in refreshed["CHAT"]
    assert "emoji" in load_registry_snapshot(path).doc_terms["CHAT"]
