"""Wall time of a whole ``alto search`` process on a warm store (the sample corpus loaded).

.venv/bin/python benchmarks/retrieval/bench_search_cli.py --runs 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--docs", default="examples/docs")
    args = parser.parse_args()
    alto = shutil.which("alto", path=str(Path(".venv/bin").resolve())) or "alto"
    env = {**os.environ, "ALTO_HOME": tempfile.mkdtemp(prefix="alto-search-")}
    subprocess.run(
        [alto, "migrate-embeddings", args.docs, "-q"], env=env, check=True, capture_output=True
    )
    timings: dict[str, list[float]] = {}
    for label, text in (
        ("instruction", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"),
        ("question", "How do I reset MFA?"),
    ):
        subprocess.run([alto, "search", text], env=env, check=True, capture_output=True)
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([alto, "search", text], env=env, check=True, capture_output=True)
            timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                label: {"median_ms": round(statistics.median(v)), "max_ms": round(max(v))}
                for label, v in timings.items()
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
