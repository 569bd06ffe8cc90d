"""Edit and lint the CTX registry file.

Every edit is a read-modify-write under ``fsutil.locked`` with an atomic replace, so
concurrent ``alto ctx register`` processes never lose each other's entries. Edits keep
comments, key order and the formatting of untouched entries: ``register`` appends through
a ruamel round-trip; ``remove`` cuts the entry's own lines out of the text, so that the
comments heading the next group of codes stay where they were.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alto_cli.errors import ConflictError, NotFoundError, RegistryFileError
from alto_cli.fsutil import atomic_write_text, locked
from alto_cli.language.symbols import CTX_CODE_RE
from alto_cli.registry import (
    REGISTRY_VERSION,
    CtxEntry,
    Registry,
    _key_line,
    _plain,
    _value_line,
    load_yaml,
    make_yaml,
    parse_registry,
    registry_from_data,
)

CODE_MAX = 8
_NEW_FILE = (
    "# ALTO CTX registry: the document codes that instructions point at.\n"
    f"version: {REGISTRY_VERSION}\n"
    "codes:\n"
)


# -- suggestions


def suggest_code(name: str, registry: Registry | Iterable[str]) -> str:
    """A free code derived from a snake_case name: ``billing_faq`` -> ``BF`` (or ``BF1``...).

    Initials of the words, a version word (``v3``) becoming a digit suffix
    (``auth_guide_v3`` -> ``AG3``); a one-word name gives its first three letters
    (``monitoring`` -> ``MON``). Taken codes get the lowest free number appended.
    """
    taken = set(registry.codes if isinstance(registry, Registry) else registry)
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    version = ""
    if len(words) > 1 and re.fullmatch(r"[vV]\d+", words[-1]):
        version = words.pop()[1:]
    letters = [w for w in words if w[0].isalpha()] or [w for w in words] or ["X"]
    if len(letters) == 1:
        base = re.sub(r"[^A-Za-z0-9]", "", letters[0])[:3].upper()
    else:
        base = "".join(word[0] for word in letters).upper()
    if not base or not base[0].isalpha():
        base = "X" + base
    if len(base) < 2:
        base = (base + "X")[:2]
    base = base[: CODE_MAX - len(version)]
    first = base + version
    if first not in taken and CTX_CODE_RE.fullmatch(first):
        return first
    for number in range(1, 10**6):
        suffix = str(number)
        candidate = base[: CODE_MAX - len(suffix)] + suffix
        if len(candidate) >= 2 and candidate not in taken:
            return candidate
    raise ConflictError(f"no free code for {name!r}")  # pragma: no cover - a million codes


# -- edits


def register_code(
    path: Path,
    code: str | None,
    name: str,
    *,
    title: str = "",
    description: str = "",
    keywords: Iterable[str] = (),
    sources: Iterable[str] = (),
) -> CtxEntry:
    """Add one code to the registry file; refuse an existing code or name (file untouched).

    ``code=None`` takes ``suggest_code(name)``, chosen under the lock so that it is free.
    A missing file is created.
    """
    path = Path(path)
    fields = (name, title, description, keywords, sources)
    entry = _new_entry(code or "XX", *fields)  # checks the fields before taking the lock
    with locked(path):
        text, newline, encoding = _read(path) if path.exists() else (_NEW_FILE, "\n", "utf-8")
        data = load_yaml(text, path)
        registry = registry_from_data(data, path)
        if code is None:
            entry = _new_entry(suggest_code(entry.name, registry), *fields)
        _check_free(entry, registry)
        updated = _insert_entry(text, data, entry, registry.codes)
        if updated is None:  # no block mapping of codes to append to: round-trip the file
            data = _with_codes_mapping(data)
            data["codes"][entry.code] = _entry_map(entry)
            updated = _dump(data)
        parse_registry(updated, path)  # never write a file that would not load
        atomic_write_text(path, updated.replace("\n", newline), encoding)
    return entry


def remove_code(path: Path, code: str) -> CtxEntry:
    """Remove one code from the registry file; NotFoundError when it is not there."""
    path = Path(path)
    code = code.strip().upper()
    with locked(path):
        text, newline, encoding = _read(path)
        data = load_yaml(text, path)
        registry = registry_from_data(data, path)
        entry = registry.get(code)
        if entry is None:
            raise NotFoundError(
                f"{path}: no CTX code {code!r}", hint=_near_hint(code, registry.codes)
            )
        updated = _cut_entry(text, data, code)
        if updated is None or _codes_of(updated, path) != [c for c in registry.codes if c != code]:
            # Unusual layout (e.g. a flow-style mapping): fall back to a round-trip delete.
            del data["codes"][code]
            updated = _dump(data)
        atomic_write_text(path, updated.replace("\n", newline), encoding)
    return entry


def _new_entry(
    code: str,
    name: str,
    title: str,
    description: str,
    keywords: Iterable[str],
    sources: Iterable[str],
) -> CtxEntry:
    from pydantic import ValidationError

    try:
        return CtxEntry(
            code=code.strip().upper(),
            name=name.strip(),
            title=title.strip(),
            description=description.strip(),
            keywords=tuple(k.strip() for k in keywords if k.strip()),
            sources=tuple(s.strip() for s in sources if s.strip()),
        )
    except ValidationError as err:
        first = err.errors()[0]
        field = first["loc"][0] if first["loc"] else "entry"
        message = str(first["msg"]).removeprefix("Value error, ")
        from alto_cli.errors import InvalidInputError

        raise InvalidInputError(f"{field}: {message}") from None


def _check_free(entry: CtxEntry, registry: Registry) -> None:
    where = registry.path or "<registry>"
    if entry.code in registry:
        line = registry.lines.get(entry.code, 1)
        raise ConflictError(
            f"{where}:{line}: CTX code {entry.code} is already registered "
            f"(name {registry.entries[entry.code].name})",
            hint=f"a free code for this name: {suggest_code(entry.name, registry)}",
        )
    owner = registry.by_name(entry.name)
    if owner is not None:
        line = registry.lines.get(owner.code, 1)
        raise ConflictError(f"{where}:{line}: name {entry.name!r} is already used by {owner.code}")


def _entry_map(entry: CtxEntry) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    body = CommentedMap()
    body["name"] = entry.name
    if entry.title:
        body["title"] = entry.title
    if entry.description:
        body["description"] = entry.description
    if entry.keywords:
        keywords = CommentedSeq(entry.keywords)
        keywords.fa.set_flow_style()  # one line, like the hand-written entries
        body["keywords"] = keywords
    if entry.sources:
        body["sources"] = CommentedSeq(entry.sources)
    return body


def _insert_entry(text: str, data: Any, entry: CtxEntry, codes: list[str]) -> str | None:
    """The text with ``entry`` appended after the last code's lines, written in the file's own
    indentation, or None when the layout is unclear (the caller then round-trips the file).

    Appending as text leaves every other byte alone: a round-trip dump would re-indent a
    hand-written file that does not use ruamel's default layout.
    """
    block = data.get("codes") if data is not None else None
    if not codes or not hasattr(block, "lc"):
        return None
    try:
        key_line, key_col = (int(n) for n in block.lc.key(codes[-1]))
        first = block[codes[0]]
        body_col = int(first.lc.key(next(iter(first)))[1]) if first else key_col + 2
    except (AttributeError, KeyError, TypeError, StopIteration):
        return None
    lines = text.split("\n")
    if key_col == 0 or not lines[key_line].lstrip().startswith(codes[-1]):
        return None  # flow style, or a layout this reader does not follow
    end = _span_end(lines, key_line, key_col)
    yaml = make_yaml()
    sequence, offset = _sequence_layout(block, lines)
    yaml.indent(mapping=body_col - key_col, sequence=sequence, offset=offset)
    stream = io.StringIO()
    from ruamel.yaml.comments import CommentedMap

    single = CommentedMap()
    single[entry.code] = _entry_map(entry)
    yaml.dump(single, stream)
    added = [" " * key_col + line if line else line for line in stream.getvalue().split("\n")]
    updated = "\n".join(lines[: end + 1] + added[:-1] + lines[end + 1 :])
    if _codes_of(updated, Path("<registry>")) != [*codes, entry.code]:
        return None
    return updated


def _span_end(lines: list[str], start: int, indent: int) -> int:
    """The last non-blank line of the entry whose key is on line ``start``."""
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip():
            if len(line) - len(line.lstrip()) <= indent:
                break
            last = index
    return last


def _sequence_layout(block: Any, lines: list[str]) -> tuple[int, int]:
    """(sequence, offset) as ruamel's indent() takes them, read from the first block list in
    the file's entries; ruamel's layout (4, 2) when there is none."""
    for body in block.values():
        for key in ("sources", "keywords"):
            try:
                seq = body[key]
                if seq.fa.flow_style() or not seq:
                    continue
                key_col = int(body.lc.key(key)[1])
                item_line, item_col = (int(n) for n in seq.lc.item(0))
            except (AttributeError, KeyError, TypeError):
                continue
            dash = lines[item_line].find("-")
            if 0 <= dash < item_col:
                return item_col - key_col, dash - key_col
    return 4, 2


def _with_codes_mapping(data: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if data is None:
        data = CommentedMap()
        data["version"] = REGISTRY_VERSION
    if not data.get("codes"):  # missing, null or an empty {}: start a block mapping
        data["codes"] = CommentedMap()
    return data


def _dump(data: Any) -> str:
    stream = io.StringIO()
    make_yaml().dump(data, stream)
    return stream.getvalue()


def _read(path: Path) -> tuple[str, str, str]:
    """The file's text with '\\n' newlines, and the newline and encoding it uses (a byte-order
    mark is kept on write: an editor that wrote one expects it back)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RegistryFileError(f"{path}: registry not found") from None
    except OSError as err:
        raise RegistryFileError(f"{path}: cannot read registry: {err}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RegistryFileError(f"{path}: not UTF-8: {err}") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    return text.replace("\r\n", "\n"), newline, encoding


def _cut_entry(text: str, data: Any, code: str) -> str | None:
    """The text without the lines of ``code``'s entry, or None if its span is unclear.

    The span is the key's line and every following line indented deeper than the key
    (blank lines inside it too); a comment at the key's own indentation belongs to what
    follows, so it stays, unless the entry was the last of a group: then the comment lines
    right above it head nothing any more and go with it.
    """
    try:
        start = int(data["codes"].lc.key(code)[0])
    except (AttributeError, KeyError, TypeError):
        return None
    lines = text.split("\n")
    key_line = lines[start]
    indent = len(key_line) - len(key_line.lstrip())
    if not key_line.lstrip().startswith(code):
        return None
    last = _span_end(lines, start, indent)
    if not _next_is_entry(lines, last + 1, indent):
        while start > 0 and _is_comment_at(lines[start - 1], indent):
            start -= 1
    return "\n".join(lines[:start] + lines[last + 1 :])


def _is_comment_at(line: str, indent: int) -> bool:
    return line.lstrip().startswith("#") and len(line) - len(line.lstrip()) == indent


def _next_is_entry(lines: list[str], index: int, indent: int) -> bool:
    """Whether the first non-blank line from ``index`` is another key at ``indent``."""
    for line in lines[index:]:
        if line.strip():
            return len(line) - len(line.lstrip()) == indent and not line.lstrip().startswith("#")
    return False


def _codes_of(text: str, path: Path) -> list[str] | None:
    try:
        return parse_registry(text, path).codes
    except RegistryFileError:
        return None


def _near_hint(code: str, codes: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(code, codes, n=1, cutoff=0.5)
    return f"did you mean {close[0]}?" if close else None


# -- lint


@dataclass(frozen=True)
class LintIssue:
    severity: str  # "error" or "warning"
    line: int
    message: str
    code: str | None = None

    def render(self, path: Path | str) -> str:
        return f"{path}:{self.line}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "line": self.line,
            "code": self.code,
            "message": self.message,
        }


def lint_registry(path: Path) -> list[LintIssue]:
    """Every problem of a registry file, not just the first: errors, then warnings by line.

    Errors: YAML syntax, top-level keys, code pattern, names, unknown fields, duplicate
    names. Warnings: empty title, description or keywords; ``sources`` globs (relative to
    the file's folder) that match no file.
    """
    from pydantic import ValidationError

    path = Path(path)
    text, _, _ = _read(path)
    try:
        data = load_yaml(text, path)
    except RegistryFileError as err:
        return [LintIssue("error", _line_of(err.message), _message_of(err.message))]
    issues: list[LintIssue] = []
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return [LintIssue("error", 1, "the registry must be a mapping with a 'codes' key")]
    for key in data:
        if key not in ("version", "codes"):
            issues.append(
                LintIssue(
                    "error",
                    _key_line(data, key),
                    f"unknown top-level key {key!r}; expected 'version' and 'codes'",
                )
            )
    if data.get("version", REGISTRY_VERSION) != REGISTRY_VERSION:
        issues.append(
            LintIssue(
                "error",
                _key_line(data, "version"),
                f"unsupported registry version {data.get('version')!r}; expected 1",
            )
        )
    codes = data.get("codes") or {}
    if not isinstance(codes, Mapping):
        issues.append(LintIssue("error", _key_line(data, "codes"), "'codes' must be a mapping"))
        codes = {}
    names: dict[str, str] = {}
    base = path.parent
    for code, body in codes.items():
        line = _key_line(codes, code)
        if not isinstance(body, Mapping):
            issues.append(LintIssue("error", line, f"{code}: entry must be a mapping", str(code)))
            continue
        try:
            entry = CtxEntry(code=str(code), **_plain(body))
        except ValidationError as err:
            for problem in err.errors():
                loc = str(problem["loc"][0]) if problem["loc"] else "code"
                where = _value_line(body, loc) if loc in body else line
                message = str(problem["msg"]).removeprefix("Value error, ")
                issues.append(LintIssue("error", where, f"{code}.{loc}: {message}", str(code)))
            continue
        if entry.name in names:
            issues.append(
                LintIssue(
                    "error",
                    _value_line(body, "name"),
                    f"{code}: name {entry.name!r} is already used by {names[entry.name]}",
                    entry.code,
                )
            )
        names.setdefault(entry.name, entry.code)
        for fieldname in ("title", "description", "keywords"):
            if not getattr(entry, fieldname):
                issues.append(LintIssue("warning", line, f"{code}: empty {fieldname}", entry.code))
        for index, pattern in enumerate(entry.sources):
            if not _glob_matches(base, pattern):
                issues.append(
                    LintIssue(
                        "warning",
                        _item_line(body, "sources", index),
                        f"{code}: sources glob {pattern!r} matches no file under {base}",
                        entry.code,
                    )
                )
    issues.sort(key=lambda issue: (issue.severity != "error", issue.line))
    return issues


def _glob_matches(base: Path, pattern: str) -> bool:
    import glob

    return bool(glob.glob(pattern, root_dir=base, recursive=True))


def _item_line(body: Any, key: str, index: int) -> int:
    try:
        return int(body[key].lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return _value_line(body, key)


def _line_of(message: str) -> int:
    match = re.search(r":(\d+)(?::\d+)?: ", message)
    return int(match.group(1)) if match else 1


def _message_of(message: str) -> str:
    match = re.search(r":\d+(?::\d+)?: ", message)
    return message[match.end() :] if match else message
