"""``alto translate``: questions in, ALTO instructions out (one, or a batch from stdin/a file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from alto_cli.cli.bodies import runs
from alto_cli.cli.bodies.translate import translate_body
from alto_cli.cli.options import JsonOpt, QuietOpt, RegistryOpt, RoleOpt

HELP = """Translate a question into an ALTO instruction.

With no QUESTION (or '-') and piped input, or with --file, translates one question per line
and prints one result per line (compact form, or JSON lines with --json)."""


def register(app: Any) -> None:
    app.command("translate", help=HELP)(translate_command)


@runs(translate_body)
def translate_command(
    question: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional on 3.10
        typer.Argument(help="The question; '-' reads questions from stdin.", show_default=False),
    ] = None,
    role: RoleOpt = None,
    provider: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--provider",
            help="auto (local, LLM when unsure and configured), local or openai "
            "[env: ALTO_PROVIDER; default: auto].",
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--model", help="LLM model [env: ALTO_TRANSLATE_MODEL].", show_default=False),
    ] = None,
    file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--file", "-f", help="Translate each line of this file.", show_default=False),
    ] = None,
    compact: Annotated[bool, typer.Option("--compact", help="One-line form.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each field's evidence and confidence.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a question is out of scope.")
    ] = False,
    registry: RegistryOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Declares the flags; the body is bodies.translate.translate_body."""
