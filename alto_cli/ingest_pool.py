"""Worker processes for large ingests: reading, chunking, tagging and sparse embedding.

qdrant-edge holds the GIL while it converts and writes points, and so does its BM25, so a
thread cannot overlap them; processes can. The workers never touch the store: the main
process plans and writes everything in order, so kill -9 and re-run behave as before.
Results come back in input order, which keeps runs deterministic.

Workers are spawned (fresh interpreters), so a script that calls ``migrate`` must guard its
entry point with ``if __name__ == "__main__":`` as multiprocessing requires; without it the
workers die at start, which raises BrokenProcessPool (migrate then works in process).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from alto_cli.config import ENV_INGEST_WORKERS, env
from alto_cli.errors import AltoError, ConfigError
from alto_cli.points import PreparedDoc, SkippedDoc, prepare_document
from alto_cli.registry import Registry

# Below this much text the workers' start-up (a fresh interpreter each) costs more than
# they save; such ingests run in process.
MIN_PARALLEL_BYTES = 2 * 1024 * 1024
MAX_WORKERS = 8
_PREPARE_CHUNKSIZE = 8

# Per-worker state, set once by _init (spawned workers share nothing with the parent).
_state: dict[str, Any] = {}


def worker_count(flag: int | None, files: Sequence[Path]) -> int:
    """How many worker processes to use; 0 means in process (the default).

    ``flag`` (the ``workers`` argument) is used as given. ALTO_INGEST_WORKERS applies only when
    the documents hold at least MIN_PARALLEL_BYTES. Workers pay off only where cores are idle:
    on a busy 2-core machine they were slower than one process (see the README).
    """
    if flag is not None:
        if flag < 0:
            raise ConfigError("the number of ingest workers must be 0 or more")
        return flag
    raw = env(ENV_INGEST_WORKERS)
    if not raw:
        return 0
    try:
        wanted = int(raw)
    except ValueError:
        raise ConfigError(f"{ENV_INGEST_WORKERS}={raw!r} is not a whole number") from None
    if wanted < 0:
        raise ConfigError(f"{ENV_INGEST_WORKERS} must be 0 or more")
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # reported by the reader
        if total >= MIN_PARALLEL_BYTES:
            return min(wanted, MAX_WORKERS)
    return 0


class IngestPool:
    """A process pool that prepares documents and computes sparse vectors."""

    def __init__(
        self,
        workers: int,
        *,
        registry: Registry,
        default_ctx: str | None,
        max_mb: float,
        embedder: str,
        sparse: bool,
    ) -> None:
        # spawn, not fork: the parent may run threads (progress bar, engine pools).
        self.sparse = sparse
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(registry, default_ctx, max_mb, embedder, sparse),
        )

    def prepare(self, jobs: Iterable[tuple[Path, str]]) -> Iterator[PreparedDoc | SkippedDoc]:
        """``prepare_document`` for each (path, stored path), in order."""
        return self._pool.map(_prepare, jobs, chunksize=_PREPARE_CHUNKSIZE)

    def embed_sparse(
        self, batches: Iterable[list[str]]
    ) -> Iterator[list[tuple[list[int], list[float]]]]:
        """Sparse (indices, values) for each batch of texts, in order, computed ahead."""
        try:
            yield from self._pool.map(_embed, batches)
        except BrokenProcessPool:
            raise AltoError(
                "an ingest worker process died; the chunks written so far are kept",
                hint=f"run the same command again (set {ENV_INGEST_WORKERS}=0 to work in one "
                "process)",
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> IngestPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _init(
    registry: Registry, default_ctx: str | None, max_mb: float, embedder: str, sparse: bool
) -> None:
    _state.update(registry=registry, default_ctx=default_ctx, max_mb=max_mb, embedder=embedder)
    if sparse:
        from alto_cli.embeddings.sparse import SparseEmbedder

        _state["sparse"] = SparseEmbedder()


def _prepare(job: tuple[Path, str]) -> PreparedDoc | SkippedDoc:
    path, doc_path = job
    return prepare_document(
        path,
        doc_path,
        _state["registry"],
        _state["default_ctx"],
        _state["max_mb"],
        _state["embedder"],
    )


def _embed(texts: list[str]) -> list[tuple[list[int], list[float]]]:
    return _state["sparse"].sparse_lists(texts)
