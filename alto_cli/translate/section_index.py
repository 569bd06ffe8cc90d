"""A section-level BM25 index over every code's documents, for the CTX re-ranker.

The salient-term lists (``doc_terms``) keep 80 words a code; a question's word outside them
("fido2" in the MFA policy) tells the matcher nothing. This index keeps every word: each
source document is split at its headings into sections, and every section of every code is
scored with BM25 (IDF over all sections), over the same normalised stems the matcher uses.

It is built with the document terms when the registry snapshot is built, and stored compact:
a section table (its code) and, per stem, one string of "section weight" pairs, decoded only
for the stems a question holds (a question costs a few dict look-ups).
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alto_cli.translate import lexicon
from alto_cli.translate.text import stem, words

# A stem's entry (``SectionIndex.entry``): its weights packed, the codes using it, its IDF
Entry = tuple[int, frozenset[str], float]

# Under this key of the document terms (never a code): the index as ``build`` returns it.
SECTIONS_KEY = "*sections"
K1 = 1.2
B = 0.75
HEADING_WEIGHT = 2  # a heading's words count twice in its section
# A document's YAML header: none of its words are indexed.
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_SKIP = lexicon.STOP_WORDS | lexicon.FORMAT_WORDS | lexicon.FILLER_WORDS


def index_stem(token: str) -> str | None:
    """The stem a word is indexed under (the matcher's), or None for a word never indexed."""
    if token in _SKIP or len(token) < 2 or token.isdigit():
        return None
    return stem(lexicon.TOKEN_SYNONYMS.get(token, token))


def split_sections(text: str) -> list[list[str]]:
    """A document's sections: the lines from one heading to the next (the heading first)."""
    text = FRONT_MATTER.sub("", text)
    sections: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.lstrip().startswith("#") and sections[-1]:
            sections.append([])
        sections[-1].append(line)
    return [s for s in sections if any(line.strip() for line in s)]


def _section_counts(lines: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        weight = HEADING_WEIGHT if line.lstrip().startswith("#") else 1
        for token in words(line):
            term = index_stem(token)
            if term is not None:
                counts[term] += weight
    return counts


def build(files: dict[str, list[Path]]) -> dict[str, Any]:
    """The index of every code's source files: {"codes": [code of each section],
    "postings": {stem: "section weight section weight ..."}} (weights BM25, 2 decimals)."""
    codes: list[str] = []
    counted: list[Counter[str]] = []
    for code in sorted(files):
        for path in files[code]:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for lines in split_sections(text):
                counts = _section_counts(lines)
                if counts:
                    codes.append(code)
                    counted.append(counts)
    n = len(counted)
    if not n:
        return {"codes": [], "postings": {}}
    lengths = [sum(c.values()) for c in counted]
    average = sum(lengths) / n
    df: Counter[str] = Counter()
    for counts in counted:
        df.update(counts.keys())
    postings: dict[str, list[str]] = {}
    for section, (counts, length) in enumerate(zip(counted, lengths, strict=True)):
        norm = K1 * (1 - B + B * length / average)
        for term, tf in counts.items():
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            weight = round(idf * tf * (K1 + 1) / (tf + norm), 2)
            if weight > 0:
                postings.setdefault(term, []).append(f"{section} {weight:g}")
    return {"codes": codes, "postings": {t: " ".join(p) for t, p in sorted(postings.items())}}


class SectionIndex:
    """The stored index, read lazily: a stem's postings are decoded on first use.

    A stem's weights are decoded into one integer holding every section's weight (in
    hundredths, the file's precision) in a ``FIELD_BITS`` field at the section's number: a
    question's section scores are then the sum of a few integers (the additions in C, exact),
    unpacked once into an array of per-section scores.
    """

    __slots__ = ("_decoded", "_raw", "_runs", "code_of", "codes")

    def __init__(self, data: dict[str, Any] | None) -> None:
        data = data or {}
        self.code_of: list[str] = list(data.get("codes", ()))
        self.codes = frozenset(self.code_of)
        self._raw: dict[str, str] = dict(data.get("postings", {}))
        self._decoded: dict[str, Entry] = {}
        # per code, the (first, last + 1) sections of each run of its sections
        runs: dict[str, list[tuple[int, int]]] = {}
        start = 0
        for section, code in enumerate(self.code_of):
            if section + 1 == len(self.code_of) or self.code_of[section + 1] != code:
                runs.setdefault(code, []).append((start, section + 1))
                start = section + 1
        self._runs = runs

    def __bool__(self) -> bool:
        return bool(self.code_of)

    def postings(self, term: str) -> tuple[tuple[int, float], ...]:
        """(section, BM25 weight) of each section using the stem."""
        packed = self.entry(term)[0]
        weights = _unpack(packed, len(self.code_of))
        return tuple((s, w / SCALE) for s, w in enumerate(weights) if w)

    def entry(self, term: str) -> Entry:
        """A stem's weights packed, decoded once, with the codes they belong to and its IDF."""
        found = self._decoded.get(term)
        if found is None:
            raw = self._raw.get(term)
            parts = raw.split() if raw else []
            del parts[len(parts) // 2 * 2 :]  # "section weight" pairs only
            sections = [int(section) for section in parts[0::2]]
            packed = 0
            for section, weight in zip(sections, parts[1::2], strict=True):
                packed |= round(float(weight) * SCALE) << (FIELD_BITS * section)
            n, df = len(self.code_of), len(sections)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0
            found = (packed, frozenset(self.code_of[s] for s in sections), idf)
            if len(self._decoded) < 100_000:
                self._decoded[term] = found
        return found

    def score(self, stems: Iterable[str]) -> CodeScores:
        """Per code: its best section's BM25 score for these stems, and which of the stems
        its documents use (each distinct stem counted once)."""
        entry, decoded = self.entry, self._decoded.get
        return self._score({term: decoded(term) or entry(term) for term in stems})

    def score_entries(self, stems: Iterable[str], entries: Iterable[Entry]) -> CodeScores:
        """``score`` for stems whose ``entry`` the caller looked up already (in their order)."""
        return self._score(dict(zip(stems, entries)))  # noqa: B905 (one entry a stem)

    def _score(self, terms: dict[str, Entry]) -> CodeScores:
        """``score`` of the distinct stems (in question order) and their entries."""
        total = 0
        found: list[tuple[str, float, frozenset[str]]] = []
        for term, (packed, codes, term_idf) in terms.items():
            if packed:
                total += packed
                found.append((term, term_idf, codes))
        sections = array("I")  # "I": the fields ``_unpack`` reads, without a list of ints
        if total:
            sections.frombytes(total.to_bytes(len(self.code_of) * 4, sys.byteorder))
        return CodeScores(sections, self.code_of, self._runs, found, len(terms))


SCALE = 100  # the weights' precision in the file: hundredths
FIELD_BITS = 32  # a section's field in a packed integer (sums of up to ~400 stems' weights)


def _unpack(packed: int, sections: int) -> memoryview:
    """The per-section fields of a packed integer (C-speed: bytes cast to unsigned ints)."""
    return memoryview(packed.to_bytes(sections * 4, sys.byteorder)).cast("I")


def _first_field(sections: array[int], value: int) -> int:
    """``sections.index(value)``, as a search of its bytes: the array's own index makes an
    int of every field it passes. ValueError when no field holds ``value``."""
    raw, size = sections.tobytes(), sections.itemsize
    pattern = value.to_bytes(size, sys.byteorder)
    at = raw.find(pattern)
    while at > 0 and at % size:  # found across two fields: search on
        at = raw.find(pattern, at + 1)
    if at < 0:
        raise ValueError(f"{value} is not in the array")
    return at // size


class CodeScores:
    """``SectionIndex.score``'s answer for one question: a code's best section score is
    worked out when asked (the ranker asks for a few candidates', and the best of all)."""

    __slots__ = ("_best", "_code_of", "_runs", "_sections", "found", "terms", "top", "top_code")

    def __init__(
        self,
        sections: array[int],
        code_of: list[str],
        runs: dict[str, list[tuple[int, int]]],
        found: list[tuple[str, float, frozenset[str]]],
        terms: int,
    ) -> None:
        self._sections = sections  # every section's score, in hundredths
        self._code_of, self._runs = code_of, runs
        self._best: dict[str, float] = {}
        # (stem, its IDF over sections, the codes whose documents use it) for each question
        # stem some section uses, in the question's order
        self.found = found
        self.terms = terms  # distinct question stems looked up
        # most sections score 0 for a question: filter drops them before max compares
        # no ``default`` keyword (parsing it costs as much as the scan): a question with no
        # stem in any section leaves ``sections`` empty, else some section scores
        top = max(filter(None, sections)) if sections else 0
        self.top = top / SCALE  # the best section's score
        # its code; on a tie the first section's: codes' sections are in code order
        self.top_code = code_of[_first_field(sections, top)] if top else None

    def best_of(self, code: str) -> float:
        """The code's best section's score (0.0 when no section of it uses a stem)."""
        found = self._best.get(code)
        if found is None:
            runs, sections = self._runs.get(code, ()), self._sections
            if len(runs) == 1:  # nearly every code: its sections side by side
                a, b = runs[0]
                # no stem of the question in any section leaves ``sections`` empty
                found = max(sections[a:b]) / SCALE if sections else 0.0
            else:
                found = max([max(sections[a:b]) for a, b in runs], default=0) / SCALE
            self._best[code] = found
        return found

    @property
    def best(self) -> dict[str, float]:
        """code -> its best section's score, for the codes with one over 0."""
        best = {code: self.best_of(code) for code in self._runs} if self._sections else {}
        return {code: score for code, score in best.items() if score}

    def leaders(self, n: int) -> list[str]:
        """The ``n`` codes with the best sections, best first (ties by code)."""
        if n == 1:
            return [self.top_code] if self.top_code else []
        return self.ranked()[:n]

    @property
    def idf(self) -> dict[str, float]:
        """stem -> its IDF over sections (the stems some section uses)."""
        return {term: idf for term, idf, _ in self.found}

    @property
    def uses(self) -> dict[str, set[str]]:
        """code -> the question stems its documents use."""
        uses: dict[str, set[str]] = {}
        for term, _, codes in self.found:
            for code in codes:
                uses.setdefault(code, set()).add(term)
        return uses

    def ranked(self) -> list[str]:
        """The codes, best section first (ties by code: the sort is stable, reversed too)."""
        best = self.best
        return sorted(sorted(best), key=best.__getitem__, reverse=True)
