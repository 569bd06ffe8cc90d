"""The body of ``alto run`` (declared in alto_cli/cli/run.py), free of Typer."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any


class OutputForm(str, Enum):
    text = "text"
    json = "json"
    adaptive_card = "adaptive-card"


def read_input(text: str | None, file: Path | None) -> str:
    """INPUT from the argument, --file, or stdin ('-' or nothing on a pipe)."""
    from alto_cli.errors import InvalidInputError

    if file is not None:
        if text not in (None, ""):
            raise InvalidInputError("give INPUT or --file, not both")
        try:
            return file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise InvalidInputError(f"{file}: cannot read input: {err}") from None
    if text in (None, "-"):
        if sys.stdin is None or sys.stdin.isatty():
            raise InvalidInputError("no INPUT: give a question, an instruction, --file or stdin")
        return sys.stdin.read()
    return str(text)


def load_registry_fast(path: Path) -> Any:
    """The registry through its cached snapshot when that is available (no YAML parse on an
    unchanged file), else the full loader."""
    try:
        from alto_cli.registry_snapshot import load_registry_snapshot
    except ImportError:
        from alto_cli.registry import load_registry

        return load_registry(path)
    return load_registry_snapshot(path)


def _role(value: str | None) -> Any:
    from alto_cli.config import ENV_ROLE, pick
    from alto_cli.errors import ConfigError
    from alto_cli.language import Role

    chosen = pick(value, ENV_ROLE)
    if chosen is None:
        return None
    try:
        return Role(chosen.upper())
    except ValueError:
        raise ConfigError(f"unknown role {chosen!r}; expected SU, EN, HR or MG") from None


def run_body(
    *,
    input_text: str | None,
    file: Path | None,
    role: str | None,
    k: int,
    session: str | None,
    dry_run: bool,
    no_cache: bool,
    provider: str | None,
    model: str | None,
    stream: bool,
    output: OutputForm,
    name: str | None,
    collection: str | None,
    registry: Path | None,
    json_out: bool,
    quiet: bool,
) -> None:
    from alto_cli.cli.output import Output
    from alto_cli.config import registry_path
    from alto_cli.runner import run

    form = OutputForm.json if json_out else output
    out = Output(json_mode=form != OutputForm.text, quiet=quiet)
    text = read_input(input_text, file)
    reg = load_registry_fast(registry_path(registry))
    streamed: list[str] = []

    def on_text(piece: str) -> None:
        streamed.append(piece)
        sys.stdout.write(piece)
        sys.stdout.flush()

    use_stream = stream and form == OutputForm.text and not dry_run
    result = run(
        text,
        registry=reg,
        role=_role(role),
        k=k,
        session=session,
        dry_run=dry_run,
        use_cache=not no_cache,
        provider=provider or "auto",
        model=model,
        stream=on_text if use_stream else None,
        collection=collection,
    )
    for warning in result.warnings:
        out.warn(warning)
    if form == OutputForm.json:
        out.json(result.to_dict())
        return
    if form == OutputForm.adaptive_card:
        from alto_cli.teams_card import adaptive_card

        out.json(
            adaptive_card(
                answer=result.answer,
                command=result.fields.command.value,
                sources=result.sources,
                name=name,
                cached=result.cache_hit,
            )
        )
        return
    _render_text(out, result, streamed=bool(streamed))


def _render_text(out: Any, result: Any, *, streamed: bool) -> None:
    from alto_cli.language import to_compact

    alto = to_compact(result.fields)
    if result.question is not None:
        out.info(f"ALTO {alto}")
    if result.provider == "dry-run":
        out.text(result.prompt)
        out.text(
            f"\nprompt tokens: {result.prompt_tokens} "
            f"(plain prompt: {result.plain_prompt_tokens}, {_saving(result)} fewer)"
        )
        return
    if streamed:
        sys.stdout.write("\n")
        # The sources were added after the stream: print only them.
        _head, sep, tail = result.answer.rpartition("\nSources:\n")
        if sep:
            out.text("\nSources:\n" + tail)
    else:
        out.text(result.answer)
    total = result.latency_ms.get("total", 0.0)
    if result.cache_hit:
        out.info(f"answered from the cache ({total:.1f} ms)")
    elif result.out_of_scope:
        out.info("out of scope: nothing retrieved")
    else:
        out.info(
            f"{result.provider}: prompt {result.prompt_tokens} tokens vs plain "
            f"{result.plain_prompt_tokens} ({_saving(result)} fewer), {total:.0f} ms"
        )


def _saving(result: Any) -> str:
    plain = result.plain_prompt_tokens
    if not plain:
        return "0%"
    return f"{100 * (1 - result.prompt_tokens / plain):.0f}%"
