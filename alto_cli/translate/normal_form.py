"""Q as a normal form: the paraphrases of one question write one Q.

The response cache is keyed on the instruction, so Q must not depend on how a question is
worded. Q is built as:

- one **action**, from a verb-synonym table ("reset", "re-enrol", "recover" -> ``rst``;
  "delete", "remove", "purge", "clean up" -> ``del``), placed first; when a question names
  several, the table's order decides which;
- the **topic terms**, each in a canonical form: a registry keyword phrase is one unit
  ("incident response"), acronyms are upper-case and their spellings folded (2FA -> MFA),
  singular and plural folded (token/tokens: the registry's plural keyword, else the
  singular); filler ("lol", "stale", "myself"), generic nouns ("process", "procedure") and,
  for a diagnosis, generic failure words ("fails", "error") are left out;
- a few topic words (more for a longer input: ``TOPIC_CAPS``), ranked on what the registry
  knows of each (names typed as identifiers, then keywords, acronyms, title and description
  words, then other words; rarer terms first), so the choice does not depend on word order;
  then sorted;
- the code language for GC (``py``/``js``).

"reset MFA", "MFA reset" and "got a new phone, how do I reset my 2FA?" all write ``rst_MFA``;
"rotate" and "revoke" stay apart, and so do distinct topics.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from alto_cli.language.symbols import Q_MAX_LENGTH, Command, Language
from alto_cli.translate import lexicon
from alto_cli.translate.matcher import CtxMatcher
from alto_cli.translate.text import stem

# Topic words kept in Q by the number of candidate words: (up to N candidates, topics).
TOPIC_CAPS = ((6, 2), (9, 3))
LONG_TOPICS = 5

# Topic tiers, best first.
NAME, KEYWORD, ACRONYM, TITLE, DESCRIPTION, OTHER = range(6)
_TIER_OF_WEIGHT = {3.0: KEYWORD, 2.0: TITLE, 1.0: DESCRIPTION}

# "AccessDenied", "KubeAPI", "OOMKilled": one thing's name, the most telling word there is.
_CAMEL_RE = re.compile(r"\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\b")
_SNAKE_RE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")

# A diagnosis is about the thing that fails, not the word for failing.
_GENERIC_FAILURE = frozenset(
    lexicon.words_of(
        """fail fails failing failed failure failures error errors erroring broken broke down
        issue issues problem problems trouble wrong bug buggy glitch working work"""
    )
)
# Format cues say how to answer, and FMT carries that; filler and meta nouns say nothing.
_NOT_TOPIC = (
    lexicon.FORMAT_WORDS
    | lexicon.FILLER_WORDS
    | lexicon.GENERIC_NOUNS
    | frozenset(
        lexicon.words_of(
            """instructions flow workflow flowchart members roster lists work works worked
            sequence stage stages today yesterday tomorrow tonight night morning afternoon
            week weeks day days month months monthly weekly daily year years hour hours time
            times moment people person staff folks employee employees colleague colleagues
            coworker coworkers somebody home office annoying annoyed frustrating weird
            strange random thru through"""
        )
    )
)
# An explanation's own cue words ("why", "purpose") are the command, not the topic.
_EXPLAIN_CUES = lexicon.EXPLAIN_WORDS | frozenset(
    lexicon.words_of("reason reasons reasoning point means mean meant exist exists")
)
# Specific symptoms name the diagnosis: ranked with the registry's terms.
_SYMPTOMS = (lexicon.FAILURE_WORDS - _GENERIC_FAILURE) | frozenset(["timeout", "crash"])
# Other spellings of one term, for Q only (the matcher reads the question as typed).
_SYNONYMS = {
    **lexicon.TOKEN_SYNONYMS,
    "dept": "department",
    "eng": "engineering",
    "repo": "repository",
    "repos": "repository",
    "env": "environment",
    "envs": "environment",
    "prod": "production",
    "crashloop": "crashloopbackoff",
    "accessdenied": "denied",
    "forbidden": "denied",
    "invalid": "rejected",
    "rejecting": "rejected",
    "rejects": "rejected",
    "reject": "rejected",
    "crashlooping": "crashloopbackoff",
    "timeouts": "timeout",
    "crashes": "crash",
    "crashing": "crash",
    "crashed": "crash",
}
_SYNONYM_STEMS = {stem(word): canonical for word, canonical in _SYNONYMS.items() if len(word) > 4}
# Words that pair with the one before into one spelling of a term ("on call" = "oncall").
_JOINS = {
    ("on", "call"): "oncall",
    ("post", "mortem"): "postmortem",
    ("two", "factor"): "mfa",
    ("multi", "factor"): "mfa",
    ("pull", "request"): "pr",
    ("pull", "requests"): "pr",
    ("time", "out"): "timeout",
    ("times", "out"): "timeout",
    ("timing", "out"): "timeout",
    ("timed", "out"): "timeout",
    ("sign", "off"): "signoff",
    ("e", "mail"): "email",
    ("access", "denied"): "denied",
    ("permission", "denied"): "denied",
}

_JOIN_FIRST = frozenset(first for first, _ in _JOINS)  # a pair can start only at these
_SECOND = itemgetter(1)  # an (index, value) pair's value

# What is never a topic, by command: the shared set plus the command's own cue words.
_NOT_TOPIC_FOR = {
    Command.GC: _NOT_TOPIC | lexicon.CODE_NOUNS,
    Command.DI: _NOT_TOPIC | _GENERIC_FAILURE | lexicon.STATE_VERBS,
    Command.EX: _NOT_TOPIC | _EXPLAIN_CUES,
}
_CANONICAL: dict[str, str] = {}
# bound once: ``Command.GC`` goes through the enum class's ``__getattr__`` hook (Python 3.11)
_GC = Command.GC


def _canonical(word: str) -> str:
    """The one spelling Q uses for ``word`` (``_SYNONYMS``, also by stem), memoised."""
    found = _CANONICAL.get(word)
    if found is None:
        found = _SYNONYMS.get(word) or _SYNONYM_STEMS.get(stem(word), word)
        if len(_CANONICAL) < 100_000:
            _CANONICAL[word] = found
    return found


def singular(word: str) -> str:
    """A light English singular: tokens -> token, policies -> policy, processes -> process."""
    if len(word) <= 3 or not word.isalpha() or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


# A candidate topic of Q: ((tier, -idf, -len(text), text.lower()), position, text, tier).
# Plain tuples sort in C: by rank, then by position (as a stable sort by rank would).
_Unit = tuple[tuple[int, float, int, str], int, str, int]


def _unit(text: str, tier: int, idf: float, position: int) -> _Unit:
    return (tier, -idf, -len(text), text.lower()), position, text, tier


# The commands with their own words that are never a topic (``_NOT_TOPIC_FOR``), and the
# stand-in for the others (``_NOT_TOPIC`` alone)
_OTHER_COMMANDS = None


class _Word:
    """What Q makes of one question word, whatever the question: fixed for a registry, so
    worked out once per word (``QueryForm._word``) rather than by a dozen look-ups in each
    question that holds it."""

    __slots__ = ("action", "fixed", "note", "skip", "stem", "symptom", "text", "unit")

    def __init__(self, form: QueryForm, word: str) -> None:
        text = _canonical(word)
        self.text = text  # the one spelling Q uses
        # the command groups (``_NOT_TOPIC_FOR`` keys, ``_OTHER_COMMANDS``) it is no topic for
        unknown = not form.matcher.is_known(text)
        never = (text in lexicon.ROLE_NOUNS and unknown) or (text.isdigit() and unknown)
        self.skip = frozenset(
            group
            for group in (*_NOT_TOPIC_FOR, _OTHER_COMMANDS)
            if never or text in _NOT_TOPIC_FOR.get(group, _NOT_TOPIC)
        )
        self.stem = stem(text)  # to find the registry's keyword phrases
        self.symptom = text in _SYMPTOMS
        self.note = ""  # the verb abbreviation, for the evidence ("reset -> rst")
        self.action: tuple[int, str] | None = None  # (rank, abbreviation) of an action
        self.fixed = False  # a registry abbreviation of a term (SSO): its tier stands
        self.unit: tuple[str, int, float] = ("", OTHER, 0.0)  # (text, tier, idf) as a topic
        abbr = form.verb_table.get(text)
        if abbr is None:
            self.unit = form.term(text)
            return
        if abbr != text:
            self.note = f"{text} -> {abbr}"
        if abbr in form.actions:
            self.action = (form.action_rank.get(abbr, len(form.action_rank)), abbr)
        elif abbr in form.term_abbreviations:
            self.unit, self.fixed = (abbr, ACRONYM, 1.0), True
        else:
            self.unit = (abbr, form.term(text)[1], 0.0)


class QueryForm:
    """Builds Q for one registry; made once per translator."""

    def __init__(
        self, matcher: CtxMatcher, verb_table: dict[str, str], registry_verbs: set[str]
    ) -> None:
        self.matcher = matcher
        self.verb_table = verb_table
        # the table's abbreviations, sorted once: actions ("rst"), and upper-case ones, which
        # abbreviate a term ("SSO"); the rest ("acc") are topic words
        abbreviations = set(verb_table.values())
        self.term_abbreviations = frozenset(a for a in abbreviations if _has_upper(a))
        self.actions = frozenset(
            abbreviations - self.term_abbreviations - lexicon.NOUN_LIKE_ACTIONS
        )
        order = list(registry_verbs) + list(dict.fromkeys(lexicon.VERB_ABBREVIATIONS.values()))
        self.action_rank = {abbr: i for i, abbr in enumerate(dict.fromkeys(order))}
        # singular -> the plural form the registry lists as a keyword ("token" -> "tokens")
        self.plural_of: dict[str, str] = {}
        for word in matcher.keyword_words:
            base = singular(word)
            if base != word:
                self.plural_of.setdefault(base, word)
        self.vocabulary = matcher.vocabulary
        # word -> what Q makes of it (``_Word``): fixed for a registry, and the same words
        # come back in question after question
        self._words: dict[str, _Word] = {}

    # -- canonical words
    def noun(self, word: str) -> str:
        """Singular and plural folded onto one form."""
        base = singular(word)
        if base != word and word in self.vocabulary and base not in self.vocabulary:
            return word  # "jenkins", not "jenkin"
        return self.plural_of.get(base, base)

    def word(self, word: str) -> _Word:
        """What Q makes of ``word`` (memoised per word)."""
        found = self._words.get(word)
        if found is None:
            found = _Word(self, word)
            if len(self._words) < 100_000:
                self._words[word] = found
        return found

    def term(self, word: str) -> tuple[str, int, float]:
        """(canonical text, tier, idf) of one topic word."""
        term = stem(word)
        by_code = self.matcher.terms.get(term)
        idf = self.matcher.idf.get(term, 0.0)
        if word in lexicon.ACRONYMS:  # upper-case however it was typed
            return word.upper(), ACRONYM if not by_code else KEYWORD, idf
        tier = OTHER
        if by_code:
            tier = _TIER_OF_WEIGHT.get(max(w for w, _ in by_code.values()), DESCRIPTION)
        return self.noun(word), tier, idf

    # -- Q
    def build(self, q: Any, command: Command, language: Language) -> tuple[str, list[str]]:
        notes: list[str] = []
        names = _names(q.text)
        words_ = self._candidates(q, command)
        in_phrase = self._phrase_words([w.stem for w in words_])
        actions: list[tuple[int, str]] = []  # (rank, abbreviation)
        units: list[_Unit] = []
        for k, word in enumerate(words_):
            if word.note:
                notes.append(word.note)
            if word.action is not None:
                actions.append(word.action)
                continue
            text, tier, idf = word.unit
            if word.fixed:  # a registry abbreviation of a term: SSO
                pass
            elif names and word.text in names:
                tier = NAME
            elif k in in_phrase:
                tier = min(tier, KEYWORD)
            elif word.symptom:
                tier = min(tier, ACRONYM)
            units.append(_unit(text, tier, idf, len(units)))
        # one action: the first of the table's order (a second one is detail)
        action = min(actions)[1] if actions else None
        topics = self._pick(units, _cap(len(units)))
        # sorted by (lower-cased text, text): the units hold the lower-cased text already
        keywords = ([action] if action else []) + [
            text for _, text in sorted([(u[0][3], u[2]) for u in topics])
        ]
        suffix = []
        if command is _GC and language in (Language.PY, Language.JS):
            suffix = [language.value.lower()]
        if not keywords:
            keywords = ["general"]
        query = "_".join(keywords + suffix)
        while len(query) > Q_MAX_LENGTH and len(topics) > 1:
            keywords.remove(topics.pop()[2])
            query = "_".join(keywords + suffix)
        return query[:Q_MAX_LENGTH].strip("_"), notes

    @staticmethod
    def _pick(units: list[_Unit], cap: tuple[int, int]) -> list[_Unit]:
        """The most telling distinct words, best first (``cap``: see ``_cap``)."""
        picked: list[_Unit] = []
        seen: set[str] = set()
        for unit in sorted(units):
            key = unit[0][3]  # its text, lower-cased
            if key in seen:
                continue
            if unit[3] == OTHER and len(picked) >= cap[1]:
                break  # enough terms the registry knows: the rest is detail
            picked.append(unit)
            seen.add(key)
            if len(picked) >= cap[0]:
                break
        return picked

    def _candidates(self, q: Any, command: Command) -> list[_Word]:
        """The question's words that may be in Q (spellings joined). ``q.topics``: what Q
        makes of each of its words (``word``), looked up with the words' other facts."""
        words_: list[_Word] = []
        group = command if command in _NOT_TOPIC_FOR else _OTHER_COMMANDS
        drop, stop, qwords, qsurface, topics = q.drop, q.stop, q.words, q.surface, q.topics
        acronyms = lexicon.ACRONYMS
        i = 0
        n = len(qwords)
        while i < n:
            word = qwords[i]
            span = 1
            if word in _JOIN_FIRST and i + 1 < n and i not in drop:
                joined = _JOINS.get((word, qwords[i + 1]))
                if joined is not None:
                    word, span = joined, 2
            if span == 1:
                surface = qsurface[i]
                # dropped, or a stop word not typed as an acronym ("IT")
                if i in drop or (
                    stop[i] and not (surface.isupper() and len(surface) >= 2 and word in acronyms)
                ):
                    i += 1
                    continue
                found = topics[i]
            else:
                found = self.word(word)  # two words as one ("on call": "oncall")
            if group not in found.skip:
                words_.append(found)
            i += span
        return words_

    def _phrase_words(self, stems: list[str]) -> set[int]:
        """Positions of the stems inside a registry keyword phrase ("incident response")."""
        found: set[int] = set()
        if self.matcher.phrases.keys().isdisjoint(stems):
            return found
        # as the matcher finds them: the starts in C, then by the second stem
        starting = self.matcher.phrase_seconds.get
        last = len(stems) - 1
        for k, seconds in filter(_SECOND, enumerate(map(starting, stems))):
            if k == last:
                continue  # every phrase has two words at least
            for phrase in seconds.get(stems[k + 1], ()):
                end = k + len(phrase.stems)
                if tuple(stems[k:end]) == phrase.stems:
                    found.update(range(k, end))
        return found


def _has_upper(text: str) -> bool:
    return any(c.isupper() for c in text)


def _cap(candidates: int) -> tuple[int, int]:
    """(topics kept, known topics before other words stop), growing with the question.

    A chat question's extra words are mostly incidental ("for the company login"): two
    topics make its paraphrases meet. A long input (an alert's text, an error report) carries
    the detail that tells it from its neighbours ("client" vs "server" certificate): more.
    """
    for most, cap in TOPIC_CAPS:
        if candidates <= most:
            return cap, cap
    return LONG_TOPICS, LONG_TOPICS


def _names(text: str) -> frozenset[str]:
    """Lower-case words typed as identifiers (CamelCase or snake_case) in the question."""
    rest = text[1:]
    # ASCII (nearly every question): an upper-case letter is exactly what lower() changes
    upper = rest != rest.lower() if rest.isascii() else any(c.isupper() for c in rest)
    if not upper and "_" not in text:
        return frozenset()
    found: set[str] = set()
    for match in _CAMEL_RE.findall(text):
        if not match.isupper():
            found.add(match.lower())
    for match in _SNAKE_RE.findall(text) if "_" in text else ():
        found.update(part.lower() for part in match.split("_"))
    return frozenset(found)
