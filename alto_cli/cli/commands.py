"""The command modules; each exposes ``register(app)``. Adding a command is one line here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REGISTRARS: list[Callable[[Any], None]] = []

from alto_cli.cli import benchmark  # noqa: E402

REGISTRARS.append(benchmark.register)
