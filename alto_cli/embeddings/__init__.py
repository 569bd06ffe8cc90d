"""Embedders: ``sparse`` (default, BM25 in process), ``minilm`` and ``openai`` (dense + sparse,
fused with RRF at query time)."""

from __future__ import annotations

from alto_cli.config import ENV_EMBEDDER, pick
from alto_cli.embeddings.base import Embedded, Embedder
from alto_cli.errors import ConfigError

EMBEDDERS = ("sparse", "minilm", "openai")
DEFAULT_EMBEDDER = "sparse"

__all__ = ["DEFAULT_EMBEDDER", "EMBEDDERS", "Embedded", "Embedder", "embedder_name", "get_embedder"]


def embedder_name(flag: str | None = None) -> str:
    name = (pick(flag, ENV_EMBEDDER, DEFAULT_EMBEDDER) or DEFAULT_EMBEDDER).lower()
    if name not in EMBEDDERS:
        raise ConfigError(f"unknown embedder {name!r}; expected one of {', '.join(EMBEDDERS)}")
    return name


def get_embedder(name: str | None = None) -> Embedder:
    """--embedder > ALTO_EMBEDDER > sparse."""
    chosen = embedder_name(name)
    if chosen == "sparse":
        from alto_cli.embeddings.sparse import SparseEmbedder

        return SparseEmbedder()
    from alto_cli.embeddings.hybrid import HybridEmbedder

    if chosen == "minilm":
        from alto_cli.embeddings.minilm import MiniLM

        return HybridEmbedder(MiniLM())
    from alto_cli.embeddings.openai_api import OpenAIEmbeddings

    return HybridEmbedder(OpenAIEmbeddings())
