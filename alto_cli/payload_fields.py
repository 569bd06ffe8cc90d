"""Where a point's text, path, title and section live in payloads other tools write.

ALTO writes ``text``, ``doc_path``, ``title`` and ``section``; LangChain, LlamaIndex and
hand-rolled loaders use other names, and some nest them under ``metadata``. In-place
migration reads a foreign point through these, and so does retrieval on such a collection.
"""

from __future__ import annotations

from typing import Any

from alto_cli.store import base as schema

TEXT_FIELDS = (schema.F_TEXT, "content", "page_content", "document", "body", "chunk_text")
PATH_FIELDS = (schema.F_DOC_PATH, "path", "source", "file", "file_path", "filename", "url")
TITLE_FIELDS = (schema.F_TITLE, "name", "heading", "subject")
SECTION_FIELDS = (schema.F_SECTION, "heading", "header")


def first_field(payload: dict[str, Any], names: tuple[str, ...]) -> str:
    """The first non-blank string among ``names``, then the same under ``metadata``; ""."""
    for name in names:
        value = payload.get(name)
        if isinstance(value, str) and value.strip():
            return value
    meta = payload.get("metadata")  # LangChain / LlamaIndex keep source and title here
    if isinstance(meta, dict):
        return first_field(meta, names)
    return ""
