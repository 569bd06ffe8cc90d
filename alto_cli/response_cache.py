"""The response cache: answers keyed on the canonical instruction, on disk (diskcache).

The key covers everything the answer depends on: the canonical instruction, role, language,
the answering model, PROMPT_VERSION, k, and the fingerprint of the documents behind each CTX
code of the instruction. Each entry also records the fingerprints of every code whose
passages it used (retrieval may fall back beyond the instruction's CTX); a lookup whose
recorded fingerprints no longer match is a miss. So re-migrating one code's documents
invalidates exactly the answers that used that code, and one role's answer is never served
to another. Hits and misses are counted on disk, shared by every process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from alto_cli.config import ENV_CACHE_SIZE_MB, ENV_CACHE_TTL, data_dir, env_number

DEFAULT_TTL_S = 24 * 3600.0
DEFAULT_SIZE_MB = 256.0
KEY_VERSION = "r1"
_HITS = "__alto_stats__:hits"
_MISSES = "__alto_stats__:misses"
_COUNTERS = (_HITS, _MISSES)


def cache_dir() -> Path:
    return data_dir() / "cache" / "responses"


def make_key(
    canonical_instruction: str,
    *,
    role: str,
    language: str,
    model: str,
    prompt_version: str,
    fingerprints: Mapping[str, str],
    k: int,
    extra: str = "",
) -> str:
    """A stable hash of everything an answer depends on."""
    payload = json.dumps(
        {
            "v": KEY_VERSION,
            "i": canonical_instruction,
            "u": role,
            "l": language,
            "m": model,
            "p": prompt_version,
            "f": dict(sorted(fingerprints.items())),
            "k": k,
            "x": extra,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ResponseCache:
    """A diskcache.Cache with a TTL, a size limit and persistent hit/miss counters."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        ttl_s: float | None = None,
        size_mb: float | None = None,
    ) -> None:
        from diskcache import Cache

        self.directory = Path(directory) if directory else cache_dir()
        self.ttl_s = ttl_s if ttl_s is not None else env_number(ENV_CACHE_TTL, DEFAULT_TTL_S)
        size = size_mb if size_mb is not None else env_number(ENV_CACHE_SIZE_MB, DEFAULT_SIZE_MB)
        self.size_limit = int(size * 1024 * 1024)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._cache = Cache(
            str(self.directory),
            size_limit=self.size_limit,
            eviction_policy="least-recently-stored",
        )

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._cache.close()

    def get(
        self,
        key: str,
        *,
        still_valid: Callable[[Mapping[str, str]], bool] | None = None,
        count: bool = True,
    ) -> dict[str, Any] | None:
        """The entry, or None; ``still_valid(deps)`` rejects entries whose documents changed."""
        entry = self._cache.get(key, retry=True)
        if entry is not None and still_valid is not None and not still_valid(entry.get("deps", {})):
            self._cache.delete(key, retry=True)
            entry = None
        if count:
            self._cache.incr(_HITS if entry is not None else _MISSES, retry=True)
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        expire = self.ttl_s if self.ttl_s > 0 else None
        self._cache.set(key, entry, expire=expire, retry=True)

    def __contains__(self, key: object) -> bool:
        return key in self._cache

    def counters(self) -> tuple[int, int]:
        return int(self._cache.get(_HITS, 0)), int(self._cache.get(_MISSES, 0))

    def stats(self) -> dict[str, Any]:
        self._cache.expire()
        hits, misses = self.counters()
        counters_present = sum(1 for key in _COUNTERS if key in self._cache)
        lookups = hits + misses
        return {
            "entries": len(self._cache) - counters_present,
            "size_bytes": int(self._cache.volume()),
            "hits": hits,
            "misses": misses,
            "hit_rate": round(hits / lookups, 4) if lookups else 0.0,
            "ttl_s": self.ttl_s,
            "size_limit_bytes": self.size_limit,
            "directory": str(self.directory),
        }

    def clear(self) -> int:
        """Remove every entry and reset the counters; returns the number of answers removed."""
        counters_present = sum(1 for key in _COUNTERS if key in self._cache)
        return max(0, int(self._cache.clear(retry=True)) - counters_present)
