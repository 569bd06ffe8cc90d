"""The list of command modules; each exposes ``register(app)``.

Kept in one small list so adding a command is one line here.
"""

from __future__ import annotations

REGISTRARS: list = []
