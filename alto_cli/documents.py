"""Finding, reading and chunking the documents migrate-embeddings loads. Pure but for reads.

Markdown is split at headings (never inside a fenced code block); long sections are split
again at paragraph breaks. Each chunk knows its heading path, whether it holds code, and what
kind of section it is (procedure, troubleshooting, explanation), which retrieval uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alto_cli.errors import InvalidInputError

DOC_SUFFIXES = (".md", ".markdown", ".txt")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DEFAULT_MAX_FILE_MB = 10.0
MAX_CHUNK_CHARS = 1800  # about 400 tokens: a section, or a part of a long one
BINARY_SNIFF_BYTES = 8192

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_NUMBERED_RE = re.compile(r"^\s*\d+[.)]\s+\S", re.MULTILINE)
_PROCEDURE_RE = re.compile(
    r"\b(how (to|do)|steps?|procedure|process|request(ing)?|set ?up|install|configur|reset|"
    r"rotat|creat|revok|onboard|offboard|submit|page|report(ing)?|checklist|enrol|"
    r"rollbacks?|runbook)",
    re.IGNORECASE,
)
_TROUBLE_RE = re.compile(
    r"(troubleshoot|problem|issue|error|fail|faq|diagnos|symptom|not working|debug|runbook|"
    r"alert|fix|crash|outage|incident)",
    re.IGNORECASE,
)


class DocumentError(Exception):
    """A document that cannot be loaded; the message says why (it is skipped and reported)."""


@dataclass(frozen=True)
class Chunk:
    index: int
    text: str
    section: str
    has_code: bool
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    path: Path  # on disk
    doc_path: str  # as stored: relative to the base folder when inside it
    title: str
    meta: dict[str, Any] = field(default_factory=dict)
    chunks: tuple[Chunk, ...] = ()


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Documents under ``paths`` (sorted, hidden folders skipped), and the roots walked.

    A missing path, or a folder with no document in it, is the user's mistake.
    """
    files: list[Path] = []
    roots: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file or directory")
        if path.is_dir():
            found = sorted(_walk(path))
            if not found:
                raise InvalidInputError(
                    f"{path}: no Markdown or text documents ({', '.join(DOC_SUFFIXES)}) in it"
                )
            files += found
            roots.append(path)
        else:
            files.append(path)
    return list(dict.fromkeys(files)), roots


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.lower().endswith(DOC_SUFFIXES) and not name.startswith("."):
                yield Path(dirpath) / name


def store_path(path: Path, base: Path) -> str:
    """The stable name a document is stored under (point ids derive from it)."""
    absolute = Path(os.path.abspath(path))  # not resolve(): a symlink keeps its own name
    try:
        return absolute.relative_to(os.path.abspath(base)).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_text(path: Path, *, max_mb: float = DEFAULT_MAX_FILE_MB) -> str:
    """A document's text; DocumentError for a file too big, binary, unreadable or not UTF-8."""
    if path.suffix.lower() not in DOC_SUFFIXES:
        raise DocumentError(f"not a Markdown or text file (expected {', '.join(DOC_SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise DocumentError(
                f"{size / 1024 / 1024:.1f} MB is over the {max_mb:g} MB limit (--max-file-mb)"
            )
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(f"cannot read: {err.strerror or err}") from None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(f"not UTF-8 text (byte {err.start})") from None


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """YAML front matter between ``---`` lines, the body, and the body's first line number."""
    if not text.startswith("---"):
        return {}, text, 1
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            simple = _simple_front_matter(lines[1:end])
            if simple is not None:
                return simple, "".join(lines[end + 1 :]), end + 2
            from ruamel.yaml import YAML
            from ruamel.yaml.error import YAMLError

            try:
                meta = YAML(typ="safe", pure=True).load("".join(lines[1:end])) or {}
            except YAMLError as err:
                raise DocumentError(f"front matter is not valid YAML: {err}") from None
            if not isinstance(meta, dict):
                raise DocumentError("front matter must be a YAML mapping")
            return meta, "".join(lines[end + 1 :]), end + 2
    return {}, text, 1


_SIMPLE_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*):[ \t]*(.*?)[ \t]*$")
_PLAIN_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9 _.,()/-]*$")


