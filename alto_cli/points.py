"""From a document on disk to the points migrate-embeddings writes: CTX codes, payloads,
content hashes and deterministic point ids. Pure but for the read; runs in worker processes
on large ingests, so everything it returns pickles cheaply (no Document, no engine objects).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alto_cli import documents as docs
from alto_cli.registry import Registry
from alto_cli.store import base as schema
from alto_cli.tagging import chunk_patterns, codes_from_sources, front_matter_codes

_ID_NAMESPACE = uuid.UUID("6f0b8f4e-3c1a-5b7e-9d2a-a17051a7e5a1")
_ID_PREFIX = _ID_NAMESPACE.bytes
# Same bytes as json.dumps(payload, sort_keys=True, ensure_ascii=False), one encoder reused.
_HASH_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)

# (point id, content hash, text to embed, payload without the migration date)
PlannedPoint = tuple[str, str, str, dict[str, Any]]


@dataclass
class PreparedDoc:
    doc_path: str
    codes: list[str]
    source: str  # front matter | sources | default
    points: list[PlannedPoint]


@dataclass
class SkippedDoc:
    doc_path: str
    reason: str | None  # None: no CTX code matched (reported as unmatched)


def point_id(doc_path: str, chunk: int) -> str:
    """uuid5(namespace, "path#chunk") as a string; uuid.uuid5 without its object overhead."""
    digest = bytearray(hashlib.sha1(_ID_PREFIX + f"{doc_path}#{chunk}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def content_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(_HASH_ENCODER.encode(payload).encode()).hexdigest()[:32]


def prepare_document(
    path: Path,
    doc_path: str,
    registry: Registry,
    default_ctx: str | None,
    max_mb: float,
    embedder: str,
) -> PreparedDoc | SkippedDoc:
    """Read, tag and chunk one document into planned points, or say why it is skipped."""
    try:
        text = docs.read_text(path, max_mb=max_mb)
        doc = docs.parse_document(path, doc_path, text)
    except docs.DocumentError as err:
        return SkippedDoc(doc_path, str(err))
    codes = front_matter_codes(doc.meta)
    source = "front matter"
    if codes is not None:
        unknown = [c for c in codes if c not in registry]
        if unknown:
            return SkippedDoc(
                doc_path, f"unknown CTX code(s) in front matter: {', '.join(unknown)}"
            )
    else:
        codes, source = codes_from_sources(doc_path, registry), "sources"
    if not codes and default_ctx:
        codes, source = [default_ctx], "default"
    if not codes:
        return SkippedDoc(doc_path, None)
    if not doc.chunks:
        return SkippedDoc(doc_path, "no text to load")
    codes = sorted(set(codes))
    points: list[PlannedPoint] = []
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
        }
        # The embedder is part of the hash (a new embedder re-embeds every chunk) but not of
        # the stored payload: the collection records it, and each field costs edge ~4 µs.
        digest = content_hash({**payload, schema.F_EMBEDDER: embedder})
        payload[schema.F_HASH] = digest
        embed_text = "\n".join(part for part in (doc.title, chunk.section, chunk.text) if part)
        points.append((point_id(doc_path, chunk.index), digest, embed_text, payload))
    return PreparedDoc(doc_path, codes, source, points)
