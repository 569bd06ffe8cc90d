"""The bodies of the hot commands (translate, run, validate, search), free of Typer.

Each command's flags are declared once, on its Typer function in ``alto_cli/cli/<name>.py``;
that function only declares them and runs the body here (``@runs(body)``). The start-up fast
path calls the same body directly, so neither way of running a command has its own copy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

BODY_ATTR = "alto_body"  # "module:function" of the body a Typer declaration runs


def runs(body: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a function that declares a command's Typer parameters call ``body`` with them.

    The command keeps the declaration's signature, annotations and docstring (Typer reads
    them through ``__wrapped__``); ``body`` takes the same names as keyword arguments.
    """

    def decorate(declaration: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(declaration)
        def command(**kwargs: Any) -> Any:
            return body(**kwargs)

        setattr(command, BODY_ATTR, f"{body.__module__}:{body.__qualname__}")
        return command

    return decorate
