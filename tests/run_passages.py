"""retrieval.Passage objects cut from examples/docs by section, for run tests with no store."""

from __future__ import annotations

import re
from pathlib import Path

from alto_cli.retrieval import Passage

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "examples" / "docs"


def doc_sections(relative: str) -> list[Passage]:
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
            Passage(
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


def find(relative: str, section_word: str) -> Passage:
    return next(p for p in doc_sections(relative) if section_word.lower() in p.section.lower())
