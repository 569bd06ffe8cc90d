"""The root ``alto`` command: the Typer app with every command group, each command guarded.

Exit codes (cli/guard.py): 0 success, 1 failure, 2 usage error or invalid input, 130
interrupted. The console script's entry point is ``main`` (cli/entry.py, Typer-free).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from alto_cli import __version__
from alto_cli.cli.entry import main
from alto_cli.cli.guard import CommandExit, guarded

__all__ = ["AltoTyper", "app", "guard", "main", "new_app"]


def guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn AltoError into a one-line message on stderr and its exit code (cli/guard.py)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with guarded():
                return func(*args, **kwargs)
        except CommandExit as done:
            raise typer.Exit(done.code) from None

    return wrapper


class AltoTyper(typer.Typer):
    """A Typer whose commands all go through ``guard``."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            register(guard(func))
            return func

        return decorator


def new_app(name: str | None = None, help: str | None = None) -> AltoTyper:
    return AltoTyper(
        name=name,
        help=help,
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
    )


app = new_app(help="alto: translate, validate, retrieve and run ALTO instructions.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"alto {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """alto: translate, validate, retrieve and run ALTO instructions."""


def _register_commands() -> None:
    # Each module adds its commands to ``app``; heavy imports stay inside the commands.
    from alto_cli.cli import commands

    for register in commands.REGISTRARS:
        register(app)


_register_commands()
