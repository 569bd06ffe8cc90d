"""The root ``alto`` command: the command groups and the one place errors become exit codes.

Exit codes: 0 success, 1 failure, 2 usage error or invalid input, 130 interrupted.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from alto_cli import __version__
from alto_cli.config import debug_enabled
from alto_cli.errors import AltoError


def guard(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn AltoError into a one-line message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AltoError as err:
            if debug_enabled():
                raise
            from alto_cli.cli.output import Output

            Output().error(err.message, hint=err.hint)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("alto: interrupted\n")
            raise typer.Exit(130) from None

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


def main() -> None:
    """Console-script entry point."""
    try:
        from alto_cli.cli import fastpath

        code = fastpath.run(sys.argv[1:])
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
        app()
    except AltoError as err:  # raised outside a command (e.g. while registering)
        if debug_enabled():
            raise
        sys.stderr.write(f"alto: error: {err.message}\n")
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
