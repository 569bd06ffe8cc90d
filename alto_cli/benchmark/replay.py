"""The cache replay: a seeded stream of questions, and the ledger that scores hits.

The stream draws in-scope questions uniformly with replacement, so it holds exact repeats
(which an exact-string cache can hit) and paraphrases of the same intent (which only a cache
keyed on the meaning can hit). A hit is *wrong* when the entry it returns was stored for a
question whose intended instruction differs from the asking question's.

Each lookup is also classed by what came before it in the stream: a *repeat* (this exact
question was asked already), a *paraphrase* (new wording of an intent asked already) or a
*first* ask of its intent. The paraphrase hit rate is what a meaning-keyed cache adds over
an exact-string one; the share of possible hits compares with the best any cache can do.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from alto_cli.benchmark.questions import Question


def make_stream(questions: Sequence[Question], length: int, seed: int) -> list[Question]:
    """``length`` draws from the in-scope questions, reproducible from ``seed``."""
    pool = [q for q in questions if not q.out_of_scope]
    if not pool:
        return []
    rng = random.Random(seed)
    return [pool[rng.randrange(len(pool))] for _ in range(length)]


def same_intent(stored: Question, asking: Question) -> bool:
    """Labels decide when both have one; otherwise the paraphrase group does."""
    if stored.expected is not None and asking.expected is not None:
        return stored.expected == asking.expected
    return stored.group == asking.group


@dataclass
class CacheLedger:
    """Keeps which question stored each key, and counts hits and wrong hits."""

    entries: dict[str, Question] = field(default_factory=dict)
    lookups: int = 0
    hits: int = 0
    wrong_hits: int = 0
    wrong_examples: list[dict[str, str]] = field(default_factory=list)
    seen_texts: set[str] = field(default_factory=set)
    seen_intents: set[str] = field(default_factory=set)
    by_kind: dict[str, list[int]] = field(
        default_factory=lambda: {kind: [0, 0] for kind in LOOKUP_KINDS}
    )  # kind -> [lookups, hits]

    def record(self, key: str, question: Question, hit: bool) -> bool:
        """Count one lookup; returns True when it was a wrong hit."""
        self.lookups += 1
        self._classify(question, hit)
        stored = self.entries.get(key)
        if not hit or stored is None:
            if stored is None:
                self.entries[key] = question
            if hit:  # a hit on an entry stored before the replay began: still a hit
                self.hits += 1
            return False
        self.hits += 1
        if same_intent(stored, question):
            return False
        self.wrong_hits += 1
        if len(self.wrong_examples) < 10:
            self.wrong_examples.append(
                {"question": question.text, "served_for": stored.text, "key": key}
            )
        return True

    def _classify(self, question: Question, hit: bool) -> None:
        text = _text_key(question)
        if text in self.seen_texts:
            kind = "repeat"
        elif question.group in self.seen_intents:
            kind = "paraphrase"
        else:
            kind = "first"
        self.seen_texts.add(text)
        self.seen_intents.add(question.group)
        self.by_kind[kind][0] += 1
        self.by_kind[kind][1] += int(hit)

    def summary(self) -> dict[str, object]:
        possible = self.by_kind["repeat"][0] + self.by_kind["paraphrase"][0]
        return {
            "lookups": self.lookups,
            "hits": self.hits,
            "wrong_hits": self.wrong_hits,
            "hit_rate": self.hits / self.lookups if self.lookups else None,
            "wrong_hit_rate": self.wrong_hits / self.lookups if self.lookups else None,
            "entries": len(self.entries),
            "share_of_possible_hits": self.hits / possible if possible else None,
            "lookups_by_kind": {kind: counts[0] for kind, counts in self.by_kind.items()},
            "hit_rate_by_kind": {
                kind: (counts[1] / counts[0] if counts[0] else None)
                for kind, counts in self.by_kind.items()
            },
            "wrong_examples": list(self.wrong_examples),
        }


LOOKUP_KINDS = ("repeat", "paraphrase", "first")


def _text_key(question: Question) -> str:
    return f"{question.role.value if question.role else '-'}|{question.text}"


def exact_string_replay(stream: Sequence[Question]) -> CacheLedger:
    """The baseline: a cache keyed on the question string exactly as typed (and the role)."""
    ledger = CacheLedger()
    for question in stream:
        key = _text_key(question)
        ledger.record(key, question, hit=key in ledger.entries)
    return ledger


def oracle_hit_rate(stream: Sequence[Question]) -> float | None:
    """The best any cache can do: every lookup after an intent's first one hits."""
    if not stream:
        return None
    seen: set[str] = set()
    hits = 0
    for question in stream:
        key = question.group
        hits += key in seen
        seen.add(key)
    return hits / len(stream)
