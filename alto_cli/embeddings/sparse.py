"""The default embedder: BM25 term weights computed in process, no model to download.

Tokenisation, stop words and English stemming come from qdrant-edge's ``Bm25`` (Rust, so
thousands of chunks a second). Documents get saturated, length-normalised term frequencies
on hashed token indices; queries get 1.0 per term. The engine applies IDF (the ``sparse``
vector's IDF modifier), so weights stay right as the corpus grows without re-embedding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alto_cli.embeddings.base import Embedded, Embedder
from alto_cli.store.base import SparseVec

# Our chunks are sections of a few hundred tokens, shorter than BM25's usual 256 average.
AVG_CHUNK_TOKENS = 160.0


class SparseEmbedder(Embedder):
    name = "sparse"

    def __init__(self) -> None:
        self._model: Any = None

    def _bm25(self) -> Any:
        if self._model is None:
            import qdrant_edge as qe

            self._model = qe.Bm25(qe.Bm25Config(avg_len=AVG_CHUNK_TOKENS, language="english"))
        return self._model

    def dense_size(self) -> int | None:
        return None

    def sparse_documents(self, texts: Sequence[str]) -> list[SparseVec]:
        model = self._bm25()
        return [_vec(model.embed_document(text)) for text in texts]

    def sparse_lists(self, texts: Sequence[str]) -> list[tuple[list[int], list[float]]]:
        """(indices, values) as plain lists: what ingest workers send back (cheap to pickle)."""
        model = self._bm25()
        out = []
        for text in texts:
            vector = model.embed_document(text)
            out.append((vector.indices, vector.values))
        return out

    def sparse_query(self, text: str) -> SparseVec:
        return _vec(self._bm25().embed_query(text))

    def embed_documents(self, texts: Sequence[str]) -> list[Embedded]:
        return [Embedded(sparse=v) for v in self.sparse_documents(texts)]

    def embed_query(self, text: str) -> Embedded:
        return Embedded(sparse=self.sparse_query(text))


def _vec(vector: Any) -> SparseVec:
    return SparseVec(tuple(vector.indices), tuple(vector.values))
