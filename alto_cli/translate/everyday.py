"""Everyday vocabulary: words of life outside workplace IT ("headaches", "lizards", "landlord").

A question whose only IT-sounding word sits among such words ("cluster headaches", "monitor
lizards", "a container ship") is out of scope. The words live in ``data/everyday_words.txt``,
grouped under ``# topic`` headings and written from general knowledge; words with a common IT
or workplace sense are left out of the file. ``EverydayWords.for_matcher`` drops, besides,
every word the registry or its documents use: a question the documents answer ("leave",
"doctor's note") never counts it against itself.

The file is read once per process, on first use (a set look-up per word after that).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alto_cli.translate.text import stem

DEFAULT_PATH = Path(__file__).parent / "data" / "everyday_words.txt"  # no resolve(): syscalls


def base_forms(word: str) -> tuple[str, ...]:
    """The word and the forms it may be an inflection of: "lizards" -> "lizard", "puppies" ->
    "puppy", "boxes" -> "box", "baking" -> "bake", "knitting" -> "knit". A bare form under
    four letters is tried only after a doubled consonant: "coding" and "rated" are no "cod"
    and "rat". Irregular forms ("children", "geese") are listed in the file itself."""
    forms = [word]
    n = len(word)
    if n > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        elif word.endswith(("ses", "xes", "zes", "ches", "shes", "oes")):
            forms.append(word[:-2])
    for suffix in ("ed", "ing"):
        if n > len(suffix) + 2 and word.endswith(suffix):
            bare = word[: -len(suffix)]
            forms.append(bare + "e")
            if bare[-1] == bare[-2]:
                forms.append(bare[:-1])
            elif len(bare) >= 4:
                forms.append(bare)
    return tuple(forms)


class Lexicon:
    """A lexicon file's words (a set: one split of the file) and, on demand, a word's topic."""

    def __init__(self, text: str) -> None:
        self.text = "\n" + text  # every line, the first too, starts after a newline
        # one split of the lines that are no headings (~0.4 ms for the shipped file)
        self.words = frozenset(
            " ".join([line for line in text.splitlines() if not line.startswith("#")]).split()
        )

    def topic(self, word: str) -> str:
        """The ``#`` heading above ``word`` ("" if none); asked only to explain a verdict."""
        text = self.text
        at = 0
        while (at := text.find(word, at)) >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            end = at + len(word)
            if (
                text[line_start] != "#"
                and (at == 0 or text[at - 1] in " \n")
                and (end == len(text) or text[end] in " \n")
            ):
                heading = text.rfind("\n#", 0, at)
                if heading < 0:
                    return ""
                return text[heading + 2 : text.find("\n", heading + 1)].strip(" #")
            at = end
        return ""


def read_lexicon(path: Path | str | None = None) -> Lexicon:
    """A lexicon file: ``# topic`` heading lines, then words separated by spaces."""
    return Lexicon(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))


_SHARED: dict[str, Lexicon] = {}


def shared_lexicon(path: Path | str | None = None) -> Lexicon:
    """``read_lexicon`` once per process and path."""
    key = str(path or DEFAULT_PATH)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = read_lexicon(key)
    return found


class EverydayWords:
    """The lexicon less the words one registry (and its documents) use.

    Built with the translator; the file is read on the first look-up (``shared_lexicon``)."""

    def __init__(
        self,
        used: Iterable[frozenset[str] | set[str]] = (),
        used_stems: frozenset[str] | set[str] = frozenset(),
        path: Path | str | None = None,
    ) -> None:
        # sets of words as written (the registry's, its documents'): searched one by one, not
        # merged, so building this costs nothing
        self.used = tuple(used)
        self.used_stems = used_stems  # stems the matcher reads as registry or document terms
        self.path = path

    @classmethod
    def for_matcher(cls, matcher: Any, path: Path | str | None = None) -> EverydayWords:
        """For one registry: less its vocabulary, its documents' words, and any word whose
        stem the matcher reads as a registry or document term."""
        return cls(
            (matcher.vocabulary, matcher.written, matcher.keyword_words),
            matcher.known_stems,
            path,
        )

    @property
    def lexicon(self) -> Lexicon:
        return shared_lexicon(self.path)

    def is_used(self, word: str) -> bool:
        return any(word in group for group in self.used)

    def entry(self, word: str, word_stem: str | None = None) -> str | None:
        """The lexicon word ``word`` is (itself or its base form), None when it is not everyday
        or the registry uses it. ``word_stem``: the translator's stem of it, when known."""
        if word_stem is None:
            word_stem = stem(word)
        if self.is_used(word) or word_stem in self.used_stems:
            return None
        known = self.lexicon.words
        for form in base_forms(word):
            if form in known:
                return None if self.is_used(form) else form
        return None

    def topic(self, word: str) -> str | None:
        """The topic heading of ``word``, None when it is not an everyday word here."""
        found = self.entry(word)
        return None if found is None else self.lexicon.topic(found)

    def words(self) -> frozenset[str]:
        """Every lexicon word that counts for this registry (for inspection and tests)."""
        return frozenset(w for w in self.lexicon.words if not self.is_used(w))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.entry(word) is not None
