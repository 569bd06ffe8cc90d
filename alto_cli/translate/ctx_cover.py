"""CTX as a minimal cover: the fewest codes whose vocabulary explains the question's topic words.

The matcher scores every code; this module decides which of the candidates it kept are
needed. The best-scoring code is always chosen. Each further candidate (best first) is kept
only when it explains topic words that the codes already chosen do not, and those words
weigh enough. A word is already explained when a chosen code matched it, or when a chosen
code's own documents use it ("merge" in a CI/CD document): the chosen document answers that
part of the question too. A word's weight says how specific it is to the candidate: a keyword
phrase counts in full; a single registry word counts by the share of the documents' uses of
it that are the candidate's own ("api", used by six codes' documents, weighs little for the
API code; "alert" weighs fully for monitoring); a document word counts by its document
weight. Two exceptions follow from what the registry says: a word that names the code
itself (its name or title: "incident") cannot be borrowed by another code's documents, and
a keyword that two codes both list ("mfa" in a guide and its policy) keeps both, for the
sibling rule (``siblings``) to settle with the question's cues.
"""

from __future__ import annotations

from typing import Any

KEEP_GAIN = 1.0  # specific weight a further code must add to be kept (a keyword's worth, ~1/3)
NAMED_SHARE = 0.5  # the least share a word naming the code itself counts with


class Evidence:
    """What one code matched at one question position, before specificity."""

    __slots__ = ("kind", "term", "weight")

    def __init__(self, weight: float, term: str, kind: str) -> None:
        self.weight, self.term, self.kind = weight, term, kind


def specificity(matcher: Any, code: str, ev: Evidence) -> float:
    """How much of this evidence is the code's own (0..1)."""
    if ev.kind != "word":
        return 1.0  # a keyword phrase or a document term is specific already
    if _shared_keyword(matcher, ev.term, code):
        return 1.0  # two codes list it: each as much as the other, the sibling rule decides
    counts = matcher.use_counts.get(ev.term)
    if not counts:
        return 1.0  # no document uses it: only the registry's word for this code
    own = max(counts.get(code, 0.0), 1.0)
    share = own / (sum(counts.values()) - counts.get(code, 0.0) + own)
    if _names(matcher, code, ev.term):
        share = max(share, NAMED_SHARE)
    return share


def _names(matcher: Any, code: str, term: str) -> bool:
    """The word names the code itself (its name or title), and is no word every document uses."""
    return term in matcher.title_stems.get(code, ()) and term not in matcher.spread


def _shared_keyword(matcher: Any, term: str, code: str, other: str | None = None) -> bool:
    """A keyword the code lists that another code (or ``other``) lists too."""
    stems = matcher.keyword_stems
    if term not in stems.get(code, ()):
        return False
    if other is not None:
        return term in stems.get(other, ())
    return sum(term in s for s in stems.values()) > 1


def _explainer(matcher: Any, cand: Any, pos: int, ev: Evidence, chosen: list[Any]) -> str | None:
    """The chosen code that already explains this evidence, if any."""
    for c in chosen:
        there = c.evidence.get(pos)
        if there is None:
            continue
        if _shared_keyword(matcher, ev.term, cand.code, c.code):
            continue  # a keyword both list: theirs alike, the sibling rule settles it
        if there.weight >= ev.weight or there.kind == "phrase":
            return c.code  # matched as strongly (a description word is no keyword)
    if _names(matcher, cand.code, ev.term):
        return None  # the question names this code's own topic
    for c in chosen:
        if c.code in matcher.use_counts.get(ev.term, {}) and c.code not in matcher.terms.get(
            ev.term, {}
        ):
            return c.code  # the chosen code's documents use the word: they answer it too
    return None


def _gain(matcher: Any, cand: Any, chosen: list[Any]) -> tuple[float, list[str], dict[str, str]]:
    gain = 0.0
    own: list[str] = []
    borrowed: dict[str, str] = {}
    for pos, ev in cand.evidence.items():
        holder = _explainer(matcher, cand, pos, ev, chosen)
        if holder is not None:
            borrowed.setdefault(ev.term, holder)
            continue
        weight = ev.weight * specificity(matcher, cand.code, ev)
        gain += weight
        own.append(f"{ev.term!r} {weight:.2f}")
    return gain, own, borrowed


def choose(matcher: Any, candidates: list[Any]) -> list[Any]:
    """A greedy minimal cover of ``candidates`` (ranked best first); sets each one's ``verdict``.

    Each step takes the candidate that explains the most specific weight the codes chosen so
    far leave open; it stops when the best adds less than ``KEEP_GAIN``. Returned in the
    candidates' order.
    """
    chosen: list[Any] = []
    left = list(candidates)
    while left:
        scored = [(_gain(matcher, c, chosen), c) for c in left]
        (gain, own, _), best = max(scored, key=lambda item: item[0][0])  # first of equals
        if chosen and gain < KEEP_GAIN:
            break
        best.verdict = f"kept: explains {', '.join(own) or 'the most'}"
        chosen.append(best)
        left.remove(best)
    for cand in left:
        gain, own, borrowed = _gain(matcher, cand, chosen)
        by_code: dict[str, list[str]] = {}
        for term, code in borrowed.items():
            by_code.setdefault(code, []).append(repr(term))
        reasons = [
            f"{', '.join(t)} also in {code}'s match or documents" for code, t in by_code.items()
        ]
        if own:
            reasons.append(f"its own words weigh {gain:.2f} < {KEEP_GAIN} ({', '.join(own)})")
        cand.verdict = "dropped: " + "; ".join(reasons or ["nothing of its own"])
    return [c for c in candidates if c in chosen]
