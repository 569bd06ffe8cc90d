"""``alto run``: answer a question or an instruction (text, JSON or a Teams Adaptive Card)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from alto_cli.cli.bodies import runs
from alto_cli.cli.bodies.run import OutputForm, run_body
from alto_cli.cli.options import CollectionOpt, JsonOpt, QuietOpt, RegistryOpt, RoleOpt


def register(app: typer.Typer) -> None:
    @app.command("run")
    @runs(run_body)
    def run_command(
        input_text: Annotated[
            Optional[str],  # noqa: UP045
            typer.Argument(
                metavar="INPUT",
                help="A question or an ALTO instruction; '-' or nothing reads stdin.",
                show_default=False,
            ),
        ] = None,
        file: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--file", "-f", help="Read INPUT from a file.", show_default=False),
        ] = None,
        role: RoleOpt = None,
        k: Annotated[
            int, typer.Option("--k", "-k", min=1, max=50, help="Passages to retrieve.")
        ] = 5,
        session: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--session",
                "-s",
                help="Keep conversation context under this name.",
                show_default=False,
            ),
        ] = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Print the prompt and its tokens; call nothing.")
        ] = False,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")
        ] = False,
        provider: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--provider",
                help="auto, openai or extractive [env: ALTO_PROVIDER].",
                show_default=False,
            ),
        ] = None,
        model: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--model",
                help="LLM model [env: ALTO_MODEL; default: gpt-4o-mini].",
                show_default=False,
            ),
        ] = None,
        stream: Annotated[
            bool, typer.Option("--stream", help="Print an LLM answer as it arrives.")
        ] = False,
        output: Annotated[
            OutputForm, typer.Option("--output", "-o", help="text, json or adaptive-card.")
        ] = OutputForm.text,
        name: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--name",
                help="Assistant name on the card [env: ALTO_ASSISTANT_NAME].",
                show_default=False,
            ),
        ] = None,
        collection: CollectionOpt = None,
        registry: RegistryOpt = None,
        json_out: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Answer a question or an ALTO instruction from the documentation (cached)."""
