"""A code registered without documents: the rules' choice of it stands against the re-ranker,
which judges codes by their documents."""

from __future__ import annotations

from pathlib import Path

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator

ROOT = Path(__file__).resolve().parent.parent
PRINTERS = """
  PRN1:
    name: printer_guide
    title: Printer Guide
    description: Printers, toner, scanning and print queues.
    keywords: [printer, toner, print queue]
"""


def _registry(tmp_path: Path, extra: str = PRINTERS):
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # the shipped codes' sources
    path = tmp_path / "ctx_registry.yaml"
    path.write_text((ROOT / "ctx_registry.yaml").read_text(encoding="utf-8") + extra)
    return load_registry(path)


def test_a_code_without_documents_keeps_the_rules_choice(tmp_path: Path):
    translator = LocalTranslator(_registry(tmp_path))
    result = translator.translate("how do I add a print queue on my laptop")
    assert result.fields.ctx == ("PRN1",)
    assert any(
        e.get("ranker") == "not used: no documents for PRN1"
        for e in result.evidence["CTX"]["evidence"]
    )


def test_documented_codes_still_go_through_the_ranker(tmp_path: Path):
    translator = LocalTranslator(_registry(tmp_path))
    result = translator.translate("How do I reset my MFA?")
    assert result.fields.ctx == ("AG3", "MP")
    ranker_notes = [e.get("ranker") for e in result.evidence["CTX"]["evidence"]]
    assert not any(isinstance(n, str) and n.startswith("not used") for n in ranker_notes)
