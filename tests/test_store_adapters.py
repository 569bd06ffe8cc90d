"""Both store adapters against real engines: qdrant-edge on disk, qdrant-client local mode."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from alto_cli.store.base import (
    CollectionSpec,
    Filter,
    Fusion,
    Match,
    Search,
    SparseVec,
    StorePoint,
    VectorStore,
)


def _ids(n: int) -> list[str]:
    return [str(uuid.uuid5(uuid.NAMESPACE_URL, f"p{i}")) for i in range(n)]


@pytest.fixture(params=["edge", "server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    if request.param == "edge":
        from alto_cli.store.edge import EdgeStore

        made: VectorStore = EdgeStore(tmp_path / "edge" / "c1", "c1")
    else:
        from qdrant_client import QdrantClient

        from alto_cli.store.server import ServerStore

        made = ServerStore(QdrantClient(path=str(tmp_path / "local")), "c1", "local")
    yield made
    made.close()


def _fill(store: VectorStore) -> list[str]:
    store.create(CollectionSpec(dense_size=3))
    ids = _ids(6)
    points = []
    for i, pid in enumerate(ids):
        code = "AG3" if i < 3 else "K8S"
        words = {0: 1, 1: 2, 2: 3} if i % 2 else {0: 1, 5: 1}
        points.append(
            StorePoint(
                pid,
                {
                    "sparse": SparseVec(tuple(words), tuple(float(v) for v in words.values())),
                    "dense": [1.0, float(i), 0.5],
                },
                {"alto_ctx_codes": [code], "has_code": i % 2, "chunk": i, "doc_path": f"d{i}"},
            )
        )
    store.upsert(points)
    return ids


def test_create_upsert_count_and_filters(store: VectorStore) -> None:
    assert not store.exists()
    ids = _fill(store)
    assert store.exists()
    assert store.spec().dense_size == 3
    assert store.count() == 6
    assert store.count(Filter(must=(Match("alto_ctx_codes", ("AG3",)),))) == 3
    assert store.count(Filter(must=(Match("has_code", (1,)),))) == 3
    assert store.count(Filter(must_not=(Match("alto_ctx_codes", ("AG3", "K8S")),))) == 0
    scrolled = dict(store.scroll(fields=["chunk"], batch=2))
    assert set(scrolled) == set(ids)
    assert all(set(p) == {"chunk"} for p in scrolled.values())


def test_set_payload_and_deletes(store: VectorStore) -> None:
    ids = _fill(store)
    store.set_payload(ids[:2], {"alto_patterns": ["CMD:FA|Q:x"]})
    payloads = dict(store.scroll())
    assert payloads[ids[0]]["alto_patterns"] == ["CMD:FA|Q:x"]
    assert payloads[ids[0]]["chunk"] == 0  # set, not overwrite
    store.delete_ids([ids[0]])
    store.delete(Filter(must=(Match("alto_ctx_codes", ("K8S",)),)))
    assert sorted(pid for pid, _ in store.scroll()) == sorted(ids[1:3])


def test_sparse_query_filtered_and_fusion(store: VectorStore) -> None:
    ids = _fill(store)
    query = SparseVec((5,), (1.0,))
    hits = store.query(
        Search("sparse", query, Filter(must=(Match("alto_ctx_codes", ("K8S",)),))), limit=5
    )
    assert [h.id for h in hits] == [ids[4]]  # only even points have term 5; 4 is the K8S one
    fused = store.query(
        Fusion(
            (
                Search("sparse", query, None, 10),
                Search("dense", [1.0, 5.0, 0.5], Filter(must=(Match("has_code", (1,)),)), 10),
            ),
            weights=(1.0, 1.0),
        ),
        limit=3,
    )
    assert len(fused) == 3
    assert ids[5] in {h.id for h in fused}  # the dense prefetch's best (odd: has code)
    assert all("alto_ctx_codes" in h.payload for h in fused)
