"""Match a question against the registry's vocabulary: which CTX codes it is about.

Each code's vocabulary comes from its keywords (strongest), name and title, and description.
Terms shared by many codes weigh less (an inverse document frequency over the codes). A keyword
phrase ("api token") that matches absorbs the single words inside it for other codes ("api" in
API3), unless the phrase's own code also lists that word as a keyword ("mfa" in AG3 and MP), so
a shared keyword keeps every code that lists it.

A compiled matcher is cached per registry fingerprint: a registry that changes gets a new one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import compress
from operator import attrgetter, itemgetter, not_
from typing import Any

from alto_cli.translate import lexicon
from alto_cli.translate.ctx_cover import Evidence, choose
from alto_cli.translate.doc_terms import SPREAD_KEY, USES_PREFIX, WORDS_KEY
from alto_cli.translate.section_index import SECTIONS_KEY, SectionIndex
from alto_cli.translate.text import SpellIndex, stem, words

KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0
PHRASE_BONUS = 1.5  # per extra word in a matched keyword phrase
MIN_SCORE = 1.5  # a code needs at least a keyword or title word, or two description words
RELATIVE = 0.35  # ... and this share of the best code's score
MAX_CODES = 3
DOC_WEIGHT = 0.75  # a word of the code's documents that the registry does not list
DOC_PHRASE_WEIGHT = 1.5  # a two-word phrase of its documents
STRONG_SCORE = 4.5  # a score that leaves no doubt (a matched two-word keyword)
_SECOND = itemgetter(1)  # an (index, value) pair's value
_THIRD = itemgetter(2)  # a (position, stem, entry) triple's entry
_CODE, _SCORE = attrgetter("code"), attrgetter("score")  # a Match's

_VERSION_RE = re.compile(r"v?\d+")
_NOT_EVIDENCE = (
    lexicon.STOP_WORDS
    | lexicon.FORMAT_WORDS
    | lexicon.CODE_NOUNS
    | frozenset(lexicon.CODE_LANGUAGES)
    | lexicon.MARKDOWN_WORDS
)


# Plain classes, not dataclasses: creating a dataclass costs start-up time on every run.
class _Phrase:
    __slots__ = ("code", "stems", "text", "weight", "why")

    def __init__(self, code: str, text: str, stems: tuple[str, ...], weight: float) -> None:
        self.code, self.text, self.stems, self.weight = code, text, stems, weight
        self.why = f"keyword {text!r}"  # the match's term, written once, not per question


class Match:
    """Why a code was (or was not) picked."""

    __slots__ = (
        "code",
        "description",
        "doc_positions",
        "documents",
        "evidence",
        "phrased",
        "positions",
        "score",
        "stems",
        "strong",
        "terms",
        "title",
        "verdict",
    )

    def __init__(self, code: str) -> None:
        self.code = code
        self.score = 0.0
        self.terms: list[str] = []  # what matched, e.g. "keyword 'reset mfa'"
        self.positions: set[int] = set()  # question word positions it explains
        self.strong = False  # matched a keyword or a title/name word
        # what ``terms`` holds, kept as they are added (the re-ranker's features): a title or
        # name word, a description word, how many document terms
        self.title = self.description = False
        self.documents = 0
        self.doc_positions: set[int] = set()  # positions only its documents explain
        self.phrased = False  # matched a keyword phrase or a document phrase
        self.stems: set[str] = set()  # registry words it matched one by one
        self.evidence: dict[int, Evidence] = {}  # position -> its strongest evidence there
        # why the minimal cover kept or dropped it ("" if never a candidate): a string, or a
        # ``ctx_cover.Verdict`` that ``str()`` writes out (truthy either way)
        self.verdict: Any = ""

    def add(self, position: int, weight: float, term: str, kind: str) -> None:
        found = self.evidence.get(position)
        if found is None or weight > found.weight:
            self.evidence[position] = Evidence(weight, term, kind)

    def as_evidence(self) -> dict[str, Any]:
        found = {"code": self.code, "score": round(self.score, 2), "matched": self.terms}
        if self.verdict:
            found["verdict"] = str(self.verdict)
        return found


class CtxResult:
    __slots__ = ("codes", "confidence", "evidence_words", "matches")

    def __init__(
        self,
        codes: tuple[str, ...],
        matches: list[Match],
        confidence: float,
        evidence_words: int,
    ) -> None:
        self.codes = codes
        self.matches = matches  # every code with a score, best first
        self.confidence = confidence
        self.evidence_words = evidence_words  # question words a picked code explains


class CtxMatcher:
    def __init__(
        self,
        entries: Iterable[Any],
        abbreviations: dict[str, str] | None = None,
        doc_terms: dict[str, dict[str, float]] | None = None,
    ):
        self.codes: list[str] = []
        self.terms: dict[str, dict[str, tuple[float, str]]] = {}  # stem -> code -> (w, kind)
        self.keyword_stems: dict[str, set[str]] = {}  # code -> its single-word keyword stems
        self.phrases: dict[str, list[_Phrase]] = {}  # first stem -> phrases
        self.keyword_words: set[str] = set()  # single-word keywords as written
        self.title_stems: dict[str, frozenset[str]] = {}  # code -> stems of its name and title
        vocabulary: set[str] = set()
        for entry in entries:
            code = entry.code
            self.codes.append(code)
            self.keyword_stems[code] = set()
            for keyword in entry.keywords:
                tokens = words(keyword)
                vocabulary.update(tokens)
                if len(tokens) == 1:
                    self.keyword_words.add(tokens[0])
                    self._add_term(stem(tokens[0]), code, KEYWORD_WEIGHT, f"keyword {keyword!r}")
                    self.keyword_stems[code].add(stem(tokens[0]))
                elif tokens:
                    self._add_phrase(code, keyword, tokens)
                    # the same words written as one: "on-call" also matches "oncall"
                    joined = "".join(tokens)
                    self._add_term(stem(joined), code, KEYWORD_WEIGHT, f"keyword {keyword!r}")
                    self.keyword_stems[code].add(stem(joined))
            named = words(entry.name.replace("_", " ")) + words(entry.title)
            self.title_stems[code] = frozenset(
                stem(lexicon.TOKEN_SYNONYMS.get(t, t)) for t in named
            ) | frozenset(stem(t) for t in named)
            for token in named:
                if self._meaningful(token):
                    vocabulary.add(token)
                    self._add_term(stem(token), code, TITLE_WEIGHT, f"title {token!r}")
            for token in words(entry.description):
                if self._meaningful(token):
                    vocabulary.add(token)
                    self._add_term(stem(token), code, DESCRIPTION_WEIGHT, f"description {token!r}")
        # keyword stems that more than one code lists (the minimal cover shares them)
        listed: dict[str, int] = {}
        for stems in self.keyword_stems.values():
            for s in stems:
                listed[s] = listed.get(s, 0) + 1
        self.shared_keyword_stems = frozenset(s for s, n in listed.items() if n > 1)
        self.specificity_memo: dict[tuple[str, str], float] = {}  # (code, stem): ctx_cover's
        count = max(1, len(self.codes))
        self.idf = {
            term: math.log(1 + count / len(by_code)) / math.log(1 + count)
            for term, by_code in self.terms.items()
        }
        # stem -> (code, weight * idf, why, its kind: the weight of a keyword, title or
        # description word, the evidence it gives) for each code: what ``match`` adds,
        # computed once
        self.scored_terms = {
            term: tuple(
                (
                    code,
                    weight * self.idf[term],
                    why,
                    weight,
                    Evidence(weight * self.idf[term], term, "word"),
                )
                for code, (weight, why) in by_code.items()
            )
            for term, by_code in self.terms.items()
        }
        self.known_stems = frozenset(self.terms) | {
            s for phrases in self.phrases.values() for p in phrases for s in p.stems
        }
        self.vocabulary = vocabulary
        # document terms: single stems and "stem stem" phrases -> code -> weight
        self.doc_words: dict[str, dict[str, float]] = {}
        self.doc_pairs: dict[str, dict[str, float]] = {}
        doc_terms = dict(doc_terms or {})
        self.spread: dict[str, float] = dict(doc_terms.pop(SPREAD_KEY, {}))
        self.written = frozenset(doc_terms.pop(WORDS_KEY, ()))  # real words: never "misspelt"
        # every word of every section of the documents (the CTX re-ranker reads it)
        self.sections = SectionIndex(doc_terms.pop(SECTIONS_KEY, None))  # type: ignore[arg-type]
        # registry word -> code -> how often that code's documents use it
        self.use_counts: dict[str, dict[str, float]] = {}
        for key in [k for k in doc_terms if k.startswith(USES_PREFIX)]:
            for term, count in doc_terms.pop(key).items():
                self.use_counts.setdefault(term, {})[key[len(USES_PREFIX) :]] = count
        for code, terms in doc_terms.items():
            for term, weight in terms.items():
                table = self.doc_pairs if " " in term else self.doc_words
                table.setdefault(term, {})[code] = weight
        self.known_stems = self.known_stems | frozenset(self.doc_words)
        # first stem -> second stem -> its phrases, in ``phrases`` order: a start whose next
        # word continues no phrase is passed over without a slice
        self.phrase_seconds: dict[str, dict[str, list[_Phrase]]] = {}
        for first, group in self.phrases.items():
            seconds = self.phrase_seconds[first] = {}
            for phrase in group:
                seconds.setdefault(phrase.stems[1], []).append(phrase)
        # the stems a document match can start from (registry stems never do: they are not
        # open): a question with none of them among its evidence has no document match
        self.doc_starts = (
            frozenset(self.doc_words) | frozenset(pair.split()[0] for pair in self.doc_pairs)
        ) - frozenset(self.terms)
        self._spell: SpellIndex | None = None
        self._extra_vocabulary = set(abbreviations or ())

    @staticmethod
    def _meaningful(token: str) -> bool:
        return (
            token not in lexicon.STOP_WORDS
            and token not in lexicon.GENERIC_NOUNS
            and not _VERSION_RE.fullmatch(token)
            and len(token) > 1
        )

    def _add_term(self, term: str, code: str, weight: float, why: str) -> None:
        by_code = self.terms.setdefault(term, {})
        if weight > by_code.get(code, (0.0, ""))[0]:
            by_code[code] = (weight, why)

    def _add_phrase(self, code: str, text: str, tokens: list[str]) -> None:
        full = tuple(stem(t) for t in tokens)
        weight = KEYWORD_WEIGHT + PHRASE_BONUS * (len(full) - 1)
        self.phrases.setdefault(full[0], []).append(_Phrase(code, text, full, weight))
        # the same phrase without its stop words ("reset my mfa" matches "reset mfa")
        content = tuple(stem(t) for t in tokens if t not in lexicon.STOP_WORDS)
        if len(content) >= 2 and content != full:
            self.phrases.setdefault(content[0], []).append(_Phrase(code, text, content, weight))

    # -- spelling
    def spell(self) -> SpellIndex:
        """Built on first need: most questions have no misspelt word."""
        if self._spell is None:
            cue_words: set[str] = set()
            for group in (
                lexicon.FAILURE_WORDS,
                lexicon.PLAN_WORDS,
                lexicon.EXPLAIN_WORDS,
                lexicon.CODE_NOUNS,
                lexicon.FORMAT_WORDS,
                lexicon.CREATE_VERBS,
                lexicon.OTHER_CODE_LANGUAGES,
                lexicon.MARKDOWN_WORDS,
            ):
                cue_words.update(group)
            cue_words.update(lexicon.CODE_LANGUAGES)
            cue_words.update(lexicon.VERB_ABBREVIATIONS)
            cue_words.update(lexicon.VERB_SYNONYMS)
            cue_words.update(lexicon.ROLE_NOUNS)
            cue_words.update(lexicon.TOKEN_SYNONYMS)
            cue_words.update(("workflow", "members", "instructions", "summary", "explain"))
            cue_words.update(w for p in self._extra_vocabulary for w in p.split())
            # corrections go towards the domain, never into an everyday word ("never" is
            # no misspelt "fever")
            self._spell = SpellIndex(self.vocabulary | cue_words - lexicon.OFF_TOPIC_WORDS)
        return self._spell

    def is_known(self, word: str) -> bool:
        return stem(word) in self.known_stems

    # -- matching
    def match(
        self,
        stems: list[str],
        stop: list[bool],
        evidence_mask: list[bool],
        entries: tuple[list[Any], list[Any]] | None = None,
    ) -> CtxResult:
        """Score every code for a question given as stems.

        ``stop`` marks stop words (skipped when matching phrases without them);
        ``evidence_mask`` marks the words that may count as single-word evidence;
        ``entries``: each stem's ``scored_terms`` and ``phrase_seconds`` entries (None when
        it has none), when the caller looked them up already.
        """
        if entries is None:
            entries = self.stem_entries(stems)
        scored_entries, seconds = entries
        phrase_hits = self._phrase_hits(seconds, stems, stop)
        matches: dict[str, Match] = {}
        covered: dict[int, set[str]] = {}  # position -> codes whose phrase covers it
        seen_phrases: set[tuple[str, str]] = set()
        for phrase, positions in phrase_hits:
            if (phrase.code, phrase.text) in seen_phrases:
                continue
            seen_phrases.add((phrase.code, phrase.text))
            m = matches.get(phrase.code)
            if m is None:  # not ``setdefault``: that would build a Match every time
                m = matches[phrase.code] = Match(phrase.code)
            m.score += phrase.weight
            m.terms.append(phrase.why)
            m.positions.update(positions)
            m.strong = m.phrased = True
            for p in positions:
                covered.setdefault(p, set()).add(phrase.code)
                m.add(p, phrase.weight / len(positions), phrase.text, "phrase")
        keyword_stems = self.keyword_stems
        # only the evidence positions with a registry word, taken in C
        positions = zip(range(len(stems)), stems, scored_entries)  # noqa: B905 (one a stem)
        evidence = compress(positions, evidence_mask)
        for i, term, by_code in filter(_THIRD, evidence):
            owners = covered.get(i)
            for code, weighted, why, kind, evidence in by_code:
                if owners:
                    if code in owners:
                        continue  # its own phrase already counted this word
                    if term not in keyword_stems[code]:
                        continue  # part of another code's phrase ("api" in "api token")
                    if not any(term in keyword_stems[o] for o in owners):
                        continue
                m = matches.get(code)
                if m is None:
                    m = matches[code] = Match(code)
                m.score += weighted
                m.terms.append(why)
                m.positions.add(i)
                found = m.evidence.get(i)  # ``Match.add``, inlined
                if found is None or weighted > found.weight:
                    m.evidence[i] = evidence
                m.stems.add(term)
                if kind == DESCRIPTION_WEIGHT:
                    m.description = True
                else:  # a keyword or a title word
                    m.strong = True
                    if kind == TITLE_WEIGHT:
                        m.title = True
        if self.doc_words or self.doc_pairs:
            self._match_documents(stems, evidence_mask, matches)
        # best score first, then by code: sorted by code, then stably by score (C-level keys,
        # not a Python function called per match)
        ranked = sorted(matches.values(), key=_CODE)
        ranked.sort(key=_SCORE, reverse=True)  # reversed, a sort stays stable
        top = ranked[0].score if ranked else 0.0
        candidates = [
            m for m in ranked if m.score >= MIN_SCORE and m.score >= RELATIVE * top and m.strong
        ]
        picked = choose(self, candidates)[:MAX_CODES]
        explained: set[int] = set()
        for m in picked:
            explained |= m.positions
        confidence = min(1.0, top / STRONG_SCORE) if picked else 0.0
        # codes, matches, confidence, evidence words
        return CtxResult(tuple([m.code for m in picked]), ranked, confidence, len(explained))

    def stem_entries(self, stems: list[str]) -> tuple[list[Any], list[Any]]:
        """``match``'s look-ups of each stem: its ``scored_terms`` and ``phrase_seconds``
        entries (None when it has none)."""
        return list(map(self.scored_terms.get, stems)), list(map(self.phrase_seconds.get, stems))

    def _phrase_hits(
        self, seconds: list[Any], stems: list[str], stop: list[bool]
    ) -> list[tuple[_Phrase, tuple[int, ...]]]:
        """Keyword phrases found in the question, as written and without its stop words,
        with the positions they cover (``seconds``: each stem's ``phrase_seconds`` entry)."""
        hits: list[tuple[_Phrase, tuple[int, ...]]] = []
        if not any(seconds):
            return hits  # no word starts a phrase (the content words are among these)
        everything = range(len(stems))
        sequences = [(everything, stems, seconds)]
        content_index = list(compress(everything, map(not_, stop)))  # taken in C
        if len(content_index) < len(stems):  # else the same hits again
            content = [stems[i] for i in content_index]
            sequences.append((content_index, content, [seconds[i] for i in content_index]))
        for sequence, seq_stems, seq_seconds in sequences:
            last = len(seq_stems) - 1
            # only the starts some phrase begins with, found in C (filter)
            for start, following in filter(_SECOND, enumerate(seq_seconds)):
                if start == last:
                    continue  # every phrase has two words at least
                for phrase in following.get(seq_stems[start + 1], ()):
                    end = start + len(phrase.stems)
                    if tuple(seq_stems[start:end]) == phrase.stems:
                        hits.append((phrase, tuple(sequence[start:end])))
        return hits

    def _match_documents(
        self, stems: list[str], evidence_mask: list[bool], matches: dict[str, Match]
    ) -> None:
        """Words the registry's vocabulary leaves unexplained, matched to codes' documents."""
        if self.doc_starts.isdisjoint(compress(stems, evidence_mask)):
            return  # about half the questions: no evidence word a document match starts from
        explained: set[int] = set()
        for m in matches.values():
            explained |= m.positions
        terms = self.terms
        # the evidence positions taken in C (compress), then the few tests per position
        open_ = [
            i
            for i in compress(range(len(stems)), evidence_mask)
            if i not in explained and stems[i] not in terms
        ]
        for n, i in enumerate(open_):
            term = stems[i]
            nxt = open_[n + 1] if n + 1 < len(open_) and open_[n + 1] == i + 1 else -1
            hits: list[tuple[dict[str, float], float, tuple[int, ...], str]] = []
            if nxt >= 0:
                pair = f"{term} {stems[nxt]}"
                if pair in self.doc_pairs:
                    hits.append((self.doc_pairs[pair], DOC_PHRASE_WEIGHT, (i, nxt), pair))
            if term in self.doc_words:
                hits.append((self.doc_words[term], DOC_WEIGHT, (i,), term))
            for by_code, weight, positions, text in hits:
                why = f"document {text!r}"  # the same for every code
                for code, share in by_code.items():
                    m = matches.get(code)
                    if m is None:
                        m = matches[code] = Match(code)
                    m.positions.update(positions)
                    m.doc_positions.update(positions)
                    if why in m.terms:
                        continue  # a repeated word is no new evidence
                    m.score += weight * share
                    m.terms.append(why)
                    m.documents += 1
                    for p in positions:
                        m.add(p, weight * share / len(positions), text, "document")
                    # a document phrase, or two of its words, is enough to pick the code
                    if len(positions) > 1 or m.documents >= 2:
                        m.strong = True
                    m.phrased = m.phrased or len(positions) > 1


_CACHE: dict[str, CtxMatcher] = {}


def matcher_for(registry: Any) -> CtxMatcher:
    """The compiled matcher for this registry content (cached on its fingerprint)."""
    from alto_cli.translate.doc_terms import doc_terms_keyed

    state_key, terms = doc_terms_keyed(registry)
    key = registry.fingerprint() + state_key
    found = _CACHE.get(key)
    if found is None:
        found = CtxMatcher(
            list(registry), dict(getattr(registry, "abbreviations", {}) or {}), terms
        )
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found
