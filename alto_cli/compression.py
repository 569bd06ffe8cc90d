"""Context compression: keep only the parts of the retrieved passages that bear on Q.

A passage is cut into units (sentences, list items, numbered steps, table rows, code
blocks). Each unit is scored by its overlap with Q's expanded keywords and the question's
content words. Numbered procedures are kept whole and in order when any step or their
section heading is relevant (a half procedure is worse than none); code blocks are kept for
GC / FMT:PY. Units are then admitted best-first within a token budget and written back in
their original order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from alto_cli.abbreviations import EXPANSIONS, SYNONYMS
from alto_cli.language.symbols import Command, Format

if TYPE_CHECKING:
    from alto_cli.language import Instruction

DEFAULT_BUDGET_TOKENS = 300
# A unit is kept only if it scores at least this share of the best unit's relevance.
MIN_RELATIVE_RELEVANCE = 0.5

# Q keyword -> words to look for in passages: the shared verb expansions, and synonyms of
# other tokens with the token itself ("k8s" -> k8s, kubernetes, kubectl).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **EXPANSIONS,
    **{token: (token, *words) for token, words in SYNONYMS.items()},
}

_STOPWORD_TEXT = """
    a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those i me my we our you your he she they them their what which who
    whom whose when where why how do does did done can could should would will shall may might
    must not no yes so than then there here into onto out up down over about after before under
    again all any each few more most other some such only own same too very just also have has
    had having get got please tell show give need want like know way use using used via per
    s t don isn aren doesn im ive id hi hey thanks thank let lets someone anyone"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_FENCE_RE = re.compile(r"^\s*(```|~~~)\s*([A-Za-z0-9_+-]*)")
_STEP_RE = re.compile(r"^\s*(\d+)[.)]\s+(.*)")
_BULLET_RE = re.compile(r"^\s*[-*+]\s+(.*)")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(.*)")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`*\[])")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}")
_CODE_LANGS = {
    "PY": ("python", "py", "python3"),
    "JS": ("javascript", "js", "node", "typescript", "ts"),
}


class PassageLike(Protocol):
    """What compression needs of a retrieval.Passage."""

    point_id: str
    text: str
    doc_path: str
    title: str
    section: str
    ctx_codes: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Unit:
    """One piece of a passage: kind is sentence | step | bullet | row | code."""

    kind: str
    text: str
    index: int  # position in the passage
    group: int = -1  # steps of one numbered list share a group; -1 otherwise
    lang: str = ""  # code blocks: the fence's language
    score: float = 0.0


@dataclass(frozen=True)
class CompressedPassage:
    """The relevant part of one passage, with the tag ([n]) the prompt cites it by."""

    tag: int
    point_id: str
    doc_path: str
    title: str
    section: str
    ctx_codes: tuple[str, ...]
    score: float
    units: tuple[Unit, ...]
    tokens: int

    @property
    def text(self) -> str:
        return render_units(self.units)

    def source(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "title": self.title,
            "section": self.section,
            "doc_path": self.doc_path,
            "ctx": list(self.ctx_codes),
            "score": round(float(self.score), 4),
        }


def stem(word: str) -> str:
    """A crude stem: lower case, plural 's' off, 5 characters (resets/reset, rotation/rotate)."""
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5]


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def keywords(instruction: Instruction, question: str | None = None) -> dict[str, float]:
    """Stems to look for, with weights: Q's keywords (expanded) 2, the question's words 1."""
    weights: dict[str, float] = {}
    for token in instruction.query.split("_"):
        low = token.lower()
        expanded = ABBREVIATIONS.get(low, ())
        for word in (low, *expanded):
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            weights[stem(word)] = 2.0
    if question:
        for word in words(question):
            low = word.lower()
            if low in STOPWORDS or len(low) < 3:
                continue
            weights.setdefault(stem(low), 1.0)
    return weights


def score_text(text: str, weights: dict[str, float]) -> float:
    """Sum of the weights of the distinct keywords the text contains."""
    seen = {stem(w) for w in words(text)}
    return sum(weight for key, weight in weights.items() if key in seen)


def split_units(text: str) -> list[Unit]:
    """Cut markdown text into units; headings are dropped (the passage's section names it)."""
    units: list[Unit] = []
    lines = text.splitlines()
    i = 0
    group = 0
    in_list = False
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            joined = " ".join(part.strip() for part in paragraph)
            for sentence in _SENTENCE_SPLIT_RE.split(joined):
                if sentence.strip():
                    units.append(Unit("sentence", sentence.strip(), len(units)))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        fence = _FENCE_RE.match(line)
        if fence:
            flush_paragraph()
            marker, lang = fence.group(1), fence.group(2).lower()
            body = [line.rstrip()]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append(lines[i].rstrip())
                i += 1
            body.append(marker)
            units.append(Unit("code", "\n".join(body), len(units), lang=lang))
            in_list = False
            i += 1
            continue
        step = _STEP_RE.match(line)
        bullet = _BULLET_RE.match(line)
        if step:
            flush_paragraph()
            if not in_list:
                group += 1
                in_list = True
            units.append(Unit("step", step.group(2).strip(), len(units), group=group))
        elif bullet:
            flush_paragraph()
            units.append(Unit("bullet", bullet.group(1).strip(), len(units)))
        elif line.lstrip().startswith("|"):
            flush_paragraph()
            if not _TABLE_SEP_RE.match(line):
                units.append(Unit("row", line.strip(), len(units)))
        elif _HEADING_RE.match(line) or not line.strip():
            flush_paragraph()
            if _HEADING_RE.match(line):
                in_list = False
        elif line.startswith(("   ", "\t")) and units and units[-1].kind in ("step", "bullet"):
            last = units[-1]  # a continuation line of a list item
            units[-1] = Unit(last.kind, f"{last.text} {line.strip()}", last.index, last.group)
        else:
            if in_list and not paragraph:
                in_list = False
            paragraph.append(line)
        i += 1
    flush_paragraph()
    return units


