"""A learned CTX re-ranker on top of the rules' matcher and minimal cover. Pure Python.

For every candidate code of a question (the codes the matcher scored, and the codes whose
document sections score best for the question's words, ``section_index``), a row of
code-agnostic features: the matcher's score and rank, whether the cover chose it, what kind
of registry words it matched, its best section's BM25 score and rank, the share of the
question's words its documents use. One binary logistic regression with shared weights reads
every row, so it carries over to codes (and intents) it never saw in training. The codes it
gives at least ``threshold`` are kept (the best always, at most ``max_codes``).

Trained by ``ctx_ranker_training`` (numpy, ``make model``), shipped as ``data/ctx_ranker.json``
and read lazily, once per process; a missing or unreadable file leaves the rules' CTX alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, repeat
from operator import ge, mul
from pathlib import Path
from typing import Any

from alto_cli.translate.model_file import ModelFileError, read_model, shared
from alto_cli.translate.section_index import CodeScores

FORMAT_VERSION = 2
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ctx_ranker.json"
# The candidates: grouped CV over 1,316 questions (README) found no loss in the matcher's
# best 4 rather than 6, and a gain in the best section's code alone rather than the best 3
MATCHED_CANDIDATES = 4  # the matcher's best codes that are candidates
SECTION_CANDIDATES = 1  # ... and the codes whose sections score best
COMMANDS = ("DI", "EX", "FA", "GC", "PL")

# The features, in the order of a row (the model file names them: a file written for
# another list is refused). Grouped CV dropped those that added nothing: keyword and phrase
# counts, the code's own coverage, the candidate and rule-code counts, the procedure flag
# alone, and its section's rank.
FEATURES = (
    "matched",  # the matcher scored it at all
    "score",  # log(1 + matcher score)
    "relative_score",  # its score / the best code's
    "top",  # the matcher's best code
    "rank",  # 1 / (1 + its rank by matcher score)
    "candidate",  # the cover considered it (enough score and a keyword or title word)
    "chosen",  # the rules' CTX holds it
    "chosen_alone",  # ... as the only code
    "strong",  # a keyword or a title word matched
    "title",  # a name or title word matched
    "description",  # a description word matched
    "documents",  # salient document-term matches (capped at 3, / 3)
    "positions",  # share of the question's content words it explains
    "section",  # best section's BM25 score / the best code's
    "section_score",  # log(1 + best section's BM25 score)
    "section_top",  # its section is the best of all codes'
    "coverage",  # share of the question's content stems its documents use
    "coverage_missing",  # share no document of it uses, but another code's do
    "chosen_x_section",  # chosen * section
    "unchosen_x_section",  # (not chosen) * section
    "unchosen_x_relative",  # (not chosen) * relative_score
    *(f"cmd_{c}" for c in COMMANDS),
    "weighted_coverage",  # coverage with each stem weighted by its IDF over sections
    "residual",  # IDF share of the stems its documents use and the anchor code's do not
    "anchor",  # the anchor: the rules' first code (else the matcher's best)
    "gain",  # the minimal cover's specific weight it adds to the anchor (capped at 3, / 3)
    "policy",  # the code is a policy or standard (``siblings``)
    "policy_x_cue",  # ... and the question has a policy cue ("allowed", "required")
    "policy_x_procedure",  # ... and the question asks for a procedure (FA answered as steps)
    "shared_keyword",  # a keyword it matched is another candidate's keyword too ("mfa")
)


# Features learned from the training questions' gold CTX (tables in the model file): how much
# more often a code is needed when the question holds a word ("outage": ESC), and when the
# anchor is a given code (INC1: ESC). A lift, log(P(code | x) / P(code)), 0 when unknown: a
# code registered after training is neither helped nor held back. Then the intent model's
# CTX head: its logit for the code (``IntentModel.code_logits``; 0 without one).
LEARNED = ("word_lift", "anchor_lift", "text")
SMOOTHING = 2.0  # pseudo-counts of the code's base rate in each P(code | x)
MAX_LIFT = 3.0


class CtxRankerError(ModelFileError):
    """The ranker file is missing, unreadable or not a ranker of this format."""


def _document_use(found: Sequence[Any], code: str, anchor: str) -> tuple[int, float, float]:
    """The question's stems ``code``'s documents use: how many, their summed IDF, and the IDF
    of those the anchor's documents do not use (summed in question order, so the floats are
    the same in training and at translation)."""
    used = 0
    used_idf = residual = 0.0
    for _, term_idf, users in found:
        if code in users:
            used += 1
            used_idf += term_idf
            if anchor not in users:
                residual += term_idf
    return used, used_idf, residual


def candidates(ctx: Any, scores: CodeScores) -> list[str]:
    """The codes the ranker scores: the matcher's best and the best sections' codes (then
    ``text_candidates``)."""
    found = [m.code for m in ctx.matches[:MATCHED_CANDIDATES]]
    for code in ctx.codes:  # the rules' choice is always a candidate
        if code not in found:
            found.append(code)
    for code in scores.leaders(SECTION_CANDIDATES):
        if code not in found:
            found.append(code)
    return found


def text_candidates(
    text: dict[str, float] | None, found: Sequence[str], expand: float
) -> list[str]:
    """The codes the CTX head (``text``: code -> logit) gives at least the ``expand`` logit,
    past those ``found``: needed codes the registry's words do not name ("my laptop was
    stolen": INC1 too)."""
    if not text:
        return []
    return [c for c in _likely(text, expand) if c not in found]


