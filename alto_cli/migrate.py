"""``alto migrate-embeddings``: load Markdown and text documents into the vector store.

Idempotent and safe to interrupt. Point ids are uuid5(doc path, chunk index) and every chunk
carries a content hash, so the store itself records what is loaded: a run embeds only chunks
whose hash differs, writes them, then deletes chunks that no longer exist. A run killed at
any point leaves a store that the next run brings to exactly the state a clean run leaves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alto_cli import documents as docs
from alto_cli.config import ENV_MAX_FILE_MB, ENV_TEST_PAUSE_AFTER_BATCHES, env
from alto_cli.errors import AltoError, ConfigError, UnknownCodeError
from alto_cli.registry import Registry
from alto_cli.store import base as schema
from alto_cli.tagging import chunk_patterns, codes_from_sources, front_matter_codes

BATCH_SIZE = 256
OPTIMIZE_AFTER_CHUNKS = 5000  # build indexes after an ingest this large (edge does it on request)
_ID_NAMESPACE = uuid.UUID("6f0b8f4e-3c1a-5b7e-9d2a-a17051a7e5a1")

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


@dataclass
class _Prepared:
    doc: docs.Document
    codes: list[str]
    source: str
    points: list[tuple[str, str, str, dict[str, Any]]]  # (id, hash, embed text, payload)


def point_id(doc_path: str, chunk: int) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, f"{doc_path}#{chunk}"))


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
) -> MigrationSummary:
    """Load ``paths`` into ``collection``. ``progress(total)`` returns an ``advance(n)``."""
    from alto_cli.embeddings import get_embedder
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
    prepared: list[_Prepared] = []
    seen_paths: set[str] = set()
    for path in files:
        doc_path = docs.store_path(path, registry.base_dir)
        seen_paths.add(doc_path)
        item = _prepare(path, doc_path, registry, default_ctx, limit, model.name, summary)
        if item is not None:
            prepared.append(item)
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
        existing = _existing(store) if store.exists() else {}
        to_embed: list[tuple[str, str, str, dict[str, Any]]] = []
        to_delete: list[str] = []
        for item in prepared:
            planned = {pid: h for pid, h, _, _ in item.points}
            current = existing.get(item.doc.doc_path, {})
            fresh = [p for p in item.points if current.get(p[0]) != p[1]]
            stale = [pid for pid in current if pid not in planned]
            action = "unchanged" if not fresh and not stale else "update" if current else "add"
            summary.documents.append(
                DocumentPlan(
                    item.doc.doc_path,
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
        _write(store, model, to_embed, progress)
        summary.chunks_embedded = len(to_embed)
        store.delete_ids(to_delete)
        store.flush()
        if len(to_embed) >= OPTIMIZE_AFTER_CHUNKS:
            note(f"optimizing the store after {len(to_embed)} new chunks (building indexes)...")
            summary.optimized = store.optimize()
        summary.points_in_collection = store.count()
        if not summary.nothing_to_do or not _has_fingerprints(name):
            _refresh_state(store, name, model)
    finally:
        if own_store:
            store.close()
    summary.elapsed_s = round(time.perf_counter() - started, 3)
    return summary


def _prepare(
    path: Path,
    doc_path: str,
    registry: Registry,
    default_ctx: str | None,
    limit: float,
    embedder: str,
    summary: MigrationSummary,
) -> _Prepared | None:
    try:
        text = docs.read_text(path, max_mb=limit)
        doc = docs.parse_document(path, doc_path, text)
    except docs.DocumentError as err:
        summary.skipped.append({"path": doc_path, "reason": str(err)})
        return None
    codes = front_matter_codes(doc.meta)
    source = "front matter"
    if codes is not None:
        unknown = [c for c in codes if c not in registry]
        if unknown:
            summary.skipped.append(
                {
                    "path": doc_path,
                    "reason": f"unknown CTX code(s) in front matter: {', '.join(unknown)}",
                }
            )
            return None
    else:
        codes, source = codes_from_sources(doc_path, registry), "sources"
    if not codes and default_ctx:
        codes, source = [default_ctx], "default"
    if not codes:
        summary.unmatched.append(doc_path)
        return None
    if not doc.chunks:
        summary.skipped.append({"path": doc_path, "reason": "no text to load"})
        return None
    codes = sorted(set(codes))
    points = []
    for chunk in doc.chunks:
        payload = {
            schema.F_TEXT: chunk.text,
            schema.F_DOC_PATH: doc_path,
            schema.F_TITLE: doc.title,
            schema.F_SECTION: chunk.section,
            schema.F_CTX: codes,
            schema.F_PATTERNS: chunk_patterns(
                chunk.section, doc.title, chunk.kinds, chunk.has_code, codes
            ),
            schema.F_COMPATIBLE: 1,
            schema.F_CHUNK: chunk.index,
            schema.F_HAS_CODE: int(chunk.has_code),
            schema.F_KIND: list(chunk.kinds),
            schema.F_EMBEDDER: embedder,
        }
        content_hash = hashlib.sha256(
            json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()[:32]
        payload[schema.F_HASH] = content_hash
        embed_text = "\n".join(part for part in (doc.title, chunk.section, chunk.text) if part)
        points.append((point_id(doc_path, chunk.index), content_hash, embed_text, payload))
    return _Prepared(doc, codes, source, points)


def _check_schema(store: schema.VectorStore, model: Any) -> None:
    if not store.exists():
        return
    have = store.spec().dense_size
    want = model.dense_size()
    if have != want:
        held = f"{have}-d dense + sparse vectors" if have else "sparse vectors only"
        raise ConfigError(
            f"collection {store.name!r} holds {held}; the {model.name} embedder needs "
            + (f"{want}-d dense vectors" if want else "sparse vectors only"),
            hint="use the embedder the collection was made with, or --collection NEW_NAME",
        )


def _existing(store: schema.VectorStore) -> dict[str, dict[str, str]]:
    """doc path -> {point id: content hash} for every point in the store."""
    out: dict[str, dict[str, str]] = {}
    for pid, payload in store.scroll(fields=[schema.F_DOC_PATH, schema.F_HASH]):
        doc_path = payload.get(schema.F_DOC_PATH)
        if isinstance(doc_path, str):
            out.setdefault(doc_path, {})[pid] = str(payload.get(schema.F_HASH, ""))
    return out


def _write(
    store: schema.VectorStore,
    model: Any,
    items: list[tuple[str, str, str, dict[str, Any]]],
    progress: Callable[[int], Any] | None,
) -> None:
    if not items:
        return
    advance = progress(len(items)) if progress else None
    pause_after = _pause_hook()
    for number, start in enumerate(range(0, len(items), BATCH_SIZE), start=1):
        batch = items[start : start + BATCH_SIZE]
        embedded = model.embed_documents([text for _, _, text, _ in batch])
        points = []
        for (pid, _, _, payload), vectors in zip(batch, embedded, strict=True):
            named: dict[str, Any] = {schema.SPARSE: vectors.sparse}
            if vectors.dense is not None:
                named[schema.DENSE] = vectors.dense
            points.append(schema.StorePoint(pid, named, payload))
        store.upsert(points)
        if advance:
            advance(len(batch))
        if pause_after is not None and number == pause_after:
            # Test hook: lets a test kill -9 the process mid-ingest at a known point.
            sys.stderr.write(f"alto: test hook: paused after batch {number}\n")
            sys.stderr.flush()
            time.sleep(3600)


def _pause_hook() -> int | None:
    raw = env(ENV_TEST_PAUSE_AFTER_BATCHES)
    return int(raw) if raw and raw.isdigit() else None


def _under(doc_path: str, roots: Sequence[Path], base: Path) -> bool:
    for root in roots:
        prefix = docs.store_path(root, base).rstrip("/")
        if prefix in ("", ".") or doc_path.startswith(prefix + "/"):
            return True
    return False


def _has_fingerprints(collection: str) -> bool:
    from alto_cli.state import FINGERPRINTS, read_state

    return collection in read_state(FINGERPRINTS)


def _refresh_state(store: schema.VectorStore, name: str, model: Any) -> None:
    from alto_cli.fingerprints import compute_fingerprints, save_fingerprints
    from alto_cli.state import COLLECTIONS, update_state

    rows = (
        (payload.get(schema.F_CTX) or [], str(payload.get(schema.F_HASH, "")))
        for _, payload in store.scroll(fields=[schema.F_CTX, schema.F_HASH])
    )
    save_fingerprints(name, compute_fingerprints(rows))
    update_state(
        COLLECTIONS,
        name,
        {"embedder": model.name, "dense_size": model.dense_size(), "store": store.location},
    )
