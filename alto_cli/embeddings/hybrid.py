"""Dense + sparse: both vectors on every chunk; retrieval fuses the two rankings with RRF."""

from __future__ import annotations

from collections.abc import Sequence

from alto_cli.embeddings.base import DenseModel, Embedded, Embedder
from alto_cli.embeddings.sparse import SparseEmbedder


class HybridEmbedder(Embedder):
    def __init__(self, dense: DenseModel, sparse: SparseEmbedder | None = None) -> None:
        self.dense = dense
        self.sparse = sparse or SparseEmbedder()
        self.name = dense.name

    def dense_size(self) -> int | None:
        return self.dense.size()

    def embed_documents(self, texts: Sequence[str]) -> list[Embedded]:
        sparse = self.sparse.sparse_documents(texts)
        dense = self.dense.encode(texts)
        return [Embedded(sparse=s, dense=d) for s, d in zip(sparse, dense, strict=True)]

    def embed_query(self, text: str) -> Embedded:
        return Embedded(
            sparse=self.sparse.sparse_query(text), dense=self.dense.encode([text], query=True)[0]
        )
