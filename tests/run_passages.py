"""Passage-like objects cut from examples/docs by section, for the run tests that need no store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "examples" / "docs"


@dataclass(frozen=True)
class DocPassage:
    point_id: str
    text: str
    doc_path: str
    title: str
    section: str
    ctx_codes: tuple[str, ...]
    score: float
    chunk: int
    has_code: bool


def doc_sections(relative: str) -> list[DocPassage]:
    """One passage per '## ' section of a sample document."""
    path = DOCS / relative
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---", 2)
    title = re.search(r"title:\s*(.+)", front).group(1).strip()
    codes = tuple(re.findall(r"[A-Z][A-Z0-9]+", re.search(r"ctx:\s*\[(.*)\]", front).group(1)))
    parts = re.split(r"^## ", body, flags=re.M)
    passages = []
    for n, part in enumerate(parts[1:]):
        section, _, text = part.partition("\n")
        passages.append(
            DocPassage(
                point_id=f"{codes[0]}-{n}",
                text=f"## {section}\n{text.strip()}",
                doc_path=str(path.relative_to(ROOT)),
                title=title,
                section=section.strip(),
                ctx_codes=codes,
                score=1.0 - n * 0.01,
                chunk=n,
                has_code="```" in text,
            )
        )
    return passages


def find(relative: str, section_word: str) -> DocPassage:
    return next(p for p in doc_sections(relative) if section_word.lower() in p.section.lower())
