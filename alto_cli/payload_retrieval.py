"""Ranking by payload, for a collection another tool loaded (its vectors, not ALTO's).

Such a collection's vectors come from a model ALTO does not know, so ALTO cannot embed a
query for them. After ``migrate-embeddings --in-place`` its points carry ALTO's payload, so
retrieval filters on the CTX codes as usual and ranks the filtered points here, client-side,
by ALTO's own lexical scoring: the BM25 weights ALTO's sparse vectors hold (SparseEmbedder)
for each point's title and text and for the query, times IDF. The engine takes IDF over the
whole collection; here it is taken over the points scored, the only corpus read.

Points are read in pages of ``PAGE``; at most ``SCORE_CAP`` are scored (the rest of a bigger
filtered set is not read) and the ranking says when the cap was hit.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from alto_cli.errors import NotFoundError
from alto_cli.payload_fields import TEXT_FIELDS, TITLE_FIELDS, first_field
from alto_cli.store import base as schema
from alto_cli.store.base import Filter, Hit, Match

STRATEGY = "payload"
SCORE_CAP = 20_000  # per query: about 1.3-1.5 s for 20,000 points of 90 words, 2 cores
PAGE = 512
RRF_K = 60  # as the engine's RRF, so preferred sections weigh as in a vector search


@dataclass(frozen=True)
class PayloadRanking:
    hits: list[Hit]  # points sharing a term with the query, best first
    scored: int  # points read and scored
    capped: bool  # SCORE_CAP reached: points after it were not read


@dataclass
class _Candidate:
    id: str
    payload: dict[str, Any]
    terms: dict[int, float]  # the point's BM25 weight for each query term it holds


def require_tagged(store: schema.VectorStore) -> None:
    """Refuse a foreign collection that in-place migration never tagged: without ALTO's
    vectors or its payload there is nothing ALTO can filter or rank on."""
    marked = Filter(must=(Match(schema.F_COMPATIBLE, (0, 1)),))
    if next(iter(store.scroll(flt=marked, fields=[schema.F_COMPATIBLE], batch=1)), None):
        return
    raise NotFoundError(
        f"collection {store.name!r} has neither ALTO's vectors nor ALTO metadata "
        "(loaded by another tool?)",
        hint=f"tag it first: alto migrate-embeddings --collection {store.name} --in-place",
    )


def rank_payload(
    store: schema.VectorStore,
    query: str,
    flt: Filter | None,
    k: int,
    *,
    encoder: Any,
    preferred: tuple[Match, ...] = (),
    preferred_weight: float = 2.0,
    cap: int | None = None,
) -> PayloadRanking:
    """The ``k`` points matching ``flt`` that score best for ``query`` (``encoder``: a
    SparseEmbedder). With ``preferred``, the points meeting those conditions are ranked again
    and fused in with ``preferred_weight``, as the command strategies do on vectors."""
    cap = SCORE_CAP if cap is None else cap  # read at call time: tests lower the cap
    weights = _query_weights(encoder, query)
    rows = store.scroll(flt=flt, batch=PAGE)
    matched, scored = _scan(itertools.islice(rows, cap), set(weights), encoder)
    capped = scored == cap and next(rows, None) is not None
    ranked = _ranked(matched, scored, weights)
    if not preferred:
        return PayloadRanking([_hit(c, s) for c, s in ranked[:k]], scored, capped)
    pool = max(4 * k, 20)  # the candidates each vector search hands the fusion
    boosted = [(c, s) for c, s in ranked if all(_holds(c.payload, m) for m in preferred)]
    fused: dict[str, float] = {}
    first: dict[str, _Candidate] = {}
    for ranking, weight in ((ranked[:pool], 1.0), (boosted[:pool], preferred_weight)):
        for rank, (cand, _) in enumerate(ranking, start=1):
            fused[cand.id] = fused.get(cand.id, 0.0) + weight / (RRF_K + rank)
            first.setdefault(cand.id, cand)
    order = sorted(fused, key=lambda pid: -fused[pid])  # stable: score ties keep BM25 order
    return PayloadRanking([_hit(first[pid], fused[pid]) for pid in order[:k]], scored, capped)


def point_text(payload: dict[str, Any]) -> str:
    """What a point is scored on: its title and text, wherever the loader put them."""
    title = first_field(payload, TITLE_FIELDS)
    text = first_field(payload, TEXT_FIELDS)
    return f"{title}\n{text}" if title else text


def _query_weights(encoder: Any, query: str) -> dict[int, float]:
    vector = encoder.sparse_query(query)
    return dict(zip(vector.indices, vector.values, strict=True))


def _scan(
    rows: Iterable[tuple[str, dict[str, Any]]], terms: set[int], encoder: Any
) -> tuple[list[_Candidate], int]:
    """(the points holding a query term, how many points were read), a page at a time."""
    matched: list[_Candidate] = []
    scored = 0
    for page in _pages(rows, PAGE):
        scored += len(page)
        if not terms:
            continue  # a query of stop words only: nothing can match, but count the points
        encoded = encoder.sparse_lists([point_text(payload) for _, payload in page])
        for (pid, payload), (indices, values) in zip(page, encoded, strict=True):
            held = {i: v for i, v in zip(indices, values, strict=True) if i in terms}
            if held:
                matched.append(_Candidate(pid, payload, held))
    return matched, scored


def _ranked(
    matched: list[_Candidate], corpus: int, weights: dict[int, float]
) -> list[tuple[_Candidate, float]]:
    """BM25: the query weight x IDF x the point's weight, summed over shared terms; IDF as
    Qdrant's sparse IDF modifier computes it, over the ``corpus`` points scored."""
    df = Counter(term for cand in matched for term in cand.terms)
    idf = {t: math.log(1 + (corpus - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    scored = [
        (cand, sum(weights[t] * idf[t] * w for t, w in cand.terms.items())) for cand in matched
    ]
    scored.sort(key=lambda pair: -pair[1])  # stable: ties keep the store's order
    return scored


def _holds(payload: dict[str, Any], match: Match) -> bool:
    value = payload.get(match.key)
    values = value if isinstance(value, list) else [value]
    return any(v in match.values for v in values)


def _hit(cand: _Candidate, score: float) -> Hit:
    return Hit(cand.id, score, cand.payload)


def _pages(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while page := list(itertools.islice(it, size)):
        yield page
