"""The command modules; each exposes ``register(app)``. Adding a command is one line here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REGISTRARS: list[Callable[[Any], None]] = []

from alto_cli.cli import cache, run, session, stats  # noqa: E402 - after REGISTRARS, one line per area

REGISTRARS += [run.register, cache.register, stats.register, session.register]
