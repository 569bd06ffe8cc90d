"""``alto migrate-embeddings``: load Markdown and text documents into the vector store.

Idempotent and safe to interrupt. Point ids are uuid5(doc path, chunk index) and every chunk
carries a content hash, so the store itself records what is loaded: a run embeds only chunks
whose hash differs, writes them, then deletes chunks that no longer exist. A run killed at
any point leaves a store that the next run brings to exactly the state a clean run leaves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alto_cli import documents as docs
from alto_cli.config import ENV_MAX_FILE_MB, env
from alto_cli.errors import AltoError, ConfigError, UnknownCodeError
from alto_cli.points import (
    PlannedPoint,
    PreparedDoc,
    SkippedDoc,
    prepare_document,
)
from alto_cli.registry import Registry
from alto_cli.store import base as schema

BATCH_SIZE = 256
OPTIMIZE_AFTER_CHUNKS = 5000  # build indexes after an ingest this large (edge does it on request)

Notify = Callable[[str], None]
Advance = Callable[[int], None]


@dataclass
class DocumentPlan:
    doc_path: str
    action: str  # add | update | unchanged
    ctx_codes: list[str]
    ctx_source: str  # front matter | sources | default
    chunks: int
    chunks_to_embed: int
    chunks_to_delete: int


@dataclass
class MigrationSummary:
    collection: str
    embedder: str
    store: str
    dry_run: bool
    documents: list[DocumentPlan] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {path, reason}
    unmatched: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # in the store, not on disk, not pruned
    chunks_total: int = 0
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    points_in_collection: int = 0
    optimized: bool = False
    optimize_s: float = 0.0  # of elapsed_s: the index build after a large ingest
    elapsed_s: float = 0.0

    @property
    def nothing_to_do(self) -> bool:
        return self.chunks_embedded == 0 and self.chunks_deleted == 0

    def counts(self) -> dict[str, int]:
        actions = [d.action for d in self.documents]
        return {a: actions.count(a) for a in ("add", "update", "unchanged")}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts()
        data["nothing_to_do"] = self.nothing_to_do
        rate = self.chunks_embedded / self.elapsed_s if self.elapsed_s else 0.0
        data["chunks_per_s"] = round(rate, 1)
        return data


def max_file_mb(flag: float | None) -> float:
    if flag is not None:
        value = flag
    else:
        raw = env(ENV_MAX_FILE_MB)
        try:
            value = float(raw) if raw else docs.DEFAULT_MAX_FILE_MB
        except ValueError:
            raise ConfigError(f"{ENV_MAX_FILE_MB}={raw!r} is not a number") from None
    if value <= 0:
        raise ConfigError("--max-file-mb must be more than 0")
    return value


def migrate(
    paths: Sequence[Path],
    *,
    registry: Registry,
    collection: str | None = None,
    embedder: str | None = None,
    default_ctx: str | None = None,
    prune: bool = False,
    dry_run: bool = False,
    max_mb: float | None = None,
    store: schema.VectorStore | None = None,
    notify: Notify | None = None,
    progress: Callable[[int], Any] | None = None,
    workers: int | None = None,
) -> MigrationSummary:
    """Load ``paths`` into ``collection``. ``progress(total)`` returns an ``advance(n)``.

    ``workers``: processes that read, chunk and embed (0: in process; None: ALTO_INGEST_WORKERS
    for large ingests, else in process).
    """
    from alto_cli.embeddings import get_embedder
    from alto_cli.ingest_pool import worker_count
    from alto_cli.store import collection_name, open_store

    started = time.perf_counter()
    note = notify or (lambda _message: None)
    limit = max_file_mb(max_mb)
    if default_ctx and default_ctx not in registry:
        raise UnknownCodeError(f"--default-ctx {default_ctx}: not a code in {registry.path}")
    files, roots = docs.discover(paths)
    model = get_embedder(embedder)
    name = store.name if store is not None else collection_name(collection)
    summary = MigrationSummary(collection=name, embedder=model.name, store="", dry_run=dry_run)
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    jobs = [(path, docs.store_path(path, registry.base_dir)) for path in files]
    seen_paths = {doc_path for _, doc_path in jobs}
    with _worker_pool(worker_count(workers, files), registry, default_ctx, limit, model) as pool:
        prepared = None
        if pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            try:
                prepared = _collect(pool.prepare(jobs), summary)
            except BrokenProcessPool:
                note("ingest workers could not start; working in one process")
                summary.skipped.clear()
                summary.unmatched.clear()
                pool = None
        if prepared is None:
            prepared = _collect(
                (
                    prepare_document(path, doc_path, registry, default_ctx, limit, model.name)
                    for path, doc_path in jobs
                ),
                summary,
            )
        if not prepared and not prune:
            reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in summary.skipped[:3])
            unmatched = ", ".join(summary.unmatched[:3])
            raise AltoError(
                "no document could be loaded" + (f" ({reasons or 'no CTX code: ' + unmatched})"),
                hint="give documents a CTX code in front matter (ctx: [CODE]), in the registry's "
                "sources, or with --default-ctx"
                if summary.unmatched
                else None,
            )

        own_store = store is None
        store = store or open_store(name)
        summary.store = store.location
        try:
            _check_schema(store, model)
            rows = _existing(store) if store.exists() else {}
            existing: dict[str, dict[str, str]] = {}
            for pid, (doc_path, content_hash, _) in rows.items():
                if doc_path is not None:
                    existing.setdefault(doc_path, {})[pid] = content_hash
            to_embed: list[PlannedPoint] = []
            to_delete: list[str] = []
            for item in prepared:
                planned = {pid: h for pid, h, _, _ in item.points}
                current = existing.get(item.doc_path, {})
                fresh = [p for p in item.points if current.get(p[0]) != p[1]]
                stale = [pid for pid in current if pid not in planned]
                action = "unchanged" if not fresh and not stale else "update" if current else "add"
                summary.documents.append(
                    DocumentPlan(
                        item.doc_path,
                        action,
                        item.codes,
                        item.source,
                        len(item.points),
                        len(fresh),
                        len(stale),
                    )
                )
                summary.chunks_total += len(item.points)
                for pid, h, text, payload in fresh:
                    to_embed.append((pid, h, text, {**payload, schema.F_DATE: today}))
                to_delete += stale
            for doc_path in sorted(set(existing) - seen_paths):
                if _under(doc_path, roots, registry.base_dir):
                    if prune:
                        summary.pruned.append(doc_path)
                        to_delete += list(existing[doc_path])
                    else:
                        summary.gone.append(doc_path)
            summary.chunks_deleted = len(to_delete)
            if dry_run:
                summary.chunks_embedded = len(to_embed)
                summary.points_in_collection = sum(len(v) for v in existing.values())
                return summary
            if not store.exists():
                from alto_cli.store.base import CollectionSpec

                store.create(CollectionSpec(dense_size=model.dense_size()))
            if to_embed:
                note(f"embedding {len(to_embed)} chunks with {model.name} into {name!r}")
            _write(store, model, to_embed, progress, pool)
            summary.chunks_embedded = len(to_embed)
            store.delete_ids(to_delete)
            store.flush()
            if len(to_embed) >= OPTIMIZE_AFTER_CHUNKS:
                note(f"optimizing the store after {len(to_embed)} new chunks (building indexes)...")
                optimize_started = time.perf_counter()
                summary.optimized = store.optimize()
                summary.optimize_s = round(time.perf_counter() - optimize_started, 3)
            summary.points_in_collection = store.count()
            if not summary.nothing_to_do or not _has_fingerprints(name):
                known = None
                if store.exclusive:
                    # Nobody else writes an exclusive store: its chunks are what we read and wrote.
                    for pid in to_delete:
                        rows.pop(pid, None)
                    for pid, content_hash, _, payload in to_embed:
                        rows[pid] = (
                            payload[schema.F_DOC_PATH],
                            content_hash,
                            payload[schema.F_CTX],
                        )
                    known = [(codes, content_hash) for _, content_hash, codes in rows.values()]
                _refresh_state(store, name, model, known)
        finally:
            if own_store:
                store.close()
    summary.elapsed_s = round(time.perf_counter() - started, 3)
    return summary


@contextlib.contextmanager
def _worker_pool(
    count: int, registry: Registry, default_ctx: str | None, limit: float, model: Any
) -> Iterator[Any]:
    """An IngestPool of ``count`` processes, or None (in process) when count is 0."""
    if not count:
        yield None
        return
    from alto_cli.ingest_pool import IngestPool

    with IngestPool(
        count,
        registry=registry,
        default_ctx=default_ctx,
        max_mb=limit,
        embedder=model.name,
        sparse=model.name == "sparse",
    ) as pool:
        yield pool


def _collect(
    results: Iterable[PreparedDoc | SkippedDoc], summary: MigrationSummary
) -> list[PreparedDoc]:
    prepared = []
    for result in results:
        if isinstance(result, SkippedDoc):
            if result.reason is None:
                summary.unmatched.append(result.doc_path)
            else:
                summary.skipped.append({"path": result.doc_path, "reason": result.reason})
        else:
            prepared.append(result)
    return prepared


def _check_schema(store: schema.VectorStore, model: Any) -> None:
    if not store.exists():
        return
    spec = store.spec()
    if not spec.alto_vectors:  # another tool's vectors: upserting ALTO's would fail per batch
        raise ConfigError(
            f"collection {store.name!r} was loaded by another tool (it has none of ALTO's vectors)",
            hint=f"tag its points with: alto migrate-embeddings --collection {store.name} "
            "--in-place, or load documents into a new collection (--collection NEW_NAME)",
        )
    have = spec.dense_size
    want = model.dense_size()
    if have != want:
        held = f"{have}-d dense + sparse vectors" if have else "sparse vectors only"
        raise ConfigError(
            f"collection {store.name!r} holds {held}; the {model.name} embedder needs "
            + (f"{want}-d dense vectors" if want else "sparse vectors only"),
            hint="use the embedder the collection was made with, or --collection NEW_NAME",
        )


def _existing(store: schema.VectorStore) -> dict[str, tuple[str | None, str, list[str]]]:
    """point id -> (doc path or None, content hash, CTX codes) for every point in the store."""
    out: dict[str, tuple[str | None, str, list[str]]] = {}
    for pid, payload in store.scroll(fields=[schema.F_DOC_PATH, schema.F_HASH, schema.F_CTX]):
        doc_path = payload.get(schema.F_DOC_PATH)
        codes = payload.get(schema.F_CTX)
        out[pid] = (
            doc_path if isinstance(doc_path, str) else None,
            str(payload.get(schema.F_HASH, "")),
            codes if isinstance(codes, list) else [],
        )
    return out


def _write(
    store: schema.VectorStore,
    model: Any,
    items: list[PlannedPoint],
    progress: Callable[[int], Any] | None,
    pool: Any = None,
) -> None:
    from alto_cli.embeddings.base import Embedded

    if not items:
        return
    advance = progress(len(items)) if progress else None
    batches = [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]
    texts = ([text for _, _, text, _ in batch] for batch in batches)
    if pool is not None and pool.sparse:
        # Workers compute the sparse vectors ahead while this process writes.
        embedded_batches: Any = (
            [Embedded(sparse=schema.SparseVec(tuple(i), tuple(v))) for i, v in lists]
            for lists in pool.embed_sparse(texts)
        )
    else:
        embedded_batches = (model.embed_documents(batch_texts) for batch_texts in texts)
    for batch, embedded in zip(batches, embedded_batches, strict=True):
        batch_points = []
        for (pid, _, _, payload), vectors in zip(batch, embedded, strict=True):
            named: dict[str, Any] = {schema.SPARSE: vectors.sparse}
            if vectors.dense is not None:
                named[schema.DENSE] = vectors.dense
            batch_points.append(schema.StorePoint(pid, named, payload))
        store.upsert(batch_points)
        if advance:
            advance(len(batch))


def _under(doc_path: str, roots: Sequence[Path], base: Path) -> bool:
    for root in roots:
        prefix = docs.store_path(root, base).rstrip("/")
        if prefix in ("", ".") or doc_path.startswith(prefix + "/"):
            return True
    return False


def _has_fingerprints(collection: str) -> bool:
    from alto_cli.state import FINGERPRINTS, read_state

    return collection in read_state(FINGERPRINTS)


def _refresh_state(
    store: schema.VectorStore,
    name: str,
    model: Any,
    known: list[tuple[list[str], str]] | None = None,
) -> None:
    """Fingerprints from ``known`` (codes, hash) of every chunk, else read from the store."""
    from alto_cli.fingerprints import compute_fingerprints, save_fingerprints
    from alto_cli.state import COLLECTIONS, update_state

    rows = known
    if rows is None:
        rows = [
            (payload.get(schema.F_CTX) or [], str(payload.get(schema.F_HASH, "")))
            for _, payload in store.scroll(fields=[schema.F_CTX, schema.F_HASH])
        ]
    save_fingerprints(name, compute_fingerprints(rows))
    update_state(
        COLLECTIONS,
        name,
        {"embedder": model.name, "dense_size": model.dense_size(), "store": store.location},
    )
