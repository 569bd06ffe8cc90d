"""The local translator: deterministic rules over the question's words and the registry.

No network. CMD, FMT, U and L come from cue lexicons (``lexicon``); CTX from matching the
registry's vocabulary (``matcher``); Q from the question's content words with verbs
abbreviated. Misspelt words are corrected against the registry's and the cues' vocabulary
first. A question that matches no code, or whose few IT words sit among everyday topics
("my football team", "cluster headaches": the cue lists and the everyday lexicon,
``everyday``), is out of scope: no CTX and a low confidence.

A small shipped linear model (``intent_model``, pure Python) reads the same normalised words
plus the rules' decisions, and overrides the rules' CMD (and out-of-scope verdict) when it is
confident: cue lists miss wordings a model trained on more varied questions has seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import partial, reduce
from itertools import compress
from operator import or_
from typing import Any

from alto_cli.language.symbols import Command, Format, Language, Role
from alto_cli.translate import ctx_ranker, lexicon
from alto_cli.translate.ctx_cover import cover_gain
from alto_cli.translate.ctx_ranker import CtxRanker, WordLifts, shared_ranker
from alto_cli.translate.everyday import EverydayWords
from alto_cli.translate.intent_model import (
    NO_EVERYDAY_WORDS,
    DocSignal,
    EverydaySignal,
    IntentModel,
    oos_features,
    rule_token,
    shared_model,
)
from alto_cli.translate.lexicon import words_of
from alto_cli.translate.matcher import CtxMatcher, CtxResult, matcher_for
from alto_cli.translate.normal_form import QueryForm
from alto_cli.translate.result import Fields, Translation
from alto_cli.translate.section_index import CodeScores, Entry
from alto_cli.translate.siblings import POLICY_CUES, SiblingRule
from alto_cli.translate.text import stem, words, words_and_surface

OUT_OF_SCOPE_CONFIDENCE = 0.15

_CUE_VOCABULARY = (
    lexicon.STOP_WORDS
    | lexicon.FORMAT_WORDS
    | lexicon.FAILURE_WORDS
    | lexicon.PLAN_WORDS
    | lexicon.EXPLAIN_WORDS
    | lexicon.CODE_NOUNS
    | lexicon.CREATE_VERBS
    | lexicon.OFF_TOPIC_WORDS
    | lexicon.FILLER_WORDS
    | lexicon.OTHER_CODE_LANGUAGES
    | lexicon.MARKDOWN_WORDS
    | frozenset(lexicon.CODE_LANGUAGES)
    | frozenset(lexicon.ROLE_NOUNS)
    | frozenset(lexicon.VERB_ABBREVIATIONS)
    | frozenset(lexicon.VERB_SYNONYMS)
    | lexicon.EVERYDAY_WORDS
    | lexicon.NEGATIONS
    | lexicon.STATE_VERBS
    | lexicon.SYMPTOM_WORDS
    | lexicon.SYMPTOM_NOUNS
    | lexicon.LOOKUP_NOUNS
    # the words of every cue phrase: "point" in "what's the point" is no misspelt "paint"
    | frozenset(
        w
        for group in (
            lexicon.PLAN_PHRASES,
            lexicon.PLAN_MORE_PHRASES,
            lexicon.EXPLAIN_LEADS,
            lexicon.FAILURE_MORE_PHRASES,
            lexicon.EXPLAIN_PHRASES,
            lexicon.EXPLAIN_MORE_PHRASES,
            lexicon.HOWTO_PHRASES,
            lexicon.HOWTO_MORE_PHRASES,
            lexicon.FAILURE_PHRASES,
            tuple(p for p, _ in lexicon.FORMAT_CUES),
            tuple(lexicon.IT_SYNONYMS),
        )
        for phrase in group
        for w in phrase
    )
)
_NOT_CODE_AFTER = frozenset(
    words_of("review reviews owner owners freeze coverage quality base style")
)
_QUESTION_WORDS = frozenset(
    words_of("what whats who whos where wheres when which is are does do can could should whom")
)
# Code words that are also everyday or infrastructure words ("node is unreachable").
_AMBIGUOUS_CODE_WORDS = frozenset(
    words_of("node go class module function program shell java ruby rust perl ts automation")
)
_FLOW_CUES = frozenset(words_of("flow flows workflow workflows flowchart"))
_TEAM = frozenset(("team", "teams"))  # "my team": who is asking, not what about
# Words that never count as CTX evidence: format cues, code nouns, and flow words ("as a
# workflow" is a format, not Git Workflows).
_NOT_CTX_EVIDENCE = lexicon.FORMAT_WORDS | lexicon.CODE_NOUNS | _FLOW_CUES
# A failure word inside a longer one ("AccessDenied", "ImagePullBackOff"): one regex scan
# (a microsecond: a per-word fact, ``LocalTranslator._word_facts``, memoised with the others).
_failure_fragment_search = re.compile("|".join(map(re.escape, lexicon.FAILURE_FRAGMENTS))).search


_EXPLICIT_PLAN = frozenset(words_of("plan plans planning roadmap strategy checklist"))
_CODE_WORDS = frozenset(lexicon.CODE_LANGUAGES) | lexicon.OTHER_CODE_LANGUAGES | lexicon.CODE_NOUNS
_LANGUAGE_WORDS = frozenset(lexicon.CODE_LANGUAGES) | {"markdown", "md"}
_HOW_QUANTITY = frozenset(words_of("many much long often big"))
# A format cue that opens with one of these names the answer's form, not its topic: left out of Q.
_FORMAT_NAMING = lexicon.FORMAT_WORDS | {"instructions"}
_NOT_DOWN = frozenset(words_of("scale scaling shut shutting turn narrow write bring wind break"))
# Explicit requests for an explanation, even of a failure ("explain CrashLoopBackOff").
_EXPLAIN_STRONG = frozenset(words_of("explain explained means meaning purpose concept"))
# The verbs that name a command are dropped from Q ("explain", "plan", "generate").
_COMMAND_VERBS = {
    Command.EX: frozenset(words_of("explain explaining explanation describe understand")),
    Command.PL: frozenset(words_of("plan plans planning")),
    Command.DI: frozenset(
        words_of("diagnose diagnosing debug debugging fix troubleshoot troubleshooting")
    ),
}


# -- cue bits
# The rules ask a score of times a question whether it holds any word of some cue list. Each
# list gets a bit: a word's bits are worked out once (``_cue_bits``, memoised with its other
# facts), a question's are their OR (``_Question.cues``), and each such test is then one AND,
# not a set operation over the question's words.
_CUE_GROUPS: list[frozenset[str]] = []


def _cue_bit(group: Iterable[str]) -> int:
    """A new bit, set for the words of ``group``."""
    _CUE_GROUPS.append(frozenset(group))
    return 1 << (len(_CUE_GROUPS) - 1)


def _cue_bits(word: str) -> int:
    """The bits of every cue group ``word`` belongs to."""
    return sum([1 << i for i, group in enumerate(_CUE_GROUPS) if word in group])


_CODE_BIT = _cue_bit(_CODE_WORDS)
_LANGUAGE_BIT = _cue_bit(_LANGUAGE_WORDS)
_FAILURE_BIT = _cue_bit(lexicon.FAILURE_WORDS)
_NEGATION_BIT = _cue_bit(lexicon.NEGATIONS)
_HOW_QUANTITY_BIT = _cue_bit(_HOW_QUANTITY)
_POSSESSIVE_BIT = _cue_bit(lexicon.POSSESSIVES)
_TEAM_BIT = _cue_bit(_TEAM)
_FILLER_BIT = _cue_bit(lexicon.FILLER_WORDS)
_POLICY_BIT = _cue_bit(POLICY_CUES)
_EXPLICIT_PLAN_BIT = _cue_bit(_EXPLICIT_PLAN)
_PLAN_WORD_BIT = _cue_bit(lexicon.PLAN_WORDS)
_EXPLAIN_WORD_BIT = _cue_bit(lexicon.EXPLAIN_WORDS)
_COMMAND_VERB_BITS = {command: _cue_bit(verbs) for command, verbs in _COMMAND_VERBS.items()}

# The enum members the rules test and return, bound once: in Python 3.11 ``Command.GC`` is
# looked up through the enum class's ``__getattr__`` hook (~0.1 us; a dozen a question).
_GC, _FA, _EX, _PL, _DI = Command.GC, Command.FA, Command.EX, Command.PL, Command.DI
_STP, _SUM, _LIS, _FLW = Format.STP, Format.SUM, Format.LIS, Format.FLW
_ENGINEER, _SUPPORT = Role.EN, Role.SU
_ENGLISH, _PYTHON, _MARKDOWN = Language.EN, Language.PY, Language.MD


def _inflections(verb: str) -> set[str]:
    """reset -> resets, resetting; create -> creates, created, creating."""
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb[:-1] + "ing", verb + "d"}
    if (
        len(verb) >= 3
        and verb[-1] not in "aeiouwy"
        and verb[-2] in "aeiou"
        and verb[-3] not in "aeiou"
    ):
        forms |= {verb + verb[-1] + "ing", verb + verb[-1] + "ed"}
    return forms


def _verb_forms(abbreviations: dict[str, str]) -> tuple[dict[str, str], frozenset[str]]:
    """word -> Q abbreviation, and the set of words that are verb forms (not nouns)."""
    table: dict[str, str] = {}
    verbs: set[str] = set()
    for verb, short in lexicon.VERB_ABBREVIATIONS.items():
        for form in _inflections(verb):
            table.setdefault(form, short)
            verbs.add(form)
    for synonym, verb in lexicon.VERB_SYNONYMS.items():
        for form in _inflections(synonym):
            table.setdefault(form, lexicon.VERB_ABBREVIATIONS[verb])
    for word, short in abbreviations.items():  # the registry's own table wins
        if " " in word or "-" in word:
            continue
        for form in _inflections(word):
            table[form] = short
        table[word] = short
    return table, frozenset(verbs)


_BASE_VERBS = _verb_forms({})
# the intent model's extra token per rules' CMD (``rule_token``), built once, not per question
_RULE_TOKENS = {command: (rule_token(command._value_),) for command in Command}


class PhraseSet:
    """Cue phrases, with their first words for a quick "none of them here" test."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.phrases = tuple(phrases)
        self.first = frozenset(p[0] for p in self.phrases)
        # set in a question holding one of the first words; phrase sets are module constants:
        # a word's bits are memoised, so a set made later would be missing from them
        self.bit = _cue_bit(self.first)
        # every word a phrase needs: a phrase with one of them absent is skipped at once
        self.needs = tuple(frozenset(w for w in p if w != "*") for p in self.phrases)
        # first word -> the indices of the phrases it starts: only those can be present
        self.by_first: dict[str, list[int]] = {}
        for i, phrase in enumerate(self.phrases):
            self.by_first.setdefault(phrase[0], []).append(i)


