"""The command modules; each exposes ``register(app)``. Adding a command is one line here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alto_cli.cli import (
    benchmark,
    cache,
    ctx,
    migrate,
    run,
    search,
    session,
    stats,
    translate,
    validate,
)

REGISTRARS: list[Callable[[Any], None]] = [
    translate.register,
    run.register,
    validate.register,
    ctx.register,
    migrate.register,
    search.register,
    cache.register,
    stats.register,
    session.register,
    benchmark.register,
]
