"""Option types shared by the commands, as Annotated aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Write machine-readable JSON to stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")]
RegistryOpt = Annotated[
    Optional[Path],  # noqa: UP045 - Typer needs Optional on 3.10
    typer.Option(
        "--registry",
        help="CTX registry file [env: ALTO_REGISTRY; default: ./ctx_registry.yaml].",
        show_default=False,
    ),
]
RoleOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--role",
        "-u",
        help="Asker's role U: SU, EN, HR, MG [env: ALTO_ROLE].",
        show_default=False,
    ),
]
CollectionOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--collection",
        help="Collection name [env: ALTO_COLLECTION; default: alto].",
        show_default=False,
    ),
]
