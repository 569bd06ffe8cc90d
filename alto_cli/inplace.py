"""In-place migration: add ALTO metadata to a collection another tool loaded, without
re-embedding. Reads each point's payload (path, title, text), derives CTX codes (registry
``sources`` globs, then keywords) and patterns, and writes only what differs with set-payload.
A second run finds nothing to change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from alto_cli.documents import section_kinds
from alto_cli.payload_fields import (
    PATH_FIELDS,
    SECTION_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    first_field,
)
from alto_cli.registry import Registry
from alto_cli.store import base as schema
from alto_cli.tagging import chunk_patterns, codes_from_keywords, codes_from_sources

# The fields this migration owns; anything else in the payload is left alone.
DERIVED = (
    schema.F_DOC_PATH,
    schema.F_CTX,
    schema.F_PATTERNS,
    schema.F_COMPATIBLE,
    schema.F_HAS_CODE,
    schema.F_KIND,
    schema.F_HASH,
)


@dataclass
class InPlaceSummary:
    collection: str
    dry_run: bool
    points: int = 0
    changed: int = 0
    unchanged: int = 0
    untagged: list[str] = field(default_factory=list)  # point ids with no CTX code found
    diffs: list[dict[str, Any]] = field(default_factory=list)  # {id, doc_path, changes}

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "dry_run": self.dry_run,
            "points": self.points,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "untagged": self.untagged,
            "diffs": self.diffs,
        }


def derive(payload: dict[str, Any], registry: Registry, default_ctx: str | None) -> dict[str, Any]:
    """The ALTO fields for one point, from what its payload already holds."""
    import re

    text = first_field(payload, TEXT_FIELDS)
    path = first_field(payload, PATH_FIELDS)
    title = first_field(payload, TITLE_FIELDS)
    section = first_field(payload, SECTION_FIELDS)
    codes = codes_from_sources(path, registry) if path else []
    if not codes:
        codes = codes_from_keywords(f"{path}\n{title}\n{title}\n{text}", registry)
    if not codes and default_ctx:
        codes = [default_ctx]
    codes = sorted(set(codes))
    has_code = bool(re.search(r"^\s*(```|~~~)", text, re.MULTILINE))
    kinds = section_kinds(section or title, text)
    derived: dict[str, Any] = {
        schema.F_CTX: codes,
        schema.F_PATTERNS: chunk_patterns(section, title or path, kinds, has_code, codes),
        schema.F_COMPATIBLE: 1 if codes else 0,
        schema.F_HAS_CODE: int(has_code),
        schema.F_KIND: list(kinds),
        schema.F_HASH: hashlib.sha256(text.encode()).hexdigest()[:32],
    }
    if path:
        derived[schema.F_DOC_PATH] = path
    return derived


def migrate_in_place(
    store: schema.VectorStore,
    *,
    registry: Registry,
    default_ctx: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], Any] | None = None,
) -> InPlaceSummary:
    from alto_cli.errors import NotFoundError, UnknownCodeError

    if default_ctx and default_ctx not in registry:
        raise UnknownCodeError(f"--default-ctx {default_ctx}: not a code in {registry.path}")
    if not store.exists():
        raise NotFoundError(f"collection {store.name!r} does not exist ({store.location})")
    summary = InPlaceSummary(collection=store.name, dry_run=dry_run)
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    total = store.count()
    advance = progress(total) if progress else None
    for pid, payload in store.scroll():
        summary.points += 1
        new = derive(payload, registry, default_ctx)
        changes = {key: value for key, value in new.items() if payload.get(key) != value}
        if not new[schema.F_CTX]:
            summary.untagged.append(pid)
        if not changes:
            summary.unchanged += 1
        else:
            summary.changed += 1
            summary.diffs.append(
                {
                    "id": pid,
                    "doc_path": new.get(schema.F_DOC_PATH, ""),
                    "changes": {k: {"from": payload.get(k), "to": v} for k, v in changes.items()},
                }
            )
            if not dry_run:
                store.set_payload([pid], {**changes, schema.F_DATE: today})
        if advance:
            advance(1)
    if not dry_run and summary.changed:
        store.flush()
        _refresh_fingerprints(store)
    return summary


def _refresh_fingerprints(store: schema.VectorStore) -> None:
    from alto_cli.fingerprints import compute_fingerprints, save_fingerprints

    rows = (
        (payload.get(schema.F_CTX) or [], str(payload.get(schema.F_HASH, "")))
        for _, payload in store.scroll(fields=[schema.F_CTX, schema.F_HASH])
    )
    save_fingerprints(store.name, compute_fingerprints(rows))
