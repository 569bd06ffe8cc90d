"""CTX as a minimal cover: the fewest codes whose vocabulary explains the question's topic words.

The matcher scores every code and keeps the candidates (enough score, a keyword or title
word); this module decides which of them are needed, as a greedy weighted set cover. Each
step takes the candidate that adds the most specific weight the codes chosen so far leave
open, and the cover stops when the best adds less than ``KEEP_GAIN``.

- A word is already explained when a chosen code matched it as strongly, or when a chosen
  code's own documents use it ("phone" in the MFA guide): that document answers that part
  of the question too.
- A word's weight is how specific it is to the candidate: a keyword phrase and a document
  term count in full; a single registry word counts by the share of all the documents' uses
  of it that are the candidate's own ("page" is used by most documents and weighs little
  for escalation; "alert" is the monitoring runbook's own).
- What the registry itself says overrides the documents: a word that names the code (its
  name or title: "incident", "api") counts in full and is never borrowed, and a keyword two
  codes both list ("mfa" in a guide and its policy) is neither's to take from the other, so
  both stay for the sibling rule (``siblings``) to settle with the question's cues.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

# Specific weight a further code must add to be kept: 0.4 of a keyword. A keyword that the
# documents of three codes use alike (1.0) is not enough; one that two codes' use (1.5) is.
KEEP_GAIN = 1.2
BORROW_MIN = 3  # uses in a chosen code's documents that explain a word for it


class Evidence:
    """What one code matched at one question position, before specificity."""

    __slots__ = ("kind", "term", "weight")

    def __init__(self, weight: float, term: str, kind: str) -> None:
        self.weight, self.term, self.kind = weight, term, kind


def specificity(matcher: Any, code: str, ev: Evidence) -> float:
    """How much of this evidence is the code's own (0..1)."""
    if ev.kind != "word":
        return 1.0  # a phrase or a document term
    key = (code, ev.term)
    found = matcher.specificity_memo.get(key)
    if found is None:
        found = matcher.specificity_memo[key] = _word_specificity(matcher, code, ev)
    return found


def _word_specificity(matcher: Any, code: str, ev: Evidence) -> float:
    """``specificity`` of a registry word: it hangs on the code and the word alone."""
    if _names(matcher, code, ev.term):
        return 1.0  # the code's own name
    if _shared_keyword(matcher, ev.term, code):
        return 1.0  # two codes list it: each as much as the other
    counts = matcher.use_counts.get(ev.term)
    if not counts:
        return 1.0  # no document uses it: only the registry's word for this code
    own = max(counts.get(code, 0.0), 1.0)
    return own / (sum(counts.values()) - counts.get(code, 0.0) + own)


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
    return term in matcher.shared_keyword_stems


def _explainer(matcher: Any, code: str, pos: int, ev: Evidence, chosen: list[Any]) -> str | None:
    """The chosen code that already explains this evidence of candidate ``code``, if any."""
    for c in chosen:
        there = c.evidence.get(pos)
        if there is None:
            continue
        if _shared_keyword(matcher, ev.term, code, c.code):
            continue  # a keyword both list: theirs alike, the sibling rule settles it
        if there.weight >= ev.weight or there.kind == "phrase":
            return c.code  # matched as strongly (a description word is no keyword)
    if _names(matcher, code, ev.term):
        return None  # the question names this code's own topic
    counts = matcher.use_counts.get(ev.term, {})
    for c in chosen:
        if counts.get(c.code, 0.0) >= BORROW_MIN and c.code not in matcher.terms.get(ev.term, {}):
            return c.code  # the chosen code's documents use the word: they answer it too
    return None


def _own(
    matcher: Any, code: str, evidence: dict[int, Evidence], chosen: list[Any]
) -> tuple[dict[str, float], dict[str, str]]:
    """The specific weight of each word candidate ``code`` (its ``Match.evidence``) adds to
    ``chosen``, and the borrowed words."""
    own: dict[str, float] = {}
    borrowed: dict[str, str] = {}
    memo = matcher.specificity_memo
    for pos, ev in evidence.items():
        # with nothing chosen yet (the cover's first round) nothing explains it: no look-up
        holder = _explainer(matcher, code, pos, ev, chosen) if chosen else None
        if holder is not None:
            borrowed.setdefault(ev.term, holder)
            continue
        # ``specificity``, its memo read here: a phrase or document term counts in full
        spec = 1.0 if ev.kind != "word" else memo.get((code, ev.term))
        if spec is None:
            spec = specificity(matcher, code, ev)
        own[ev.term] = own.get(ev.term, 0.0) + ev.weight * spec
    return own, borrowed