def _likely(text: dict[str, float], expand: float) -> Iterator[str]:
    """The codes of ``text`` at the ``expand`` logit or over (the comparisons taken in C:
    a question has a few of the twenty)."""
    return compress(text, map(ge, text.values(), repeat(expand)))


# The command's one-hot features, per command (built once, not per row).
_COMMAND_ROWS = {c: tuple(float(c == other) for other in COMMANDS) for c in COMMANDS}
_NO_COMMAND = (0.0,) * len(COMMANDS)
_UNMATCHED = (0.0,) * 6  # the matcher's features 0-5 of a code it did not score
_UNMATCHED_REST = (0.0,) * 5  # ... and 8-12


def features(
    ctx: Any,
    rule_codes: Sequence[str],
    scores: CodeScores,
    content: int,
    command: str,
    gains: dict[str, float] | None = None,
    *,
    procedure: bool = False,
    policies: frozenset[str] = frozenset(),
    policy_cue: bool = False,
    shared: frozenset[str] = frozenset(),
    codes: list[str] | None = None,
) -> list[tuple[str, list[float]]]:
    """(code, feature row) for every candidate of a question.

    ``ctx``: the matcher's CtxResult (``matches`` best first, with their verdicts);
    ``rule_codes``: the rules' final CTX; ``scores``: the section index's scores for the
    question's content stems; ``content``: how many content words the question has;
    ``gains``: the cover's gain of each matched code over the anchor (``anchor``);
    ``procedure``: a how-to look-up; ``policies``: the registry's policy codes;
    ``shared``: the candidates that matched a keyword another candidate lists too;
    ``codes``: the candidates when already known (``candidates``).
    """
    matches = ctx.matches
    top = matches[0].score if matches else 0.0
    if codes is None:
        codes = candidates(ctx, scores)
    # the candidates open with the matcher's best codes, in its order: their rank is their
    # index; the others are looked up among the rest of its matches
    head = min(MATCHED_CANDIDATES, len(matches))
    n_terms = max(1, scores.terms)
    content = max(1, content)
    found = scores.found  # the stems some section uses, with the codes using each
    n_found = len(found)
    total_idf = sum([idf for _, idf, _ in found]) or 1.0
    anchor = anchor_code(ctx, rule_codes)
    gains = gains or {}
    best_of, section_top, top_code = scores.best_of, scores.top, scores.top_code
    alone = float(len(rule_codes) == 1)
    # the same for every row of the question
    command_row = _COMMAND_ROWS.get(command, _NO_COMMAND)
    rows = []
    for k, code in enumerate(codes):
        chosen = code in rule_codes
        rank = k if k < head else _rank_after(matches, head, code)
        if rank >= 0:
            m = matches[rank]
            score = m.score
            relative = score / top if top else 0.0
            row = [
                1.0,
                math.log1p(score),
                relative,
                float(rank == 0),
                1.0 / (1 + rank),
                float(bool(m.verdict)),
                float(chosen),
                alone if chosen else 0.0,
                float(m.strong),
                float(m.title),
                float(m.description),
                min(3, m.documents) / 3,
                len(m.positions) / content,
            ]
        else:  # a code only the section index proposed
            relative = 0.0
            row = [*_UNMATCHED, float(chosen), 0.0, *_UNMATCHED_REST]
        code_best = best_of(code)
        section = code_best / section_top if section_top else 0.0
        used, used_idf, residual = _document_use(found, code, anchor)
        policy = code in policies
        row += [
            section,
            math.log1p(code_best),
            float(code == top_code),
            used / n_terms,
            (n_found - used) / n_terms,
            section if chosen else 0.0,
            0.0 if chosen else section,
            0.0 if chosen else relative,
            *command_row,
            used_idf / total_idf,
            0.0 if code == anchor else residual / total_idf,
            float(code == anchor),
            min(3.0, gains.get(code, 0.0)) / 3,
            float(policy),
            float(policy and policy_cue),
            float(policy and procedure),
            float(code in shared),
        ]
        rows.append((code, row))
    return rows