_PLAN = PhraseSet(lexicon.PLAN_PHRASES)
_EXPLAIN = PhraseSet(lexicon.EXPLAIN_PHRASES + lexicon.EXPLAIN_MORE_PHRASES)
_HOWTO = PhraseSet(lexicon.HOWTO_PHRASES + lexicon.HOWTO_MORE_PHRASES)
# Longest paraphrase first, so "two step verification" wins over "two step".
_SYNONYMS = tuple(sorted(lexicon.IT_SYNONYMS.items(), key=lambda item: -len(item[0])))
Synonyms = dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
_FAILURE = PhraseSet(lexicon.FAILURE_PHRASES + lexicon.FAILURE_MORE_PHRASES)
_PLAN_MORE = PhraseSet(lexicon.PLAN_MORE_PHRASES)
_EXPLAIN_LEADS = PhraseSet(lexicon.EXPLAIN_LEADS)
_FORMAT = PhraseSet(p for p, _ in lexicon.FORMAT_CUES)
_FORMAT_OF = {phrase: Format(fmt) for phrase, fmt in lexicon.FORMAT_CUES}  # members, made once
_ROLE_PHRASES = PhraseSet(p for p, _ in lexicon.ROLE_PHRASES)
_ROLE_OF = dict(lexicon.ROLE_PHRASES)
_ROLE_LEADS = PhraseSet(lexicon.ROLE_LEADS)


class _Question:
    """One question's words and what the rules decided about each position."""

    # slots: one is made per question, and its fields are read all through the rules
    __slots__ = (
        "_found",
        "_positions",
        "corrections",
        "cues",
        "drop",
        "everyday",
        "evidence_mask",
        "evidence_words",
        "failure_fragment",
        "lifts",
        "model_rows",
        "not_evidence",
        "off_topic",
        "phrase_seconds",
        "scored",
        "sections",
        "stems",
        "stop",
        "surface",
        "text",
        "topics",
        "words",
        "wordset",
    )

    def __init__(self, text: str, words_: list[str], surface: list[str]) -> None:
        self.text = text
        self.words = words_
        self.surface = surface
        # per word, set by ``LocalTranslator._analyse`` from the word facts (not made empty
        # here first: six lists a question): its stem, whether it is a stop word, an
        # everyday word ("football", not an IT one), a word of the everyday lexicon
        # (``everyday``), a word that may be CTX evidence by itself, a long word with a
        # failure word inside
        self.stems: list[str]
        self.stop: list[bool]
        self.off_topic: list[bool]
        self.everyday: list[bool]
        self.evidence_words: list[bool]
        self.failure_fragment: list[bool]
        self.drop: set[int] = set()  # positions left out of Q
        self.not_evidence: set[int] = set()  # positions that are no CTX evidence
        self.evidence_mask: list[bool]  # per position: CTX evidence (set by ``_ctx``)
        self.corrections: list[str] = []
        self.cues = 0  # the cue bits of its words (``_cue_bit``), set by ``_analyse``
        # per word, its row in the translator's intent model (None: unknown to it), and its
        # stem's entry in the documents' section index (``SectionIndex.entry``)
        self.model_rows: list[tuple[float, ...] | None]
        self.sections: list[Entry]
        self.topics: list[Any]  # what Q makes of it (``QueryForm.word``)
        # its stem's lifts in the translator's CTX re-ranker (``LiftTables.word_lifts``)
        self.lifts: list[WordLifts | None]
        # its stem's entries in the matcher's tables (``CtxMatcher.stem_entries``)
        self.scored: list[Any]
        self.phrase_seconds: list[Any]

    def index(self) -> None:
        """The words as a set, so phrase look-ups skip absent first words at once."""
        self.wordset = frozenset(self.words)
        self._positions: dict[str, list[int]] = {}  # ``starts``' memo
        self._found: dict[PhraseSet, list[tuple[tuple[str, ...], int]]] = {}

    def starts(self, word: str) -> list[int]:
        """Where ``word`` occurs, found on first need: most questions ask for one word's
        positions or none (no phrase's first word), not every word's."""
        found = self._positions.get(word)
        if found is None:
            found = self._positions[word] = [i for i, w in enumerate(self.words) if w == word]
        return found

    def find(self, phrases: PhraseSet) -> list[tuple[tuple[str, ...], int]]:
        """The phrases of ``phrases`` found in the question, in their list order, with starts.

        Memoised per phrase set: the words do not change once indexed, and CMD and FMT both
        look for the how-to cues."""
        # most sets have no first word in the question: answered before the memo is read
        if not self.cues & phrases.bit:
            return []
        found = self._found.get(phrases)  # a phrase set hashes as itself
        if found is None:
            found = self._found[phrases] = self._find(phrases)
        return found

    def _find(self, phrases: PhraseSet) -> list[tuple[tuple[str, ...], int]]:
        firsts = self.wordset & phrases.first
        found = []
        wordset = self.wordset
        by_first, needs, all_phrases = phrases.by_first, phrases.needs, phrases.phrases
        if len(firsts) == 1:  # most questions: the list as stored, in order
            candidates = by_first[next(iter(firsts))]
        else:
            candidates = sorted([i for w in firsts for i in by_first[w]])
        for i in candidates:
            if needs[i] <= wordset:
                phrase = all_phrases[i]
                start = self.has(phrase)
                if start >= 0:
                    found.append((phrase, start))
        return found

    def has(self, phrase: tuple[str, ...], begin: int = 0) -> int:
        """Position where ``phrase`` starts ("*" matches one word), or -1."""
        if phrase[0] not in self.wordset:
            return -1  # no positions built for an absent first word
        words_, size = self.words, len(phrase)
        limit = len(words_) - size
        wildcard = "*" in phrase  # else one slice compares the whole phrase
        for start in self.starts(phrase[0]):
            if not begin <= start <= limit:
                continue
            if wildcard:
                if all(p == "*" or words_[start + k] == p for k, p in enumerate(phrase[1:], 1)):
                    return start
            elif tuple(words_[start : start + size]) == phrase:
                return start
        return -1


_UNSEEN = object()  # a memo's "not looked up yet"
# ``LocalTranslator._word_facts``' tuple: what every step reads of a word, looked up once a
# question (a column per field, ``_analyse``) rather than in each step's own table. In order:
# its stem, stop word, off-topic word, everyday-lexicon word, may be CTX evidence, a long word
# with a failure word inside, cue bits; its intent model row, its stem's section index entry,
# what Q makes of it, its stem's re-ranker lifts, its stem's matcher entries (scored terms,
# phrase seconds)
WordFacts = tuple[str, bool, bool, bool, bool, bool, int, Any, Any, Any, Any, Any, Any]
_MEMO_SIZE = 100_000  # words kept by a per-word memo
_DEFAULT_MODEL = object()  # sentinel: the model ALTO_INTENT_MODEL names, else the shipped one


