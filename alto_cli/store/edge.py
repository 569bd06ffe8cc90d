"""The embedded store: one qdrant-edge shard per collection under ``data_dir()/store/<name>``.

Edge is Qdrant's in-process engine (segments, payload indexes, sparse IDF, RRF, a WAL), so
nothing runs beside alto. One process at a time may open a shard: edge locks its WAL, and a
second opener fails at once, which we report as StoreLockedError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from alto_cli.errors import StoreError, StoreLockedError
from alto_cli.fsutil import locked
from alto_cli.store.base import (
    DENSE,
    INTEGER_INDEXES,
    KEYWORD_INDEXES,
    SPARSE,
    CollectionSpec,
    Filter,
    Fusion,
    Hit,
    Search,
    SparseVec,
    StorePoint,
    VectorStore,
    point_key,
)

EDGE_CONFIG = "edge_config.json"
_LOCK_MARKERS = ("WouldBlock", "lock", "Resource temporarily unavailable")


class EdgeStore(VectorStore):
    exclusive = True  # edge locks the shard's WAL: one process at a time

    def __init__(self, path: Path, name: str) -> None:
        self.path = Path(path)
        self.name = name
        self.location = str(self.path)
        self._shard: Any = None
        self._dirty = False  # written since the last flush (a search writes nothing)
        # the schema, read once: retrieval asks for it on every query, and the shard is this
        # process's alone (edge locks it), so only ``create`` changes it
        self._spec: CollectionSpec | None = None
        if self.exists():
            self._shard = _load(self.path)

    # -- lifecycle
    def exists(self) -> bool:
        return (self.path / "segments").is_dir()

    def create(self, spec: CollectionSpec) -> None:
        import qdrant_edge as qe

        if self._shard is not None:
            raise StoreError(f"collection {self.name!r} already exists at {self.path}")
        self._spec = None
        vectors = {}
        if spec.dense_size:
            vectors[DENSE] = qe.EdgeVectorParams(size=spec.dense_size, distance=qe.Distance.Cosine)
        config = qe.EdgeConfig(
            vectors=vectors,
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Two processes creating the same collection: the second waits, then loads.
        with locked(self.path.with_suffix(".create"), timeout=10):
            if self.exists():
                self._shard = _load(self.path)
                return
            try:
                self._shard = qe.EdgeShard.create(str(self.path), config)
            except Exception as err:  # edge raises plain Exception
                raise _store_error(err, self.path) from None
            for key in KEYWORD_INDEXES:
                self._update(
                    qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword)
                )
            for key in INTEGER_INDEXES:
                self._update(
                    qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Integer)
                )
            self._shard.flush()

    def spec(self) -> CollectionSpec:
        if self._spec is not None:
            return self._spec
        spec = self._read_spec()
        if self.exists():  # a collection not made yet is not remembered as schema-less
            self._spec = spec
        return spec

    def _read_spec(self) -> CollectionSpec:
        # edge keeps its config beside the segments: {"vectors": {name: {size}},
        # "sparse_vectors": {name: ...}}; another tool's unnamed vector is under "".
        try:
            data = json.loads((self.path / EDGE_CONFIG).read_text(encoding="utf-8"))
            vectors, sparse = data.get("vectors") or {}, data.get("sparse_vectors") or {}
            dense = vectors.get(DENSE)
            return CollectionSpec(
                dense_size=int(dense["size"]) if isinstance(dense, dict) else None,
                alto_vectors=SPARSE in sparse,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return CollectionSpec()  # unreadable: assume ALTO's; a query then says what failed

    def close(self) -> None:
        if self._shard is not None:
            try:
                if self._dirty:
                    self._shard.flush()
                self._shard.close()
            finally:
                self._shard = None
                self._dirty = False

    def flush(self) -> None:
        self._need().flush()
        self._dirty = False

    def optimize(self) -> bool:
        self._dirty = True  # flush on close, as after any write
        return bool(self._need().optimize())

    # -- writes
    def upsert(self, points: Sequence[StorePoint]) -> None:
        import qdrant_edge as qe

        edge_points = [
            qe.Point(p.id, {k: _vector(v) for k, v in p.vectors.items()}, p.payload) for p in points
        ]
        if edge_points:
            self._update(qe.UpdateOperation.upsert_points(edge_points))

    def delete_ids(self, ids: Sequence[str]) -> None:
        import qdrant_edge as qe

        if ids:
            self._update(qe.UpdateOperation.delete_points(list(ids)))

    def delete(self, flt: Filter) -> None:
        import qdrant_edge as qe

        self._update(qe.UpdateOperation.delete_points_by_filter(_filter(flt)))

    def set_payload(self, ids: Sequence[str], payload: dict[str, Any]) -> None:
        import qdrant_edge as qe

        if ids:
            self._update(qe.UpdateOperation.set_payload(list(ids), payload))

    # -- reads
    def scroll(
        self,
        *,
        flt: Filter | None = None,
        fields: Sequence[str] | None = None,
        batch: int = 1024,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        import qdrant_edge as qe

        shard = self._need()
        offset: Any = None
        with_payload: Any = list(fields) if fields is not None else True
        while True:
            records, offset = shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=batch,
                    filter=_filter(flt),
                    with_payload=with_payload,
                    with_vector=False,
                )
            )
            for record in records:
                yield point_key(record.id), dict(record.payload or {})
            if offset is None:
                return

    def count(self, flt: Filter | None = None) -> int:
        import qdrant_edge as qe

        return int(self._need().count(qe.CountRequest(exact=True, filter=_filter(flt))))

    def query(self, query: Search | Fusion, *, limit: int, with_payload: bool = True) -> list[Hit]:
        import qdrant_edge as qe

        if isinstance(query, Fusion):
            request = qe.QueryRequest(
                limit=limit,
                prefetches=[
                    qe.Prefetch(
                        limit=s.limit,
                        query=_nearest(s),
                        filter=_filter(s.filter),
                        params=_params(s),
                    )
                    for s in query.searches
                ],
                query=qe.Fusion.Rrf(
                    k=query.k, weights=list(query.weights) if query.weights else None
                ),
                with_payload=with_payload,
            )
        else:
            request = qe.QueryRequest(
                limit=limit,
                query=_nearest(query),
                filter=_filter(query.filter),
                params=_params(query),
                with_payload=with_payload,
            )
        try:
            points = self._need().query(request)
        except Exception as err:
            raise _store_error(err, self.path) from None
        return [Hit(point_key(p.id), float(p.score), dict(p.payload or {})) for p in points]

    # -- helpers
    def _need(self) -> Any:
        if self._shard is None:
            raise StoreError(f"collection {self.name!r} does not exist at {self.path}")
        return self._shard

    def _update(self, operation: Any) -> None:
        self._dirty = True
        try:
            self._need().update(operation)
        except Exception as err:
            raise _store_error(err, self.path) from None


def _load(path: Path) -> Any:
    import qdrant_edge as qe

    try:
        return qe.EdgeShard.load(str(path))
    except Exception as err:
        raise _store_error(err, path) from None


def _store_error(err: Exception, path: Path) -> StoreError:
    text = str(err)
    if "WAL" in text and any(marker in text for marker in _LOCK_MARKERS):
        return StoreLockedError(
            f"the embedded store {path} is in use by another alto process",
            hint="wait for the other process (e.g. a running migrate-embeddings) to finish",
        )
    return StoreError(f"embedded store {path}: {text}")


def _vector(value: Any) -> Any:
    import qdrant_edge as qe

    if isinstance(value, SparseVec):
        return qe.SparseVector(list(value.indices), list(value.values))
    return list(value)


def _nearest(search: Search) -> Any:
    import qdrant_edge as qe

    return qe.Query.Nearest(_vector(search.vector), using=search.using)


def _params(search: Search) -> Any:
    """Filtered dense search uses ACORN: plain HNSW loses recall under selective filters."""
    import qdrant_edge as qe

    if search.using == DENSE and search.filter is not None and not search.filter.empty:
        return qe.SearchParams(acorn=qe.AcornSearchParams(enable=True))
    return None


def _filter(flt: Filter | None) -> Any:
    import qdrant_edge as qe

    if flt is None or flt.empty:
        return None

    def condition(match: Any) -> Any:
        values = list(match.values)
        if len(values) == 1:
            return qe.FieldCondition(key=match.key, match=qe.MatchValue(values[0]))
        return qe.FieldCondition(key=match.key, match=qe.MatchAny(values))

    return qe.Filter(
        must=[condition(m) for m in flt.must] or None,
        must_not=[condition(m) for m in flt.must_not] or None,
    )
