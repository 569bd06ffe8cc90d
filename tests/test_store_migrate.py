"""alto migrate-embeddings end to end on the embedded store (qdrant-edge on disk)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from store_helpers import dump_edge, make_project
from typer.testing import CliRunner

from alto_cli.cli.app import app

runner = CliRunner()


def _migrate(registry: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["migrate-embeddings", *args, "--registry", str(registry)])
    return result.exit_code, result.stdout, result.stderr


def test_load_then_rerun_embeds_nothing(tmp_path: Path) -> None:
    registry, docs = make_project(tmp_path)
    code, out, _ = _migrate(registry, str(docs), "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert summary["counts"] == {"add": 3, "update": 0, "unchanged": 0}
    assert summary["chunks_embedded"] == summary["points_in_collection"] > 3
    first = dump_edge()
    sources = {d["doc_path"]: d["ctx_source"] for d in summary["documents"]}
    assert sources == {
        "docs/infra/k8s.md": "sources",  # registry glob, relative to the registry's folder
        "docs/security/auth.md": "front matter",
        "docs/security/tokens.md": "front matter",
    }
    code, out, _ = _migrate(registry, str(docs))
    assert code == 0
    assert "nothing to do" in out and "0 chunks embedded" in out
    assert dump_edge() == first


def test_payload_schema(tmp_path: Path) -> None:
    registry, docs = make_project(tmp_path)
    assert _migrate(registry, str(docs))[0] == 0
    points = dump_edge()
    by_section = {p["section"]: p for p in points.values()}
    code = by_section["Cleaning up old tokens"]
    assert code["has_code"] == 1 and code["alto_ctx_codes"] == ["TK2"]
    assert "CMD:GC|Q:cleaning_up_old_tokens|CTX:TK2" in code["alto_patterns"]
    reset = by_section["How to reset your MFA device"]
    assert "procedure" in reset["section_kind"]
    assert "CMD:PL|Q:rst_MFA_device|CTX:AG3" in reset["alto_patterns"]
    assert reset["has_code"] == 0 and reset["alto_compatible"] == 1
    assert reset["text"].startswith("## How to reset your MFA device")
    assert reset["title"] == "Auth Guide" and reset["doc_path"] == "docs/security/auth.md"
    assert len(reset["content_hash"]) == 32 and reset["alto_migration_date"]
    assert "troubleshooting" in by_section["Troubleshooting CrashLoopBackOff"]["section_kind"]
    assert sorted({p["chunk"] for p in points.values() if p["doc_path"].endswith("auth.md")}) == [
        0,
        1,
        2,
    ]


def test_changed_document_replaces_its_chunks_and_prune(tmp_path: Path) -> None:
    registry, docs = make_project(tmp_path)
    _migrate(registry, str(docs))
    before = dump_edge()
    auth = docs / "security" / "auth.md"
    text = auth.read_text().split("## Troubleshooting")[0].replace("Open the portal", "Go")
    auth.write_text(text, encoding="utf-8")
    code, out, _ = _migrate(registry, str(docs), "--json")
    summary = json.loads(out)
    assert summary["counts"] == {"add": 0, "update": 1, "unchanged": 2}
    assert summary["chunks_embedded"] == 1  # only the edited section is embedded again
    assert summary["chunks_deleted"] == 1  # the removed section's chunk
    reset = [p for p in dump_edge().values() if p["section"].startswith("How to reset")]
    assert len(reset) == 1 and "1. Go." in reset[0]["text"]
    after = dump_edge()
    assert len(after) == len(before) - 1
    (docs / "infra" / "k8s.md").unlink()
    code, _, err = _migrate(registry, str(docs))
    assert code == 0
    assert "no longer on disk" in err and "docs/infra/k8s.md" in err
    assert len(dump_edge()) == len(after)  # not pruned without --prune
    _code, out, _ = _migrate(registry, str(docs), "--prune", "--json")
    assert json.loads(out)["pruned"] == ["docs/infra/k8s.md"]
    assert not [p for p in dump_edge().values() if p["doc_path"] == "docs/infra/k8s.md"]


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    registry, docs = make_project(tmp_path)
    code, out, _ = _migrate(registry, str(docs), "--dry-run")
    assert code == 0 and "dry run" in out and "add" in out
    assert dump_edge() == {}
    _migrate(registry, str(docs))
    before = dump_edge()
    (docs / "security" / "new.md").write_text("---\nctx: [MP]\n---\n# New\n\nText.\n")
    code, out, _ = _migrate(registry, str(docs), "--dry-run", "--json")
    plan = json.loads(out)
    assert plan["dry_run"] and plan["chunks_embedded"] == 1
    assert dump_edge() == before


def test_unmatched_documents_reported_and_default_ctx(tmp_path: Path) -> None:
    registry, docs = make_project(tmp_path)
    (docs / "misc.txt").write_text("Plain text about the canteen menu.\n", encoding="utf-8")
    code, out, err = _migrate(registry, str(docs), "--json")
    assert code == 0
    assert json.loads(out)["unmatched"] == ["docs/misc.txt"]
    assert "match no CTX code" in err and "docs/misc.txt" in err
    code, out, _ = _migrate(registry, str(docs), "--default-ctx", "MP", "--json")
    assert json.loads(out)["unmatched"] == []
    assert any(p["alto_ctx_codes"] == ["MP"] for p in dump_edge().values())
    code, _, err = _migrate(registry, str(docs), "--default-ctx", "NOPE")
    assert code == 2 and "NOPE" in err


def test_fingerprints_follow_the_content(tmp_path: Path) -> None:
    from alto_cli.fingerprints import ctx_fingerprints

    registry, docs = make_project(tmp_path)
    assert ctx_fingerprints(["AG3"]) == {"AG3": ""}
    _migrate(registry, str(docs))
    first = ctx_fingerprints(["AG3", "TK2", "MP"])
    assert first["AG3"] and first["TK2"] and first["MP"] == ""
    tokens = docs / "security" / "tokens.md"
    tokens.write_text(tokens.read_text() + "\nOne more line.\n", encoding="utf-8")
    _migrate(registry, str(docs))
    second = ctx_fingerprints(["AG3", "TK2"])
    assert second["AG3"] == first["AG3"] and second["TK2"] != first["TK2"]


# -- bad input: a clear message, and nothing stored before is lost


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Path, dict]:
    registry, docs = make_project(tmp_path)
    assert _migrate(registry, str(docs))[0] == 0
    return registry, docs, dump_edge()


def test_missing_path(loaded: tuple[Path, Path, dict], tmp_path: Path) -> None:
    registry, _, before = loaded
    code, _, err = _migrate(registry, str(tmp_path / "nope"))
    assert code == 2 and "nope: no such file or directory" in err
    assert dump_edge() == before


def test_empty_directory(loaded: tuple[Path, Path, dict], tmp_path: Path) -> None:
    registry, _, before = loaded
    (tmp_path / "empty").mkdir()
    code, _, err = _migrate(registry, str(tmp_path / "empty"), "--prune")
    assert code == 2 and "no Markdown or text documents" in err
    assert dump_edge() == before


def test_binary_huge_and_unreadable_files_are_skipped(
    loaded: tuple[Path, Path, dict], tmp_path: Path
) -> None:
    registry, docs, before = loaded
    (docs / "blob.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    huge = docs / "huge.md"
    with huge.open("wb") as handle:  # 50 MB, sparse on disk
        handle.truncate(50 * 1024 * 1024)
    (docs / "broken.md").symlink_to(tmp_path / "missing-target.md")
    code, _, err = _migrate(registry, str(docs), "--prune")
    assert code == 0
    assert "skipped docs/blob.md: binary file" in err
    assert "skipped docs/huge.md: 50.0 MB is over the 10 MB limit (--max-file-mb)" in err
    assert "skipped docs/broken.md: cannot read" in err
    assert dump_edge() == before  # --prune kept everything: the good files are unchanged
    code, _, err = _migrate(registry, str(docs / "blob.md"))
    assert code == 1 and "no document could be loaded" in err and "binary" in err
    assert dump_edge() == before


def test_skipped_document_keeps_its_old_chunks(loaded: tuple[Path, Path, dict]) -> None:
    registry, docs, before = loaded
    (docs / "security" / "auth.md").write_bytes(b"\x00\x01 now binary")
    code, _, err = _migrate(registry, str(docs), "--prune")
    assert code == 0 and "skipped docs/security/auth.md" in err
    assert dump_edge() == before


def test_embedder_mismatch_is_refused(loaded: tuple[Path, Path, dict]) -> None:
    registry, docs, before = loaded
    os.environ["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"  # never reached: refused first
    try:
        code, _, err = _migrate(registry, str(docs), "--embedder", "bogus")
    finally:
        del os.environ["OPENAI_BASE_URL"]
    assert code == 2 and "unknown embedder 'bogus'" in err
    assert dump_edge() == before
