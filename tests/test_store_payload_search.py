"""Searching a collection another tool loaded (its vectors, not ALTO's), after --in-place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import FOREIGN, foreign_edge_collection, foreign_vectors, registry_text
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.inplace import migrate_in_place
from alto_cli.language import parse
from alto_cli.registry import load_registry
from alto_cli.retrieval import embedder_for, retrieve

runner = CliRunner()
QUESTION = "How do I reset MFA?"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = tmp_path / "ctx_registry.yaml"
    path.write_text(registry_text(), encoding="utf-8")
    return path


@pytest.fixture
def tagged(registry: Path, isolated_env: Path) -> Path:
    """An edge collection 'legacy' written by another tool, then tagged in place."""
    foreign_edge_collection(isolated_env, "legacy")
    result = runner.invoke(
        app,
        ["migrate-embeddings", "--in-place", "--collection", "legacy", "--registry", str(registry)],
    )
    assert result.exit_code == 0, result.stderr
    return registry


def _search(registry: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["search", "--collection", "legacy", *args, "--registry", str(registry)]
    )
    return result.exit_code, result.stdout, result.stderr


def test_search_cli_on_a_tagged_foreign_edge_collection(tagged: Path) -> None:
    code, out, err = _search(tagged, QUESTION)
    assert code == 0, err
    first = out.splitlines()[1]  # the header, then the best passage
    assert "AG3" in first and "wiki/login.md" in first and "Reset MFA" in first
    assert "strategy payload" in err and "CTX-filtered" in err

    code, out, err = _search(tagged, QUESTION, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["strategy"] == "payload" and data["filtered"] and not data["fell_back"]
    assert data["scored"] == 1 and data["capped"] is False  # only the AG3 point was read
    top = data["passages"][0]
    assert top["ctx_codes"] == ["AG3"] and top["doc_path"] == "wiki/login.md"
    assert top["title"] == "Login help" and top["text"] == "Reset MFA: open the SSO page."
    assert top["score"] > 0


def test_instruction_fallbacks_on_payload(tagged: Path) -> None:
    # A K8S query: the pod passage ranks first among all points, no filter.
    plain = retrieve(parse("CMD:FA|Q:pod_kubectl"), k=3, collection="legacy")
    assert plain.strategy == "payload" and not plain.filtered and not plain.fell_back
    assert plain.passages[0].title == "Pods" and plain.scored == 3
    assert len(plain.passages) == 1  # only points sharing a term with the query
    # No K8S point shares a term with the query: K8S's opening points, still filtered.
    opening = retrieve(parse("CMD:FA|Q:canteen_menu|CTX:K8S"), k=3, collection="legacy")
    assert opening.filtered and [p.ctx_codes for p in opening.passages] == [("K8S",)]
    assert opening.passages[0].score == 0
    # No point carries TK2: searched unfiltered, and the result says so.
    fell = retrieve(parse("CMD:FA|Q:canteen_menu|CTX:TK2"), k=3, collection="legacy")
    assert fell.fell_back and not fell.filtered
    assert fell.passages[0].text == "Today's canteen menu."


def test_scoring_cap_is_reported(tagged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alto_cli import payload_retrieval

    monkeypatch.setattr(payload_retrieval, "SCORE_CAP", 2)
    code, out, err = _search(tagged, "CMD:FA|Q:canteen_menu", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["capped"] is True and data["scored"] == 2
    assert "scored the first 2 points only" in err


def test_untagged_foreign_collection_is_refused_clearly(registry: Path, isolated_env: Path) -> None:
    foreign_edge_collection(isolated_env, "legacy")
    code, out, err = _search(registry, "CMD:FA|Q:rst_MFA|CTX:AG3")
    assert code == 1 and out == ""
    assert "collection 'legacy' has neither ALTO's vectors nor ALTO metadata" in err
    assert "alto migrate-embeddings --collection legacy --in-place" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2  # message + hint


def test_run_through_alto_collection(tagged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTO_COLLECTION", "legacy")
    result = runner.invoke(app, ["run", QUESTION, "--registry", str(tagged), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sources"][0]["doc_path"] == "wiki/login.md"
    assert "Reset MFA" in data["answer"]


def test_full_migrate_into_a_foreign_collection_is_refused(tagged: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\nctx: [AG3]\n---\n# A\n\nReset MFA.\n", encoding="utf-8")
    result = runner.invoke(
        app, ["migrate-embeddings", str(docs), "--collection", "legacy", "--registry", str(tagged)]
    )
    assert result.exit_code == 2
    assert "collection 'legacy' was loaded by another tool" in result.stderr
    assert "--in-place" in result.stderr


def _local_foreign(path: Path, size: int) -> None:
    """A qdrant_client local-mode collection 'kb' as another tool writes it."""
    from qdrant_client import QdrantClient, models

    client = QdrantClient(path=str(path))
    client.create_collection("kb", vectors_config=models.VectorParams(size=size, distance="Cosine"))
    client.upsert(
        "kb",
        [
            models.PointStruct(
                id=i,
                vector=foreign_vectors(i, size),
                # LangChain's layout: the text in page_content, the rest under metadata
                payload={
                    "page_content": p["content"],
                    "metadata": {k: v for k, v in p.items() if k != "content"},
                },
            )
            for i, p in enumerate(FOREIGN)
        ],
    )
    client.close()


def test_retrieve_on_a_qdrant_client_local_mode_collection(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qdrant_client import QdrantClient

    import alto_cli.store
    from alto_cli.store.server import ServerStore

    path = tmp_path / "local"
    _local_foreign(path, size=384)  # minilm's size, from some other model

    def open_local(collection: str | None = None) -> ServerStore:
        return ServerStore(QdrantClient(path=str(path)), collection or "kb", "local")

    store = open_local()
    assert not store.spec().alto_vectors
    assert embedder_for(store).name == "sparse"  # no guess from the dense size
    migrate_in_place(store, registry=load_registry(registry))
    store.close()

    monkeypatch.setattr(alto_cli.store, "open_store", open_local)
    result = retrieve(parse("CMD:FA|Q:rst_MFA|CTX:AG3"), k=2, question=QUESTION, collection="kb")
    assert result.strategy == "payload" and result.filtered and not result.fell_back
    top = result.passages[0]
    assert top.ctx_codes == ("AG3",) and top.text == "Reset MFA: open the SSO page."
    assert top.doc_path == "wiki/login.md" and top.title == "Login help"  # from metadata


def test_command_strategy_prefers_its_sections_on_payload(
    registry: Path, isolated_env: Path
) -> None:
    mfa = [
        {"source": "wiki/mfa.md", "heading": "MFA overview", "content": "MFA MFA MFA login."},
        {"source": "wiki/mfa.md", "heading": "Troubleshooting MFA", "content": "MFA fails? Retry."},
        {
            "source": "wiki/mfa.md",
            "heading": "How to reset MFA",
            "content": "1. Open.\n2. Reset MFA.",
        },
    ]
    foreign_edge_collection(isolated_env, "legacy", mfa)
    runner.invoke(
        app,
        ["migrate-embeddings", "--in-place", "--collection", "legacy", "--registry", str(registry)],
    )
    plain = retrieve(parse("CMD:FA|Q:MFA|CTX:AG3"), k=3, collection="legacy")
    assert plain.passages[0].section == "MFA overview"  # the most MFA, by BM25 alone
    di = retrieve(parse("CMD:DI|Q:MFA|CTX:AG3"), k=3, collection="legacy")
    assert di.strategy == "payload" and di.passages[0].section == "Troubleshooting MFA"
    pl = retrieve(parse("CMD:PL|Q:MFA|CTX:AG3"), k=3, collection="legacy")
    assert pl.passages[0].section == "How to reset MFA"
