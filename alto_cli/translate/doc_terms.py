"""A second vocabulary per CTX code: salient words and phrases of the documents it owns.

Registry keywords name a topic the way its author thought of it; questions use other words
("okta verify", "session manager", "write-up"). Each code's ``sources`` (globs relative to the
registry file) are read, and the terms that are frequent in one code's documents and rare in
the others' (a TF-IDF over codes, headings weighted) become weak evidence for that code. The
matcher uses them only for question words the registry's own vocabulary does not explain.

Extraction reads every document, so it runs once per registry content and document state:
the registry snapshot stores the result with the sources' sizes and mtimes, and a process
keeps one copy per state.
"""

from __future__ import annotations

import glob
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alto_cli.translate import lexicon, section_index
from alto_cli.translate.section_index import SECTIONS_KEY
from alto_cli.translate.text import stem, words

MAX_WORDS = 80  # salient single words kept per code
MAX_PHRASES = 40  # salient two-word phrases kept per code
HEADING_WEIGHT = 3
# Under this key (never a code), the share of codes whose documents use a word, for the
# words most codes' documents use ("team", "page", "request"): a code matched only by such a
# word has no evidence of its own.
SPREAD_KEY = "*spread"
COMMON_SHARE = 0.7
# Under this key, every word (5+ letters) the documents use as written: real words, which
# spelling correction leaves alone ("state" is no misspelt "stage").
WORDS_KEY = "*words"
# Under "*uses CODE", the registry's vocabulary as that code's documents use it (counts): a
# word another code lists may be this code's everyday vocabulary ("phone" in an MFA guide).
USES_PREFIX = "*uses "
USES_MIN = 1
DOMINANT_TF = 3  # ... or one that a code's documents use most, and often
DOMINANT_SHARE = 0.6
_SKIP = (
    lexicon.STOP_WORDS
    | lexicon.GENERIC_NOUNS
    | lexicon.FORMAT_WORDS
    | lexicon.FILLER_WORDS
    | frozenset(lexicon.words_of("acme corp com internal use see also must should will"))
)

DocTerms = dict[str, dict[str, float]]  # code -> {stem or "stem stem": weight 0..1}
State = list[list[Any]]  # [[path, mtime_ns, size], ...] sorted


def source_files(entries: Iterable[Any], base: Path) -> dict[str, list[Path]]:
    """Each code's existing source files (globs relative to ``base``)."""
    found: dict[str, list[Path]] = {}
    for entry in entries:
        paths: list[Path] = []
        for pattern in entry.sources:
            full = str(base / pattern)
            if glob.has_magic(full):
                paths.extend(Path(p) for p in sorted(glob.glob(full, recursive=True)))
            elif Path(full).is_file():
                paths.append(Path(full))
        found[entry.code] = [p for p in paths if p.is_file()]
    return found


def sources_state(files: dict[str, list[Path]]) -> State:
    """Sizes and mtimes of the source files: what the stored terms were computed from."""
    state = []
    for path in sorted({p for paths in files.values() for p in paths}):
        try:
            info = path.stat()
        except OSError:
            continue
        state.append([str(path), info.st_mtime_ns, info.st_size])
    return state


