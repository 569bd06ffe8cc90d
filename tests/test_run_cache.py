from __future__ import annotations

import time
from pathlib import Path

import pytest

from alto_cli.errors import ConfigError
from alto_cli.response_cache import ResponseCache, cache_dir, make_key


def _key(**overrides: object) -> str:
    options: dict[str, object] = {
        "role": "SU",
        "language": "EN",
        "model": "extractive",
        "prompt_version": "p1",
        "fingerprints": {"AG3": "aaa", "MP": "bbb"},
        "k": 5,
    }
    options.update(overrides)
    return make_key("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN", **options)  # type: ignore[arg-type]


def test_key_depends_on_everything_the_answer_depends_on() -> None:
    base = _key()
    assert base == _key()
    assert base == _key(fingerprints={"MP": "bbb", "AG3": "aaa"})  # order does not matter
    for change in (
        {"role": "MG"},
        {"language": "MD"},
        {"model": "gpt-4o"},
        {"prompt_version": "p2"},
        {"fingerprints": {"AG3": "aaa", "MP": "changed"}},
        {"k": 3},
    ):
        assert _key(**change) != base, change


def test_put_get_and_persistent_counters() -> None:
    with ResponseCache() as cache:
        assert cache.get("k1") is None
        cache.put("k1", {"answer": "A", "deps": {}})
        assert cache.get("k1") == {"answer": "A", "deps": {}}
    assert (cache_dir() / "cache.db").exists()
    with ResponseCache() as again:  # another process would see the same
        assert again.get("k1")["answer"] == "A"
        stats = again.stats()
    assert (stats["entries"], stats["hits"], stats["misses"]) == (1, 2, 1)
    assert stats["hit_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert stats["size_bytes"] > 0


def test_changed_dependencies_make_a_miss_and_drop_the_entry() -> None:
    with ResponseCache() as cache:
        cache.put("k", {"answer": "A", "deps": {"AG3": "old"}})
        assert cache.get("k", still_valid=lambda deps: deps == {"AG3": "old"}) is not None
        assert cache.get("k", still_valid=lambda deps: deps == {"AG3": "new"}) is None
        assert "k" not in cache
        assert cache.counters() == (1, 1)


def test_ttl_expires_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTO_CACHE_TTL", "0.05")
    with ResponseCache() as cache:
        assert cache.ttl_s == 0.05
        cache.put("k", {"answer": "A"})
        time.sleep(0.12)
        assert cache.get("k") is None


def test_size_limit_from_env_and_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTO_CACHE_SIZE_MB", "2")
    with ResponseCache() as cache:
        assert cache.size_limit == 2 * 1024 * 1024
    monkeypatch.setenv("ALTO_CACHE_SIZE_MB", "lots")
    with pytest.raises(ConfigError, match="ALTO_CACHE_SIZE_MB"):
        ResponseCache()


def test_clear_removes_answers_and_counters(tmp_path: Path) -> None:
    with ResponseCache(tmp_path / "c") as cache:
        cache.put("a", {"answer": 1})
        cache.put("b", {"answer": 2})
        cache.get("a")
        assert cache.clear() == 2
        stats = cache.stats()
    assert (stats["entries"], stats["hits"], stats["misses"]) == (0, 0, 0)
