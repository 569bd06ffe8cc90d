"""What an embedder gives: a sparse vector always, a dense one for the dense/hybrid embedders."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass

from alto_cli.store.base import SparseVec


@dataclass(frozen=True)
class Embedded:
    sparse: SparseVec
    dense: tuple[float, ...] | None = None


class Embedder(abc.ABC):
    """``name`` is recorded on every chunk, so a change of embedder re-embeds everything."""

    name: str

    @abc.abstractmethod
    def dense_size(self) -> int | None:
        """The dense vector size, or None for a sparse-only embedder."""

    @abc.abstractmethod
    def embed_documents(self, texts: Sequence[str]) -> list[Embedded]: ...

    @abc.abstractmethod
    def embed_query(self, text: str) -> Embedded: ...


class DenseModel(abc.ABC):
    """A dense text encoder (local model or an embeddings API)."""

    name: str

    @abc.abstractmethod
    def size(self) -> int: ...

    @abc.abstractmethod
    def encode(self, texts: Sequence[str], *, query: bool = False) -> list[tuple[float, ...]]: ...