def _words(own: dict[str, float]) -> str:
    """A candidate's own words for its verdict: "'alert' 1.00, 'page' 0.35"."""
    # a list, not a generator: join would build the list from it first
    return ", ".join([f"{term!r} {weight:.2f}" for term, weight in own.items()])


def _kept(own: dict[str, float]) -> str:
    """The verdict of a kept candidate."""
    return f"kept: explains {_words(own) or 'the most'}"


def _dropped(own: dict[str, float], borrowed: dict[str, str]) -> str:
    """The verdict of a dropped candidate: who explains its words, and what its own weigh."""
    by_code: dict[str, list[str]] = {}
    for term, code in borrowed.items():
        by_code.setdefault(code, []).append(repr(term))
    reasons = [f"{', '.join(t)} also in {code}'s match or documents" for code, t in by_code.items()]
    if own:
        gain = sum(own.values())
        reasons.append(f"its own words weigh {gain:.2f} < {KEEP_GAIN} ({_words(own)})")
    return "dropped: " + "; ".join(reasons or ["nothing of its own"])


class Verdict:
    """Why the cover kept or dropped a candidate (``Match.verdict``), written out only when
    ``str()`` asks: the evidence alone shows it, and most translations' is never read. Its
    truth is all the decisions read (a candidate). It holds values nothing changes later:
    the gains of the round that decided, or (the lone candidate) the match's code and
    evidence and the matcher, whose specificity memo gives the same answer at any time. Not
    the match itself: the match holds its verdict, and that cycle left both (and the
    match's sets and dicts) to the garbage collector, a few per cent of a translation."""

    __slots__ = ("_borrowed", "_lone", "_matcher", "_own", "_text")

    def __init__(
        self,
        own: dict[str, float] | None,
        borrowed: dict[str, str] | None = None,
        matcher: Any = None,
        match: Any = None,
    ) -> None:
        self._own, self._borrowed, self._matcher = own, borrowed, matcher
        self._lone = None if match is None else (match.code, match.evidence)
        self._text = ""

    def __str__(self) -> str:
        if not self._text:
            own = self._own
            if own is None and self._lone is not None:  # the lone candidate: weighed now
                own = _own(self._matcher, *self._lone, [])[0]
            self._text = _kept(own) if self._borrowed is None else _dropped(own, self._borrowed)
        return self._text


def cover_gain(matcher: Any, cand: Any, chosen: list[Any]) -> float:
    """The specific weight ``cand`` adds to ``chosen`` (the CTX re-ranker reads it; no words
    written out for the evidence)."""
    return sum(_own(matcher, cand.code, cand.evidence, chosen)[0].values())


def choose(matcher: Any, candidates: list[Any]) -> list[Any]:
    """The minimal cover of ``candidates`` (ranked best first), in their order.

    Sets each candidate's ``verdict``: why it was kept or dropped.
    """
    if len(candidates) < 2:  # most questions: nothing to weigh a candidate against
        for only in candidates:
            only.verdict = Verdict(None, None, matcher, only)
        return list(candidates)
    chosen: list[Any] = []
    left = list(candidates)
    # the gains of the round that stopped the cover: ``chosen`` has not changed since
    last_round: dict[int, tuple[dict[str, float], dict[str, str]]] = {}
    while left:
        scored = []
        for c in left:
            own, borrowed = _own(matcher, c.code, c.evidence, chosen)
            scored.append((sum(own.values()), own, borrowed, c))
        gain, own, _, best = max(scored, key=itemgetter(0))  # first of equals
        if chosen and gain < KEEP_GAIN:
            last_round = {id(c): (own, borrowed) for _, own, borrowed, c in scored}
            break
        best.verdict = Verdict(own)
        chosen.append(best)
        left.remove(best)
    for cand in left:
        own, borrowed = last_round.get(id(cand)) or _own(matcher, cand.code, cand.evidence, chosen)
        cand.verdict = Verdict(own, borrowed)
    return [c for c in candidates if c in chosen]
