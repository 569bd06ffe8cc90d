"""Embedded store + sparse embedder: ingest rate and filtered query latency at N chunks.

    .venv/bin/python benchmarks/retrieval/bench_store.py --chunks 50000

Generates synthetic Markdown documents (20 sections each) over the 20 registry codes, loads
them with migrate() into a fresh ALTO_HOME, then times filtered queries (CTX filter on one or
two codes, about 5-10 % of points) with retrieve(). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "reset",
    "mfa",
    "token",
    "rotate",
    "pod",
    "cluster",
    "deploy",
    "rollback",
    "alert",
    "page",
    "oncall",
    "incident",
    "vpn",
    "dns",
    "firewall",
    "certificate",
    "expiry",
    "password",
    "login",
    "sso",
    "lockout",
    "backup",
    "restore",
    "terraform",
    "bucket",
    "role",
    "policy",
    "review",
    "pipeline",
    "build",
    "test",
    "merge",
    "release",
    "ticket",
    "approval",
    "budget",
    "invoice",
    "payroll",
    "leave",
    "onboarding",
    "offboarding",
    "laptop",
    "phishing",
    "secret",
    "vault",
    "dashboard",
    "metric",
    "latency",
    "error",
    "timeout",
    "retry",
    "quota",
    "limit",
    "namespace",
    "node",
    "memory",
    "cpu",
    "disk",
    "network",
]


def make_corpus(root: Path, chunks: int, codes: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    sections = 20
    for d in range(chunks // sections):
        code = codes[d % len(codes)]
        lines = [f"---\ntitle: Doc {d}\nctx: [{code}]\n---\n# Doc {d}\n"]
        for s in range(sections):
            heading = " ".join(rng.choices(WORDS, k=3))
            body = " ".join(rng.choices(WORDS, k=60))
            lines.append(f"## {heading} {s}\n\n{body}.\n")
        path = root / code.lower() / f"doc{d:06}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--registry", default="ctx_registry.yaml")
    parser.add_argument(
        "--workers", type=int, default=None, help="ingest worker processes (default: as alto)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alto-bench-"))
    os.environ["ALTO_HOME"] = str(work / "home")

    from alto_cli.embeddings import get_embedder
    from alto_cli.language import Command, Instruction
    from alto_cli.migrate import migrate
    from alto_cli.registry import load_registry
    from alto_cli.retrieval import retrieve_from
    from alto_cli.store import open_store

    registry = load_registry(Path(args.registry))
    codes = registry.codes
    make_corpus(work / "docs", args.chunks, codes)
    started = time.perf_counter()
    options = {} if args.workers is None else {"workers": args.workers}
    summary = migrate(
        [work / "docs"], registry=registry, notify=lambda m: print(m, file=sys.stderr), **options
    )
    total_s = time.perf_counter() - started

    store = open_store()
    embedder = get_embedder("sparse")
    rng = random.Random(11)
    latencies: dict[str, list[float]] = {"FA": [], "PL": [], "GC": []}
    for i in range(args.queries):
        ctx = tuple(sorted(rng.sample(codes, 1 + i % 2)))
        query = "_".join(rng.choices(WORDS, k=3))
        for command in latencies:
            instruction = Instruction(command=Command(command), query=query, ctx=ctx)
            t = time.perf_counter()
            retrieve_from(store, instruction, 5, embedder=embedder)
            latencies[command].append((time.perf_counter() - t) * 1000)
    store.close()

    def pct(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100)[int(q) - 1], 2)

    print(
        json.dumps(
            {
                "chunks": summary.chunks_embedded,
                "documents": len(summary.documents),
                "ingest_s": round(summary.elapsed_s, 2),
                "ingest_chunks_per_s": round(summary.chunks_embedded / summary.elapsed_s),
                "index_build_s": round(summary.optimize_s, 2),
                "ingest_chunks_per_s_before_index_build": round(
                    summary.chunks_embedded / (summary.elapsed_s - summary.optimize_s)
                ),
                "ingest_wall_s_incl_optimize": round(total_s, 2),
                "optimized": summary.optimized,
                "query_ms": {
                    c: {"p50": pct(v, 50), "p95": pct(v, 95)} for c, v in latencies.items()
                },
                "queries_per_command": args.queries,
                "cpus": os.cpu_count(),
                "load_average": round(os.getloadavg()[0], 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
