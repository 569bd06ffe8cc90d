"""migrate-embeddings --in-place on collections another tool loaded (no ALTO payload)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import FOREIGN, registry_text
from store_helpers import foreign_edge_collection as _edge_collection
from store_helpers import foreign_vectors as _vectors
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.inplace import migrate_in_place
from alto_cli.registry import load_registry

runner = CliRunner()


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "ctx_registry.yaml"
    path.write_text(registry_text(), encoding="utf-8")
    return path


def _run(registry: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["migrate-embeddings", "--in-place", *args, "--registry", str(registry)]
    )
    return result.exit_code, result.stdout, result.stderr


def _payloads(name: str) -> dict[str, dict]:
    from alto_cli.store import open_store

    store = open_store(name)
    try:
        return dict(store.scroll())
    finally:
        store.close()


def test_in_place_on_edge_dry_run_then_apply_then_nothing(
    registry: Path, isolated_env: Path
) -> None:
    _edge_collection(isolated_env, "legacy")
    before = _payloads("legacy")
    code, out, err = _run(registry, "--collection", "legacy", "--dry-run")
    assert code == 0, err
    assert "alto_ctx_codes: None -> ['K8S']" in out  # from the registry's sources glob
    assert "alto_ctx_codes: None -> ['AG3']" in out  # from keywords (mfa, sso)
    assert "would change 3" in out and "nothing was written" in out
    assert "1 point(s) match no CTX code" in err
    assert _payloads("legacy") == before

    code, out, _ = _run(registry, "--collection", "legacy", "--json")
    summary = json.loads(out)
    assert summary["changed"] == 3 and not summary["dry_run"]
    after = _payloads("legacy")
    by_title = {p.get("title", ""): p for p in after.values()}
    pods = by_title["Pods"]
    assert pods["alto_ctx_codes"] == ["K8S"] and pods["doc_path"] == "docs/infra/k8s.md"
    assert pods["content"] == "Restart a pod with kubectl."  # the tool's own fields kept
    assert pods["alto_compatible"] == 1 and pods["alto_patterns"]
    assert by_title["Login help"]["alto_ctx_codes"] == ["AG3"]
    assert by_title[""]["alto_compatible"] == 0

    code, out, _ = _run(registry, "--collection", "legacy", "--json")
    assert json.loads(out)["changed"] == 0
    assert _payloads("legacy") == after


def test_in_place_on_qdrant_client_local_mode(registry: Path, tmp_path: Path) -> None:
    from qdrant_client import QdrantClient, models

    from alto_cli.store.server import ServerStore

    client = QdrantClient(path=str(tmp_path / "local"))
    client.create_collection("kb", vectors_config=models.VectorParams(size=4, distance="Cosine"))
    client.upsert(
        "kb",
        [
            models.PointStruct(id=i, vector=_vectors(i), payload=payload)
            for i, payload in enumerate(FOREIGN)
        ],
    )
    store = ServerStore(client, "kb", "local")
    reg = load_registry(registry)
    first = migrate_in_place(store, registry=reg, default_ctx="MP")
    assert first.changed == 3 and first.untagged == []
    payloads = dict(store.scroll())
    assert payloads[2]["alto_ctx_codes"] == ["MP"]
    second = migrate_in_place(store, registry=reg, default_ctx="MP")
    assert second.changed == 0 and second.unchanged == 3
    store.close()


def test_in_place_missing_collection(registry: Path) -> None:
    code, _, err = _run(registry, "--collection", "nothing-here")
    assert code == 1 and "collection 'nothing-here' does not exist" in err