def _counts(
    paths: list[Path], written: set[str] | None = None
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    every: Counter[str] = Counter()  # every stem, short ones too ("ci", "pr"): for the uses
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        text = section_index.FRONT_MATTER.sub("", text)
        for line in text.splitlines():
            weight = HEADING_WEIGHT if line.lstrip().startswith("#") else 1
            previous = ""
            for token in words(line):
                if written is not None and len(token) >= 5 and token.isalpha():
                    written.add(token)
                every[stem(lexicon.TOKEN_SYNONYMS.get(token, token))] += weight
                if token in _SKIP or len(token) < 3 or token.isdigit():
                    previous = ""
                    continue
                term = stem(lexicon.TOKEN_SYNONYMS.get(token, token))
                singles[term] += weight
                if previous:
                    pairs[f"{previous} {term}"] += weight
                previous = term
    return singles, pairs, every


def registry_stems(entries: Iterable[Any]) -> set[str]:
    """Stems of every word the registry's keywords, names, titles and descriptions use."""
    found: set[str] = set()
    for entry in entries:
        text = " ".join((*entry.keywords, entry.name.replace("_", " "), entry.title))
        found.update(stem(token) for token in words(f"{text} {entry.description}"))
    return found


def extract(files: dict[str, list[Path]], vocabulary: Iterable[str] = ()) -> DocTerms:
    """Per code, its documents' distinctive words and phrases with a weight (1 = its own)."""
    written: set[str] = set()
    counted = {code: _counts(paths, written) for code, paths in files.items() if paths}
    n = max(1, len(files))
    wanted = set(vocabulary)
    # words the registry already knows are never respelt: no need to store them
    real = sorted(w for w in written if stem(w) not in wanted)
    result: DocTerms = {WORDS_KEY: dict.fromkeys(real, 1.0)}
    result[SECTIONS_KEY] = section_index.build(files)  # type: ignore[assignment]
    for code, counts in counted.items():
        uses = {t: float(c) for t, c in counts[2].items() if c >= USES_MIN and t in wanted}
        result[USES_PREFIX + code] = uses
    word_df: Counter[str] = Counter()
    for counts in counted.values():
        word_df.update(counts[0].keys())
    result[SPREAD_KEY] = {
        term: round(df / n, 2) for term, df in word_df.items() if df / n >= COMMON_SHARE
    }
    for kind, limit, max_df in ((0, MAX_WORDS, 2), (1, MAX_PHRASES, 1)):
        df: Counter[str] = Counter()
        for counts in counted.values():
            df.update(counts[kind].keys())
        for code, counts in counted.items():
            scored = [
                (tf * math.log(n / df[term]), term)
                for term, tf in counts[kind].items()
                if (tf >= 2 or (kind == 0 and df[term] == 1)) and df[term] <= max_df
            ]
            scored.sort(key=lambda item: (-item[0], item[1]))
            terms = result.setdefault(code, {})
            for _, term in scored[:limit]:
                terms[term] = 1.0 if df[term] == 1 else 0.6
    # a word several codes' documents use, but one code uses most ("phishing")
    total: Counter[str] = Counter()
    for counts in counted.values():
        total.update(counts[0])
    for code, counts in counted.items():
        terms = result.setdefault(code, {})
        for term, tf in counts[0].items():
            share = tf / total[term]
            if tf >= DOMINANT_TF and share >= DOMINANT_SHARE and term not in terms:
                terms[term] = 0.6
    return result


_MEMO: dict[tuple[str, str], DocTerms] = {}


def doc_terms_for(registry: Any) -> DocTerms:
    """The registry's document terms: from its snapshot when still current, else extracted."""
    return doc_terms_keyed(registry)[1]


def doc_terms_keyed(registry: Any) -> tuple[str, DocTerms]:
    """``doc_terms_for`` with a key naming the sources' state (for caches built on them)."""
    path = getattr(registry, "path", None)
    base = Path(path).parent if path else Path.cwd()
    files = source_files(registry, base)
    state = sources_state(files)
    state_key = hashlib.sha256(repr(state).encode()).hexdigest()[:16]
    stored = getattr(registry, "doc_terms", None)
    if stored is not None and [list(item) for item in registry.doc_state] == state:
        return state_key, {code: dict(terms) for code, terms in stored.items()}
    key = (registry.fingerprint(), state_key)
    found = _MEMO.get(key)
    if found is None:
        found = extract(files, registry_stems(registry))
        if len(_MEMO) >= 8:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = found
    if hasattr(registry, "with_doc_terms"):  # a snapshot: store them for the next process
        registry.with_doc_terms(found, state)
    return state_key, found
