"""``alto validate``: check instructions (grammar, registered CTX codes) or lint the registry.

Exit codes: 0 all valid, 1 some invalid (or registry lint errors), 2 usage error.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from alto_cli.cli.bodies import runs
from alto_cli.cli.bodies.validate import validate_body
from alto_cli.cli.options import JsonOpt, QuietOpt, RegistryOpt


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


@runs(validate_body)
def validate(
    inputs: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer needs Optional on 3.10
        typer.Argument(
            help="Instructions, or files of instructions; '-' or nothing reads stdin.",
            show_default=False,
        ),
    ] = None,
    lint_registry: Annotated[
        bool,
        typer.Option(
            "--lint-registry",
            help="Lint the registry file itself (the one --registry / ALTO_REGISTRY names).",
        ),
    ] = False,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check ALTO instructions: grammar, and that every CTX code is registered.

    An argument that names an existing file is read as a file of instructions (blocks
    separated by blank lines, or one compact instruction per line).
    """