# An anchor weight (``_anchor_weight``: registry words, an acronym counting twice) at which the
# intent model may not call an in-scope question out of scope.
STRONG_ANCHOR = 2
# a stem this rare across the documents' sections (IDF; ~4.5 is one section, ~3.2 four) is
# telling when the matcher did not use it ("fido2" in the MFA policy)
RARE_SECTION_IDF = 3.0


class LocalTranslator:
    """Translate questions with rules (and the intent model); build once, reuse for batches.

    ``intent_model``: an IntentModel, None for the rules alone, or (default) the shipped model
    (``ALTO_INTENT_MODEL``: another file, or ``off``), read on the first translation.
    ``ctx_ranker``: a CtxRanker, None for the rules' CTX, or (default) the shipped ranker
    (``ALTO_CTX_RANKER``: another file, or ``off``; ``ALTO_INTENT_MODEL=off`` turns it off too).
    """

    def __init__(
        self,
        registry: Any,
        *,
        intent_model: Any = _DEFAULT_MODEL,
        ctx_ranker: Any = _DEFAULT_MODEL,
    ) -> None:
        self.registry = registry
        self._model: IntentModel | None = None
        self._model_warning = ""
        self._model_pending = intent_model is _DEFAULT_MODEL
        if not self._model_pending:
            self._model = intent_model
        # the model's rows, looked up with each word's other facts (``_word_facts``)
        self._model_rows: dict[str, tuple[float, ...]] = self._rows_of(self._model)
        self._ranker: CtxRanker | None = None
        self._ranker_warning = ""
        self._ranker_pending = ctx_ranker is _DEFAULT_MODEL
        if not self._ranker_pending:
            self._ranker = ctx_ranker
        # the ranker's lift tables, looked up with each word's other facts (``_word_facts``)
        self._lift_tables = self._ranker.tables if self._ranker is not None else None
        self.matcher: CtxMatcher = matcher_for(registry)
        self._head_for: IntentModel | None = None  # ``_head_codes``' memo
        self._head_kept: frozenset[str] | None = None
        extra = dict(getattr(registry, "abbreviations", {}) or {})
        table, self.verb_words = _verb_forms(extra) if extra else _BASE_VERBS
        self.verb_table = dict(table)
        # registry phrases ("single sign on": "SSO") are read as one word
        self.phrase_abbreviations = {
            tuple(words(k)): v for k, v in extra.items() if len(words(k)) > 1
        }
        for phrase, short in self.phrase_abbreviations.items():
            self.verb_table[" ".join(phrase)] = short
        self.phrase_starts = frozenset(
            [p[0] for p in lexicon.PHRASAL_VERBS] + [p[0] for p in self.phrase_abbreviations]
        )
        registry_verbs = {short for word, short in extra.items() if len(words(word)) == 1}
        self.query_form = QueryForm(self.matcher, self.verb_table, registry_verbs)
        self.siblings = SiblingRule(registry)
        # everyday words, less those the registry itself lists ("holiday" is leave in PROC)
        self.everyday = frozenset(stem(w) for w in lexicon.EVERYDAY_WORDS) - frozenset(
            s for stems in self.matcher.keyword_stems.values() for s in stems
        )
        self.it_words = frozenset(self.matcher.keyword_words)
        # a paraphrase the registry lists as its own keyword stays as written ("salary" in a
        # payroll code is no "payroll" of the contact directory)
        own = {tuple(words(k)) for entry in registry for k in entry.keywords}
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for phrase, replacement in _SYNONYMS:
            if phrase not in own:
                by_first.setdefault(phrase[0], []).append((phrase, replacement))
        self.synonyms: Synonyms = {w: tuple(group) for w, group in by_first.items()}
        self.synonym_first = frozenset(self.synonyms)
        # per-word facts that hang on the registry alone, memoised across questions
        self._spelling: dict[str, str | None] = {}
        self._facts: dict[str, WordFacts] = {}
        self.everyday_words = EverydayWords.for_matcher(self.matcher)

    # -- public
    @property
    def intent_model(self) -> IntentModel | None:
        """The model in use (None: rules only); the default one is read on first use."""
        if self._model_pending:
            from alto_cli.config import ENV_INTENT_MODEL, env

            self._model_pending = False
            chosen = env(ENV_INTENT_MODEL)
            if chosen is None or chosen.lower() not in ("off", "none", "0"):
                self._model, self._model_warning = shared_model(chosen)
            self._model_rows = self._rows_of(self._model)
            self._facts.clear()  # looked up without the model's rows
        return self._model

    @staticmethod
    def _rows_of(model: IntentModel | None) -> dict[str, tuple[float, ...]]:
        return model.rows if model is not None else {}

    @property
    def ctx_ranker(self) -> CtxRanker | None:
        """The CTX re-ranker in use (None: the rules' CTX); the default one is read on first
        use."""
        if self._ranker_pending:
            from alto_cli.config import ENV_CTX_RANKER, ENV_INTENT_MODEL, env

            self._ranker_pending = False
            chosen = env(ENV_CTX_RANKER)
            off = ("off", "none", "0")
            rules_alone = (env(ENV_INTENT_MODEL) or "").lower() in off
            if not rules_alone and (chosen is None or chosen.lower() not in off):
                self._ranker, self._ranker_warning = shared_ranker(chosen)
            self._lift_tables = self._ranker.tables if self._ranker is not None else None
            self._facts.clear()  # looked up without the ranker's lifts
        return self._ranker

    def translate(self, question: str, role: Role | str | None = None) -> Translation:
        # the properties only while a default model is still to be read (the first call)
        model = self.intent_model if self._model_pending else self._model
        ranker = self.ctx_ranker if self._ranker_pending else self._ranker
        return self._translate(question, role, model, None, ranker)

    def _head_codes(self, model: IntentModel) -> frozenset[str] | None:
        """``IntentModel.head_codes`` for this registry, worked out once per model."""
        if self._head_for is not model:
            names = {entry.code: entry.name for entry in self.registry}
            self._head_kept = model.head_codes(names)
            self._head_for = model
        return self._head_kept

    def rule_features(self, question: str, role: Role | str | None = None) -> dict[str, Any]:
        """What the intent model reads for ``question``, decided by the rules alone (training
        uses it): {"words", "rule_cmd", "has_ctx", "oos_features"}."""
        found: dict[str, Any] = {}
        self._translate(question, role, None, found)
        return found

    def _translate(
        self,
        question: str,
        role: Role | str | None,
        model: IntentModel | None,
        features: dict[str, Any] | None = None,
        ranker: CtxRanker | None = None,
    ) -> Translation:
        q = self._analyse(question)
        command, cmd_conf, cmd_why = self._command(q)
        text: tuple[float, ...] = ()
        blend: tuple[str, str, dict[str, float]] | None = None  # how the model's CMD was weighed
        probs: dict[str, float] = {}  # the intent model's P(CMD)
        if model is not None:
            # ``_value_`` (here and below): the member's value as a plain attribute, read
            # without the ``.value`` descriptor's call
            text = self._text_scores(q, model, command)
            probs = model.command_probs(text)
            command, cmd_conf, blend = self._blend_command(q, model, probs, (command, cmd_conf))
        language, lang_why = self._language(q, command)
        stated_role, role_why = self._stated_role(q)
        if role is not None:
            chosen_role, role_conf, role_why = Role(role), 1.0, ["given with --role / ALTO_ROLE"]
        elif stated_role is not None:
            chosen_role, role_conf = stated_role, 0.9
        elif command is _GC:
            chosen_role, role_conf, role_why = _ENGINEER, 0.8, ["code requests come from engineers"]
        else:
            chosen_role, role_conf, role_why = _SUPPORT, 0.6, ["default role"]
        fmt, fmt_conf, fmt_why, cued = self._format(q, command)
        p_steps: float | None = None  # the steps head's P(STP) when it decided FMT
        ctx = self._ctx(q)
        if len(ctx.codes) > 1:
            ctx = self.siblings.settle(ctx, q.wordset, procedure=command is _FA and fmt is _STP)
        off_topic = list(compress(q.words, q.off_topic))  # the off-topic words, taken in C
        out_of_scope = not ctx.codes or (
            bool(off_topic) and len(off_topic) >= self._anchor_weight(q, ctx)
        )
        content = list(compress(q.stems, q.evidence_mask))  # the evidence words' stems
        # their section index entries, looked up with the words' facts
        scores = self.matcher.sections.score_entries(content, compress(q.sections, q.evidence_mask))
        head_features = oos_features(
            ctx.codes,
            out_of_scope,
            bool(off_topic),
            self._everyday_signal(q, ctx),
            self._doc_signal(q, ctx, scores),
        )
        if features is not None:
            features.update(
                words=list(_model_words(q)),
                rule_cmd=command.value,
                has_ctx=bool(ctx.codes),
                oos_features=head_features,
            )
        oos_note: dict[str, Any] = {}
        p_oos = 0.0  # the intent model's P(out of scope), when it was asked
        opened = ""  # the documents' code of a question the head calls in scope without one
        if model is not None and model.oos_enabled and not ctx.codes and scores.top_code:
            if model.oos_open_threshold > 0:
                p_oos = model.out_of_scope_prob(text, head_features)
                oos_note = {"model_out_of_scope": p_oos}  # rounded in the evidence
                if p_oos < model.oos_open_threshold:
                    opened = scores.top_code
                    oos_note["overrides_rules"] = "in scope (the documents' words)"
                    out_of_scope = False
        elif model is not None and model.oos_enabled and ctx.codes:
            p_oos = model.out_of_scope_prob(text, head_features)
            oos_note = {"model_out_of_scope": p_oos}  # rounded in the evidence
            model_says = p_oos >= model.oos_threshold
            if model_says and not out_of_scope and self._anchor_weight(q, ctx) >= STRONG_ANCHOR:
                # an acronym or two registry words ("the vpn from a hotel") outweigh a few
                # everyday words: the model only calls weakly anchored questions out of scope
                oos_note["kept_in_scope"] = "strong IT anchor"
            elif model_says != out_of_scope:
                oos_note["overrides_rules"] = "in scope" if out_of_scope else "out of scope"
                out_of_scope = not out_of_scope
        query, q_why = self._query(q, command, language)

        codes = () if out_of_scope else (opened,) if opened else ctx.codes
        ranked: dict[str, float] = {}
        # an out-of-scope question keeps no CTX: its rows only serve training
        only = ""  # the one code when the ranker has no choice to make
        # the ranker judges codes by their documents: a code that has none (registered
        # without sources, or before its files exist) would lose to any documented code, so
        # the rules' choice of one stands
        unread: tuple[str, ...] = ()
        if features is None and ranker is not None and not out_of_scope:
            unread = self._undocumented(ctx.codes)
        if ctx.matches and (
            features is not None or (ranker is not None and not out_of_scope and not unread)
        ):
            head = model.code_logits(text) if model is not None and ranker is not None else None
            if head is not None:
                kept = self._head_codes(model)
                if kept is not None:  # codes this registry lacks or renamed: never proposed
                    head = {c: z for c, z in head.items() if c in kept}
            anchor = ctx_ranker.anchor_code(ctx, ctx.codes)
            if head is not None and anchor not in head:
                # the CTX head never saw the code the question is about (registered after
                # training): its word weights would pull towards the codes it knows
                head = None
            rows, only = self._ranker_rows(
                q, ctx, command, fmt, content, scores, anchor, features, ranker, head
            )
            if ranker is not None and not out_of_scope:
                if only:
                    codes = (only,)
                else:
                    ranked = (
                        ranker.probabilities(rows, content, anchor, head)
                        if features is not None
                        else ranker.lifted(  # the rows are logits then
                            rows, content, anchor, head, self._lifts_of(q, ranker)
                        )
                    )
                    codes = self._ranked_codes(ctx, ranker.decide(ranked))
        if features is not None:
            features["fmt_rule"] = self._fa_format(q, command, fmt, cued)
        elif model is not None and command is _FA and not cued and model.fmt_enabled:
            # the rules' how-to / look-up split misses wording ("swap on-call shift how",
            # "to whom does the CISO report"): the steps head decides, the rules' FMT one of
            # its features. Only the answer's form: CTX above used the rules' FMT, as trained.
            # Its confidence and note are the evidence's, written when that is read.
            p_steps = model.steps_prob(text, fmt._value_)
            fmt = _STP if p_steps >= 0.5 else _SUM
        if out_of_scope:
            confidence = OUT_OF_SCOPE_CONFIDENCE * (0.5 if off_topic else 1.0)
            reason = "out of scope: " + (
                "the intent model's verdict"
                if oos_note.get("overrides_rules")
                else f"everyday topic ({', '.join(dict.fromkeys(off_topic))})"
                if off_topic and ctx.codes
                else "no registered document matches"
            )
        elif model is not None:
            confidence = _calibrated(probs.get(command._value_, 0.0), ranked, codes, p_oos)
            reason = "local rules"
        else:  # no intent model (``ALTO_INTENT_MODEL=off``): the rules' own confidences
            confidence = 0.6 * ctx.confidence + 0.4 * cmd_conf
            if q.corrections:
                confidence *= 0.95
            reason = "local rules"
        # the evidence is built on first read (most callers never read it): from values that
        # stay as they are now (the matches are this question's own, the lists are not
        # changed after this)
        evidence = partial(
            _evidence,
            command,
            cmd_conf,
            cmd_why,
            blend,
            query,
            q_why,
            q.corrections,
            codes,
            ctx,
            out_of_scope,
            ranked,
            only,
            unread,
            off_topic,
            oos_note,
            (fmt, fmt_conf, fmt_why, p_steps),
            (chosen_role, role_conf, role_why),
            (language, lang_why),
        )
        fields = Fields.make(command, query, codes, fmt, chosen_role, language)
        return Translation.make(
            fields,
            round(min(1.0, confidence), 3),  # confidence
            out_of_scope,
            "local",  # provider
            reason,
            evidence,
            self._warnings(),
        )

    def _text_scores(self, q: _Question, model: IntentModel, command: Command) -> tuple[float, ...]:
        """``IntentModel.text_scores`` of the words the model reads and the rules' CMD token,
        from the rows the question's word facts hold (the translator's own model)."""
        if model is not self._model:  # facts looked up for another model: by the words
            return model.text_scores(_model_words(q), _RULE_TOKENS[command])
        rows = q.model_rows
        if q.cues & _FILLER_BIT:  # ``_model_words``: chat filler carries no intent
            kept = zip(q.words, rows, strict=True)
            rows = [row for w, row in kept if w not in lexicon.FILLER_WORDS]
        found = list(filter(None, rows))  # the known words' rows, taken in C
        found += filter(None, map(model.rows.get, _RULE_TOKENS[command]))
        # no word twice: no row twice either (a rule token is never a word)
        return model.row_scores(found, distinct=len(q.wordset) == len(q.words))

    def _lifts_of(self, q: _Question, ranker: CtxRanker) -> Iterable[WordLifts | None] | None:
        """The content stems' lifts in ``ranker``, as the question's word facts hold them (None:
        facts looked up for another ranker)."""
        if ranker is not self._ranker:
            return None
        return compress(q.lifts, q.evidence_mask)

    def _undocumented(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        """The codes no indexed document belongs to."""
        documented = self.matcher.sections.codes
        return tuple([code for code in codes if code not in documented])

    def _ranker_rows(
        self,
        q: _Question,
        ctx: CtxResult,
        command: Command,
        fmt: Format,
        content: list[str],
        scores: CodeScores,
        anchor: str,
        features: dict[str, Any] | None,
        ranker: CtxRanker | None = None,
        head: dict[str, float] | None = None,
    ) -> tuple[list[Any], str]:
        """The re-ranker's candidates and their features (``ctx_ranker.features``; ``anchor``:
        ``ctx_ranker.anchor_code``), and the CTX's one code when the ranker has no choice to
        make ("" otherwise): a lone candidate, or the rules' code of a settled question
        (``ctx_ranker.settled``). ``head``: the intent model's CTX logits, which add
        candidates and must agree to settle.

        Training (``features`` given) records every registry code's row, the rules'
        candidates and the anchor in ``features`` (the CTX head is fitted later), and returns
        the rows of the candidates. Else the rows are left out (empty) when there is one code;
        with ``ranker``: (code, the ranker's logit) rather than the rows
        (``CtxRanker.logits``)."""
        codes = ctx_ranker.candidates(ctx, scores)
        expand = ranker.expand if ranker is not None else 0.0
        settled = ctx_ranker.settled(ctx, scores, head, expand)
        if head and not settled:  # settled with a head: it proposes no code past the rules'
            codes += ctx_ranker.text_candidates(head, codes, expand)
        only = codes[0] if len(codes) == 1 or settled else ""
        if only and features is None:
            return [], only
        base = codes
        if features is not None:  # every code: the head's candidates are not known yet
            codes = [*base, *(e.code for e in self.registry if e.code not in base)]
        anchor_match = next((m for m in ctx.matches if m.code == anchor), None)
        gains = {}
        if anchor_match is not None:
            chosen = [anchor_match]
            for m in ctx.matches[: ctx_ranker.MATCHED_CANDIDATES]:
                if m.code != anchor:
                    gains[m.code] = cover_gain(self.matcher, m, chosen)
        shared_stems = self.matcher.shared_keyword_stems
        shared = frozenset(
            m.code
            for m in ctx.matches[: ctx_ranker.MATCHED_CANDIDATES]
            if not shared_stems.isdisjoint(m.stems)
        )
        args = dict(
            procedure=command is _FA and fmt is _STP,
            policies=self.siblings.policies,
            policy_cue=bool(q.cues & _POLICY_BIT),
            shared=shared,
            codes=codes,
        )
        fixed = (ctx, ctx.codes, scores, len(content), command._value_, gains)
        if ranker is not None and features is None:
            return ranker.logits(*fixed, **args), only
        rows = ctx_ranker.features(*fixed, **args)
        if features is not None:
            features.update(ctx_rows=rows, ctx_stems=content, ctx_anchor=anchor, ctx_base=base)
            rows = [r for r in rows if r[0] in base]
        return rows, only

    def _fa_format(self, q: _Question, command: Command, fmt: Format, cued: bool) -> str:
        """The rules' FMT had the question been FA ("" when a format cue decides): what the
        steps head reads, recorded for training whatever the rules' CMD was. Called last:
        a cue found here may mark words as the cue's, which nothing reads any more."""
        if command is not _FA:
            fmt, _, _, cued = self._format(q, _FA)
        return "" if cued else fmt._value_

    def _warnings(self) -> tuple[str, ...]:
        """The models' load warnings (nearly always none: no tuple built then)."""
        if not (self._model_warning or self._ranker_warning):
            return ()
        return tuple(w for w in (self._model_warning, self._ranker_warning) if w)

    @staticmethod
    def _ranked_codes(ctx: CtxResult, kept: tuple[str, ...]) -> tuple[str, ...]:
        """The ranker's codes in the matcher's order (then the ranker's): the rules' order
        for the same set."""
        matched = [m.code for m in ctx.matches if m.code in kept]
        return (*matched, *(c for c in kept if c not in matched))

    def _blend_command(
        self,
        q: _Question,
        model: IntentModel,
        probs: dict[str, float],
        decided: tuple[Command, float],
    ) -> tuple[Command, float, tuple[str, str, dict[str, float]]]:
        """The model's CMD when it is confident and differs, else the rules' (with agreement
        folded into the confidence). The evidence shows both (``_cmd_evidence``): the third
        value is what it needs, ("agree" | "over" | "weak", the rules' command, ``probs``)."""
        command, conf = decided
        best, p_best = next(iter(probs.items()))
        if best == command._value_:
            # agreement: both would have to be wrong
            return command, 1 - (1 - conf) * (1 - p_best), ("agree", command._value_, probs)
        if p_best >= model.cmd_threshold:
            # undo what the rules' command left out (nothing else has touched these yet)
            q.drop, q.not_evidence = set(), set()
            chosen = Command(best)
            self._command_effects(q, chosen)
            blend = ("over", command._value_, probs)
            return chosen, p_best * (1 - probs.get(command._value_, 0.0)), blend
        blend = ("weak", command._value_, probs)
        return command, conf * (0.5 + 0.5 * probs.get(command._value_, 0.0)), blend

    def _command_effects(self, q: _Question, command: Command) -> None:
        """What choosing ``command`` leaves out of Q and CTX (the rules do it as they decide)."""
        if command is _GC:
            anchors, _ = self._code_anchors(q)
            q.drop.update(anchors)
            q.not_evidence.update(anchors)
            if anchors:
                q.drop.update(i for i in range(anchors[0]) if q.words[i] in lexicon.CREATE_VERBS)
        elif command in _COMMAND_VERBS:
            self._dropwords_of(q, command)

    @staticmethod
    def _anchors(ctx: CtxResult) -> set[int]:
        """Positions of the registry words the candidate codes matched (their IT words).

        Words only a code's documents explain are no anchor: documents use everyday words.
        """
        explained: set[int] = set()
        for m in ctx.matches:
            if m.verdict:  # a candidate, kept or not: its words are IT words either way
                explained |= m.positions - m.doc_positions
        return explained

    @classmethod
    def _anchor_weight(cls, q: _Question, ctx: CtxResult) -> int:
        """How strongly the question is IT: registry words, an acronym ("vpn") counting twice."""
        explained = cls._anchors(ctx)
        return len(explained) + sum(
            1 for i in explained if i < len(q.words) and q.words[i] in lexicon.ACRONYMS
        )

    def _everyday_signal(self, q: _Question, ctx: CtxResult) -> EverydaySignal:
        """What the out-of-scope head reads of the everyday lexicon's words in ``q``."""
        if not any(q.everyday):
            return NO_EVERYDAY_WORDS  # the shared empty signal: the head only reads it
        content = [i for i, stop in enumerate(q.stop) if not stop]
        everyday = [i for i in content if q.everyday[i]]
        anchors = self._anchors(ctx)
        beside = False
        if len(anchors) == 1:
            # the only IT word with an everyday word next to it, stop words skipped:
            # "cluster headaches", "the lizard's monitor"
            (anchor,) = anchors
            if anchor in content:
                at = content.index(anchor)
                near = content[max(0, at - 1) : at + 2]
                beside = any(q.everyday[i] for i in near)
        return EverydaySignal(len(everyday), len(content), beside, self._anchor_weight(q, ctx))

    def _doc_signal(self, q: _Question, ctx: CtxResult, scores: CodeScores) -> DocSignal:
        """What the out-of-scope head reads of the section index's answer for ``q``: nothing
        when a code of the rules has no documents (the index cannot speak for it)."""
        if not self.matcher.sections.codes.issuperset(ctx.codes):
            return DocSignal()
        rare = [term for term, idf, _ in scores.found if idf >= RARE_SECTION_IDF]
        rare_unmatched = False
        if rare:  # the matched words looked up only then
            stems = q.stems
            explained = {stems[i] for m in ctx.matches for i in m.positions if i < len(stems)}
            rare_unmatched = not explained.issuperset(rare)
        return DocSignal(
            scores.top,
            len(scores.found),
            scores.terms,
            rare_unmatched,
            scores.top_code in ctx.codes,
        )

    # -- analysis
    def _analyse(self, question: str) -> _Question:
        lower, surface = words_and_surface(question)
        if len(surface) != len(lower):
            surface = list(lower)
        if not self.synonym_first.isdisjoint(lower):
            lower, surface = _rewrite_synonyms(lower, surface, self.synonyms)
        starts = self.phrase_starts
        if not starts.isdisjoint(lower):
            lower, surface = self._merge_phrases(lower, surface)
        q = _Question(question, lower, surface)
        facts = self._facts
        # the memo's answers looked up in C. A word it holds is never misspelt: only a word
        # with no correction (or a correction, never corrected further) gets facts
        found = list(map(facts.get, q.words))
        if None in found:  # a word not seen yet, or a misspelt one
            spelling = self._spelling
            for i, word in enumerate(q.words):
                if found[i] is not None:
                    continue
                fixed = spelling.get(word, _UNSEEN)
                if fixed is _UNSEEN:
                    fixed = self._spelling_fix(word)
                    if len(spelling) < _MEMO_SIZE:
                        spelling[word] = fixed
                if fixed is not None:
                    q.corrections.append(f"spelling: {word} -> {fixed}")
                    q.words[i] = q.surface[i] = word = fixed
                found[i] = facts.get(word) or self._word_facts(word)
        q.index()
        # the columns taken in C (the facts are tuples of one length: zip need not check, and
        # a ``strict`` keyword sends zip through the slow call path, ~0.2 us)
        if not found:  # no words
            q.stems, q.stop, q.off_topic, q.everyday = [], [], [], []
            q.evidence_words, q.failure_fragment, q.model_rows, q.sections = [], [], [], []
            q.topics, q.lifts, q.scored, q.phrase_seconds = [], [], [], []
        else:
            (
                q.stems,
                q.stop,
                q.off_topic,
                q.everyday,
                q.evidence_words,
                q.failure_fragment,
                cue_bits,
                q.model_rows,
                q.sections,
                q.topics,
                q.lifts,
                q.scored,
                q.phrase_seconds,
            ) = map(list, zip(*found))  # noqa: B905
            q.cues = reduce(or_, cue_bits)
        return q

    def _spelling_fix(self, word: str) -> str | None:
        """The word ``word`` is a misspelling of, or None (the same for every question)."""
        matcher = self.matcher
        if (
            len(word) >= 5
            and word not in matcher.vocabulary
            and word.isalpha()
            and word not in _CUE_VOCABULARY
            and not matcher.is_known(word)
            and word not in matcher.written
            and word not in self.everyday_words  # "lizards" is no misspelt "wizards"
        ):
            fixed = matcher.spell().correct(word)
            # an inflection ("approves") is no typo: stems already match it
            if fixed and fixed != word and stem(fixed) != stem(word):
                return fixed
        return None

    def _word_facts(self, word: str) -> WordFacts:
        """(stem, stop word, off-topic word, everyday-lexicon word, may be CTX evidence, a long
        word with a failure word inside, its cue bits, its intent model row, its stem's section
        index entry, what Q makes of it, its stem's re-ranker lifts, its stem's matcher
        entries) of one word,
        memoised: they hang on the word alone. Looked up once a question, they are what
        every later step reads of the word, not a look-up in its own table."""
        word_stem = stem(lexicon.TOKEN_SYNONYMS.get(word, word))
        is_stop = word in lexicon.STOP_WORDS
        # the everyday lexicon less the registry's and its documents' words (``everyday``)
        everyday = (
            not is_stop
            and word not in self.it_words
            and self.everyday_words.entry(word, word_stem) is not None
        )
        # grouped CV (README): as an off-topic word for the rules too, OOS caught by the rules
        # 84.2 -> 91.8 %, false OOS 3.9 -> 3.9 %
        off_topic = (
            everyday
            or word in lexicon.OFF_TOPIC_WORDS
            or (word_stem in self.everyday and word not in self.it_words)
        )
        evidence = not is_stop and word not in _NOT_CTX_EVIDENCE  # ``_ctx`` reads the rest
        # "AccessDenied", "ImagePullBackOff": a failure cue (``_failure_cues``)
        fragment = len(word) >= 8 and _failure_fragment_search(word) is not None
        row = self._model_rows.get(word)
        section = self.matcher.sections.entry(word_stem)
        cues, topic = _cue_bits(word), self.query_form.word(word)
        lifts = self._lift_tables.word_lifts(word_stem) if self._lift_tables else None
        matcher = self.matcher
        scored, seconds = matcher.scored_terms.get(word_stem), matcher.phrase_seconds.get(word_stem)
        facts = (
            word_stem,
            is_stop,
            off_topic,
            everyday,
            evidence,
            fragment,
            cues,
            row,
            section,
            topic,
            lifts,
            scored,
            seconds,
        )
        if len(self._facts) < _MEMO_SIZE:
            self._facts[word] = facts
        return facts

    def _merge_phrases(self, lower: list[str], surface: list[str]) -> tuple[list[str], list[str]]:
        """Phrasal verbs and registry phrases become one word: "clean up" -> "delete"."""
        merged_lower: list[str] = []
        merged_surface: list[str] = []
        starts = self.phrase_starts
        i = 0
        while i < len(lower):
            if lower[i] not in starts:  # most words start no phrase: kept without a look-up
                merged_lower.append(lower[i])
                merged_surface.append(surface[i])
                i += 1
                continue
            phrase = next(
                (p for p in self.phrase_abbreviations if tuple(lower[i : i + len(p)]) == p), None
            )
            if phrase:
                merged_lower.append(" ".join(phrase))
                merged_surface.append(" ".join(phrase))
                i += len(phrase)
                continue
            verb, span = lexicon.PHRASAL_VERBS.get(tuple(lower[i : i + 2])), 2
            if verb is None:
                verb, span = lexicon.PHRASAL_VERBS.get(tuple(lower[i : i + 3])), 3
            if verb:
                merged_lower.append(verb)
                merged_surface.append(verb)
                i += span
                continue
            merged_lower.append(lower[i])
            merged_surface.append(surface[i])
            i += 1
        return merged_lower, merged_surface

    @staticmethod
    def _code_anchors(q: _Question) -> tuple[list[int], list[int]]:
        """Positions of code words (languages, "script", "function"...), and of languages."""
        if not q.cues & _CODE_BIT:
            return [], []  # most questions: no code word at all
        words_ = q.words
        langs = [
            i
            for i, w in enumerate(words_)
            if w in lexicon.CODE_LANGUAGES and (w not in _WORD_TOO or _names_language(words_, i))
        ]
        others = [
            i
            for i, w in enumerate(words_)
            if w in lexicon.OTHER_CODE_LANGUAGES
            and (w not in _WORD_TOO or _names_language(words_, i))
        ]
        nouns = [
            i
            for i, w in enumerate(words_)
            if w in lexicon.CODE_NOUNS
            and not (w == "code" and i + 1 < len(words_) and words_[i + 1] in _NOT_CODE_AFTER)
        ]
        return sorted(langs + others + nouns), langs

    def _command(self, q: _Question) -> tuple[Command, float, list[str]]:
        words_ = q.words
        anchors, langs = self._code_anchors(q)
        failure = self._failure_cues(q)
        if anchors:
            first = anchors[0]
            creators = [i for i in range(first) if words_[i] in lexicon.CREATE_VERBS]
            content = [i for i, s in enumerate(q.stop) if not s]
            leading = bool(content) and content[0] == first
            in_language = any(i > 0 and words_[i - 1] in ("in", "using", "with") for i in langs)
            weak_noun = all(words_[i] in ("code", "function", "class", "module") for i in anchors)
            # a request that opens with the code ("python script that finds stuck pods")
            # is code even when it names a failure
            unmistakable = leading and words_[first] not in _AMBIGUOUS_CODE_WORDS
            if (
                creators
                or unmistakable
                or (not failure and (leading or in_language or langs or not weak_noun))
            ):
                q.drop.update(anchors)
                q.not_evidence.update(anchors)
                for i in creators:
                    q.drop.add(i)
                cue = words_[creators[0]] + " … " + words_[first] if creators else words_[first]
                return _GC, 0.9 if creators else 0.75, [f"code request: {cue!r}"]
        # each cue list's first entry only: the evidence names that one
        plan_cue = _first_cue(q, _EXPLICIT_PLAN, _EXPLICIT_PLAN_BIT, _PLAN_MORE)
        if plan_cue:
            self._dropwords_of(q, _PL)
            return _PL, 0.9, [f"plan cue {plan_cue!r}"]
        leads = q.find(_EXPLAIN_LEADS)
        why_lead = next((p for p, start in leads if start == 0), None) if leads else None
        if why_lead:
            self._dropwords_of(q, _EX)
            return _EX, 0.85, [f"explain cue {' '.join(why_lead)!r}"]
        if (
            len(words_) >= 3
            and words_[0] in ("whats", "what")
            and words_[-1] == "for"
            and not failure
        ):
            return _EX, 0.75, ["explain cue 'what is … for'"]
        if failure:
            self._dropwords_of(q, _DI)
            return _DI, 0.85, [f"failure cue {failure[0]!r}"]
        plan_cue = _first_cue(q, lexicon.PLAN_WORDS, _PLAN_WORD_BIT, _PLAN)
        if plan_cue:
            return _PL, 0.75, [f"plan cue {plan_cue!r}"]
        explain = _first_cue(q, lexicon.EXPLAIN_WORDS, _EXPLAIN_WORD_BIT, _EXPLAIN)
        if not explain:
            start = q.has(("how", "do"))
            if (
                start >= 0
                and start + 2 < len(words_)
                and words_[start + 2] not in ("i", "we", "you")
            ):
                explain = "how do … work"  # how a thing works, not how I do it
        if explain:
            self._dropwords_of(q, _EX)
            return _EX, 0.85, [f"explain cue {explain!r}"]
        howto = q.find(_HOWTO)
        if howto:
            return _FA, 0.85, [f"how-to cue {' '.join(howto[0][0])!r}"]
        if words_ and words_[0] in _QUESTION_WORDS:
            return _FA, 0.8, [f"question word {words_[0]!r}"]
        return _FA, 0.6, ["no explain, code, plan or failure cue: a look-up"]

    @staticmethod
    def _dropwords_of(q: _Question, command: Command) -> None:
        """The command's own verbs ("explain", "plan", "debug") are left out of Q."""
        if not q.cues & _COMMAND_VERB_BITS[command]:
            return  # most questions: the command's cue was a phrase, not one of its verbs
        verbs = _COMMAND_VERBS[command]
        for i, w in enumerate(q.words):
            if w in verbs:
                q.drop.add(i)

    @staticmethod
    def _failure_cues(q: _Question) -> list[str]:
        ws = q.words
        found = (
            []
            if not q.cues & _FAILURE_BIT  # most questions: no failure word
            else [
                w
                for i, w in enumerate(ws)
                if w in lexicon.FAILURE_WORDS
                and not (w == "down" and i and ws[i - 1] in _NOT_DOWN)
                and not (w in ("timeout", "timeouts") and _timeout_setting(ws, i))
            ]
        )
        phrases = q.find(_FAILURE)
        if phrases:
            found += [" ".join(p) for p, _ in phrases]
        if q.cues & _SYMPTOM_BIT:  # most questions: no word a symptom starts from
            found += _symptoms(ws)
        if not q.cues & _NEGATION_BIT:  # most questions: long words alone
            found += compress(ws, q.failure_fragment)  # taken in C
            return found
        for i, w in enumerate(ws):
            if w in lexicon.NEGATIONS and any(
                x in lexicon.STATE_VERBS for x in ws[i + 1 : i + 4] if x != "no"
            ):
                found.append(f"{w} …")
            elif q.failure_fragment[i]:
                found.append(w)
        return found

    def _language(self, q: _Question, command: Command) -> tuple[Language, list[str]]:
        # most questions name no language: the loops are not even started
        if q.cues & _LANGUAGE_BIT:
            named = _named_language(q, command)
            if named is not None:
                return named
        if command is _GC:
            return _PYTHON, ["code without a named language: Python"]
        return _ENGLISH, []

    def _stated_role(self, q: _Question) -> tuple[Role | None, list[str]]:
        found = _role_span(q)
        if found is None:
            return None, []
        start, end, role = found
        # the role's words are not the question's topic: out of Q and of the CTX evidence
        q.drop.update(range(start, end))
        q.not_evidence.update(range(start, end))
        return Role(role), [f"stated role {' '.join(q.words[start:end])!r}"]

    def _format(self, q: _Question, command: Command) -> tuple[Format, float, list[str], bool]:
        """The rules' FMT, its confidence and evidence, and whether the question's own words
        asked for it (a format cue: the intent model's steps head leaves those alone)."""
        if command is _GC:
            return Format.PY, 0.95, ["code requests are answered with code"], True
        howto_found = q.find(_HOWTO)
        howto_end = max([s + 3 for _, s in howto_found]) if howto_found else -1
        for phrase, start in q.find(_FORMAT):
            fmt = _FORMAT_OF[phrase]
            if phrase[0] == "list" and 0 <= start <= howto_end:
                continue  # "how do I list pods": the action, not the answer's form
            if phrase[0] in ("who", "whos") and start > 0:
                continue  # "page someone who is on call": a clause, not the question
            if start >= 0:
                q.not_evidence.update(range(start, start + len(phrase)))
                if fmt is not _FLW and phrase[0] in _FORMAT_NAMING:
                    q.drop.update(range(start, start + len(phrase)))
                return fmt, 0.9, [f"format cue {' '.join(phrase)!r}"], True
        for i, w in enumerate(q.words if "which" in q.wordset else ()):
            if w != "which":
                continue
            for nxt in q.words[i + 1 : i + 4]:
                if nxt.endswith("s") and not nxt.endswith("ss") and not q.stop[q.words.index(nxt)]:
                    return _LIS, 0.8, [f"format cue 'which … {nxt}'"], True
        if command in (_PL, _DI):
            return _STP, 0.8, [f"{command._value_} answers as steps"], False
        if command is _EX:
            return _SUM, 0.8, ["explanations answer as a summary"], False
        if (
            "how" in q.wordset
            and q.cues & _HOW_QUANTITY_BIT  # else no "how many/much/..." either
            and any(q.has(("how", w)) >= 0 for w in _HOW_QUANTITY)
        ):
            return _SUM, 0.75, ["a quantity question ('how many/much/long')"], False
        howto = howto_found[0][0] if howto_found else None
        if howto:
            return _STP, 0.85, [f"how-to cue {' '.join(howto)!r}"], False
        if len(q.words) > 1 and q.words[-1] == "how":
            # chat shorthand: "expense claim how", "new laptop, need the vpn. how?"
            return _STP, 0.8, ["how-to cue '… how'"], False
        if q.words and q.words[0] in _QUESTION_WORDS:
            return _SUM, 0.75, [f"question word {q.words[0]!r}"], False
        verb = next((w for w in q.words if w in self.verb_table or w in lexicon.ACTION_NOUNS), None)
        if verb:
            return _STP, 0.7, [f"action word {verb!r}"], False
        return _SUM, 0.6, ["a look-up: summary"], False

    def _ctx(self, q: _Question) -> CtxResult:
        # "my"/"our" and "team(s)" both, else the loop finds none
        possessive = q.cues & _POSSESSIVE_BIT and q.cues & _TEAM_BIT
        for i, w in enumerate(q.words[1:] if possessive else (), 1):
            if q.words[i - 1] in lexicon.POSSESSIVES and w in _TEAM:
                q.not_evidence.add(i)  # "my team": who is asking, not what about
                q.drop.add(i)
        # the words that may be evidence, less the positions the rules took for other fields
        evidence_mask = q.evidence_words.copy()
        for i in q.not_evidence:
            if i < len(evidence_mask):
                evidence_mask[i] = False
        q.evidence_mask = evidence_mask
        return self.matcher.match(q.stems, q.stop, evidence_mask, (q.scored, q.phrase_seconds))

    def _query(self, q: _Question, command: Command, language: Language) -> tuple[str, list[str]]:
        return self.query_form.build(q, command, language)


def _first_cue(q: _Question, cue_words: frozenset[str], cue_bit: int, phrases: PhraseSet) -> str:
    """The question's first word of ``cue_words`` (its bit: ``cue_bit``), else the first of
    ``phrases`` it holds ("" when none): a cue list's first entry, without the list."""
    if q.cues & cue_bit:  # most questions: none of the words
        return next(w for w in q.words if w in cue_words)
    found = q.find(phrases)
    return " ".join(found[0][0]) if found else ""


# Language names that are everyday or ops words too: "go straight to the CEO", "kubelet on
# node-3", "shell out": a language only where the words around say so.
_WORD_TOO = frozenset(("go", "node", "shell"))


def _calibrated(
    p_command: float, ranked: dict[str, float], codes: Sequence[str], p_oos: float
) -> float:
    """P(the instruction is right), as the models see it: the intent model's P(the chosen
    CMD), times the re-ranker's odds on each candidate code's call (p kept, 1 - p left out),
    times P(in scope). ``--provider auto`` asks the LLM below ``AUTO_THRESHOLD`` on it.

    On the held-out sets A-F (1,033 questions answered in scope) it ranks right above wrong
    at AUC 0.84 (the rules' blend of match scores: 0.64), and it is calibrated: questions
    given 0.3-0.5 were right 49 % of the time, 0.85-0.95: 91 %, 0.95 or more: 98 % (README,
    "Confidence").
    """
    return p_command * _ranker_odds(ranked, codes) * (1.0 - p_oos)


def _ranker_odds(ranked: dict[str, float], codes: Sequence[str]) -> float:
    """P(the re-ranker's every call is right): p for a code it kept, 1 - p for one it left."""
    odds = 1.0
    for code, p in ranked.items():
        odds *= p if code in codes else 1.0 - p
    return odds


def _model_words(q: _Question) -> list[str]:
    """The words the intent model reads: chat filler ("lol", "btw") carries no intent, and
    left in it tipped close calls ("cpu alert runbook lol")."""
    if not q.cues & _FILLER_BIT:  # most questions: none
        return q.words
    return [w for w in q.words if w not in lexicon.FILLER_WORDS]


def _timeout_setting(ws: list[str], i: int) -> bool:
    """ "timeout" naming a setting ("sso session timeout hrs"), not something timing out."""
    before = ws[i - 1] if i else ""
    after = ws[i + 1] if i + 1 < len(ws) else ""
    return before in lexicon.TIMEOUT_SETTING_LEADS or after in lexicon.TIMEOUT_SETTING_TAILS


def _names_language(ws: list[str], i: int) -> bool:
    """ "go"/"node" the language ("in go", "node script"), not the word ("go to", "a node")."""
    before = ws[i - 1] if i else ""
    after = ws[i + 1] if i + 1 < len(ws) else ""
    return before in ("in", "using", "with") or after in lexicon.CODE_NOUNS


def _named_language(q: _Question, command: Command) -> tuple[Language, list[str]] | None:
    """L when the question names it (a code language asked for, or markdown), else None."""
    for i, w in enumerate(q.words):
        asked = command is _GC or (i > 0 and q.words[i - 1] in ("in", "using"))
        if (
            w in lexicon.CODE_LANGUAGES
            and asked
            and (command is _GC or w != "py")
            and (w not in _WORD_TOO or _names_language(q.words, i))
        ):
            q.drop.add(i)
            q.not_evidence.add(i)
            return Language(lexicon.CODE_LANGUAGES[w]), [f"code language {w!r}"]
    for i, w in enumerate(q.words):
        if w == "markdown" or (w == "md" and i > 0 and q.words[i - 1] in ("in", "as")):
            q.drop.add(i)
            q.not_evidence.add(i)
            return _MARKDOWN, [f"markdown requested ({w!r})"]
    return None


# Every word ``_symptoms`` can start from: a question with none of them has no symptom.
_SYMPTOM_TRIGGERS = (
    lexicon.SYMPTOM_WORDS
    | lexicon.SYMPTOM_NOUNS
    | frozenset(("keeps", "keep", "kept", "stopped", "started", "anymore"))
)


_SYMPTOM_BIT = _cue_bit(_SYMPTOM_TRIGGERS)


def _symptoms(ws: list[str]) -> list[str]:
    """Failures told as a state of a thing: "has expired", "keeps restarting", "shows a
    warning" (called for a question with one of ``_SYMPTOM_TRIGGERS``)."""
    found: list[str] = []
    last = len(ws) - 1
    for i, w in enumerate(ws):
        before = ws[i - 1] if i else ""
        if w in lexicon.SYMPTOM_WORDS and (
            before in lexicon.SYMPTOM_LEADS or i == last or ws[i + 1] in lexicon.SYMPTOM_TAILS
        ):
            found.append(f"{before} {w}".strip())
            continue
        if w in ("keeps", "keep", "kept", "stopped", "started") and i < last:
            nxt = ws[i + 1]
            if nxt in lexicon.REPORTING_VERBS and (
                before in lexicon.SPEAKERS or before in lexicon.ROLE_NOUNS
            ):
                continue  # "everyone keeps saying …": talk, not a symptom
            if nxt.endswith("ing") and len(nxt) > 5 and (w != "keep" or before in ("i", "we")):
                found.append(f"{w} {nxt}")
        elif w == "anymore":
            found.append(w)
        elif w in lexicon.SYMPTOM_NOUNS and any(
            x in lexicon.SEEING_VERBS for x in ws[max(0, i - 4) : i]
        ):
            found.append(f"… {w}")
    return found


def _rewrite_synonyms(
    lower: list[str],
    surface: list[str],
    synonyms: Synonyms,
) -> tuple[list[str], list[str]]:
    """Common IT paraphrases become the usual term: "help desk" -> "service desk"."""
    if not any(_synonym_at(lower, i, synonyms) for i, w in enumerate(lower) if w in synonyms):
        return lower, surface  # most questions with a paraphrase's first word: not the rest
    out_lower: list[str] = []
    out_surface: list[str] = []
    i = 0
    while i < len(lower):
        found = _synonym_at(lower, i, synonyms) if lower[i] in synonyms else None
        if found is not None:
            phrase, replacement = found
            out_lower.extend(replacement)
            out_surface.extend(replacement)
            i += len(phrase)
            continue
        out_lower.append(lower[i])
        out_surface.append(surface[i])
        i += 1
    return out_lower, out_surface


def _synonym_at(
    lower: list[str], i: int, synonyms: Synonyms
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The paraphrase that starts at word ``i`` and its usual term, or None."""
    for phrase, replacement in synonyms[lower[i]]:
        if tuple(lower[i : i + len(phrase)]) == phrase:
            return phrase, replacement
    return None


def _role_span(q: _Question) -> tuple[int, int, str] | None:
    """Where the question states its asker's role, (start, end, role), or None: a role phrase
    ("i manage"), a lead and a role noun ("as a manager", "I'm in HR"), or a label it opens
    with (``_role_label``)."""
    for phrase, start in q.find(_ROLE_PHRASES):
        return start, start + len(phrase), _ROLE_OF[phrase]
    for lead, start in q.find(_ROLE_LEADS):
        while start >= 0:
            end = start + len(lead)
            found: tuple[int, str] | None = None
            for i in range(end, min(end + 4, len(q.words))):
                word = q.words[i]
                if word in lexicon.ROLE_NOUNS:
                    found = (i, lexicon.ROLE_NOUNS[word])
                elif found or not (q.stop[i] or i < end + 2):
                    break
            if found:
                return start, found[0] + 1, found[1]
            start = q.has(lead, end)
    label = _role_label(q)
    return None if label is None else (0, *label)


_LABEL_PUNCTUATION = re.compile(r"\s*[:,\-\u2013\u2014]")


def _role_label(q: _Question) -> tuple[int, str] | None:
    """A role the question opens with as a label, within its first three words: "People
    team here", "hr person here", or a label noun before punctuation ("mgr: …", "HR q: …",
    "new manager, …"). Returns (the words it spans from the start, the role)."""
    words = q.words
    for i, word in enumerate(words[:3]):
        role = lexicon.ROLE_NOUNS.get(word)
        if role is None:
            continue
        end = i + 1
        if end < len(words) and words[end] in lexicon.ROLE_LABEL_TAILS:
            end += 1
        if end < len(words) and words[end] == "here":
            return end + 1, role
        if word in lexicon.ROLE_LABEL_NOUNS and _punctuation_after(q, end):
            return end, role
        return None  # the first role noun decides
    return None


def _punctuation_after(q: _Question, count: int) -> bool:
    """Whether the text as typed has a label's punctuation right after its first ``count``
    words (their surface forms, found in order)."""
    text = q.text.lower()
    at = 0
    for word in q.surface[:count]:
        found = text.find(word.lower(), at)
        if found < 0:
            return False  # a word the normalisation rewrote: no label to trust
        at = found + len(word)
    return count > 0 and _LABEL_PUNCTUATION.match(text, at) is not None


def _steps_evidence(p_steps: float, why: list[Any]) -> tuple[float, list[Any]]:
    """The FMT confidence and evidence when the intent model's P(steps) decided FMT (an FA
    question without a format cue: STP from 0.5)."""
    note = f"intent model: steps {p_steps:.2f}"
    return round(max(p_steps, 1 - p_steps), 2), [*why, note]


def _cmd_evidence(why: list[Any], blend: tuple[str, str, dict[str, float]] | None) -> list[Any]:
    """The CMD evidence: the rules' cues, and the model's three best commands when it spoke."""
    if blend is None:
        return why
    how, rules_said, probs = blend
    (best, p_best), (second, p2), (third, p3) = list(probs.items())[:3]
    shown = {"model": f"{best} {p_best:.2f}, {second} {p2:.2f}, {third} {p3:.2f}"}
    if how == "over":
        rule = f"rules said {rules_said} ({'; '.join(why)})"
        return [f"model {best} over the rules", rule, shown]
    return [*why, shown]


def _evidence(
    command: Command,
    cmd_conf: float,
    cmd_why: list[Any],
    blend: tuple[str, str, dict[str, float]] | None,
    query: str,
    q_why: list[Any],
    corrections: list[str],
    codes: tuple[str, ...],
    ctx: CtxResult,
    out_of_scope: bool,
    ranked: dict[str, float],
    only: str,
    unread: tuple[str, ...],
    off_topic: list[str],
    oos_note: dict[str, Any],
    fmt: tuple[Format, float, list[Any], float | None],
    role: tuple[Role, float, list[Any]],
    language: tuple[Language, list[Any]],
) -> dict[str, dict[str, Any]]:
    """``Translation.evidence`` of a local translation, built when first read."""
    ctx_evidence = [m.as_evidence() for m in ctx.matches[:5]]
    if ranked:
        for found in ctx_evidence:
            if found["code"] in ranked:
                found["ranker"] = round(ranked[found["code"]], 2)
        ctx_evidence.append(
            {"ranker": ", ".join([f"{c} {p:.2f}" for c, p in ranked.items() if p >= 0.005])}
        )
    elif only:
        ctx_evidence.append({"ranker": f"{only} (settled without the ranker)"})
    elif unread:
        ctx_evidence.append({"ranker": f"not used: no documents for {', '.join(unread)}"})
    if off_topic:
        ctx_evidence.append({"off_topic_words": sorted(set(off_topic))})
    if oos_note:  # the head's probability, kept as computed until now
        p_oos = round(oos_note["model_out_of_scope"], 2)
        ctx_evidence.append({**oos_note, "model_out_of_scope": p_oos})
    fmt_, fmt_conf, fmt_why, p_steps = fmt
    if p_steps is not None:
        fmt_conf, fmt_why = _steps_evidence(p_steps, fmt_why)
    role_, role_conf, role_why = role
    language_, lang_why = language
    ctx_confidence = 0.1 if out_of_scope else ctx.confidence
    if ranked and not out_of_scope:
        ctx_confidence = _ranker_odds(ranked, codes)
    return {
        "CMD": _field(command._value_, cmd_conf, _cmd_evidence(cmd_why, blend)),
        "Q": _fixed_field(query, 0.7, q_why + corrections),
        "CTX": _field(list(codes), ctx_confidence, ctx_evidence),
        "FMT": _fixed_field(fmt_._value_, fmt_conf, fmt_why),
        "U": _fixed_field(role_._value_, role_conf, role_why),
        "L": _fixed_field(language_._value_, 0.95 if lang_why else 0.7, lang_why or ["default"]),
    }


def _field(value: Any, confidence: float, evidence: list[Any]) -> dict[str, Any]:
    return {"value": value, "confidence": round(confidence, 2), "evidence": evidence}


def _fixed_field(value: Any, confidence: float, evidence: list[Any]) -> dict[str, Any]:
    """``_field`` for a two-decimal constant confidence (the rules' FMT, U, Q and L ones):
    round() would return it unchanged, at a quarter of a microsecond."""
    return {"value": value, "confidence": confidence, "evidence": evidence}
