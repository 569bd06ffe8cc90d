"""The vector-store interface the rest of alto uses, and its small query/filter model.

Two engines implement it: ``EdgeStore`` (qdrant-edge, embedded, on disk) and ``ServerStore``
(qdrant-client, a Qdrant server). Neither accepts the other's model objects, so callers
speak this model and each adapter translates it.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

SPARSE = "sparse"  # named sparse vector: BM25-style weights, IDF applied by the engine
DENSE = "dense"  # named dense vector, present when a dense embedder is configured

# Payload fields written by migrate-embeddings.
F_TEXT = "text"
F_DOC_PATH = "doc_path"
F_TITLE = "title"
F_SECTION = "section"
F_CTX = "alto_ctx_codes"
F_PATTERNS = "alto_patterns"
F_COMPATIBLE = "alto_compatible"  # 1 when the chunk carries ALTO metadata (int: see has_code)
F_HASH = "content_hash"
F_DATE = "alto_migration_date"
F_CHUNK = "chunk"
F_HAS_CODE = "has_code"  # 0/1: edge does not match boolean payloads, integers it does
F_KIND = "section_kind"  # keywords: procedure, troubleshooting, explanation
F_EMBEDDER = "alto_embedder"

# Indexed before any point is written; the CTX filter runs on every query, the others in the
# command strategies. Only fields that queries filter on: each index costs every upsert and
# the index build (doc_path was indexed once and never filtered on: 20 % of the build).
KEYWORD_INDEXES = (F_CTX, F_KIND)
INTEGER_INDEXES = (F_HAS_CODE,)


def point_key(raw: Any) -> Any:
    """Point ids as the engines accept them back: integers stay integers, UUIDs become str."""
    return raw if isinstance(raw, int) else str(raw)


@dataclass(frozen=True)
class SparseVec:
    indices: tuple[int, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Match:
    """``key`` holds any of ``values`` (keywords or integers)."""

    key: str
    values: tuple[str | int, ...]


@dataclass(frozen=True)
class Filter:
    must: tuple[Match, ...] = ()
    must_not: tuple[Match, ...] = ()

    def and_(self, *matches: Match) -> Filter:
        return Filter(must=self.must + matches, must_not=self.must_not)

    @property
    def empty(self) -> bool:
        return not self.must and not self.must_not


@dataclass(frozen=True)
class Search:
    """Nearest neighbours on one named vector, optionally filtered."""

    using: str
    vector: Sequence[float] | SparseVec
    filter: Filter | None = None
    limit: int = 10


@dataclass(frozen=True)
class Fusion:
    """Reciprocal-rank fusion of several searches (the prefetches), optionally weighted."""

    searches: tuple[Search, ...]
    weights: tuple[float, ...] | None = None
    k: int = 60


@dataclass(frozen=True)
class StorePoint:
    id: str
    vectors: dict[str, Any]  # name -> list[float] | SparseVec
    payload: dict[str, Any]


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CollectionSpec:
    """What a collection holds. ALTO's own: the named ``sparse`` vector, and a ``dense`` one of
    ``dense_size`` for dense embedders. ``alto_vectors`` is False for a collection another tool
    loaded (only its own vectors, e.g. one unnamed dense vector): ALTO cannot query those
    vectors, so retrieval works from the payload instead (see alto_cli/payload_retrieval.py).
    """

    dense_size: int | None = None
    alto_vectors: bool = True


class VectorStore(abc.ABC):
    """One collection in one engine. Use as a context manager; ``close`` releases locks."""

    name: str
    location: str  # for messages: a path or a server URL (never a key)
    exclusive: bool = False  # True when no other process can write while it is open

    @abc.abstractmethod
    def exists(self) -> bool: ...

    @abc.abstractmethod
    def create(self, spec: CollectionSpec) -> None:
        """Create the collection and its payload indexes (before any point is written)."""

    @abc.abstractmethod
    def spec(self) -> CollectionSpec: ...

    @abc.abstractmethod
    def upsert(self, points: Sequence[StorePoint]) -> None: ...

    @abc.abstractmethod
    def delete_ids(self, ids: Sequence[str]) -> None: ...

    @abc.abstractmethod
    def delete(self, flt: Filter) -> None: ...

    @abc.abstractmethod
    def set_payload(self, ids: Sequence[str], payload: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    def scroll(
        self,
        *,
        flt: Filter | None = None,
        fields: Sequence[str] | None = None,
        batch: int = 1024,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every point as (id, payload); ``fields`` limits the payload read."""

    @abc.abstractmethod
    def count(self, flt: Filter | None = None) -> int: ...

    @abc.abstractmethod
    def query(
        self, query: Search | Fusion, *, limit: int, with_payload: bool = True
    ) -> list[Hit]: ...

    def optimize(self) -> bool:
        """Build indexes now (embedded engine only); True when something was optimized."""
        return False

    def flush(self) -> None:  # noqa: B027 - optional for engines that persist on their own
        """Make everything written so far durable."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> VectorStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
