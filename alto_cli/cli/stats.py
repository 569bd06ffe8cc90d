"""``alto stats``: totals from the usage log."""

from __future__ import annotations

import typer

from alto_cli.cli.options import JsonOpt


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats_command(json_out: JsonOpt = False) -> None:
        """Runs, cache hit rate, tokens saved and latency percentiles from the usage log."""
        from alto_cli.cli.output import Output
        from alto_cli.usage_log import UsageLog

        out = Output(json_mode=json_out)
        with UsageLog() as log:
            stats = log.stats()
        if json_out:
            out.json(stats)
            return
        lat = stats["latency_ms"]
        out.table(
            ["metric", "value"],
            [
                ["runs", stats["runs"]],
                ["cache hits", stats["cache_hits"]],
                ["hit rate", f"{100 * stats['hit_rate']:.1f}%"],
                ["prompt tokens", stats["prompt_tokens"]],
                ["plain-prompt tokens", stats["plain_prompt_tokens"]],
                [
                    "tokens saved",
                    f"{stats['tokens_saved']} ({100 * stats['prompt_reduction']:.0f}%)",
                ],
                ["LLM tokens used", stats["llm_tokens_used"]],
                ["latency p50", f"{lat['p50']:.1f} ms"],
                ["latency p95", f"{lat['p95']:.1f} ms"],
            ],
        )
