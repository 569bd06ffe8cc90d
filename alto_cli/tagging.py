"""Which CTX codes a document belongs to, and which ALTO patterns a chunk can answer.

Order of evidence: the document's own front matter (``ctx: [AG3]``), then the registry's
``sources`` globs (relative to the registry file's folder), then (for points loaded by other
tools, in-place migration) the registry's keywords found in the title and text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from alto_cli.abbreviations import to_query
from alto_cli.registry import Registry

MAX_KEYWORD_CODES = 3


@functools.lru_cache(maxsize=1024)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A ``sources`` glob as a regex: ``**`` spans folders, ``*`` and ``?`` stay in one."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def codes_from_sources(doc_path: str, registry: Registry) -> list[str]:
    """Codes whose ``sources`` globs match the document (paths relative to the registry,
    or absolute)."""
    base = registry.base_dir.resolve()
    candidates = {doc_path.removeprefix("./")}
    path = Path(doc_path)
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            candidates.add(path.relative_to(base).as_posix())
    else:  # for absolute globs (Registry.with_sources_under)
        candidates.add((base / path).as_posix())
    codes = []
    for entry in registry:
        for source in entry.sources:
            glob = source[2:] if source.startswith("./") else source
            if any(glob_regex(glob).fullmatch(c) for c in candidates):
                codes.append(entry.code)
                break
    return codes


def front_matter_codes(meta: dict[str, object]) -> list[str] | None:
    """``ctx: [AG3, MP]`` or ``ctx: AG3``; None when the front matter names no code."""
    value = meta.get("ctx", meta.get("CTX"))
    if value is None:
        return None
    if isinstance(value, str):
        items = [v.strip() for v in re.split(r"[,\s]+", value) if v.strip()]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        items = [str(value)]
    return list(dict.fromkeys(items))


def codes_from_keywords(text: str, registry: Registry) -> list[str]:
    """Codes whose keywords (and name/title words) occur most in ``text``; at most three."""
    lower = text.lower()
    scores: dict[str, int] = {}
    for entry in registry:
        terms = {k.lower() for k in entry.keywords}
        if entry.title:
            terms.add(entry.title.lower())
        score = 0
        for term in terms:
            hits = len(re.findall(r"(?<![a-z0-9])" + re.escape(term) + r"(?![a-z0-9])", lower))
            score += hits * (1 + term.count(" "))  # phrases count more than single words
        if score:
            scores[entry.code] = score
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted(scores, key=lambda code: (-scores[code], code))
    keep = [c for c in ranked if scores[c] >= max(2, best / 2)]
    return sorted(keep[:MAX_KEYWORD_CODES])


@functools.lru_cache(maxsize=4096)
def _heading_query(heading: str) -> str:
    """A heading as Q, "" when it makes no valid Q (headings repeat across a corpus)."""
    from alto_cli.language.symbols import Q_RE

    query = to_query(heading)
    return query if query and Q_RE.fullmatch(query) else ""


@functools.lru_cache(maxsize=1024)
def _ctx_tail(codes: tuple[str, ...]) -> str:
    """``|CTX:A,B`` for a chunk's codes (the same for every chunk of a document)."""
    from alto_cli.language.symbols import CTX_CODE_RE

    ctx = sorted({c for c in codes if CTX_CODE_RE.fullmatch(c)})
    return f"|CTX:{','.join(ctx)}" if ctx else ""


def chunk_patterns(
    section: str, title: str, kinds: Sequence[str], has_code: bool, codes: Iterable[str]
) -> list[str]:
    """Compact-form patterns (CMD, Q, CTX) a chunk can answer, e.g. ``CMD:PL|Q:rst_MFA|CTX:AG3``.

    Written as ``alto_cli.language.pattern`` writes them; built directly because this runs
    for every chunk of a large ingest.
    """
    query = _heading_query(section.split(" > ")[-1] if section else title)
    if not query:
        return []
    commands = ["FA"]
    if "procedure" in kinds:
        commands.append("PL")
    if "troubleshooting" in kinds:
        commands.append("DI")
    if "explanation" in kinds:
        commands.append("EX")
    if has_code:
        commands.append("GC")
    tail = _ctx_tail(tuple(codes))
    return [f"CMD:{command}|Q:{query}{tail}" for command in commands]