# A question is settled without the ranker when the rules chose one code, the matcher's best,
# whose sections also score best, and no other code reaches half its score: grouped CV (README)
# showed the ranker's changes there (a second code) helped as often as they hurt.
SETTLED_RATIO = 0.5


def settled(
    ctx: Any, scores: CodeScores, text: dict[str, float] | None = None, expand: float = 0.0
) -> bool:
    """Whether the rules' one code stands without the ranker (``SETTLED_RATIO``); with the
    CTX head's logits (``text``), only when it agrees: the code at even odds or better (or
    unknown to it) and no other code at the ``expand`` logit."""
    matches = ctx.matches
    if len(ctx.codes) != 1 or not matches or ctx.codes[0] != matches[0].code:
        return False
    code = ctx.codes[0]
    if scores.top_code != code:
        return False
    if len(matches) > 1 and matches[1].score > SETTLED_RATIO * matches[0].score:
        return False
    if text:
        if text.get(code, 0.0) < 0:
            return False
        return all(c == code for c in _likely(text, expand))
    return True


def _rank_after(matches: Sequence[Any], head: int, code: str) -> int:
    """The code's rank among the matcher's codes past the first ``head``; -1 if unmatched."""
    for i in range(head, len(matches)):
        if matches[i].code == code:
            return i
    return -1


def anchor_code(ctx: Any, rule_codes: Sequence[str]) -> str:
    """The code the others are measured against: the rules' first, else the matcher's best."""
    if rule_codes:
        return rule_codes[0]
    return ctx.matches[0].code if ctx.matches else ""


