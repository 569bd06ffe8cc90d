"""The HTML report: one self-contained page, charts drawn as inline SVG (no scripts, no network)."""

from __future__ import annotations

import html
import json
from typing import Any

from alto_cli.benchmark.blocks import blocks, failure_lines, header, ms, pct, verdict
from alto_cli.benchmark.metrics import percentile

ALTO_COLOUR = "#2563eb"
PLAIN_COLOUR = "#f59e0b"
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:1200px;color:#1f2937;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;
padding-bottom:4px} .muted{color:#6b7280} .cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:22px} .pass{color:#15803d} .fail{color:#b91c1c}
table{border-collapse:collapse;margin:8px 0 16px} td,th{border:1px solid #e5e7eb;padding:3px 8px;
text-align:left;font-variant-numeric:tabular-nums} th{background:#f9fafb}
td.n{text-align:right} .grid{display:flex;flex-wrap:wrap;gap:24px} svg{max-width:100%;height:auto}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}
"""


def render_html(report: dict[str, Any]) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(header(report))}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(header(report))}</h1>",
        _verdict(report),
        _cards(report),
    ]
    sections = report["sections"]
    latency = sections.get("latency", {})
    if latency.get("status") == "ok":
        parts += ["<h2>Latency</h2>", _latency_charts(latency)]
    tokens = sections.get("tokens", {})
    if tokens.get("status") == "ok":
        parts += ["<h2>Prompt tokens per question: ALTO vs plain</h2>", _tokens_chart(tokens)]
    translation = sections.get("translation", {})
    if translation.get("status") == "ok":
        parts.append("<h2>Translation confusion</h2><div class='grid'>")
        for provider, scores in translation["providers"].items():
            for field, table in scores["confusion"].items():
                parts.append(_confusion(f"{field} ({provider})", table))
        parts.append("</div>")
    parts.append("<h2>All figures</h2>")
    for block in blocks(report):
        parts.append(_table(block.title, block.columns, block.rows, block.note))
    parts.append(_environment(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _verdict(report: dict[str, Any]) -> str:
    result = verdict(report)
    cls = "pass" if result == "PASSED" else "fail"
    items = "".join(f"<li>{_e(line)}</li>" for line in failure_lines(report))
    return f"<p class='{cls}'><b>{result}</b></p>" + (f"<ul>{items}</ul>" if items else "")


def _cards(report: dict[str, Any]) -> str:
    m = report["metrics"]
    cards = [
        ("translation accuracy", pct(m.get("translation.accuracy"))),
        ("exact instruction match", pct(m.get("translation.exact_match"))),
        ("token reduction", pct(m.get("tokens.reduction"))),
        ("cache hit rate", pct(m.get("cache.hit_rate"))),
        ("wrong cache hits", pct(m.get("cache.wrong_hit_rate"))),
        ("retrieval recall@k", pct(m.get("retrieval.recall_at_k"))),
        ("end-to-end p95", ms(m.get("latency.end_to_end.p95_ms"))),
    ]
    body = "".join(
        f"<div class='card'><span class='muted'>{_e(label)}</span><b>{_e(value)}</b></div>"
        for label, value in cards
        if value != "n/a"
    )
    return f"<div class='cards'>{body}</div>"


def _latency_charts(latency: dict[str, Any]) -> str:
    samples = latency["samples_ms"]
    hist = _histogram(samples.get("end_to_end", []), "end-to-end latency (uncached runs)")
    stages = [(name, latency["stages"][name]) for name in latency["stages"]]
    stages.append(("end_to_end", latency["end_to_end"]))
    bars = _stage_bars(stages)
    return f"<div class='grid'>{hist}{bars}</div>"


def _histogram(values: list[float], title: str, width: int = 560, height: int = 260) -> str:
    if not values:
        return ""
    bins = 30
    low, slowest = min(values), max(values)
    # Bins span up to p99 so one cold outlier (the first store open) does not squash the rest;
    # slower runs go into the last bar, labelled as such.
    high = percentile(values, 99) if len(values) >= 20 else slowest
    high = high if high is not None and high > low else slowest
    span = (high - low) or 1.0
    counts = [0] * bins
    for v in values:
        counts[max(0, min(bins - 1, int((v - low) / span * bins)))] += 1
    beyond = sum(1 for v in values if v > high)
    left, bottom, top = 44, 36, 24
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(counts) or 1
    bar_w = plot_w / bins
    rects = []
    for i, c in enumerate(counts):
        h = c / peak * plot_h
        x = left + i * bar_w
        edge = low + span * i / bins
        rects.append(
            f"<rect x='{x:.1f}' y='{top + plot_h - h:.1f}' width='{max(bar_w - 1, 1):.1f}' "
            f"height='{h:.1f}' fill='{ALTO_COLOUR}'><title>{edge:.1f}–{edge + span / bins:.1f} ms:"
            f" {c}</title></rect>"
        )
    axis = (
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' "
        "stroke='#9ca3af'/>"
        f"<text x='{left}' y='{height - 12}' font-size='11'>{low:.1f} ms</text>"
        f"<text x='{left + plot_w}' y='{height - 12}' font-size='11' text-anchor='end'>"
        + (f"{high:.1f}+ ms ({beyond} up to {slowest:.1f} ms)" if beyond else f"{high:.1f} ms")
        + "</text>"
        f"<text x='{left - 6}' y='{top + 4}' font-size='11' text-anchor='end'>{peak}</text>"
        f"<text x='{left - 6}' y='{top + plot_h}' font-size='11' text-anchor='end'>0</text>"
    )
    return _svg(width, height, title, "".join(rects) + axis)


def _stage_bars(stages: list[tuple[str, dict[str, Any]]], width: int = 560) -> str:
    row_h, left, top = 34, 110, 28
    height = top + row_h * len(stages) + 30
    peak = max((s.get("p95_ms") or 0) for _, s in stages) or 1.0
    plot_w = width - left - 130
    parts = []
    for i, (name, summary) in enumerate(stages):
        y = top + i * row_h
        p50, p95 = summary.get("p50_ms"), summary.get("p95_ms")
        parts.append(
            f"<text x='{left - 8}' y='{y + 16}' font-size='12' text-anchor='end'>"
            f"{_e(name.replace('_', ' '))}</text>"
        )
        if p95 is None:
            parts.append(f"<text x='{left}' y='{y + 16}' font-size='12' fill='#6b7280'>n/a</text>")
            continue
        parts.append(
            f"<rect x='{left}' y='{y + 4}' width='{p95 / peak * plot_w:.1f}' height='10' "
            f"fill='{PLAIN_COLOUR}'><title>p95 {p95:.2f} ms</title></rect>"
            f"<rect x='{left}' y='{y + 15}' width='{(p50 or 0) / peak * plot_w:.1f}' height='10' "
            f"fill='{ALTO_COLOUR}'><title>p50 {p50:.2f} ms</title></rect>"
            f"<text x='{left + p95 / peak * plot_w + 6:.1f}' y='{y + 18}' font-size='11'>"
            f"{p50:.1f} / {p95:.1f} ms</text>"
        )
    legend = (
        f"<rect x='{left}' y='{height - 18}' width='10' height='10' fill='{ALTO_COLOUR}'/>"
        f"<text x='{left + 14}' y='{height - 9}' font-size='11'>p50</text>"
        f"<rect x='{left + 50}' y='{height - 18}' width='10' height='10' fill='{PLAIN_COLOUR}'/>"
        f"<text x='{left + 64}' y='{height - 9}' font-size='11'>p95</text>"
    )
    return _svg(width, height, "per stage: p50 and p95", "".join(parts) + legend)


def _tokens_chart(tokens: dict[str, Any], width: int = 1160, height: int = 320) -> str:
    rows = sorted(tokens["per_question"], key=lambda r: r["plain"])
    if not rows:
        return ""
    left, bottom, top = 52, 30, 24
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(max(r["plain"], r["alto"]) for r in rows) or 1
    step = plot_w / len(rows)
    parts = []
    for i, row in enumerate(rows):
        x = left + i * step
        w = max(step - 0.5, 0.6)
        for value, colour in ((row["plain"], PLAIN_COLOUR), (row["alto"], ALTO_COLOUR)):
            h = value / peak * plot_h
            parts.append(
                f"<rect x='{x:.2f}' y='{top + plot_h - h:.2f}' width='{w:.2f}' height='{h:.2f}' "
                f"fill='{colour}'><title>{_e(row['id'])}: ALTO {row['alto']}, "
                f"plain {row['plain']}</title></rect>"
            )
    axis = (
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' "
        "stroke='#9ca3af'/>"
        f"<text x='{left - 6}' y='{top + 4}' font-size='11' text-anchor='end'>{peak}</text>"
        f"<text x='{left - 6}' y='{top + plot_h}' font-size='11' text-anchor='end'>0</text>"
        f"<text x='{left}' y='{height - 8}' font-size='11'>{len(rows)} questions, sorted by "
        f"plain-prompt tokens; mean ALTO {tokens['alto_mean']:.0f} vs plain "
        f"{tokens['plain_mean']:.0f} ({pct(tokens['reduction'])} fewer)</text>"
    )
    legend = (
        "<div class='legend'>"
        f"<span style='background:{ALTO_COLOUR}'></span>ALTO prompt"
        f"<span style='background:{PLAIN_COLOUR}'></span>plain prompt</div>"
    )
    return legend + _svg(width, height, "prompt tokens per question", "".join(parts) + axis)


def _confusion(title: str, table: dict[str, Any]) -> str:
    labels = table["labels"]
    counts = table["counts"]
    peak = max((n for row in counts.values() for n in row.values()), default=1)
    head = "".join(f"<th>{_e(label)}</th>" for label in labels)
    rows = []
    for want, row in counts.items():
        cells = []
        for got in labels:
            n = row.get(got, 0)
            shade = 0.08 + 0.72 * n / peak if n else 0
            colour = "37,99,235" if got == want else "220,38,38"
            style = f" style='background:rgba({colour},{shade:.2f})'" if n else ""
            cells.append(f"<td class='n'{style}>{n or ''}</td>")
        rows.append(f"<tr><th>{_e(want)}</th>{''.join(cells)}</tr>")
    return (
        f"<div><b>{_e(title)}</b><table><tr><th>expected \\ got</th>{head}</tr>"
        f"{''.join(rows)}</table></div>"
    )


def _table(title: str, columns: list[str], rows: list[list[str]], note: str) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    caption = f"<div class='muted'>{_e(note)}</div>" if note else ""
    return f"<h3>{_e(title)}</h3><table><tr>{head}</tr>{body}</table>{caption}"


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (
        f"<figure style='margin:0'><figcaption class='muted'>{_e(title)}</figcaption>"
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{_e(title)}'>{body}</svg></figure>"
    )


def _environment(report: dict[str, Any]) -> str:
    env = json.dumps(report["environment"], indent=2, ensure_ascii=False)
    return f"<h2>Environment</h2><pre>{_e(env)}</pre>"
