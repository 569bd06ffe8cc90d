"""The usage log: one SQLite row per ``alto run``, shared safely by concurrent processes.

WAL mode lets readers and one writer work at once; a busy timeout makes concurrent writers
wait instead of failing. The log feeds ``alto stats``, ``alto cache warm`` and the benchmark.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alto_cli.config import data_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    instruction TEXT NOT NULL,
    question TEXT,
    role TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    cache_hit INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    plain_prompt_tokens INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    session TEXT
);
CREATE INDEX IF NOT EXISTS runs_instruction ON runs (instruction);
"""


def log_path() -> Path:
    return data_dir() / "usage.sqlite"


@dataclass(frozen=True)
class UsageRecord:
    instruction: str  # canonical compact form
    question: str | None
    role: str
    provider: str  # extractive | openai | cache
    model: str
    cache_hit: bool
    prompt_tokens: int
    completion_tokens: int
    plain_prompt_tokens: int
    latency_ms: float
    session: str | None = None


class UsageLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else log_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> UsageLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def append(self, record: UsageRecord) -> None:
        self._db.execute(
            "INSERT INTO runs (ts, instruction, question, role, provider, model, cache_hit, "
            "prompt_tokens, completion_tokens, plain_prompt_tokens, latency_ms, session) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                time.time(),
                record.instruction,
                record.question,
                record.role,
                record.provider,
                record.model,
                int(record.cache_hit),
                record.prompt_tokens,
                record.completion_tokens,
                record.plain_prompt_tokens,
                record.latency_ms,
                record.session,
            ),
        )

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    def top_instructions(self, limit: int) -> list[tuple[str, int]]:
        """The most frequent instructions (canonical form), most frequent first."""
        rows = self._db.execute(
            "SELECT instruction, COUNT(*) AS n FROM runs GROUP BY instruction "
            "ORDER BY n DESC, MAX(ts) DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(str(text), int(n)) for text, n in rows]

    def stats(self) -> dict[str, Any]:
        """Totals: runs, hit rate, tokens used and saved, latency percentiles."""
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(cache_hit), 0), "
            "COALESCE(SUM(CASE WHEN cache_hit = 0 AND provider = 'openai' "
            "THEN prompt_tokens + completion_tokens ELSE 0 END), 0), "
            "COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(plain_prompt_tokens), 0) FROM runs"
        ).fetchone()
        runs, hits, llm_tokens, prompt_tokens, plain_tokens = (int(v) for v in row)
        latencies = sorted(
            float(v) for (v,) in self._db.execute("SELECT latency_ms FROM runs").fetchall()
        )
        hit_lat = sorted(
            float(v)
            for (v,) in self._db.execute(
                "SELECT latency_ms FROM runs WHERE cache_hit = 1"
            ).fetchall()
        )
        return {
            "runs": runs,
            "cache_hits": hits,
            "hit_rate": round(hits / runs, 4) if runs else 0.0,
            "llm_tokens_used": llm_tokens,
            "prompt_tokens": prompt_tokens,
            "plain_prompt_tokens": plain_tokens,
            # What a plain system would have sent, less what alto's compact prompts cost.
            "tokens_saved": plain_tokens - prompt_tokens,
            "prompt_reduction": round(1 - prompt_tokens / plain_tokens, 4) if plain_tokens else 0.0,
            "latency_ms": {
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "hit_p50": percentile(hit_lat, 50),
            },
            "path": str(self.path),
        }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values (0.0 when empty)."""
    if not values:
        return 0.0
    rank = max(1, -(-len(values) * pct // 100))
    return round(values[int(rank) - 1], 3)
