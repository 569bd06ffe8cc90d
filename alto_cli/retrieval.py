"""Retrieval: filter by the instruction's CTX codes first, then search with its Q.

Each command has a strategy. FA: dense + sparse fused with RRF (sparse alone when the
collection has no dense vectors). GC, PL, DI, EX: the same searches plus one limited to the
sections that suit the command (code, procedures, troubleshooting, explanations), weighted up
in the fusion; GC then puts chunks with code first. When the CTX filter finds nothing the
search runs again unfiltered and the result says so (``fell_back``).

A collection another tool loaded has none of ALTO's vectors (its schema says so): once
``migrate-embeddings --in-place`` has tagged it, the same CTX filter and fallbacks run on its
payload and the filtered points are ranked by ALTO's lexical scoring client-side (strategy
"payload", alto_cli/payload_retrieval.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alto_cli.abbreviations import expand_query
from alto_cli.embeddings import Embedder
from alto_cli.errors import NotFoundError
from alto_cli.language import Command, Instruction
from alto_cli.payload_fields import (
    PATH_FIELDS,
    SECTION_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    first_field,
)
from alto_cli.store import base as schema
from alto_cli.store.base import Filter, Fusion, Hit, Match, Search

STRATEGIES: dict[Command, str] = {
    Command.FA: "hybrid",
    Command.GC: "code-first",
    Command.PL: "procedures",
    Command.DI: "troubleshooting",
    Command.EX: "explanations",
}
# The payload condition that marks the sections each command prefers.
_PREFERRED: dict[Command, tuple[Match, ...]] = {
    Command.GC: (Match(schema.F_HAS_CODE, (1,)),),
    Command.PL: (Match(schema.F_KIND, ("procedure",)),),
    Command.DI: (Match(schema.F_KIND, ("troubleshooting",)),),
    Command.EX: (Match(schema.F_KIND, ("explanation",)), Match(schema.F_HAS_CODE, (0,))),
}
PREFERRED_WEIGHT = 2.0
OPENING_SCAN = 512  # chunks read to find a filtered set's opening chunks


@dataclass(frozen=True)
class Passage:
    point_id: str
    text: str
    doc_path: str
    title: str
    section: str
    ctx_codes: tuple[str, ...]
    score: float
    chunk: int
    has_code: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "point_id": self.point_id,
            "doc_path": self.doc_path,
            "title": self.title,
            "section": self.section,
            "chunk": self.chunk,
            "ctx_codes": list(self.ctx_codes),
            "score": round(self.score, 6),
            "has_code": self.has_code,
            "text": self.text,
        }


@dataclass(frozen=True)
class RetrievalResult:
    passages: list[Passage]
    strategy: str
    filtered: bool
    fell_back: bool
    latency_ms: float
    scored: int | None = None  # payload strategy: the points scored client-side
    capped: bool = False  # payload strategy: SCORE_CAP reached, later points not scored

    @property
    def warnings(self) -> list[str]:
        if not self.capped:
            return []
        from alto_cli.payload_retrieval import SCORE_CAP

        return [
            f"scored the first {SCORE_CAP:,} points only (the payload search's cap); "
            "narrow the query with CTX codes"
        ]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "strategy": self.strategy,
            "filtered": self.filtered,
            "fell_back": self.fell_back,
            "latency_ms": round(self.latency_ms, 2),
        }
        if self.scored is not None:
            out.update(scored=self.scored, capped=self.capped)
        return {**out, "passages": [p.to_dict() for p in self.passages]}


def retrieve(
    instruction: Instruction,
    k: int = 5,
    *,
    question: str | None = None,
    collection: str | None = None,
) -> RetrievalResult:
    """The ``k`` passages that best answer ``instruction`` from the configured store.

    The store is opened and closed for this one call (a CLI process asks once), unless a
    ``held_store()`` block holds it open for a run of calls.
    """
    from alto_cli.store import collection_name, open_store

    held = _HELD.get(collection_name(collection))
    if held is not None:
        return held.retrieve(instruction, k, question=question)
    store = open_store(collection)
    try:
        _check_exists(store)
        return retrieve_from(store, instruction, k, question=question, embedder=embedder_for(store))
    finally:
        store.close()


def _check_exists(store: schema.VectorStore) -> None:
    if not store.exists():
        raise NotFoundError(
            f"collection {store.name!r} does not exist ({store.location})",
            hint="load documents first: alto migrate-embeddings PATH",
        )


class _HeldStore:
    """One open store and its embedder, shared by the retrieve() calls of a held_store block.
    Opened on the first retrieve (a block that never retrieves opens nothing); a failed open
    is not kept, so each call reports it as an unheld retrieve() would."""

    def __init__(self, collection: str | None) -> None:
        self.collection = collection
        self.depth = 1
        self.store: schema.VectorStore | None = None
        self._embedder: Embedder | None = None

    def retrieve(
        self, instruction: Instruction, k: int, *, question: str | None
    ) -> RetrievalResult:
        if self.store is None:
            from alto_cli.store import open_store

            self.store = open_store(self.collection)
        _check_exists(self.store)
        if self._embedder is None:
            self._embedder = embedder_for(self.store)
        return retrieve_from(self.store, instruction, k, question=question, embedder=self._embedder)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


# collection name -> the store a held_store() block keeps open (one thread, nested blocks ok)
_HELD: dict[str, _HeldStore] = {}


@contextmanager
def held_store(collection: str | None = None) -> Iterator[None]:
    """Keep the store open for every retrieve() (and so every run()) inside the block.

    For in-process callers that ask many times (the benchmark, cache warming): one open and
    one embedder instead of one per call; the answers are the same. The store's lock is held
    for the whole block, so another process that opens the same embedded collection (e.g. a
    migrate) is refused with StoreLockedError until the block ends, exactly as while any one
    retrieve() runs; outside a block nothing is held between calls.
    """
    from alto_cli.store import collection_name

    name = collection_name(collection)
    held = _HELD.get(name)
    if held is not None:
        held.depth += 1
    else:
        held = _HELD[name] = _HeldStore(collection)
    try:
        yield
    finally:
        held.depth -= 1
        if held.depth == 0:
            del _HELD[name]
            held.close()


def embedder_for(store: schema.VectorStore) -> Embedder:
    """The embedder the collection was loaded with: the one migrate-embeddings recorded, else
    the one ALTO's own vector schema implies (no ``dense`` vector: sparse; 384-d: minilm;
    another size: openai, ALTO's only other dense embedder). A collection without ALTO's
    vectors gets the sparse embedder: its own vectors are never queried (a size says nothing
    of the model that made them), only its payload, scored with ALTO's sparse encoding."""
    from alto_cli.embeddings import get_embedder
    from alto_cli.state import COLLECTIONS, read_state

    spec = store.spec()
    if not spec.alto_vectors:
        return get_embedder("sparse")
    recorded = read_state(COLLECTIONS).get(store.name, {}).get("embedder")
    if recorded:
        return get_embedder(recorded)
    size = spec.dense_size
    return get_embedder("sparse" if not size else "minilm" if size == 384 else "openai")


