"""The one place a command's errors become a message and an exit code, without Typer.

Exit codes: 0 success, 1 failure, 2 usage error or invalid input, 130 interrupted. Both ways
a command runs use ``guarded``: ``AltoTyper`` turns the ``CommandExit`` it raises into
``typer.Exit``, and the start-up fast path (``fastpath.run``) into the process's exit code.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from alto_cli.config import debug_enabled
from alto_cli.errors import AltoError


class CommandExit(Exception):
    """End the command with ``code``; the Typer-free bodies raise it instead of typer.Exit."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Turn AltoError into a one-line message on stderr (and its hint) and CommandExit with
    its exit code, and Ctrl-C into exit 130; ALTO_DEBUG=1 lets the AltoError through, so
    its traceback shows."""
    try:
        yield
    except AltoError as err:
        if debug_enabled():
            raise
        from alto_cli.cli.output import Output

        Output().error(err.message, hint=err.hint)
        raise CommandExit(err.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("alto: interrupted\n")
        raise CommandExit(130) from None
