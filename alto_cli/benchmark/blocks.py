"""The report's content as blocks of tables, shared by the terminal, text and Markdown views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Block:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"


def num(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.4f}"


def header(report: dict[str, Any]) -> str:
    suite = report["suite"]
    corpus = f", corpus {suite['corpus']}" if suite.get("corpus") else ""
    return (
        f"alto benchmark: {suite['name']} ({suite['questions']} questions{corpus}) "
        f"in {report['duration_s']:.1f} s"
    )


def blocks(report: dict[str, Any]) -> list[Block]:
    out: list[Block] = []
    sections = report["sections"]
    for name in report["suite"]["sections"]:
        body = sections.get(name, {})
        if body.get("status") != "ok":
            status = body.get("status", "not run")
            out.append(Block(name.capitalize(), ["status"], [[f"{status}: {body.get('reason')}"]]))
            continue
        out += _BUILDERS[name](body)
    out += gate_blocks(report.get("gate"))
    return out


def _translation(body: dict[str, Any]) -> list[Block]:
    result = []
    for provider, scores in body["providers"].items():
        oos = scores["out_of_scope"]
        ctx = scores["ctx"]
        rows = [
            ["accuracy (CMD, CTX, FMT, U, L right; OOS detected)", pct(scores["accuracy"])],
            ["exact instruction match (all six fields)", pct(scores["exact_match"])],
        ]
        rows += [[f"field {f}", pct(v)] for f, v in scores["fields"].items()]
        rows += [
            ["CTX precision / recall", f"{pct(ctx['precision'])} / {pct(ctx['recall'])}"],
            [
                "out of scope precision / recall",
                f"{pct(oos['precision'])} / {pct(oos['recall'])} "
                f"(tp {oos['tp']}, fp {oos['fp']}, fn {oos['fn']})",
            ],
            ["questions (in scope)", f"{scores['n']} ({scores['in_scope']})"],
        ]
        if "answered_by_llm" in scores:
            rows.append(["answered by the LLM (auto)", pct(scores["answered_by_llm"])])
        result.append(Block(f"Translation ({provider})", ["metric", "value"], rows))
        for field_name, table in scores["confusion"].items():
            labels = table["labels"]
            matrix = [
                [want] + [str(table["counts"][want].get(got, 0) or "·") for got in labels]
                for want in table["counts"]
            ]
            result.append(
                Block(
                    f"{field_name} confusion ({provider})",
                    ["expected \\ got", *labels],
                    matrix,
                    note="rows: expected; columns: translated (OOS = called out of scope)",
                )
            )
    return result


def _tokens(body: dict[str, Any]) -> list[Block]:
    cost = body["cost"]
    rows = [
        ["questions", str(body["n"])],
        ["ALTO prompt tokens (total / mean)", f"{body['alto_total']:,} / {num(body['alto_mean'])}"],
        [
            "plain prompt tokens (total / mean)",
            f"{body['plain_total']:,} / {num(body['plain_mean'])}",
        ],
        ["reduction", pct(body["reduction"])],
        [
            f"cost per 1K queries at ${body['price_per_1k_tokens']}/1K tokens (ALTO / plain)",
            f"{money(cost['alto_per_1k_queries'])} / {money(cost['plain_per_1k_queries'])}",
        ],
    ]
    return [Block("Tokens (prompt, cl100k_base)", ["metric", "value"], rows)]


def _cache(body: dict[str, Any]) -> list[Block]:
    alto, exact = body["alto"], body["exact_string"]

    def row(name: str, ledger: dict[str, Any]) -> list[str]:
        by_kind = ledger.get("hit_rate_by_kind") or {}
        return [
            name,
            pct(ledger["hit_rate"]),
            pct(ledger.get("share_of_possible_hits")),
            pct(by_kind.get("paraphrase")),
            pct(ledger["wrong_hit_rate"]),
            str(ledger["entries"]),
        ]

    rows = [
        row("ALTO cache (canonical instruction)", alto),
        row("exact question string", exact),
        ["best possible (one miss per intent)", pct(body["oracle_hit_rate"]), "", "", "", ""],
    ]
    note = (
        f"replay of {body['stream_length']} questions (seed {body['seed']}): "
        f"{body['distinct_questions']} distinct questions, {body['distinct_intents']} intents"
    )
    kinds = alto.get("lookups_by_kind") or {}
    if kinds:
        note += (
            f"; lookups: {kinds.get('repeat', 0)} exact repeats, "
            f"{kinds.get('paraphrase', 0)} new paraphrases of an intent asked before, "
            f"{kinds.get('first', 0)} first asks"
        )
    columns = ["cache", "hit rate", "of possible", "paraphrase hits", "wrong hits", "entries"]
    return [Block("Cache", columns, rows, note=note)]


def _retrieval(body: dict[str, Any]) -> list[Block]:
    k = body["k"]
    rows = [
        [f"recall@{k}", pct(body["recall_at_k"])],
        [f"hit@{k} (any expected document)", pct(body["hit_rate_at_k"])],
        ["MRR", num(body["mrr"], 3)],
        ["questions with an expected document", str(body["n"])],
        ["CTX filter used / fell back", f"{body['filtered']} / {body['fell_back']}"],
        [
            "retrieve p50 / p95",
            f"{ms(body['latency']['p50_ms'])} / {ms(body['latency']['p95_ms'])}",
        ],
    ]
    return [Block("Retrieval", ["metric", "value"], rows)]


def _latency(body: dict[str, Any]) -> list[Block]:
    rows = []
    for stage, summary in [*body["stages"].items(), ("end to end", body["end_to_end"])]:
        rows.append(
            [
                stage.replace("_", " "),
                ms(summary["p50_ms"]),
                ms(summary["p95_ms"]),
                ms(summary["mean_ms"]),
                str(summary["n"]),
            ]
        )
    return [Block("Latency", ["stage", "p50", "p95", "mean", "n"], rows)]


def gate_blocks(gate: dict[str, Any] | None) -> list[Block]:
    if not gate:
        return []
    out = []
    if gate["checks"]:
        rows = [
            [
                "PASS" if c["passed"] else "FAIL",
                c["metric"],
                "n/a" if c["value"] is None else f"{c['value']:.4g}",
                f"{c['op']} {c['threshold']:.4g}",
                c["source"],
            ]
            for c in gate["checks"]
        ]
        out.append(Block("Gate", ["", "metric", "value", "threshold", "from"], rows))
    baseline = gate.get("baseline")
    if baseline:
        rows = [
            [
                "REGRESSED" if d["regressed"] else "ok",
                d["metric"],
                f"{d['baseline']:.4g}",
                f"{d['current']:.4g}",
                f"{d['delta']:+.4g}",
                d["allowed"],
            ]
            for d in baseline["deltas"]
        ]
        out.append(
            Block(
                f"Against baseline {baseline['file']}",
                ["", "metric", "baseline", "now", "delta", "allowed"],
                rows,
            )
        )
    return out


_BUILDERS = {
    "translation": _translation,
    "tokens": _tokens,
    "cache": _cache,
    "retrieval": _retrieval,
    "latency": _latency,
}


def verdict(report: dict[str, Any]) -> str:
    gate = report.get("gate") or {}
    failed_sections = [
        name for name, body in report["sections"].items() if body.get("status") == "failed"
    ]
    if gate.get("passed", True) and not failed_sections:
        return "PASSED"
    return "FAILED"


def render_text(report: dict[str, Any]) -> str:
    lines = [header(report), ""]
    for block in blocks(report):
        lines.append(block.title)
        table = [block.columns, *block.rows]
        widths = [
            max(len(row[i]) if i < len(row) else 0 for row in table)
            for i in range(len(block.columns))
        ]
        for row in table:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
            lines.append("  " + "  ".join(cells).rstrip())
        if block.note:
            lines.append(f"  ({block.note})")
        lines.append("")
    lines.append(f"result: {verdict(report)}")
    for failure in failure_lines(report):
        lines.append(f"  - {failure}")
    return "\n".join(lines)


def failure_lines(report: dict[str, Any]) -> list[str]:
    lines = [
        f"section {name} failed: {body.get('reason')}"
        for name, body in report["sections"].items()
        if body.get("status") == "failed"
    ]
    return lines + list((report.get("gate") or {}).get("failures", []))


def render_markdown(report: dict[str, Any]) -> str:
    mark = "✅" if verdict(report) == "PASSED" else "❌"
    lines = [f"### {mark} {header(report)}", ""]
    for block in blocks(report):
        lines += [f"**{block.title}**", ""]
        lines.append("| " + " | ".join(_md(c) for c in block.columns) + " |")
        lines.append("|" + "|".join("---" for _ in block.columns) + "|")
        for row in block.rows:
            lines.append("| " + " | ".join(_md(c) for c in row) + " |")
        if block.note:
            lines += ["", f"_{_md(block.note)}_"]
        lines.append("")
    failures = failure_lines(report)
    if failures:
        lines += ["**Failed:**", ""] + [f"- {_md(f)}" for f in failures] + [""]
    env = report["environment"]
    lines.append(
        f"<sub>alto {env['alto']}, Python {env['python']}, "
        f"{', '.join(env['translation_providers'])} translation, "
        f"answers: {env['answer_provider']}, "
        f"store: {env['store']}, schema v{report['schema_version']}</sub>"
    )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
