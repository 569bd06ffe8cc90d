from __future__ import annotations

import multiprocessing
from pathlib import Path

from alto_cli.usage_log import UsageLog, UsageRecord, log_path, percentile


def _record(instruction: str = "CMD:FA|Q:rst_MFA", *, hit: bool = False, ms: float = 10.0):
    return UsageRecord(
        instruction=instruction,
        question="q",
        role="SU",
        provider="cache" if hit else "extractive",
        model="extractive",
        cache_hit=hit,
        prompt_tokens=0 if hit else 200,
        completion_tokens=0,
        plain_prompt_tokens=1000,
        latency_ms=ms,
    )


def test_stats_totals_and_percentiles() -> None:
    with UsageLog() as log:
        log.append(_record(ms=100.0))
        for ms in (1.0, 2.0, 3.0):
            log.append(_record(hit=True, ms=ms))
        stats = log.stats()
    assert log_path().exists()
    assert stats["runs"] == 4 and stats["cache_hits"] == 3
    assert stats["hit_rate"] == 0.75
    assert stats["plain_prompt_tokens"] == 4000
    assert stats["tokens_saved"] == 4000 - 200
    assert stats["latency_ms"]["p50"] == 2.0
    assert stats["latency_ms"]["p95"] == 100.0


def test_top_instructions_most_frequent_first() -> None:
    with UsageLog() as log:
        for text in ("A", "B", "B", "C", "B", "C"):
            log.append(_record(text))
        assert log.top_instructions(2) == [("B", 3), ("C", 2)]


def test_wal_mode() -> None:
    with UsageLog() as log:
        mode = log._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def _writer(path: str, n: int) -> None:
    with UsageLog(Path(path)) as log:
        for i in range(n):
            log.append(_record(f"I{i % 3}"))


def test_concurrent_processes_lose_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "usage.sqlite"
    UsageLog(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(path), 40)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with UsageLog(path) as log:
        assert log.count() == 120


def test_percentile_edges() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
