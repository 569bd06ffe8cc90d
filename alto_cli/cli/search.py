"""``alto search``: show what retrieval would return for a question or an ALTO instruction."""

from __future__ import annotations

from typing import Annotated

import typer

from alto_cli.cli.bodies import runs
from alto_cli.cli.bodies.search import search_body
from alto_cli.cli.options import CollectionOpt, JsonOpt, QuietOpt, RegistryOpt


def register(app: typer.Typer) -> None:
    app.command("search")(search)


@runs(search_body)
def search(
    text: Annotated[str, typer.Argument(help="A question, or an ALTO instruction in any form.")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=100, help="Passages to show.")] = 5,
    collection: CollectionOpt = None,
    registry: RegistryOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Show the passages retrieval would pass to the model (to debug registry and corpus)."""
