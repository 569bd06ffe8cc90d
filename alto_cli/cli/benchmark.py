"""``alto benchmark``: run a suite, print the report, write JSON/Markdown/HTML, gate CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from alto_cli.cli.options import QuietOpt, RegistryOpt
from alto_cli.cli.output import Output
from alto_cli.errors import InvalidInputError

DEFAULT_SUITE = Path("benchmarks/suite.yaml")
CORPUS_SUITE_NAME = "alto-benchmark.yaml"

FileOpt = Optional[Path]  # noqa: UP045 - Typer needs Optional on 3.10


def register(app: Any) -> None:
    app.command("benchmark")(benchmark)


def benchmark(
    suite: Annotated[
        FileOpt,
        typer.Option("--suite", help="Suite file (YAML) [default: benchmarks/suite.yaml]."),
    ] = None,
    corpus: Annotated[
        FileOpt,
        typer.Option(
            "--corpus",
            help="A corpus folder to load instead of the suite's; with no --suite it needs "
            f"--queries or an {CORPUS_SUITE_NAME} inside it.",
        ),
    ] = None,
    queries: Annotated[
        FileOpt, typer.Option("--queries", help="The corpus's query file (JSONL).")
    ] = None,
    query_fields: Annotated[
        str, typer.Option("--query-fields", help="Fields joined into the question.")
    ] = "question",
    answer_field: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--answer-field", help="Field holding the expected document path."),
    ] = None,
    id_field: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--id-field", help="Field holding a question id."),
    ] = None,
    default_ctx: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--default-ctx", help="CTX code for corpus documents without one."),
    ] = None,
    registry: RegistryOpt = None,
    section: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--section",
            help="Only this section (repeatable): translation, tokens, cache, retrieval, latency.",
        ),
    ] = None,
    provider: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--provider",
            help="Translation provider to score (repeatable): local, openai, auto.",
        ),
    ] = None,
    answer_provider: Annotated[
        str, typer.Option("--answer-provider", help="run()'s provider: auto, openai, extractive.")
    ] = "auto",
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--model", help="Model for the openai providers."),
    ] = None,
    k: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--k", min=1, max=100, help="Passages per question."),
    ] = None,
    price_per_1k: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--price-per-1k", min=0, help="Price per 1K prompt tokens, in dollars."),
    ] = None,
    replay_length: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--replay-length", min=1, help="Questions in the cache replay stream."),
    ] = None,
    seed: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--seed", help="Seed of the cache replay stream."),
    ] = None,
    min_accuracy: Annotated[Optional[float], typer.Option("--min-accuracy")] = None,  # noqa: UP045
    min_token_reduction: Annotated[
        Optional[float], typer.Option("--min-token-reduction")  # noqa: UP045
    ] = None,
    min_hit_rate: Annotated[Optional[float], typer.Option("--min-hit-rate")] = None,  # noqa: UP045
    max_p95_ms: Annotated[Optional[float], typer.Option("--max-p95-ms")] = None,  # noqa: UP045
    baseline: Annotated[
        FileOpt, typer.Option("--baseline", help="An earlier --json report to compare with.")
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", min=0, help="Allowed drop of a rate against the baseline."),
    ] = 0.02,
    latency_tolerance: Annotated[
        float,
        typer.Option("--latency-tolerance", min=0, help="Allowed relative slow-down (0.5 = 50 %)."),
    ] = 0.5,
    latency_floor_ms: Annotated[
        float,
        typer.Option(
            "--latency-floor-ms", min=0, help="A slow-down under this many ms is never flagged."
        ),
    ] = 5.0,
    json_file: Annotated[
        FileOpt, typer.Option("--json", help="Write the JSON report here ('-' for stdout).")
    ] = None,
    markdown_file: Annotated[
        FileOpt, typer.Option("--markdown", help="Write a Markdown report (for a PR comment).")
    ] = None,
    html_file: Annotated[
        FileOpt, typer.Option("--html", help="Write a self-contained HTML report with charts.")
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Measure translation, tokens, cache, retrieval and latency; exit 1 when the gate fails."""
    from alto_cli.benchmark import evaluate, load_baseline, run_benchmark

    to_stdout = json_file is not None and str(json_file) == "-"
    out = Output(json_mode=to_stdout, quiet=quiet)
    chosen = _suite(suite, corpus, queries, query_fields, answer_field, id_field, default_ctx)
    updates: dict[str, Any] = {}
    if section:
        updates["sections"] = _checked(
            section, ("translation", "tokens", "cache", "retrieval", "latency"), "--section"
        )
    if provider:
        updates["providers"] = _checked(provider, ("local", "openai", "auto"), "--provider")
    if k is not None:
        updates["k"] = k
    if price_per_1k is not None:
        updates["price_per_1k"] = price_per_1k
    if replay_length is not None or seed is not None:
        updates["cache"] = chosen.cache.model_copy(
            update={
                key: value
                for key, value in (("stream_length", replay_length), ("seed", seed))
                if value is not None
            }
        )
    chosen = chosen.model_copy(update=updates)
    thresholds, sources = _thresholds(
        chosen,
        min_accuracy=min_accuracy,
        min_token_reduction=min_token_reduction,
        min_hit_rate=min_hit_rate,
        max_p95_ms=max_p95_ms,
    )
    earlier = load_baseline(baseline) if baseline else None

    report = run_benchmark(
        chosen,
        registry_flag=registry,
        answer_provider=answer_provider,
        model=model,
        progress=out.progress,
    )
    report["gate"] = evaluate(
        report["metrics"],
        thresholds,
        sources=sources,
        baseline=earlier,
        baseline_name=str(baseline) if baseline else None,
        tolerance=tolerance,
        latency_tolerance=latency_tolerance,
        latency_floor_ms=latency_floor_ms,
    )
    _write_files(report, json_file, markdown_file, html_file, out)
    if to_stdout:
        out.json(report)
    else:
        _print(report, out)
    from alto_cli.benchmark.blocks import failure_lines, verdict

    if verdict(report) != "PASSED":
        failures = failure_lines(report)
        if to_stdout:  # the report on stdout is JSON: name the failing lines here
            for line in failures:
                out.error(line)
        else:
            out.error(f"benchmark failed: {len(failures)} failing line(s), listed in the report")
        raise typer.Exit(1)


