"""Vector stores: embedded qdrant-edge by default, a Qdrant server when QDRANT_URL is set."""

from __future__ import annotations

from alto_cli.config import ENV_COLLECTION, ENV_QDRANT_API_KEY, ENV_QDRANT_URL, data_dir, env, pick
from alto_cli.errors import ConfigError
from alto_cli.store.base import (
    CollectionSpec,
    Filter,
    Fusion,
    Hit,
    Match,
    Search,
    SparseVec,
    StorePoint,
    VectorStore,
)

DEFAULT_COLLECTION = "alto"

__all__ = [
    "DEFAULT_COLLECTION",
    "CollectionSpec",
    "Filter",
    "Fusion",
    "Hit",
    "Match",
    "Search",
    "SparseVec",
    "StorePoint",
    "VectorStore",
    "collection_name",
    "open_store",
]


def collection_name(flag: str | None = None) -> str:
    """--collection > ALTO_COLLECTION > "alto"; a safe directory name for the embedded store."""
    import re

    name = pick(flag, ENV_COLLECTION, DEFAULT_COLLECTION) or DEFAULT_COLLECTION
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name) or ".." in name:
        raise ConfigError(
            f"bad collection name {name!r}: use letters, digits, '_', '-' and '.' (max 64)"
        )
    return name


def backend() -> str:
    return "server" if env(ENV_QDRANT_URL) else "edge"


def open_store(collection: str | None = None) -> VectorStore:
    """The configured store for ``collection``: a Qdrant server if QDRANT_URL is set, else edge."""
    name = collection_name(collection)
    url = env(ENV_QDRANT_URL)
    if url:
        from alto_cli.store.server import ServerStore

        return ServerStore.connect(url, name, api_key=env(ENV_QDRANT_API_KEY))
    from alto_cli.store.edge import EdgeStore

    return EdgeStore(data_dir() / "store" / name, name)
