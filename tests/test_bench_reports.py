"""The report views (text, Markdown, HTML) and the CLI writing them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from alto_cli.benchmark import SCHEMA_VERSION, evaluate, render_html, render_markdown, render_text
from alto_cli.benchmark.harness import headline_metrics
from alto_cli.benchmark.metrics import Scored, latency_summary, translation_scores
from alto_cli.cli.app import app
from alto_cli.language import parse

runner = CliRunner()


def sample_report() -> dict:
    mfa = parse("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP").canonical()
    other = parse("CMD:EX|Q:rst_MFA|CTX:AG3|FMT:SUM").canonical()
    scores = translation_scores([Scored(mfa, mfa, False), Scored(mfa, other, False)])
    samples = [5.0, 7.5, 9.0, 30.0]
    sections = {
        "translation": {"status": "ok", "providers": {"local": scores}, "mistakes": []},
        "tokens": {
            "status": "ok",
            "n": 2,
            "alto_total": 100,
            "plain_total": 400,
            "alto_mean": 50.0,
            "plain_mean": 200.0,
            "reduction": 0.75,
            "price_per_1k_tokens": 0.5,
            "cost": {
                "alto_total": 0.05,
                "plain_total": 0.2,
                "alto_per_1k_queries": 25.0,
                "plain_per_1k_queries": 100.0,
            },
            "per_question": [
                {"id": "q1", "alto": 40, "plain": 150},
                {"id": "q2", "alto": 60, "plain": 250},
            ],
        },
        "cache": {
            "status": "ok",
            "stream_length": 10,
            "seed": 7,
            "distinct_questions": 4,
            "distinct_intents": 2,
            "alto": {
                "lookups": 10,
                "hits": 7,
                "wrong_hits": 1,
                "hit_rate": 0.7,
                "wrong_hit_rate": 0.1,
                "entries": 3,
                "wrong_examples": [],
            },
            "exact_string": {
                "lookups": 10,
                "hits": 4,
                "wrong_hits": 0,
                "hit_rate": 0.4,
                "wrong_hit_rate": 0.0,
                "entries": 6,
                "wrong_examples": [],
            },
            "oracle_hit_rate": 0.8,
        },
        "retrieval": {"status": "failed", "reason": "the retrieval section needs alto_cli.x"},
        "latency": {
            "status": "ok",
            "stages": {
                s: latency_summary(samples)
                for s in ("translate", "retrieve", "compress", "answer", "cache_hit")
            },
            "end_to_end": latency_summary(samples),
            "translate_local_only": latency_summary(samples),
            "samples_ms": {"end_to_end": samples},
        },
    }
    report = {
        "schema_version": SCHEMA_VERSION,
        "suite": {
            "name": "tiny",
            "questions": 2,
            "corpus": None,
            "sections": ["translation", "tokens", "cache", "retrieval", "latency"],
        },
        "environment": {
            "alto": "0.1.0",
            "python": "3.11",
            "translation_providers": ["local"],
            "answer_provider": "auto",
            "store": "embedded",
        },
        "duration_s": 1.5,
        "sections": sections,
        "metrics": headline_metrics(sections),
    }
    report["gate"] = evaluate(report["metrics"], {"min_token_reduction": 0.7, "min_hit_rate": 0.9})
    return report


def test_headline_metrics_are_flat_and_named() -> None:
    metrics = sample_report()["metrics"]
    assert metrics["translation.accuracy"] == 0.5
    assert metrics["tokens.reduction"] == 0.75
    assert metrics["cache.hit_rate"] == 0.7
    assert metrics["latency.end_to_end.p50_ms"] == 8.25
    assert "retrieval.recall_at_k" not in metrics  # the section failed: no number


def test_text_and_markdown_name_failures() -> None:
    report = sample_report()
    text = render_text(report)
    assert "reduction" in text and "75.0%" in text
    assert "result: FAILED" in text
    assert "cache.hit_rate = 0.7, needs >= 0.9" in text
    assert "section retrieval failed" in text
    md = render_markdown(report)
    assert md.startswith("### ❌ alto benchmark: tiny")
    assert "| FAIL | cache.hit_rate | 0.7 | >= 0.9 | suite |" in md
    assert "| FA | 1 | 1 |" in md  # CMD confusion row: one FA, one EX


def test_html_is_self_contained_with_charts() -> None:
    page = render_html(sample_report())
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert page.count("<svg") >= 3  # latency histogram, stage bars, tokens per question
    assert "CMD (local)" in page and "expected \\ got" in page
    # nothing is fetched: no scripts, stylesheets or images from elsewhere
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"(src|href)\s*=", page)
    assert set(re.findall(r"https?://[^'\"]+", page)) == {"http://www.w3.org/2000/svg"}


def test_cli_writes_json_markdown_html(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text("name: empty\nsections: []\nquestions:\n  - question: How do I reset MFA?\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "benchmark",
            "--suite",
            str(suite),
            "--json",
            str(out / "r.json"),
            "--markdown",
            str(out / "r.md"),
            "--html",
            str(out / "r.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "r.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION and data["gate"]["passed"] is True
    assert data["environment"]["packages"]["pydantic"]
    assert (out / "r.md").read_text().startswith("### ✅")
    assert (out / "r.html").read_text().startswith("<!doctype html>")
    assert "result: PASSED" in result.stdout


def test_cli_threshold_on_missing_metric_exits_1(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text("sections: []\nquestions: [{question: hi}]\nthresholds: {min_mrr: 0.5}\n")
    # the suite's threshold is on a section this run leaves out: not checked
    skipped = runner.invoke(app, ["benchmark", "--suite", str(suite), "--json", "-"])
    assert skipped.exit_code == 0, skipped.output
    assert json.loads(skipped.stdout)["gate"]["checks"] == []
    # a flag is always checked: nothing measured the hit rate, so the gate fails
    result = runner.invoke(
        app, ["benchmark", "--suite", str(suite), "--json", "-", "--min-hit-rate", "0.5"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["gate"]["passed"] is False
    assert "cache.hit_rate = not measured, needs >= 0.5 (min_hit_rate, from --min-hit-rate)" in (
        result.stderr
    )


def test_cli_bad_suite_is_exit_2_with_location(tmp_path: Path) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text("questions: q.jsonl\nprice_per_1k: -1\n")
    result = runner.invoke(app, ["benchmark", "--suite", str(suite)])
    assert result.exit_code == 2
    assert f"{suite}:2: price_per_1k" in result.stderr
    assert "Traceback" not in result.output


def test_latency_histogram_keeps_outliers_in_a_labelled_last_bar() -> None:
    from alto_cli.benchmark.html_report import _histogram

    values = [2.0 + (i % 10) * 0.1 for i in range(99)] + [300.0]
    svg = _histogram(values, "end-to-end")
    assert "(1 up to 300.0 ms)" in svg
    # the bulk spreads over several bars instead of one
    heights = [float(h) for h in re.findall(r"height='([0-9.]+)' fill", svg)]
    assert sum(1 for h in heights if h > 0) >= 5