class CtxRanker:
    """The loaded re-ranker: ``probabilities`` per candidate, ``decide`` the codes."""

    def __init__(self, data: dict[str, Any]) -> None:
        try:
            if data.get("format") != FORMAT_VERSION:
                raise CtxRankerError(f"format {data.get('format')!r}, expected {FORMAT_VERSION}")
            names = tuple(data["features"])
            if names != FEATURES + LEARNED:
                raise CtxRankerError("written for another feature list: run `make model`")
            self.weights = tuple(float(w) for w in data["weights"])
            if len(self.weights) != len(names):
                raise CtxRankerError(f"{len(self.weights)} weights for {len(names)} features")
            self.tables = LiftTables(data.get("tables") or {})
            self.bias = float(data["bias"])
            self.threshold = float(data["threshold"])
            self.max_codes = int(data.get("max_codes", 3))
            # the CTX head's logit that makes a code a candidate (``text_candidates``)
            self.expand = float(data["expand"])
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise CtxRankerError(f"malformed ranker: {err!r}") from None
        self.training_hash = str(data.get("training_hash", ""))
        self.training_files = tuple(data.get("training_files", ()))

    def probability(self, row: Sequence[float]) -> float:
        # map(mul) multiplies in C; sum adds in the same order as a generator would
        logit = self.bias + sum(map(mul, self.weights, row))
        if logit >= 0:
            return 1.0 / (1.0 + math.exp(-logit))
        e = math.exp(logit)
        return e / (1.0 + e)

    def probabilities(
        self,
        rows: Sequence[tuple[str, Sequence[float]]],
        stems: Sequence[str],
        anchor: str,
        text: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """{code: P(the question needs it)} in the candidates' order (``stems``: the
        question's content stems, ``anchor``: ``anchor_code``, ``text``: the CTX head's
        logits)."""
        weights, bias = self.weights, self.bias
        # map stops at the row's end (the learned features are added by ``lifted``)
        logits = [(code, bias + sum(map(mul, weights, row))) for code, row in rows]
        return self.lifted(logits, stems, anchor, text)

    def logits(
        self,
        ctx: Any,
        rule_codes: Sequence[str],
        scores: CodeScores,
        content: int,
        command: str,
        gains: dict[str, float],
        *,
        procedure: bool,
        policies: frozenset[str],
        policy_cue: bool,
        shared: frozenset[str],
        codes: list[str],
    ) -> list[tuple[str, float]]:
        """(code, the logit of its ``features`` row) for every candidate, without the rows:
        translation needs the logits only. The same products in the same order as
        ``probabilities`` sums (a zero feature adds nothing to a float sum; times 1.0 is
        the weight itself), so the same floats; ``features`` documents the arguments."""
        w = self.weights
        bias = self.bias
        matches = ctx.matches
        top = matches[0].score if matches else 0.0
        head = min(MATCHED_CANDIDATES, len(matches))
        n_terms = max(1, scores.terms)
        content = max(1, content)
        found = scores.found
        n_found = len(found)
        total_idf = sum([idf for _, idf, _ in found]) or 1.0
        anchor = anchor_code(ctx, rule_codes)
        best_of, section_top, top_code = scores.best_of, scores.top, scores.top_code
        alone = len(rule_codes) == 1
        w_command = w[21 + COMMANDS.index(command)] if command in COMMANDS else None
        logits = []
        for k, code in enumerate(codes):
            chosen = code in rule_codes
            rank = k if k < head else _rank_after(matches, head, code)
            terms: list[float] = []  # the row's non-zero weight * feature products, in order
            add = terms.append
            relative = 0.0
            if rank >= 0:
                m = matches[rank]
                score = m.score
                relative = score / top if top else 0.0
                add(w[0])
                add(w[1] * math.log1p(score))
                add(w[2] * relative)
                if rank == 0:
                    add(w[3])
                add(w[4] * (1.0 / (1 + rank)))
                if m.verdict:
                    add(w[5])
                if chosen:
                    add(w[6])
                    if alone:
                        add(w[7])
                if m.strong:
                    add(w[8])
                if m.title:
                    add(w[9])
                if m.description:
                    add(w[10])
                add(w[11] * (min(3, m.documents) / 3))
                add(w[12] * (len(m.positions) / content))
            elif chosen:
                add(w[6])
            code_best = best_of(code)
            section = code_best / section_top if section_top else 0.0
            used, used_idf, residual = _document_use(found, code, anchor)
            add(w[13] * section)
            add(w[14] * math.log1p(code_best))
            if code == top_code:
                add(w[15])
            add(w[16] * (used / n_terms))
            add(w[17] * ((n_found - used) / n_terms))
            if chosen:
                add(w[18] * section)
            else:
                add(w[19] * section)
                add(w[20] * relative)
            if w_command is not None:
                add(w_command)
            add(w[26] * (used_idf / total_idf))
            if code == anchor:
                add(w[28])
            else:
                add(w[27] * (residual / total_idf))
            add(w[29] * (min(3.0, gains.get(code, 0.0)) / 3))
            if code in policies:
                add(w[30])
                if policy_cue:
                    add(w[31])
                if procedure:
                    add(w[32])
            if code in shared:
                add(w[33])
            logits.append((code, bias + sum(terms)))
        return logits

    def lifted(
        self,
        logits: Sequence[tuple[str, float]],
        stems: Sequence[str],
        anchor: str,
        text: dict[str, float] | None = None,
        word_lifts: Iterable[WordLifts | None] | None = None,
    ) -> dict[str, float]:
        """``probabilities`` from the candidates' (code, logit): the learned features added
        (``text``: the CTX head's logits; ``word_lifts``: the stems' ``LiftTables.word_lifts``
        when the caller looked them up already)."""
        tables = self.tables
        if word_lifts is None:  # looked up once, not per code
            found, paired = tables.question_tables(stems, anchor)
        else:
            found, paired = list(filter(None, word_lifts)), tables.anchor_lifts(anchor)
        known = tables.codes if tables.intents else ()
        exp = math.exp
        w_word, w_pair, w_text = self.weights[-3:]
        text = text or {}
        # each word's lifts and its default, split once: a code's lifts are then looked up
        # in C (``dict.get(lifts, code, default)`` over the words, in order)
        word_lifts = [t[1] for t in found]
        word_defaults = [t[0] for t in found]
        probs: dict[str, float] = {}
        for code, logit in logits:  # ``probability`` and ``LiftTables.lifts``, inlined
            if code in known:
                if found:
                    logit += w_word * max(map(dict.get, word_lifts, repeat(code), word_defaults))
                if paired is not None and anchor != code:
                    logit += w_pair * paired[1].get(code, paired[0])
            if code in text:
                logit += w_text * text[code]
            if logit >= 0:
                probs[code] = 1.0 / (1.0 + exp(-logit))
            else:
                e = exp(logit)
                probs[code] = e / (1.0 + e)
        return probs

    def decide(self, probs: dict[str, float]) -> tuple[str, ...]:
        """The codes at or over the threshold, best first, at most ``max_codes``; the best
        code always (the question is in scope: some document answers it)."""
        if not probs:
            return ()
        ranked = sorted(probs, key=lambda c: -probs[c])  # stable: candidates' order on ties
        kept = [c for c in ranked if probs[c] >= self.threshold][: self.max_codes]
        return tuple(kept or ranked[:1])


# A word's or an anchor's lifts: (a code's lift when no intent with it needed it, {code: lift})
WordLifts = tuple[float, dict[str, float]]


class LiftTables:
    """The learned features' counts: per word and per anchor code, in how many training
    intents it occurs and how many of those need each code."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.intents = int(data.get("intents", 0))
        self.codes: dict[str, int] = dict(data.get("codes", {}))  # code -> intents needing it
        # word (stem) / anchor code -> [intents with it, {code: intents also needing code}]
        self.words: dict[str, Any] = data.get("words") or {}
        self.anchors: dict[str, Any] = data.get("anchors") or {}
        # ... as lifts, computed on first use (a question holds a few of the words):
        # (a code's lift when no intent with it needed it, {code: lift})
        self._lifted: dict[tuple[int, str], tuple[float, dict[str, float]]] = {}
        self._word_lifts: dict[str, Any] = {}  # the words' entries of ``_lifted``, by word

    def _lifts(self, table: dict[str, Any], key: str) -> tuple[float, dict[str, float]] | None:
        memo = (id(table), key)
        found = self._lifted.get(memo)
        if found is None:
            counts = table.get(key)
            if counts is None:
                return None
            n, needing = int(counts[0]), counts[1]
            found = (
                self._lift(0, n, 1.0),
                {
                    code: self._lift(int(needing[code]), n, base / self.intents)
                    for code, base in self.codes.items()
                    if needing.get(code)
                },
            )
            self._lifted[memo] = found
        return found

    @staticmethod
    def _lift(k: int, n: int, prior: float) -> float:
        """log(P(code | x) / P(code)), P smoothed towards the prior, clipped."""
        p = (k + SMOOTHING * prior) / (n + SMOOTHING)
        return max(-MAX_LIFT, min(MAX_LIFT, math.log(p / prior)))

    def lifts(self, code: str, stems: Sequence[str], anchor: str) -> tuple[float, float]:
        """(the strongest word lift of the question's stems, the anchor's lift) for ``code``;
        0 for a code the training never saw."""
        if code not in self.codes or not self.intents:
            return 0.0, 0.0
        found, paired = self.question_tables(stems, anchor)
        word = max([t[1].get(code, t[0]) for t in found]) if found else 0.0
        pair = 0.0
        if anchor != code and paired is not None:
            pair = paired[1].get(code, paired[0])
        return word, pair

    def question_tables(
        self, stems: Sequence[str], anchor: str
    ) -> tuple[list[tuple[float, dict[str, float]]], tuple[float, dict[str, float]] | None]:
        """The lifts of the question's stems that the table holds, and the anchor's (None
        when it has none)."""
        found = [lifts for lifts in map(self.word_lifts, stems) if lifts is not None]
        return found, self.anchor_lifts(anchor)

    def word_lifts(self, stem: str) -> WordLifts | None:
        """The lifts of one stem, None when the table has none."""
        if stem not in self.words:
            return None
        lifts = self._word_lifts.get(stem)
        if lifts is None:
            lifts = self._word_lifts[stem] = self._lifts(self.words, stem)
        return lifts

    def anchor_lifts(self, anchor: str) -> WordLifts | None:
        """The anchor code's lifts, None when the table has none."""
        return self._lifts(self.anchors, anchor) if anchor in self.anchors else None


def load_ranker(path: Path | str | None = None) -> CtxRanker:
    """Read a ranker file; CtxRankerError when it is missing or not a ranker."""
    return read_model(path or DEFAULT_PATH, CtxRanker, kind="ranker", error=CtxRankerError)


def shared_ranker(path: Path | str | None = None) -> tuple[CtxRanker | None, str]:
    """The ranker for ``path`` (default: the shipped one), read once per process.

    Returns (ranker, "") or (None, warning): the translator then keeps the rules' CTX.
    """
    return shared(path or DEFAULT_PATH, CtxRanker, kind="CTX ranker", error=CtxRankerError)
