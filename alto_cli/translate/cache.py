"""The on-disk cache of LLM translations (diskcache, under data_dir()/cache/translations).

Keyed on the normalised question, the registry's content (its fingerprint), the model and the
endpoint, so an edited registry or another model never serves a stale answer. Only the
answer's fields are stored: never a key or a request.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from alto_cli.language.symbols import Role

_SPACES = re.compile(r"\s+")


def normalise_question(question: str) -> str:
    """Case, surrounding space and runs of spaces do not change the answer."""
    return _SPACES.sub(" ", question.strip().lower()).rstrip(" ?!.")


class TranslationCache:
    def __init__(self, directory: Path | None = None) -> None:
        from diskcache import Cache

        from alto_cli.config import data_dir

        self.directory = directory or data_dir() / "cache" / "translations"
        self.directory.mkdir(parents=True, exist_ok=True)
        self._cache = Cache(str(self.directory))

    @staticmethod
    def key(question: str, fingerprint: str, model: str, role: Role | None) -> str:
        from alto_cli.openai_client import describe_endpoint

        parts = [
            normalise_question(question),
            fingerprint,
            model,
            describe_endpoint(),
            role.value if role else "",
        ]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._cache.get(key)
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self._cache.set(key, dict(value))

    def close(self) -> None:
        self._cache.close()
