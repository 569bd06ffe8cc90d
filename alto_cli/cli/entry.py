"""The console script's entry point, free of Typer: the hot commands run through the
start-up fast path (cli/fastpath.py); everything else, and whatever the fast path refuses,
goes to the Typer app (cli/app.py), imported only then."""

from __future__ import annotations

import sys

from alto_cli.config import debug_enabled
from alto_cli.errors import AltoError


def main() -> None:
    """Console-script entry point."""
    try:
        from alto_cli.cli import fastpath

        code = fastpath.run(sys.argv[1:])
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
        from alto_cli.cli.app import app

        app()
    except AltoError as err:  # raised outside a command (e.g. while registering)
        if debug_enabled():
            raise
        sys.stderr.write(f"alto: error: {err.message}\n")
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