def query_text(instruction: Instruction, question: str | None = None) -> str:
    """Q back in words (rst_MFA -> reset MFA), plus the user's own question when known."""
    text = expand_query(instruction.query)
    return f"{text} {question}".strip() if question else text


def retrieve_from(
    store: schema.VectorStore,
    instruction: Instruction,
    k: int = 5,
    *,
    question: str | None = None,
    embedder: Embedder,
) -> RetrievalResult:
    started = time.perf_counter()
    spec = store.spec()
    ctx_filter = (
        Filter(must=(Match(schema.F_CTX, tuple(instruction.ctx)),)) if instruction.ctx else None
    )
    if not spec.alto_vectors:
        return _retrieve_payload(store, instruction, k, question, embedder, ctx_filter, started)
    vectors = embedder.embed_query(query_text(instruction, question))
    has_dense = vectors.dense is not None and bool(spec.dense_size)
    hits, fell_back = _filter_first(
        store,
        ctx_filter,
        k,
        lambda flt: _search(store, instruction.command, vectors, has_dense, flt, k),
    )
    strategy = STRATEGIES[instruction.command]
    if instruction.command == Command.FA and not has_dense:
        strategy = "sparse"
    return _result(hits, instruction, strategy, ctx_filter, fell_back, started)


def _result(
    hits: list[Hit],
    instruction: Instruction,
    strategy: str,
    ctx_filter: Filter | None,
    fell_back: bool,
    started: float,
    **payload_figures: Any,
) -> RetrievalResult:
    return RetrievalResult(
        passages=_passages(hits, instruction.command),
        strategy=strategy,
        filtered=ctx_filter is not None and not fell_back,
        fell_back=fell_back,
        latency_ms=(time.perf_counter() - started) * 1000,
        **payload_figures,
    )


