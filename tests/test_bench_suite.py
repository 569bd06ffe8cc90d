"""Suite and question-file parsing: strict keys, errors as file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alto_cli.benchmark.questions import load_labelled, load_queries
from alto_cli.benchmark.suite import load_suite, parse_suite
from alto_cli.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_suite_loads() -> None:
    suite = load_suite(ROOT / "benchmarks" / "suite.yaml")
    assert suite.name == "alto-shipped"
    assert suite.corpus_dir() is not None and suite.corpus_dir().resolve() == ROOT / "examples/docs"
    assert suite.thresholds.min_accuracy is not None


def test_unknown_key_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("version: 1\nquestions: q.jsonl\nthresholds:\n  min_acuracy: 0.9\n")
    with pytest.raises(InvalidInputError) as err:
        load_suite(path)
    assert f"{path}:4:" in str(err.value)
    assert "thresholds.min_acuracy" in str(err.value) and "unknown key" in str(err.value)


def test_bad_value_names_its_line() -> None:
    text = "name: x\nquestions: q.jsonl\nk: 0\n"
    with pytest.raises(InvalidInputError, match=r"^s.yaml:3: k: "):
        parse_suite(text, source="s.yaml")


def test_bad_section_and_yaml_syntax() -> None:
    with pytest.raises(InvalidInputError, match=r"s.yaml:2: sections\.0: expected"):
        parse_suite("questions: q.jsonl\nsections: [speed]\n", source="s.yaml")
    with pytest.raises(InvalidInputError, match=r"s.yaml:3: expected ','"):
        parse_suite("questions: q.jsonl\nk: [1\n", source="s.yaml")


def test_needs_exactly_one_question_source() -> None:
    with pytest.raises(InvalidInputError, match="exactly one"):
        parse_suite("name: x\n", source="s.yaml")
    both = "questions: a.jsonl\nqueries: {file: b.jsonl, query_fields: [q]}\n"
    with pytest.raises(InvalidInputError, match="exactly one"):
        parse_suite(both, source="s.yaml")


def test_inline_questions_and_query_file_resolve_against_corpus(tmp_path: Path) -> None:
    suite = parse_suite(
        "corpus: docs\nqueries: {file: q.jsonl, query_fields: [summary]}\n",
        base_dir=tmp_path,
    )
    assert suite.query_file() == tmp_path / "docs" / "q.jsonl"
    inline = parse_suite("questions:\n  - question: How do I reset MFA?\n    expected: null\n")
    assert inline.questions[0].question == "How do I reset MFA?"


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_labelled_file_errors_name_the_line(tmp_path: Path) -> None:
    good = {"id": "a", "question": "How do I reset MFA?", "expected": None}
    bad_cmd = {
        "id": "b",
        "question": "x",
        "expected": {"CMD": "ZZ", "Q": "x", "CTX": [], "FMT": "SUM", "U": "SU", "L": "EN"},
    }
    path = _write_jsonl(tmp_path / "q.jsonl", [good, bad_cmd])
    with pytest.raises(InvalidInputError, match=r"q.jsonl:2: expected: unknown CMD symbol"):
        load_labelled(path)
    _write_jsonl(path, [good, {"question": "y", "colour": "red"}])
    with pytest.raises(InvalidInputError, match=r"q.jsonl:2: colour: unknown key"):
        load_labelled(path)
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(InvalidInputError, match=r"q.jsonl:2:2: invalid JSON"):
        load_labelled(path)
    _write_jsonl(path, [good, good])
    with pytest.raises(InvalidInputError, match="duplicate question id 'a'"):
        load_labelled(path)


def test_labelled_file_reads_expected_instruction(tmp_path: Path) -> None:
    row = {
        "id": "q1",
        "question": "How do I reset my MFA?",
        "role": "EN",
        "intent": "mfa_reset",
        "expected": {
            "CMD": "FA",
            "Q": "rst_MFA",
            "CTX": ["MP", "AG3"],
            "FMT": "STP",
            "U": "EN",
            "L": "EN",
        },
    }
    [question] = load_labelled(_write_jsonl(tmp_path / "q.jsonl", [row]))
    assert question.expected is not None and question.expected.ctx == ("AG3", "MP")
    assert question.role is not None and question.role.value == "EN"
    assert question.group == "mfa_reset" and not question.out_of_scope


def test_query_adapter_joins_fields_and_strips_templates(tmp_path: Path) -> None:
    rows = [
        {
            "alert": "A",
            "summary": "Reload failed.",
            "description": "For {{ $labels.pod }} now.",
            "runbook_path": "runbooks/a.md",
        },
        {"alert": "B", "summary": "Down.", "description": "", "runbook_path": None},
        {"alert": "C", "summary": None, "description": None, "runbook_path": None},
        {
            "alert": "A",
            "summary": "Reload failed badly.",
            "runbook_path": "runbooks/a.md",
            "description": "",
        },
    ]
    path = _write_jsonl(tmp_path / "alerts.jsonl", rows)
    skipped: list[str] = []
    first, second, third = load_queries(
        path,
        query_fields=["summary", "description"],
        answer_field="runbook_path",
        id_field="alert",
        skipped=skipped,
    )
    assert skipped == [f"{path}:3"]  # nothing to ask
    assert third.id == "A#4" and third.group == first.group == "A"  # same alert, same intent
    assert first.text == "Reload failed. For now."
    assert first.expected_docs == ("runbooks/a.md",) and first.id == "A"
    assert second.expected_docs == () and not second.labelled
    with pytest.raises(InvalidInputError, match=r"alerts.jsonl:1: no field 'title'"):
        load_queries(path, query_fields=["title"])
