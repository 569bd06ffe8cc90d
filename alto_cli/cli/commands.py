"""The command modules; each exposes ``register(app)``. Adding a command is one line here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alto_cli.cli import benchmark, ctx, migrate, search, validate

REGISTRARS: list[Callable[[Any], None]] = [
    validate.register,
    ctx.register,
    migrate.register,
    search.register,
    benchmark.register,
]
