"""retrieve() and alto search on real stores: CTX filter first, strategies, fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import make_project
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.language import parse
from alto_cli.migrate import migrate
from alto_cli.registry import load_registry
from alto_cli.retrieval import Passage, RetrievalResult, query_text, retrieve, retrieve_from

runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    registry, docs = make_project(tmp_path)
    migrate([docs], registry=load_registry(registry))
    return registry


def test_query_expands_abbreviations() -> None:
    assert query_text(parse("CMD:FA|Q:rst_MFA")) == "reset MFA"
    assert query_text(parse("CMD:GC|Q:ls_pods_K8S_py"), "list my pods") == (
        "list pods K8S kubernetes kubectl py python list my pods"
    )


def test_filters_by_ctx_first(loaded: Path) -> None:
    result = retrieve(parse("CMD:FA|Q:rst_MFA|CTX:TK2"), k=5)
    assert isinstance(result, RetrievalResult)
    assert result.filtered and not result.fell_back
    # no TK2 chunk mentions reset or MFA: TK2's opening chunks, not other codes' text
    assert result.passages and all(p.ctx_codes == ("TK2",) for p in result.passages)
    assert result.passages[0].chunk == 0
    assert isinstance(result.passages[0], Passage)
    top = retrieve(parse("CMD:FA|Q:rst_MFA|CTX:AG3"), k=1).passages[0]
    assert top.section == "How to reset your MFA device"
    assert top.doc_path == "docs/security/auth.md" and top.point_id and top.score > 0


def test_unfiltered_when_no_ctx_and_fallback_when_filter_is_empty(loaded: Path) -> None:
    plain = retrieve(parse("CMD:FA|Q:crashloopbackoff_pod"), k=2)
    assert not plain.filtered and not plain.fell_back
    assert plain.passages[0].ctx_codes == ("K8S",)
    fallback = retrieve(parse("CMD:FA|Q:crashloopbackoff_pod|CTX:MP"), k=2)
    assert fallback.fell_back and not fallback.filtered
    assert fallback.passages[0].ctx_codes == ("K8S",)


def test_command_strategies(loaded: Path) -> None:
    gc = retrieve(parse("CMD:GC|Q:del_tokens_py|CTX:TK2"), k=3)
    assert gc.strategy == "code-first" and gc.passages[0].has_code
    di = retrieve(parse("CMD:DI|Q:sign_in_error|CTX:AG3"), k=3)
    assert di.strategy == "troubleshooting"
    assert di.passages[0].section == "Troubleshooting sign-in errors"
    pl = retrieve(parse("CMD:PL|Q:MFA|CTX:AG3"), k=3)
    assert pl.strategy == "procedures"
    assert pl.passages[0].section == "How to reset your MFA device"
    ex = retrieve(parse("CMD:EX|Q:tokens|CTX:TK2"), k=3)
    assert ex.strategy == "explanations" and not ex.passages[0].has_code
    assert retrieve(parse("CMD:FA|Q:tokens|CTX:TK2")).strategy == "sparse"  # no dense vectors


def test_missing_collection_says_what_to_do(tmp_path: Path) -> None:
    from alto_cli.errors import NotFoundError

    with pytest.raises(NotFoundError, match="collection 'alto' does not exist") as caught:
        retrieve(parse("CMD:FA|Q:x"))
    assert "alto migrate-embeddings" in (caught.value.hint or "")


def test_search_cli_instruction_and_question(loaded: Path) -> None:
    result = runner.invoke(
        app, ["search", "CMD:DI|Q:crashloopbackoff|CTX:K8S", "--json", "-k", "1"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["input"] == "instruction" and data["filtered"]
    assert data["passages"][0]["section"] == "Troubleshooting CrashLoopBackOff"
    result = runner.invoke(
        app, ["search", "How do I reset MFA?", "--registry", str(loaded), "-k", "2"]
    )
    assert result.exit_code == 0, result.stderr
    assert "docs/security/auth.md" in result.stdout
    empty = runner.invoke(app, ["search", "  "])
    assert empty.exit_code == 2 and "empty" in empty.stderr


def test_server_adapter_migrate_and_retrieve(tmp_path: Path) -> None:
    from qdrant_client import QdrantClient

    from alto_cli.embeddings import get_embedder
    from alto_cli.store.server import ServerStore

    registry, docs = make_project(tmp_path)
    store = ServerStore(QdrantClient(path=str(tmp_path / "local")), "alto", "local")
    reg = load_registry(registry)
    first = migrate([docs], registry=reg, store=store)
    assert first.chunks_embedded == first.points_in_collection > 0
    again = migrate([docs], registry=reg, store=store)
    assert again.nothing_to_do
    result = retrieve_from(
        store, parse("CMD:GC|Q:del_tokens|CTX:TK2"), 2, embedder=get_embedder("sparse")
    )
    assert result.filtered and result.passages[0].has_code
    store.close()