def squeeze(text: str) -> str:
    """Fewer tokens, same words: markdown emphasis off, whitespace collapsed (not in code)."""
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def render_units(units: Sequence[Unit]) -> str:
    lines: list[str] = []
    step_numbers: dict[int, int] = {}
    for unit in units:
        if unit.kind == "step":
            step_numbers[unit.group] = step_numbers.get(unit.group, 0) + 1
            lines.append(f"{step_numbers[unit.group]}. {squeeze(unit.text)}")
        elif unit.kind == "bullet":
            lines.append(f"- {squeeze(unit.text)}")
        elif unit.kind == "code":
            lines.append(unit.text)
        else:
            lines.append(squeeze(unit.text))
    return "\n".join(lines)


def _wants_code(instruction: Instruction) -> bool:
    return instruction.command == Command.GC or instruction.fmt == Format.PY


@dataclass
class _Candidate:
    rank: int
    units: list[Unit]  # admitted together (a procedure, or one unit)
    priority: float
    tokens: int = 0


def compress(
    instruction: Instruction,
    passages: Iterable[PassageLike],
    *,
    budget_tokens: int = DEFAULT_BUDGET_TOKENS,
    question: str | None = None,
) -> list[CompressedPassage]:
    """The passages cut down to the units relevant to Q, within ``budget_tokens`` in all."""
    from alto_cli.tokens import count_tokens

    weights = keywords(instruction, question)
    wants_code = _wants_code(instruction)
    passages = list(passages)
    per_passage: list[list[Unit]] = []
    candidates: list[_Candidate] = []
    for rank, passage in enumerate(passages):
        heading_score = score_text(f"{passage.section}", weights)
        scored = [
            Unit(u.kind, u.text, u.index, u.group, u.lang, score_text(u.text, weights))
            for u in split_units(passage.text)
        ]
        per_passage.append(scored)
        # Earlier (better-ranked) passages win ties; a relevant heading lifts its whole section.
        rank_factor = 1.0 / (1.0 + 0.25 * rank)
        groups: dict[int, list[Unit]] = {}
        for unit in scored:
            if unit.kind == "step":
                groups.setdefault(unit.group, []).append(unit)
        for steps in groups.values():
            best = max(u.score for u in steps)
            if best > 0 or heading_score > 0:
                priority = (max(best, heading_score) + 1.0) * rank_factor
                candidates.append(_Candidate(rank, steps, priority))
        for unit in scored:
            if unit.kind == "step":
                continue
            relevance = unit.score + (0.5 * heading_score if unit.score > 0 else 0.0)
            if unit.kind == "code" and (wants_code or unit.score > 0):
                relevance += 2.0 if wants_code else 0.0
                lang_names = _CODE_LANGS.get(instruction.language.value, ())
                if wants_code and unit.lang in lang_names:
                    relevance += 1.0
            if relevance > 0:
                # Short, dense units first: a long paragraph must earn its tokens.
                candidates.append(_Candidate(rank, [unit], relevance * rank_factor))
        if rank == 0 and scored and not any(c.rank == 0 for c in candidates):
            # The best passage always contributes its most relevant unit.
            best_unit = max(scored, key=lambda u: (u.score, -u.index))
            candidates.append(_Candidate(rank, [best_unit], 0.01))

    # Weak matches (a single question word) cost tokens and rarely carry the answer.
    if candidates:
        floor = MIN_RELATIVE_RELEVANCE * max(c.priority for c in candidates)
        candidates = [c for c in candidates if c.priority >= floor]
    for candidate in candidates:
        candidate.tokens = count_tokens(render_units(candidate.units)) + 1
    candidates.sort(key=lambda c: (-c.priority, c.rank, c.units[0].index))

    chosen: dict[int, dict[int, Unit]] = {}
    used = 0
    for candidate in candidates:
        fresh = [u for u in candidate.units if u.index not in chosen.get(candidate.rank, {})]
        if not fresh:
            continue
        cost = candidate.tokens
        if used + cost > budget_tokens:
            if len(fresh) > 1:  # a long procedure: keep its first steps, in order
                fresh = _prefix_within(fresh, budget_tokens - used, count_tokens)
                cost = count_tokens(render_units(fresh)) + 1 if fresh else 0
            else:
                continue
            if not fresh:
                continue
        chosen.setdefault(candidate.rank, {}).update({u.index: u for u in fresh})
        used += cost

    result: list[CompressedPassage] = []
    for rank, passage in enumerate(passages):
        kept = chosen.get(rank)
        if not kept:
            continue
        units = tuple(kept[i] for i in sorted(kept))
        result.append(
            CompressedPassage(
                tag=len(result) + 1,
                point_id=str(passage.point_id),
                doc_path=passage.doc_path,
                title=passage.title,
                section=passage.section,
                ctx_codes=tuple(passage.ctx_codes),
                score=float(passage.score),
                units=units,
                tokens=count_tokens(render_units(units)),
            )
        )
    return result


def _prefix_within(units: list[Unit], budget: int, count: Any) -> list[Unit]:
    kept: list[Unit] = []
    for unit in units:
        if count(render_units([*kept, unit])) + 1 > budget:
            break
        kept.append(unit)
    return kept
