"""A collection on a Qdrant server or cluster (``QDRANT_URL``, ``QDRANT_API_KEY``) qdrant-client.

The same class runs against qdrant-client's local mode (``QdrantClient(path=...)``), which
speaks the same API; the tests use that. Connection failures become StoreUnavailableError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from alto_cli.errors import StoreError, StoreUnavailableError
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

T = TypeVar("T")
CONNECT_TIMEOUT_S = 10


class ServerStore(VectorStore):
    def __init__(self, client: Any, name: str, location: str) -> None:
        self.client = client
        self.name = name
        self.location = location
        # the collection's schema, read once: retrieval asks for it on every query (embedder
        # and strategy), and each ask is a round trip to the server
        self._spec: CollectionSpec | None = None

    @classmethod
    def connect(cls, url: str, name: str, api_key: str | None = None) -> ServerStore:
        from qdrant_client import QdrantClient

        client = QdrantClient(url=url, api_key=api_key, timeout=CONNECT_TIMEOUT_S)
        store = cls(client, name, url.split("?", 1)[0])
        store.exists()  # fail now, clearly, when the server cannot be reached
        return store

    def _call(self, func: Callable[[], T]) -> T:
        from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

        try:
            return func()
        except UnexpectedResponse as err:
            if err.status_code in (401, 403):
                raise StoreError(
                    f"Qdrant server {self.location} refused the request (check QDRANT_API_KEY)"
                ) from None
            raise StoreError(
                f"Qdrant server {self.location}: HTTP {err.status_code} on {self.name!r}"
            ) from None
        except (ResponseHandlingException, ConnectionError, TimeoutError, OSError) as err:
            raise StoreUnavailableError(
                f"cannot reach the Qdrant server at {self.location}",
                hint="check QDRANT_URL and that the server is running; unset QDRANT_URL "
                "to use the embedded store",
            ) from err
        except Exception as err:
            if _looks_unreachable(err):
                raise StoreUnavailableError(
                    f"cannot reach the Qdrant server at {self.location}",
                    hint="check QDRANT_URL and that the server is running",
                ) from err
            raise

    # -- lifecycle
    def exists(self) -> bool:
        return bool(self._call(lambda: self.client.collection_exists(self.name)))

    def create(self, spec: CollectionSpec) -> None:
        from qdrant_client import models

        self._spec = None

        vectors: dict[str, Any] = {}
        if spec.dense_size:
            vectors[DENSE] = models.VectorParams(
                size=spec.dense_size, distance=models.Distance.COSINE
            )
        self._call(
            lambda: self.client.create_collection(
                self.name,
                vectors_config=vectors,
                sparse_vectors_config={
                    SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
        )
        for key in KEYWORD_INDEXES:
            self._index(key, models.PayloadSchemaType.KEYWORD)
        for key in INTEGER_INDEXES:
            self._index(key, models.PayloadSchemaType.INTEGER)

    def _index(self, key: str, schema: Any) -> None:
        import warnings

        with warnings.catch_warnings():  # local mode says indexes do nothing there; true
            warnings.filterwarnings("ignore", message="Payload indexes have no effect")
            self._call(lambda: self.client.create_payload_index(self.name, key, schema, wait=True))

    def spec(self) -> CollectionSpec:
        if self._spec is None:
            self._spec = self._read_spec()
        return self._spec

    def _read_spec(self) -> CollectionSpec:
        info = self._call(lambda: self.client.get_collection(self.name))
        params = info.config.params
        # vectors: a dict of named vectors, or one VectorParams (another tool's unnamed vector)
        vectors, sparse = params.vectors, params.sparse_vectors or {}
        dense = vectors.get(DENSE) if isinstance(vectors, dict) else None
        return CollectionSpec(
            dense_size=int(dense.size) if dense is not None else None,
            alto_vectors=SPARSE in sparse,
        )

    def close(self) -> None:
        self.client.close()

    # -- writes
    def upsert(self, points: Sequence[StorePoint]) -> None:
        from qdrant_client import models

        structs = [
            models.PointStruct(
                id=p.id, vector={k: _vector(v) for k, v in p.vectors.items()}, payload=p.payload
            )
            for p in points
        ]
        if structs:
            self._call(lambda: self.client.upsert(self.name, structs, wait=True))

    def delete_ids(self, ids: Sequence[str]) -> None:
        from qdrant_client import models

        if ids:
            selector = models.PointIdsList(points=list(ids))
            self._call(lambda: self.client.delete(self.name, selector, wait=True))

    def delete(self, flt: Filter) -> None:
        from qdrant_client import models

        selector = models.FilterSelector(filter=_filter(flt))
        self._call(lambda: self.client.delete(self.name, selector, wait=True))

    def set_payload(self, ids: Sequence[str], payload: dict[str, Any]) -> None:
        if ids:
            self._call(
                lambda: self.client.set_payload(self.name, payload, points=list(ids), wait=True)
            )

    # -- reads
    def scroll(
        self,
        *,
        flt: Filter | None = None,
        fields: Sequence[str] | None = None,
        batch: int = 1024,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        offset: Any = None
        with_payload: Any = list(fields) if fields is not None else True
        while True:
            records, offset = self._call(
                lambda offset=offset: self.client.scroll(
                    self.name,
                    scroll_filter=_filter(flt),
                    limit=batch,
                    offset=offset,
                    with_payload=with_payload,
                    with_vectors=False,
                )
            )
            for record in records:
                yield point_key(record.id), dict(record.payload or {})
            if offset is None:
                return

    def count(self, flt: Filter | None = None) -> int:
        result = self._call(
            lambda: self.client.count(self.name, count_filter=_filter(flt), exact=True)
        )
        return int(result.count)

    def query(self, query: Search | Fusion, *, limit: int, with_payload: bool = True) -> list[Hit]:
        from qdrant_client import models

        if isinstance(query, Fusion):
            prefetch = [
                models.Prefetch(
                    query=_vector(s.vector),
                    using=s.using,
                    filter=_filter(s.filter),
                    params=_params(s),
                    limit=s.limit,
                )
                for s in query.searches
            ]
            fusion = models.RrfQuery(
                rrf=models.Rrf(k=query.k, weights=list(query.weights) if query.weights else None)
            )
            response = self._call(
                lambda: self.client.query_points(
                    self.name,
                    prefetch=prefetch,
                    query=fusion,
                    limit=limit,
                    with_payload=with_payload,
                )
            )
        else:
            response = self._call(
                lambda: self.client.query_points(
                    self.name,
                    query=_vector(query.vector),
                    using=query.using,
                    query_filter=_filter(query.filter),
                    search_params=_params(query),
                    limit=limit,
                    with_payload=with_payload,
                )
            )
        return [
            Hit(point_key(p.id), float(p.score), dict(p.payload or {})) for p in response.points
        ]


def _looks_unreachable(err: Exception) -> bool:
    names = {type(e).__name__ for e in _chain(err)}
    return bool(names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "RpcError"})


def _chain(err: BaseException | None) -> Iterator[BaseException]:
    while err is not None:
        yield err
        err = err.__cause__ or err.__context__


def _vector(value: Any) -> Any:
    from qdrant_client import models

    if isinstance(value, SparseVec):
        return models.SparseVector(indices=list(value.indices), values=list(value.values))
    return list(value)


def _params(search: Search) -> Any:
    """Filtered dense search uses ACORN, as on the embedded store."""
    from qdrant_client import models

    if search.using == DENSE and search.filter is not None and not search.filter.empty:
        return models.SearchParams(acorn=models.AcornSearchParams(enable=True))
    return None


def _filter(flt: Filter | None) -> Any:
    from qdrant_client import models

    if flt is None or flt.empty:
        return None

    def condition(match: Any) -> Any:
        values = list(match.values)
        if len(values) == 1:
            return models.FieldCondition(key=match.key, match=models.MatchValue(value=values[0]))
        return models.FieldCondition(key=match.key, match=models.MatchAny(any=values))

    return models.Filter(
        must=[condition(m) for m in flt.must] or None,
        must_not=[condition(m) for m in flt.must_not] or None,
    )
