"""Response-cache latency: an in-process hit, and a cold ``alto run`` process answered from it.

    python benchmarks/run/bench_cache.py [--docs examples/docs] [--runs 15]

Works in a temporary ALTO_HOME: migrates the docs, fills the cache with one run, then times
(1) ResponseCache.get on an open cache, (2) runner.run() answered from the cache, in process,
and (3) whole ``alto run`` processes answered from the cache. Also lists which heavy modules
a cache-hit process imported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "How do I reset MFA?"
HEAVY = ("qdrant_client", "qdrant_edge", "openai", "tiktoken", "numpy")


def alto(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("alto")
    return subprocess.run(
        [str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", default="examples/docs")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "ctx_registry.yaml", work / "ctx_registry.yaml")
        shutil.copytree(ROOT / args.docs, work / "examples" / "docs")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "QDRANT_"))}
        env.update({"ALTO_HOME": str(work / "home"), "NO_COLOR": "1"})
        alto("migrate-embeddings", "examples/docs", env=env, cwd=work)
        first = json.loads(alto("run", QUESTION, "--json", env=env, cwd=work).stdout)
        assert not first["cache_hit"], "the first run must fill the cache"

        # (3) cold processes answered from the cache
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            out = alto("run", QUESTION, "--json", env=env, cwd=work)
            walls.append((time.perf_counter() - start) * 1000)
            assert json.loads(out.stdout)["cache_hit"]

        # the floor: a cold process that only starts the CLI
        floor = []
        for _ in range(args.runs):
            start = time.perf_counter()
            alto("--version", env=env, cwd=work)
            floor.append((time.perf_counter() - start) * 1000)

        # (1) and (2) in process, and the modules a hit imports
        probe = f"""
import json, statistics, sys, time
from alto_cli.registry import load_registry
from alto_cli.runner import run
from alto_cli.response_cache import ResponseCache
reg = load_registry('ctx_registry.yaml')
r = run({QUESTION!r}, registry=reg)
assert r.cache_hit
heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
times = []
for _ in range(300):
    t = time.perf_counter()
    r = run({QUESTION!r}, registry=reg)
    times.append((time.perf_counter() - t) * 1000)
    assert r.cache_hit
cache = ResponseCache()
key = next(iter(cache._cache.iterkeys()))
look = []
for _ in range({args.lookups}):
    t = time.perf_counter(); cache.get(key, count=False); look.append((time.perf_counter()-t)*1000)
print(json.dumps({{"heavy_on_hit": heavy, "run_hit_ms": statistics.median(times),
                  "get_ms": statistics.median(look)}}))
"""
        inproc = json.loads(
            subprocess.run(
                [sys.executable, "-c", probe],
                env=env,
                cwd=work,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    result = {
        "in_process_lookup_median_ms": round(inproc["get_ms"], 4),
        "in_process_run_hit_median_ms": round(inproc["run_hit_ms"], 3),
        "cold_process_hit_median_ms": round(statistics.median(walls), 1),
        "cold_process_hit_p95_ms": round(sorted(walls)[int(0.95 * (len(walls) - 1))], 1),
        "cold_process_alto_version_median_ms": round(statistics.median(floor), 1),
        "heavy_modules_imported_on_hit": inproc["heavy_on_hit"],
        "runs": args.runs,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
