"""Retrieval quality on a corpus of runbooks: recall@5 and MRR, per embedder.

    .venv/bin/python benchmarks/retrieval/bench_quality.py /work/shared/corpora/prom-runbooks \
        --embedders sparse minilm

The corpus folder holds ``alert_to_runbook.jsonl`` (one alert a line: summary, description,
runbook_path) and the runbooks it points at. Each embedder loads the runbooks into its own
collection (every document under the default code given by --ctx, so no CTX filter helps),
then each alert's summary + description is the question; the answer is its runbook. Only
alerts whose runbook exists are scored. Retrieval is document-level: the first chunk of the
answer's document counts. For a dense embedder, sparse-only, dense-only and hybrid (RRF)
rankings are all reported from the same collection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _questions(corpus: Path) -> list[tuple[str, str]]:
    out = []
    for line in (corpus / "alert_to_runbook.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        answer = row.get("runbook_path")
        if not answer or not (corpus / answer).is_file():
            continue
        text = f"{row.get('summary', '')} {row.get('description', '')}"
        text = re.sub(r"\{\{.*?\}\}", " ", text)  # template placeholders carry no meaning
        out.append((" ".join(text.split()), answer))
    return out


def _score(ranked_docs: list[list[str]], answers: list[str], k: int) -> dict[str, float]:
    hits = 0
    rr = 0.0
    for docs, answer in zip(ranked_docs, answers, strict=True):
        if answer in docs[:k]:
            hits += 1
        if answer in docs:
            rr += 1.0 / (docs.index(answer) + 1)
    n = len(answers)
    return {f"recall@{k}": round(hits / n, 3), "mrr": round(rr / n, 3)}


def _ranked(hits: list[Any], prefix: str) -> list[str]:
    seen: list[str] = []
    for hit in hits:
        doc = str(hit.payload.get("doc_path", "")).removeprefix(prefix)
        if doc not in seen:
            seen.append(doc)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--embedders", nargs="+", default=["sparse"])
    parser.add_argument("--ctx", default="INC1", help="code given to every runbook")
    parser.add_argument("--registry", default="ctx_registry.yaml")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()
    os.environ["ALTO_HOME"] = tempfile.mkdtemp(prefix="alto-quality-")

    from alto_cli.embeddings import get_embedder
    from alto_cli.migrate import migrate
    from alto_cli.registry import load_registry
    from alto_cli.store import open_store
    from alto_cli.store.base import DENSE, SPARSE, Fusion, Search

    registry = load_registry(Path(args.registry))
    corpus = args.corpus.resolve()
    questions = _questions(corpus)
    answers = [a for _, a in questions]
    prefix = corpus.as_posix() + "/"
    results: dict[str, Any] = {"questions": len(questions), "k": args.k}
    depth = 50  # chunks fetched per query, then collapsed to documents
    for name in args.embedders:
        collection = f"quality-{name}"
        summary = migrate(
            [corpus / "runbooks"],
            registry=registry,
            collection=collection,
            embedder=name,
            default_ctx=args.ctx,
        )
        model = get_embedder(name)
        store = open_store(collection)
        runs: dict[str, list[list[str]]] = {}
        started = time.perf_counter()
        for question, _ in questions:
            vectors = model.embed_query(question)
            searches = {"sparse": Search(SPARSE, vectors.sparse, None, depth)}
            if vectors.dense is not None:
                searches["dense"] = Search(DENSE, vectors.dense, None, depth)
            for label, search in searches.items():
                runs.setdefault(label, []).append(_ranked(store.query(search, limit=depth), prefix))
            if vectors.dense is not None:
                fused = store.query(Fusion(tuple(searches.values())), limit=depth)
                runs.setdefault("hybrid", []).append(_ranked(fused, prefix))
        elapsed = time.perf_counter() - started
        store.close()
        results[name] = {
            "chunks": summary.chunks_total,
            "documents": len(summary.documents),
            "query_ms_mean": round(elapsed * 1000 / len(questions), 2),
            **{label: _score(ranked, answers, args.k) for label, ranked in runs.items()},
        }
        print(f"{name}: done", file=sys.stderr)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
