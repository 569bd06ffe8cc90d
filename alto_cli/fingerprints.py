"""Per-CTX-code fingerprints of the stored documents (for the response cache's keys).

migrate-embeddings keeps them current; reading them opens no store: a small JSON file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from alto_cli.state import FINGERPRINTS, read_state, update_state


def ctx_fingerprints(codes: Iterable[str], *, collection: str | None = None) -> dict[str, str]:
    """Per code, a hash over the content hashes of its chunks; "" for a code with none."""
    known = read_state(FINGERPRINTS).get(state_key(collection), {})
    return {code: str(known.get(code, "")) for code in codes}


def state_key(collection: str | None = None) -> str:
    """Fingerprints belong to one store: the embedded one (the bare collection name, as
    written before servers were told apart) or a server, by its address without credentials,
    so answers cached against one store are never taken as current for another."""
    from urllib.parse import urlsplit

    from alto_cli.config import ENV_QDRANT_URL, env
    from alto_cli.store import collection_name

    name = collection_name(collection)
    url = env(ENV_QDRANT_URL)
    if not url:
        return name
    parts = urlsplit(url if "://" in url else f"http://{url}")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path.rstrip('/')}#{name}"


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
    update_state(FINGERPRINTS, state_key(collection), dict(fingerprints))
