"""Small JSON state files under ``data_dir()/state``: written atomically under a lock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alto_cli.config import data_dir
from alto_cli.fsutil import atomic_write_text, locked

FINGERPRINTS = "fingerprints.json"  # collection -> CTX code -> hash of its chunks' hashes
COLLECTIONS = "collections.json"  # collection -> {embedder, dense_size, updated}


def state_path(name: str) -> Path:
    return data_dir() / "state" / name


def read_state(name: str) -> dict[str, Any]:
    try:
        data = json.loads(state_path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_state(name: str, key: str, value: Any) -> None:
    """Set ``key`` in the state file ``name`` (read-modify-write under its lock)."""
    path = state_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        data = read_state(name)
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
        atomic_write_text(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
