"""Per-CTX-code fingerprints of the stored documents (for the response cache's keys).

migrate-embeddings keeps them current; reading them opens no store: a small JSON file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from alto_cli.state import FINGERPRINTS, read_state, update_state


def ctx_fingerprints(codes: Iterable[str], *, collection: str | None = None) -> dict[str, str]:
    """Per code, a hash over the content hashes of its chunks; "" for a code with none."""
    from alto_cli.store import collection_name

    known = read_state(FINGERPRINTS).get(collection_name(collection), {})
    return {code: str(known.get(code, "")) for code in codes}


def compute_fingerprints(chunks: Iterable[tuple[Iterable[str], str]]) -> dict[str, str]:
    """From (ctx codes, content hash) of every chunk in a collection."""
    by_code: dict[str, list[str]] = {}
    for codes, content_hash in chunks:
        for code in codes:
            by_code.setdefault(code, []).append(content_hash)
    return {
        code: hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:16]
        for code, hashes in sorted(by_code.items())
    }


def save_fingerprints(collection: str, fingerprints: Mapping[str, str]) -> None:
    update_state(FINGERPRINTS, collection, dict(fingerprints))
