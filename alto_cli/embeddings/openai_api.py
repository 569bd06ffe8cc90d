"""Dense vectors from an embeddings API: OpenAI, or any server that speaks POST /v1/embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alto_cli.config import ENV_EMBED_MODEL, env
from alto_cli.embeddings.base import DenseModel

DEFAULT_MODEL = "text-embedding-3-small"
BATCH = 128


class OpenAIEmbeddings(DenseModel):
    name = "openai"

    def __init__(self, model: str | None = None) -> None:
        self.model = model or env(ENV_EMBED_MODEL, DEFAULT_MODEL) or DEFAULT_MODEL
        self._client: Any = None
        self._size: int | None = None

    def _api(self) -> Any:
        if self._client is None:
            from alto_cli.openai_client import make_client

            self._client = make_client()
        return self._client

    def size(self) -> int:
        if self._size is None:
            self.encode(["size probe"])
        assert self._size is not None
        return self._size

    def encode(self, texts: Sequence[str], *, query: bool = False) -> list[tuple[float, ...]]:
        from alto_cli.openai_client import provider_error

        out: list[tuple[float, ...]] = []
        for start in range(0, len(texts), BATCH):
            batch = list(texts[start : start + BATCH])
            try:
                response = self._api().embeddings.create(model=self.model, input=batch)
            except Exception as err:
                import openai

                if isinstance(err, openai.OpenAIError):
                    raise provider_error(err, what="embeddings request") from None
                raise
            rows = sorted(response.data, key=lambda item: item.index)
            out += [tuple(float(x) for x in row.embedding) for row in rows]
        if out:
            self._size = len(out[0])
        return out