def _retrieve_payload(
    store: schema.VectorStore,
    instruction: Instruction,
    k: int,
    question: str | None,
    embedder: Embedder,
    ctx_filter: Filter | None,
    started: float,
) -> RetrievalResult:
    """A collection without ALTO's vectors: the same filter and fallbacks on its payload,
    ranked client-side by ALTO's lexical scoring (alto_cli/payload_retrieval.py)."""
    from alto_cli.payload_retrieval import STRATEGY, rank_payload, require_tagged

    require_tagged(store)
    query = query_text(instruction, question)
    encoder = _lexical_encoder(embedder)
    rankings = []

    def search(flt: Filter | None) -> list[Hit]:
        ranking = rank_payload(
            store,
            query,
            flt,
            k,
            encoder=encoder,
            preferred=_PREFERRED.get(instruction.command, ()),
            preferred_weight=PREFERRED_WEIGHT,
        )
        rankings.append(ranking)
        return ranking.hits

    hits, fell_back = _filter_first(store, ctx_filter, k, search)
    scored, capped = rankings[-1].scored, any(r.capped for r in rankings)
    return _result(
        hits, instruction, STRATEGY, ctx_filter, fell_back, started, scored=scored, capped=capped
    )


def _lexical_encoder(embedder: Embedder) -> Any:
    """The embedder's BM25 encoder (a hybrid embedder holds one), else a new one."""
    from alto_cli.embeddings.sparse import SparseEmbedder

    if isinstance(embedder, SparseEmbedder):
        return embedder
    sparse = getattr(embedder, "sparse", None)
    return sparse if isinstance(sparse, SparseEmbedder) else SparseEmbedder()


def _filter_first(
    store: schema.VectorStore,
    ctx_filter: Filter | None,
    k: int,
    search: Callable[[Filter | None], list[Hit]],
) -> tuple[list[Hit], bool]:
    """(hits, fell_back): ``search`` under the CTX filter, else the filtered set's opening
    chunks, else ``search`` unfiltered when no chunk carries the codes at all."""
    hits = search(ctx_filter)
    if hits or ctx_filter is None:
        return hits, False
    # No chunk of those codes shares a term with Q: their opening chunks still beat
    # other codes' text. Only when no chunk carries the codes at all, search everything.
    hits = _opening_chunks(store, ctx_filter, k)
    if hits:
        return hits, False
    return search(None), True


def _passages(hits: list[Hit], command: Command) -> list[Passage]:
    passages = [_passage(hit) for hit in hits]
    if command == Command.GC:
        passages.sort(key=lambda p: not p.has_code)  # stable: code chunks first, rank kept
    return passages


def _search(
    store: schema.VectorStore,
    command: Command,
    vectors: Any,
    has_dense: bool,
    flt: Filter | None,
    k: int,
) -> list[Hit]:
    candidates = max(4 * k, 20)
    base_filter = flt or Filter()
    searches: list[Search] = []
    if vectors.sparse.indices:
        searches.append(Search(schema.SPARSE, vectors.sparse, flt, candidates))
    if has_dense:
        searches.append(Search(schema.DENSE, vectors.dense, flt, candidates))
    if not searches:
        return []  # nothing to search with (a query of stop words only)
    weights = [1.0] * len(searches)
    preferred = _PREFERRED.get(command)
    if preferred is not None:
        boosted = base_filter.and_(*preferred)
        searches += [Search(s.using, s.vector, boosted, candidates) for s in list(searches)]
        weights += [PREFERRED_WEIGHT] * (len(searches) - len(weights))
    if len(searches) == 1:
        return store.query(searches[0], limit=k)
    return store.query(Fusion(tuple(searches), tuple(weights)), limit=k)


def _opening_chunks(store: schema.VectorStore, flt: Filter, k: int) -> list[Hit]:
    """The first chunks (overviews) of the documents matching ``flt``, score 0."""
    import itertools

    rows = list(itertools.islice(store.scroll(flt=flt, batch=256), OPENING_SCAN))
    rows.sort(key=lambda row: (row[1].get(schema.F_CHUNK, 0), str(row[1].get(schema.F_DOC_PATH))))
    return [Hit(pid, 0.0, payload) for pid, payload in rows[:k]]


def _passage(hit: Hit) -> Passage:
    # ALTO's own fields first; another tool's names (also under ``metadata``) after them
    payload = hit.payload
    codes = payload.get(schema.F_CTX) or []
    chunk = payload.get(schema.F_CHUNK, 0)
    return Passage(
        point_id=str(hit.id),
        text=first_field(payload, TEXT_FIELDS),
        doc_path=first_field(payload, PATH_FIELDS),
        title=first_field(payload, TITLE_FIELDS),
        section=first_field(payload, SECTION_FIELDS),
        ctx_codes=tuple(str(c) for c in codes),
        score=hit.score,
        chunk=int(chunk) if isinstance(chunk, int | float) else 0,
        has_code=bool(payload.get(schema.F_HAS_CODE)),
    )