def _simple_front_matter(lines: list[str]) -> dict[str, Any] | None:
    """Fast path for ``key: plain words`` and ``key: [A, B]`` lines (most front matter);
    None sends anything else to the YAML parser, which is slow for thousands of files."""
    meta: dict[str, Any] = {}
    for line in lines:
        if not line.strip():
            continue
        match = _SIMPLE_KEY_RE.match(line.rstrip("\n"))
        if not match:
            return None
        key, value = match.groups()
        if value.startswith("[") and value.endswith("]"):
            items = [item.strip() for item in value[1:-1].split(",") if item.strip()]
            if not all(_PLAIN_RE.match(item) for item in items):
                return None
            meta[key] = items
        elif value and _PLAIN_RE.match(value) and not value.isdigit() and ", " not in value:
            if value.lower() in ("true", "false", "yes", "no", "null", "on", "off", "~"):
                return None
            meta[key] = value
        else:
            return None
    return meta


def parse_document(
    path: Path, doc_path: str, text: str, *, max_chars: int = MAX_CHUNK_CHARS
) -> Document:
    meta, body, _ = split_front_matter(text)
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    sections = _sections(body) if markdown else [("", "", body)]
    title = str(meta.get("title") or "").strip()
    if not title:
        h1 = next((heading for level, heading, _ in sections if level == "#"), "")
        title = h1 or path.stem.replace("_", " ")
    chunks: list[Chunk] = []
    for _, section, section_text in sections:
        for part in _split(section_text, max_chars):
            if not part.strip() or _only_heading(part):
                continue
            has_code = _has_code(part)
            chunks.append(
                Chunk(
                    index=len(chunks),
                    text=part.strip(),
                    section=section,
                    has_code=has_code,
                    kinds=section_kinds(section, part),
                )
            )
    return Document(path=path, doc_path=doc_path, title=title, meta=meta, chunks=tuple(chunks))


def _sections(body: str) -> list[tuple[str, str, str]]:
    """(heading marks, heading path below the title, text including the heading line)."""
    out: list[tuple[str, str, str]] = []
    stack: list[tuple[int, str]] = []
    current: list[str] = []
    marks = ""
    in_fence = False

    def close() -> None:
        if current:
            path = " > ".join(text for level, text in stack if level > 1)
            out.append((marks, path, "".join(current)))

    for line in body.splitlines(keepends=True):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match:
            close()
            level = len(match.group(1))
            stack = [(lvl, txt) for lvl, txt in stack if lvl < level] + [(level, match.group(2))]
            marks = match.group(1)
            current = [line]
        else:
            current.append(line)
    close()
    return out


def _split(text: str, max_chars: int) -> list[str]:
    """Paragraph-aligned parts of at most ``max_chars`` (a code block is kept whole if it fits)."""
    if len(text) <= max_chars:
        return [text]
    blocks: list[str] = []
    buf: list[str] = []
    in_fence = False
    for line in text.splitlines(keepends=True):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        buf.append(line)
        if not in_fence and not line.strip():
            blocks.append("".join(buf))
            buf = []
    if buf:
        blocks.append("".join(buf))
    parts: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > max_chars:  # one huge paragraph: cut at a line, else hard
            cut = block.rfind("\n", 0, max_chars)
            cut = cut if cut > max_chars // 2 else max_chars
            if current:
                parts.append(current)
                current = ""
            parts.append(block[:cut])
            block = block[cut:]
        if current and len(current) + len(block) > max_chars:
            parts.append(current)
            current = ""
        current += block
    if current:
        parts.append(current)
    return parts


def _only_heading(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return len(lines) == 1 and bool(_HEADING_RE.match(lines[0]))


_CODE_FENCE_RE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)


def _has_code(text: str) -> bool:
    # the substring test first: most chunks have no fence, and the regex scans every line
    return ("```" in text or "~~~" in text) and bool(_CODE_FENCE_RE.search(text))


def section_kinds(section: str, text: str) -> tuple[str, ...]:
    """What a section is for: procedure, troubleshooting, else explanation (may be several)."""
    kinds: list[str] = []
    numbered = len(_NUMBERED_RE.findall(text)) >= 2
    if _PROCEDURE_RE.search(section) or numbered:
        kinds.append("procedure")
    if _TROUBLE_RE.search(section):
        kinds.append("troubleshooting")
    if not kinds or not section:
        kinds.append("explanation")
    return tuple(kinds)
