"""``alto cache stats|clear|warm``: the response cache."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from alto_cli.cli.app import new_app
from alto_cli.cli.options import CollectionOpt, JsonOpt, QuietOpt, RegistryOpt


def read_warm_file(path: Path) -> list[str]:
    """Inputs, one a line (questions or compact instructions); a ``v1`` block may span lines
    up to a blank line; lines starting with '#' are comments."""
    from alto_cli.errors import InvalidInputError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInputError(f"{path}: cannot read: {err}") from None
    items: list[str] = []
    block: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if block:
            if stripped:
                block.append(stripped)
                continue
            items.append("\n".join(block))
            block = []
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.lower() == "v1":
            block = [stripped]
        else:
            items.append(stripped)
    if block:
        items.append("\n".join(block))
    return items


def register(app: typer.Typer) -> None:
    cache_app = new_app("cache", help="The response cache: stats, clear, warm.")
    app.add_typer(cache_app, name="cache")

    @cache_app.command("stats")
    def stats_command(json_out: JsonOpt = False) -> None:
        """Entries, size, hits, misses and hit rate."""
        from alto_cli.cli.output import Output
        from alto_cli.response_cache import ResponseCache

        out = Output(json_mode=json_out)
        with ResponseCache() as cache:
            stats = cache.stats()
        if json_out:
            out.json(stats)
            return
        out.table(
            ["entries", "size", "hits", "misses", "hit rate", "ttl", "size limit"],
            [
                [
                    stats["entries"],
                    _size(stats["size_bytes"]),
                    stats["hits"],
                    stats["misses"],
                    f"{100 * stats['hit_rate']:.1f}%",
                    f"{stats['ttl_s'] / 3600:g} h",
                    _size(stats["size_limit_bytes"]),
                ]
            ],
        )

    @cache_app.command("clear")
    def clear_command(json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
        """Remove every cached answer (and reset the hit counters)."""
        from alto_cli.cli.output import Output
        from alto_cli.response_cache import ResponseCache

        out = Output(json_mode=json_out, quiet=quiet)
        with ResponseCache() as cache:
            removed = cache.clear()
        if json_out:
            out.json({"removed": removed})
        else:
            out.text(f"removed {removed} cached answer(s)")

    @cache_app.command("warm")
    def warm_command(
        file: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Argument(
                help="Questions or instructions, one a line. "
                "Without it: the most frequent instructions in the usage log.",
                show_default=False,
            ),
        ] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 50,
        max_tokens: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(
                "--max-tokens",
                min=1,
                help="Stop after spending this many LLM tokens.",
                show_default=False,
            ),
        ] = None,
        k: Annotated[int, typer.Option("--k", "-k", min=1, max=50)] = 5,
        provider: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--provider", help="auto, openai or extractive.", show_default=False),
        ] = None,
        model: Annotated[Optional[str], typer.Option("--model", show_default=False)] = None,  # noqa: UP045
        collection: CollectionOpt = None,
        registry: RegistryOpt = None,
        json_out: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Precompute answers for a file of inputs or the most frequent logged instructions."""
        from alto_cli.cli.output import Output
        from alto_cli.config import registry_path
        from alto_cli.registry import load_registry
        from alto_cli.runner import warm

        out = Output(json_mode=json_out, quiet=quiet)
        if file is not None:
            inputs = read_warm_file(file)[:limit]
        else:
            from alto_cli.usage_log import UsageLog

            with UsageLog() as log:
                inputs = [text for text, _n in log.top_instructions(limit)]
        reg = load_registry(registry_path(registry))
        with out.progress("warming the cache", total=len(inputs)) as advance:
            report = warm(
                inputs,
                registry=reg,
                k=k,
                provider=provider or "auto",
                model=model,
                max_tokens=max_tokens,
                advance=advance,
                collection=collection,
            )
        if json_out:
            from dataclasses import asdict

            out.json(asdict(report))
            return
        for error in report.errors:
            out.warn(error)
        note = " (stopped at the --max-tokens cap)" if report.stopped_at_cap else ""
        out.text(
            f"warmed {report.answered}, already cached {report.already_cached}, "
            f"failed {report.failed}, LLM tokens spent {report.tokens_spent}{note}"
        )
        if report.failed and not report.answered and not report.already_cached:
            raise typer.Exit(1)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)
