"""Reading the translator's shipped model files (the intent model, the CTX re-ranker).

Both are JSON objects read once per process; a file that is missing or not of its format
leaves the translator on its rules, with a warning, rather than failing a translation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class ModelFileError(Exception):
    """A model file is missing, unreadable or not of its format."""


def read_model(
    path: Path | str,
    build: Callable[[dict[str, Any]], T],
    *,
    kind: str,
    error: type[ModelFileError] = ModelFileError,
) -> T:
    """``build`` applied to the JSON object in ``path``; ``error`` naming the file when it
    cannot be (``build`` raises it, or a subclass, for an object not of its format)."""
    target = Path(path)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{target}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise error(f"{target}: unreadable ({err})") from None
    if not isinstance(data, dict):
        raise error(f"{target}: not a {kind} (a JSON object is expected)")
    try:
        return build(data)
    except ModelFileError as err:
        raise type(err)(f"{target}: {err}") from None


_SHARED: dict[tuple[str, str], tuple[Any, str]] = {}


def shared(
    path: Path | str,
    build: Callable[[dict[str, Any]], T],
    *,
    kind: str,
    error: type[ModelFileError] = ModelFileError,
) -> tuple[T | None, str]:
    """The model in ``path``, read once per process: (model, "") or (None, a warning)."""
    key = (kind, str(path))
    found = _SHARED.get(key)
    if found is None:
        try:
            found = (read_model(path, build, kind=kind, error=error), "")
        except ModelFileError as err:
            found = (None, f"{kind} not used, rules only: {err}")
        _SHARED[key] = found
    return found
