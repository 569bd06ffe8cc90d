"""A start-up fast path for the most common call, ``alto translate "question" [flags]``.

Typer builds a pydantic TypeAdapter for every parameter it converts, which costs more than
the whole translation. For a plain ``translate`` call whose arguments are all simple (known
flags, options with a value, one question), ``main`` calls the same command function
directly with those values; anything else (``--help``, unknown or malformed options) goes
through Typer as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_FLAGS = {
    "--json": "json_out",
    "--compact": "compact",
    "--explain": "explain",
    "--strict": "strict",
    "--quiet": "quiet",
    "-q": "quiet",
}
_OPTIONS = {
    "--role": "role",
    "-u": "role",
    "--provider": "provider",
    "--model": "model",
    "--registry": "registry",
    "--file": "file",
    "-f": "file",
}
_PATHS = {"registry", "file"}


def parse_translate_args(args: list[str]) -> dict[str, Any] | None:
    """Keyword arguments for ``translate_command``, or None when Typer should parse ``args``."""
    if not args or args[0] != "translate":
        return None
    kwargs: dict[str, Any] = {}
    rest = args[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        name, _, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not inline:
            kwargs[_FLAGS[name]] = True
        elif name in _OPTIONS:
            if inline:
                value = inline
            elif i + 1 < len(rest) and not rest[i + 1].startswith("-"):
                i += 1
                value = rest[i]
            else:
                return None
            key = _OPTIONS[name]
            if key in kwargs:
                return None
            kwargs[key] = Path(value) if key in _PATHS else value
        elif arg == "--":
            if i + 2 != len(rest) or "question" in kwargs:
                return None
            kwargs["question"] = rest[i + 1]
            break
        elif (arg == "-" or not arg.startswith("-")) and "question" not in kwargs:
            kwargs["question"] = arg
        else:
            return None
        i += 1
    return kwargs


def run(args: list[str]) -> int | None:
    """Run ``translate`` without Typer's parsing; None when these args need Typer."""
    kwargs = parse_translate_args(args)
    if kwargs is None:
        return None
    import typer

    from alto_cli.cli.app import guard
    from alto_cli.cli.translate import translate_command

    try:
        guard(translate_command)(**kwargs)
    except typer.Exit as done:
        return int(done.exit_code or 0)
    return 0
