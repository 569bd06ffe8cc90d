"""What the faster ingest path must keep: worker processes give the same store as one process,
fingerprints kept from the plan equal fingerprints read from the store, ids and hashes as before."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
from store_helpers import DOCS, dump_edge, make_project, write_corpus

from alto_cli.errors import ConfigError
from alto_cli.fingerprints import compute_fingerprints
from alto_cli.ingest_pool import MIN_PARALLEL_BYTES, worker_count
from alto_cli.migrate import migrate
from alto_cli.points import point_id, prepare_document
from alto_cli.registry import load_registry
from alto_cli.state import FINGERPRINTS, read_state
from alto_cli.store import open_store


def _stored_fingerprints(collection: str = "alto") -> dict[str, str]:
    store = open_store(collection)
    try:
        rows = [(p.get("alto_ctx_codes") or [], p["content_hash"]) for _, p in store.scroll()]
    finally:
        store.close()
    return compute_fingerprints(rows)


def _without_dates(points: dict[str, dict]) -> dict[str, dict]:
    return {
        pid: {k: v for k, v in p.items() if k != "alto_migration_date"} for pid, p in points.items()
    }


def test_worker_processes_load_exactly_what_one_process_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file, docs = make_project(tmp_path)
    # more documents than one worker batch, in several folders, one skipped, one unmatched
    for n in range(30):
        (docs / "security" / f"extra{n:02}.md").write_text(
            f"---\ntitle: Extra {n}\nctx: [AG3]\n---\n# Extra {n}\n\n## Reset step {n}\n\n"
            f"1. Open the portal {n}.\n2. Reset MFA.\n",
            encoding="utf-8",
        )
    (docs / "security" / "binary.md").write_bytes(b"\x00\x01 not text")
    (docs / "misc.md").write_text("# Misc\n\nNo code matches this.\n", encoding="utf-8")
    registry = load_registry(registry_file)

    monkeypatch.setenv("ALTO_HOME", str(tmp_path / "serial"))
    serial = migrate([docs], registry=registry, workers=0)
    serial_points = dump_edge()
    serial_fingerprints = read_state(FINGERPRINTS)["alto"]

    monkeypatch.setenv("ALTO_HOME", str(tmp_path / "parallel"))
    parallel = migrate([docs], registry=registry, workers=2)
    parallel_points = dump_edge()

    assert parallel.chunks_embedded == serial.chunks_embedded == len(serial_points) > 35
    assert _without_dates(parallel_points) == _without_dates(serial_points)
    assert read_state(FINGERPRINTS)["alto"] == serial_fingerprints
    assert [d.doc_path for d in parallel.documents] == [d.doc_path for d in serial.documents]
    assert parallel.skipped == serial.skipped and len(serial.skipped) == 1
    assert parallel.unmatched == serial.unmatched == ["docs/misc.md"]
    # a re-run through the workers finds nothing to do
    again = migrate([docs], registry=registry, workers=2)
    assert again.nothing_to_do and dump_edge() == parallel_points


def test_fingerprints_kept_from_the_plan_match_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file, docs = make_project(tmp_path)
    registry = load_registry(registry_file)
    migrate([docs], registry=registry, workers=0)
    assert read_state(FINGERPRINTS)["alto"] == _stored_fingerprints()
    # change one document, delete another (pruned): updates, deletes and unchanged chunks
    auth = docs / "security" / "auth.md"
    auth.write_text(auth.read_text().replace("Open the portal", "Open the new portal"))
    (docs / "security" / "tokens.md").unlink()
    summary = migrate([docs], registry=registry, prune=True, workers=0)
    assert summary.chunks_embedded and summary.chunks_deleted
    saved = read_state(FINGERPRINTS)["alto"]
    assert saved == _stored_fingerprints()
    assert "TK2" not in saved and set(saved) == {"AG3", "K8S"}


def test_ids_and_hashes_are_what_earlier_versions_wrote(tmp_path: Path) -> None:
    """Stores loaded before keep their ids and hashes: a re-run after upgrading embeds nothing."""
    registry_file, docs = make_project(tmp_path)
    registry = load_registry(registry_file)
    path = docs / "security" / "auth.md"
    prepared = prepare_document(path, "docs/security/auth.md", registry, None, 10, "sparse")
    namespace = uuid.UUID("6f0b8f4e-3c1a-5b7e-9d2a-a17051a7e5a1")
    for pid, content_hash, _, payload in prepared.points:
        chunk = payload["chunk"]
        assert pid == str(uuid.uuid5(namespace, f"docs/security/auth.md#{chunk}"))
        assert pid == point_id("docs/security/auth.md", chunk)
        hashed = {k: v for k, v in payload.items() if k != "content_hash"}
        hashed["alto_embedder"] = "sparse"  # hashed, no longer stored
        expected = hashlib.sha256(
            json.dumps(hashed, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()[:32]
        assert content_hash == payload["content_hash"] == expected
        assert "alto_embedder" not in payload
    other = prepare_document(path, "docs/security/auth.md", registry, None, 10, "openai")
    assert [p[1] for p in other.points] != [p[1] for p in prepared.points]


def test_worker_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = write_corpus(tmp_path / "small")
    files = sorted(small.rglob("*.md"))
    big = tmp_path / "big.md"
    big.write_text("word " * (MIN_PARALLEL_BYTES // 5 + 1), encoding="utf-8")
    assert worker_count(None, [big]) == 0  # in process unless asked
    assert worker_count(3, files) == 3  # the argument is used as given
    monkeypatch.setenv("ALTO_INGEST_WORKERS", "2")
    assert worker_count(None, [big]) == 2
    assert worker_count(None, files) == 0  # a few KB: not worth starting processes
    assert worker_count(0, [big]) == 0
    monkeypatch.setenv("ALTO_INGEST_WORKERS", "two")
    with pytest.raises(ConfigError, match="ALTO_INGEST_WORKERS"):
        worker_count(None, [big])
    monkeypatch.setenv("ALTO_INGEST_WORKERS", "-1")
    with pytest.raises(ConfigError, match="ALTO_INGEST_WORKERS"):
        worker_count(None, [big])
    with pytest.raises(ConfigError):
        worker_count(-1, files)
    assert len(DOCS) == len(files)


def test_edge_close_persists_writes_and_a_read_only_open_changes_nothing(tmp_path: Path) -> None:
    from alto_cli.store.base import CollectionSpec, SparseVec, StorePoint
    from alto_cli.store.edge import EdgeStore

    path = tmp_path / "shard"
    store = EdgeStore(path, "t")
    store.create(CollectionSpec())
    store.upsert(
        [
            StorePoint(point_id("a.md", i), {"sparse": SparseVec((i,), (1.0,))}, {"chunk": i})
            for i in range(3)
        ]
    )
    store.close()  # no explicit flush: close flushes what was written
    reader = EdgeStore(path, "t")
    assert reader.count() == 3 and not reader._dirty
    reader.close()  # nothing written: no flush needed
    again = EdgeStore(path, "t")
    assert again.count() == 3
    again.close()


def test_piped_search_imports_no_rich(tmp_path: Path) -> None:
    """`alto search` in a pipe writes diagnostics plain: Rich is for terminals only."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "ALTO_HOME": str(tmp_path / "home")}
    subprocess.run(
        [sys.executable, "-m", "alto_cli", "migrate-embeddings", "examples/docs", "-q"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "alto_cli",
            "search",
            "CMD:FA|Q:rst_MFA|CTX:AG3",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "CMD:FA|Q:rst_MFA|CTX:AG3" in result.stderr  # the header line, plain
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "qdrant_edge" in imported and not {"rich", "rich.console"} & imported
