"""``alto benchmark``: measure translation, tokens, cache, retrieval and latency on a suite.

The core API: ``load_suite`` -> ``run_benchmark`` -> ``apply_gate`` -> renderers.
"""

from alto_cli.benchmark.blocks import render_markdown, render_text
from alto_cli.benchmark.gate import SCHEMA_VERSION, evaluate, load_baseline
from alto_cli.benchmark.harness import run_benchmark
from alto_cli.benchmark.html_report import render_html
from alto_cli.benchmark.suite import Suite, load_suite, parse_suite

__all__ = [
    "SCHEMA_VERSION",
    "Suite",
    "evaluate",
    "load_baseline",
    "load_suite",
    "parse_suite",
    "render_html",
    "render_markdown",
    "render_text",
    "run_benchmark",
]
