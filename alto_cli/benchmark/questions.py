"""The questions a benchmark asks: the labelled JSONL set, inline items, or a corpus query file."""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alto_cli.errors import AltoSyntaxError, InvalidInputError
from alto_cli.language import Instruction, Role, parse
from alto_cli.registry import Registry

_TEMPLATE_RE = re.compile(r"\{\{.*?\}\}")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    role: Role | None = None
    intent: str = ""
    expected: Instruction | None = None
    labelled: bool = False  # False: no instruction label at all (a corpus query file)
    expected_docs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def out_of_scope(self) -> bool:
        """Labelled as out of scope (expected null)."""
        return self.labelled and self.expected is None

    @property
    def group(self) -> str:
        """Paraphrase group: same group means the same intended instruction."""
        return self.intent or self.id


class LabelledRecord(BaseModel):
    """One line of the labelled format (benchmarks/translation/questions.jsonl)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    question: str = Field(min_length=1)
    role: Role | None = None
    intent: str | None = None
    expected: dict[str, Any] | None = None
    expected_doc: str | list[str] | None = None
    tags: list[str] = []


def question_from_record(data: Any, *, where: str, fallback_id: str) -> Question:
    """A Question from one labelled record; errors name ``where`` (file:line)."""
    if not isinstance(data, dict):
        raise InvalidInputError(f"{where}: each question must be a JSON object")
    try:
        record = LabelledRecord.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "record"
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise InvalidInputError(f"{where}: {field}: {message}") from None
    expected = None
    if record.expected is not None:
        try:
            expected = parse(json.dumps(record.expected)).canonical()
        except AltoSyntaxError as err:
            raise InvalidInputError(f"{where}: expected: {err.reason}") from None
    docs = record.expected_doc
    return Question(
        id=record.id or fallback_id,
        text=record.question.strip(),
        role=record.role,
        intent=record.intent or "",
        expected=expected,
        labelled="expected" in data,  # no key: an unlabelled question, not an out-of-scope one
        expected_docs=tuple([docs] if isinstance(docs, str) else (docs or [])),
        tags=tuple(record.tags),
    )


def load_labelled(path: Path) -> list[Question]:
    """The labelled JSONL set; blank lines are skipped."""
    questions = []
    for lineno, data in _jsonl(path):
        questions.append(
            question_from_record(data, where=f"{path}:{lineno}", fallback_id=f"line{lineno}")
        )
    _check_unique(questions, path)
    return questions


def load_queries(
    path: Path,
    *,
    query_fields: list[str],
    answer_field: str | None = None,
    id_field: str | None = None,
    intent_field: str | None = None,
    strip_templates: bool = True,
    skipped: list[str] | None = None,
) -> list[Question]:
    """Questions from a corpus's own query file: the query is the named fields joined.

    Records whose query fields are all empty are left out; ``skipped`` collects their file:line.
    """
    skipped = [] if skipped is None else skipped
    seen: set[str] = set()
    questions = []
    for lineno, data in _jsonl(path):
        where = f"{path}:{lineno}"
        if not isinstance(data, dict):
            raise InvalidInputError(f"{where}: each query must be a JSON object")
        missing = [name for name in query_fields if name not in data]
        if missing:
            raise InvalidInputError(f"{where}: no field {missing[0]!r} (from --query-fields)")
        parts = [str(data[name]) for name in query_fields if data[name]]
        text = " ".join(parts)
        if strip_templates:
            text = _TEMPLATE_RE.sub(" ", text)
        text = " ".join(text.split())
        if not text:  # nothing to ask (e.g. an alert rule with no summary): left out, counted
            skipped.append(where)
            continue
        answer = data.get(answer_field) if answer_field else None
        answers = [answer] if isinstance(answer, str) else list(answer or [])
        qid = (str(data.get(id_field) or "") if id_field else "") or f"line{lineno}"
        intent = str(data.get(intent_field) or "") if intent_field else ""
        if qid in seen:  # e.g. one alert defined at two severities: the same intent
            intent, qid = intent or qid, f"{qid}#{lineno}"
        seen.add(qid)
        questions.append(
            Question(
                id=qid,
                text=text,
                intent=intent or (qid.split("#")[0] if id_field else ""),
                expected_docs=tuple(str(a) for a in answers),
            )
        )
    _check_unique(questions, path)
    return questions


def docs_from_registry(questions: Iterable[Question], registry: Registry) -> list[Question]:
    """Give each in-scope question the documents of its expected CTX codes (registry sources)."""
    by_code: dict[str, tuple[str, ...]] = {}
    for entry in registry:
        found: list[str] = []
        for pattern in entry.sources:
            full = str(registry.base_dir / pattern)  # an absolute pattern stays as it is
            found += sorted(str(Path(p).resolve()) for p in glob.glob(full, recursive=True))
        by_code[entry.code] = tuple(dict.fromkeys(found))
    result = []
    for question in questions:
        if question.expected is None or question.expected_docs:
            result.append(question)
            continue
        docs = [doc for code in question.expected.ctx for doc in by_code.get(code, ())]
        result.append(_replace(question, expected_docs=tuple(dict.fromkeys(docs))))
    return result


def _replace(question: Question, **changes: Any) -> Question:
    from dataclasses import replace

    return replace(question, **changes)


def _jsonl(path: Path) -> Iterable[tuple[int, Any]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: question file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInputError(f"{path}: cannot read: {err}") from None
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((lineno, json.loads(line)))
        except json.JSONDecodeError as err:
            raise InvalidInputError(
                f"{path}:{lineno}:{err.colno}: invalid JSON: {err.msg}"
            ) from None
    if not rows:
        raise InvalidInputError(f"{path}: no questions in the file")
    return rows


def _check_unique(questions: list[Question], path: Path) -> None:
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise InvalidInputError(f"{path}: duplicate question id {question.id!r}")
        seen.add(question.id)