def _suite(
    suite: Path | None,
    corpus: Path | None,
    queries: Path | None,
    query_fields: str,
    answer_field: str | None,
    id_field: str | None,
    default_ctx: str | None,
) -> Any:
    from alto_cli.benchmark.suite import QueryAdapter, Suite, load_suite

    if suite is None and corpus is not None and queries is None:
        inside = corpus / CORPUS_SUITE_NAME
        if not inside.is_file():
            raise InvalidInputError(
                f"{corpus}: no {CORPUS_SUITE_NAME} in the corpus; pass --suite, or --queries "
                "FILE --query-fields A,B --answer-field F"
            )
        suite = inside
    if suite is None and queries is not None:
        if corpus is None:
            raise InvalidInputError("--queries needs --corpus (the documents they ask about)")
        fields = [f.strip() for f in query_fields.split(",") if f.strip()]
        if not fields:
            raise InvalidInputError("--query-fields names no field")
        return Suite(
            name=corpus.resolve().name,
            corpus=str(corpus.resolve()),
            default_ctx=default_ctx,
            queries=QueryAdapter(
                file=str(queries.resolve()),
                query_fields=fields,
                answer_field=answer_field,
                id_field=id_field,
            ),
            sections=["retrieval", "tokens", "cache", "latency"],
            source="command line",
        )
    path = suite or DEFAULT_SUITE
    if suite is None and not path.is_file():
        raise InvalidInputError(
            f"{path}: no suite here; pass --suite FILE, or --corpus DIR",
            hint="run from the alto repository, or see docs/benchmark.md for the suite format",
        )
    loaded = load_suite(path)
    updates: dict[str, Any] = {}
    if corpus is not None:
        updates["corpus"] = str(corpus.resolve())
    if default_ctx is not None:
        updates["default_ctx"] = default_ctx
    return loaded.model_copy(update=updates) if updates else loaded


def _checked(values: list[str], allowed: tuple[str, ...], flag: str) -> list[str]:
    for value in values:
        if value not in allowed:
            raise InvalidInputError(f"{flag} {value!r}: expected one of {', '.join(allowed)}")
    return list(dict.fromkeys(values))


def _thresholds(suite: Any, **flags: float | None) -> tuple[dict[str, float], dict[str, str]]:
    """Suite thresholds, overridden by flags; also where each came from."""
    from alto_cli.benchmark.gate import THRESHOLDS

    # a suite threshold on a section left out (--section) is not checked; a flag always is
    values = {
        k: v
        for k, v in suite.thresholds.model_dump().items()
        if v is not None and THRESHOLDS[k][0].split(".")[0] in suite.sections
    }
    sources = dict.fromkeys(values, "suite")
    for name, value in flags.items():
        if value is not None:
            values[name] = value
            sources[name] = "--" + name.replace("_", "-")
    return values, sources


def _write_files(
    report: dict[str, Any],
    json_file: Path | None,
    markdown_file: Path | None,
    html_file: Path | None,
    out: Output,
) -> None:
    from alto_cli.benchmark import render_html, render_markdown
    from alto_cli.fsutil import atomic_write_text, locked

    targets = []
    if json_file is not None and str(json_file) != "-":
        targets.append((json_file, json.dumps(report, indent=2, ensure_ascii=False) + "\n"))
    if markdown_file is not None:
        targets.append((markdown_file, render_markdown(report)))
    if html_file is not None:
        targets.append((html_file, render_html(report)))
    for path, text in targets:
        try:
            with locked(path):
                atomic_write_text(path, text)
        except OSError as err:
            raise InvalidInputError(f"{path}: cannot write: {err.strerror or err}") from None
        out.info(f"wrote {path}")


def _print(report: dict[str, Any], out: Output) -> None:
    from alto_cli.benchmark.blocks import blocks, header, render_text, verdict

    if not out.rich_stdout:
        out.text(render_text(report))
        return
    from rich.table import Table

    out.markup(f"[bold]{header(report)}[/bold]", plain=header(report))
    for block in blocks(report):
        table = Table(
            title=block.title, title_justify="left", header_style="bold", caption=block.note or None
        )
        for column in block.columns:
            table.add_column(column)
        for row in block.rows:
            styled = [_style(cell) for cell in row]
            table.add_row(*styled)
        out.render(table, plain="")
    result = verdict(report)
    colour = "green" if result == "PASSED" else "red"
    out.markup(f"[bold {colour}]result: {result}[/]", plain=f"result: {result}")


def _style(cell: str) -> str:
    from rich.markup import escape

    if cell in ("FAIL", "REGRESSED"):
        return f"[red]{cell}[/]"
    if cell == "PASS":
        return f"[green]{cell}[/]"
    return escape(cell)
