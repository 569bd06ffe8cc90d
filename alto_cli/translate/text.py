"""Tokens, stems and fuzzy spelling correction for the local translator. Pure and fast."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD_RE = re.compile(r"[a-z0-9]+")
_SURFACE_RE = re.compile(r"[A-Za-z0-9]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
# "what's" -> "whats", "can't" -> "cant": one token, matched by the cue lists as written.
_CONTRACTION_RE = re.compile(r"(\w)'(\w)")


def _join_contraction(match: re.Match[str]) -> str:
    """``_CONTRACTION_RE``'s replacement, r"\1\2": a function, as the template is expanded
    in Python on every call (half the cost of tokenising a question with an apostrophe)."""
    return match[1] + match[2]


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s", "e")


def words(text: str) -> list[str]:
    """Lower-case word tokens; apostrophes inside words are dropped ("what's" -> "whats")."""
    text = _CONTRACTION_RE.sub(_join_contraction, text.translate(_APOSTROPHES).lower())
    return _WORD_RE.findall(text)


def surface_words(text: str) -> list[str]:
    """The same tokens as ``words`` in their original case (to spot typed acronyms)."""
    text = _CONTRACTION_RE.sub(_join_contraction, text.translate(_APOSTROPHES))
    return _SURFACE_RE.findall(text)


def words_and_surface(text: str) -> tuple[list[str], list[str]]:
    """``words(text)`` and ``surface_words(text)``, sharing the work for ASCII text: there
    lower-casing commutes with the contraction rule, and the lower-case tokens are the
    surface ones lower-cased."""
    if not text.isascii():
        return words(text), surface_words(text)
    if "`" in text:  # the one ASCII character in _APOSTROPHES
        text = text.translate(_APOSTROPHES)
    if "'" in text:  # the regex scan costs as much as tokenising
        text = _CONTRACTION_RE.sub(_join_contraction, text)
    surface = _SURFACE_RE.findall(text)
    return list(map(str.lower, surface)), surface


_MIN_STEM = {"ments": 4, "ment": 4, "ings": 5, "ing": 5}
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """``_stem`` memoised: the same words come back in question after question."""
    found = _STEMS.get(word)
    if found is None:
        found = _stem(word)
        if len(_STEMS) < 100_000:
            _STEMS[word] = found
    return found


def _stem(word: str) -> str:
    """A light suffix stripper: the same stem for "rotate", "rotating", "rotated", "rotation"."""
    if len(word) <= 3 or word[-1].isdigit():
        return word
    for suffix in _SUFFIXES:
        # "ing" needs a longer stem: "staging" must not meet "stage" ("stag")
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM.get(suffix, 3):
            if suffix == "s" and word[-2] in "su":  # "access", "status"
                continue
            if suffix in ("ies", "ied"):
                return word[: -len(suffix)] + "y"
            word = word[: -len(suffix)]
            # "reimbursement" and "reimbursed" -> "reimburs"
            return word[:-1] if word.endswith("e") and len(word) > 4 else word
    return word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions) distance, or ``limit + 1`` past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def max_typos(word: str) -> int:
    """Edits tolerated in a word: none under 5 letters, 1 up to 7, 2 from 8."""
    if len(word) < 5 or not word.isalpha():
        return 0
    return 1 if len(word) < 8 else 2


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class SpellIndex:
    """Corrects misspelt words to a known vocabulary (symmetric-delete lookup, then verify)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha() and len(w) >= 4)
        self._index: dict[str, list[str]] = {}
        self._corrected: dict[str, str | None] = {}
        for word in sorted(self.vocabulary):
            for variant in _deletes(word, 2 if len(word) >= 7 else 1):
                self._index.setdefault(variant, []).append(word)

    def correct(self, word: str) -> str | None:
        """The closest known word within ``max_typos(word)`` edits, or None (memoised)."""
        if word in self._corrected:
            return self._corrected[word]
        found = self._correct(word)
        if len(self._corrected) < 100_000:
            self._corrected[word] = found
        return found

    def _correct(self, word: str) -> str | None:
        limit = max_typos(word)
        if not limit or word in self.vocabulary:
            return None
        candidates: set[str] = set()
        for variant in _deletes(word, limit):
            candidates.update(self._index.get(variant, ()))
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            if max_typos(candidate) == 0 and len(candidate) < 4:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit and distance <= max(1, max_typos(candidate)):
                key = (distance, abs(len(candidate) - len(word)), candidate)
                if best is None or key < best:
                    best = key
        return best[2] if best else None
