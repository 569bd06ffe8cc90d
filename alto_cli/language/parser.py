"""Parse ALTO v1 instructions from the block, compact and JSON forms.

Pure: no I/O. Every failure is an AltoSyntaxError with a 1-based line and column, the
offending text and what was expected (the catalogue is in docs/alto-spec.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from alto_cli.errors import AltoSyntaxError
from alto_cli.language.model import Instruction
from alto_cli.language.symbols import (
    CTX_CODE_RE,
    CTX_MAX_CODES,
    FIELD_ORDER,
    Q_CHAR_RE,
    Q_MAX_LENGTH,
    Q_RE,
    SUPPORTED_VERSIONS,
    SYMBOL_FIELDS,
)

_VERSION_RE = re.compile(r"[vV](\d+)")
_FIELD_NAMES = {
    "CMD": "command",
    "Q": "query",
    "CTX": "ctx",
    "FMT": "fmt",
    "U": "role",
    "L": "language",
}
_JSON_KEYS = {key.lower(): key for key in FIELD_ORDER} | {
    "command": "CMD",
    "query": "Q",
    "fmt": "FMT",
    "format": "FMT",
    "role": "U",
    "language": "L",
}
_CODE_EXPECTED = "2-8 characters, A-Z then A-Z or 0-9 (e.g. AG3)"
_Q_EXPECTED = "keywords of [A-Za-z0-9] joined by single '_' (e.g. rst_MFA)"

# Where each CTX code of a parsed instruction was written: code -> (line, col).
Positions = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class _Field:
    key: str
    value: str | list[str]
    line: int
    col: int  # column of the value's first character
    key_col: int = 1
    # JSON values point at their key: columns inside a JSON string would be misleading.
    in_json: bool = False
    # JSON CTX lists: where each code's string starts.
    item_pos: tuple[tuple[int, int], ...] = ()


def parse(text: str, *, source: str | None = None) -> Instruction:
    """Parse one instruction in any of the three forms."""
    return parse_located(text, source=source)[0]


def parse_located(text: str, *, source: str | None = None) -> tuple[Instruction, Positions]:
    """Parse one instruction and say where each of its CTX codes was written."""
    try:
        return _parse(text)
    except AltoSyntaxError as err:
        if source:
            raise err.located(source) from None
        raise


def _parse(text: str) -> tuple[Instruction, Positions]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.strip()
    if not stripped:
        raise AltoSyntaxError("empty instruction", expected="CMD and Q fields")
    if stripped.startswith("{"):
        return _parse_json(text)
    content = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if len(content) == 1 and "|" in content[0][1]:
        return _parse_compact(*content[0])
    return _parse_block(content)


def _parse_block(content: list[tuple[int, str]]) -> tuple[Instruction, Positions]:
    fields: list[_Field] = []
    for index, (lineno, raw) in enumerate(content):
        indent = len(raw) - len(raw.lstrip())
        line = raw.strip()
        if _VERSION_RE.fullmatch(line):
            if index != 0:
                raise AltoSyntaxError(
                    "version line must come first",
                    line=lineno,
                    col=indent + 1,
                    text=line,
                    expected="the v1 line before every field",
                )
            _check_version(line, lineno, indent + 1)
            continue
        if "|" in line:
            raise AltoSyntaxError(
                "'|' is not allowed in a block-form value",
                line=lineno,
                col=indent + line.index("|") + 1,
                text=line,
                expected="one KEY:VALUE per line",
            )
        fields.append(_split_field(line, lineno, indent + 1))
    return _build(fields, content[0][0])


def _parse_compact(lineno: int, raw: str) -> tuple[Instruction, Positions]:
    fields: list[_Field] = []
    offset = len(raw) - len(raw.lstrip())
    segments = raw.strip().split("|")
    for index, segment in enumerate(segments):
        lead = len(segment) - len(segment.lstrip())
        part = segment.strip()
        col = offset + lead + 1
        if _VERSION_RE.fullmatch(part):
            if index != 0:
                raise AltoSyntaxError(
                    "version must come first",
                    line=lineno,
                    col=col,
                    text=part,
                    expected="v1| at the start of the line",
                )
            _check_version(part, lineno, col)
        elif not part:
            raise AltoSyntaxError(
                "empty field", line=lineno, col=col, text=raw.strip(), expected="KEY:VALUE"
            )
        else:
            fields.append(_split_field(part, lineno, col))
        offset += len(segment) + 1
    return _build(fields, lineno)


# -- JSON


def _parse_json(text: str) -> tuple[Instruction, Positions]:
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as err:
        raise AltoSyntaxError(
            f"invalid JSON: {err.msg}",
            line=err.lineno,
            col=err.colno,
            text=_line_at(text, err.lineno),
            expected="a JSON object",
        ) from None
    except (ValueError, RecursionError) as err:  # e.g. a number too long to convert
        raise AltoSyntaxError(
            f"invalid JSON: {_clip(str(err), 80)}", text=_line_at(text, 1), expected="a JSON object"
        ) from None
    if not isinstance(data, list) or not all(isinstance(p, tuple) for p in data):
        raise AltoSyntaxError(
            "a JSON instruction must be an object",
            text=_line_at(text, 1).strip(),
            expected='{"CMD": ..., "Q": ...}',
        )
    fields: list[_Field] = []
    seen: list[str] = []
    for name, value in data:
        line, col, end = _json_key_at(text, name, seen.count(name))
        if name in seen:
            raise AltoSyntaxError(
                f"duplicate key {_clip(name)!r}",
                line=line,
                col=col,
                text=name,
                expected="each key once",
            )
        seen.append(name)
        if name.lower() in ("v", "version"):
            if type(value) is not int or value not in SUPPORTED_VERSIONS:
                raise AltoSyntaxError(
                    f"unsupported version {_short(value)}",
                    line=line,
                    col=col,
                    text=_short(value),
                    expected="1",
                )
            continue
        key = _JSON_KEYS.get(name.lower())
        if key is None:
            raise AltoSyntaxError(
                f"unknown key {_clip(name)!r}",
                line=line,
                col=col,
                text=name,
                expected="one of " + ", ".join(FIELD_ORDER),
            )
        if key == "CTX" and isinstance(value, list):
            if not all(isinstance(code, str) for code in value):
                raise AltoSyntaxError(
                    "CTX codes must be strings",
                    line=line,
                    col=col,
                    text=_short(value),
                    expected='a list of codes like ["AG3", "MP"]',
                )
            for code in value:
                _json_value_chars(key, code, line, col)
            items = []
            for code in value:
                item_line, item_col, end = _json_find(text, json.dumps(code), end, (line, col))
                items.append((item_line, item_col))
            stripped = [c.strip() for c in value]
            fields.append(_Field(key, stripped, line, col, col, True, tuple(items)))
        elif isinstance(value, str):
            _json_value_chars(key, value, line, col)
            fields.append(_Field(key, value.strip(), line, col, col, True))
        else:
            raise AltoSyntaxError(
                f"{key} must be a string",
                line=line,
                col=col,
                text=_short(value),
                expected="a string" + (" or a list of strings" if key == "CTX" else ""),
            )
    return _build(fields, 1)


def _pairs(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    # Keep every pair so that a repeated key is reported instead of silently overwritten.
    return [(str(k), v) for k, v in pairs]


def _json_value_chars(key: str, value: str, line: int, col: int) -> None:
    """A JSON string may hold characters the text forms cannot carry; refuse them here."""
    for bad, what in (("|", "'|'"), ("\n", "a newline"), ("\r", "a newline")):
        if bad in value:
            raise AltoSyntaxError(
                f"{what} is not allowed in a value ({key})",
                line=line,
                col=col,
                text=value,
                expected="a single-line value without '|'",
            )


def _json_key_at(text: str, name: str, occurrence: int = 0) -> tuple[int, int, int]:
    """Line, column and end offset of a JSON key in the source (1:1 when it is not found)."""
    key_re = re.escape(json.dumps(name, ensure_ascii=False)) + r"\s*:"
    match = next((m for i, m in enumerate(re.finditer(key_re, text)) if i == occurrence), None)
    if match is None:
        return 1, 1, 0
    return (*_line_col(text, match.start()), match.end())


def _json_find(
    text: str, needle: str, start: int, default: tuple[int, int]
) -> tuple[int, int, int]:
    """Where ``needle`` next occurs from ``start``: line, column and end offset."""
    at = text.find(needle, start)
    if at < 0:
        return (*default, start)
    return (*_line_col(text, at + 1), at + len(needle))  # +1: the code, not its quote


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _short(value: Any) -> str:
    return _clip(repr(value))


def _clip(text: str, limit: int = 40) -> str:
    """User text quoted in a message, cut short so that one bad line stays one line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- fields


def _check_version(token: str, lineno: int, col: int) -> None:
    match = _VERSION_RE.fullmatch(token)
    # Compared as text: a huge number must not reach int().
    if match is None or match.group(1) not in {str(v) for v in SUPPORTED_VERSIONS}:
        raise AltoSyntaxError(
            f"unsupported version {_clip(token)!r}", line=lineno, col=col, text=token, expected="v1"
        )


def _split_field(part: str, lineno: int, col: int) -> _Field:
    if ":" not in part:
        raise AltoSyntaxError(
            f"missing ':' in {_clip(part)!r}", line=lineno, col=col, text=part, expected="KEY:VALUE"
        )
    raw_key, raw_value = part.split(":", 1)
    key = raw_key.strip().upper() if raw_key.isascii() else raw_key.strip()
    if key not in FIELD_ORDER:
        raise AltoSyntaxError(
            f"unknown key {_clip(raw_key.strip())!r}",
            line=lineno,
            col=col,
            text=raw_key.strip(),
            expected="one of " + ", ".join(FIELD_ORDER),
        )
    value_col = col + len(raw_key) + 1 + (len(raw_value) - len(raw_value.lstrip()))
    return _Field(key, raw_value.strip(), lineno, value_col, col)


def _build(fields: list[_Field], first_line: int) -> tuple[Instruction, Positions]:
    seen: dict[str, _Field] = {}
    for item in fields:
        if item.key in seen:
            first = seen[item.key]
            raise AltoSyntaxError(
                f"duplicate key {item.key} (first on line {first.line}, column {first.key_col})",
                line=item.line,
                col=item.key_col,
                text=item.key,
                expected="each key once",
            )
        seen[item.key] = item
    for key in ("CMD", "Q"):
        if key not in seen:
            raise AltoSyntaxError(
                f"missing {key}",
                line=first_line,
                col=1,
                text="",
                expected=f"a {key} field",
            )
    values: dict[str, Any] = {}
    positions: Positions = {}
    for key, item in seen.items():
        if key == "CTX":
            values["ctx"], positions = _codes(item)
        else:
            values[_FIELD_NAMES[key]] = _symbol(item) if key in SYMBOL_FIELDS else _query(item)
    return Instruction(**values), positions


def _symbol(item: _Field) -> Any:
    enum = SYMBOL_FIELDS[item.key]
    value = str(item.value)
    try:
        if not value.isascii():  # case-folding is ASCII only: no 'ﬆp' for STP
            raise ValueError(value)
        return enum(value.upper())
    except ValueError:
        raise AltoSyntaxError(
            f"unknown {item.key} symbol {_clip(value)!r}" if value else f"empty {item.key}",
            line=item.line,
            col=item.col,
            text=value,
            expected="one of " + ", ".join(member.value for member in enum),
        ) from None


def _query(item: _Field) -> str:
    value = str(item.value)
    if not value:
        raise AltoSyntaxError(
            "empty Q", line=item.line, col=item.col, text="", expected=_Q_EXPECTED
        )
    if len(value) > Q_MAX_LENGTH:
        raise AltoSyntaxError(
            f"Q is {len(value)} characters long",
            line=item.line,
            col=item.col if item.in_json else item.col + Q_MAX_LENGTH,
            text=value,
            expected=f"at most {Q_MAX_LENGTH} characters",
        )
    if not Q_RE.fullmatch(value):
        bad = next((i for i, ch in enumerate(value) if not Q_CHAR_RE.fullmatch(ch)), None)
        if bad is None:  # only '_' misplaced: leading, trailing or doubled
            if value.startswith("_"):
                bad = 0
            elif "__" in value:
                bad = value.index("__") + 1
            else:
                bad = len(value) - 1
            reason = f"misplaced '_' in Q {_clip(value)!r}"
        else:
            reason = f"character {value[bad]!r} not allowed in Q"
        raise AltoSyntaxError(
            reason,
            line=item.line,
            col=item.col if item.in_json else item.col + bad,
            text=value,
            expected=_Q_EXPECTED,
        )
    return value


def _codes(item: _Field) -> tuple[tuple[str, ...], Positions]:
    if isinstance(item.value, list):
        raw = item.value
    elif not item.value.strip():
        return (), {}
    else:
        raw = item.value.split(",")
    codes: list[str] = []
    positions: Positions = {}
    col = item.col
    for index, entry in enumerate(raw):
        text = entry.strip()
        code = text.upper() if text.isascii() else text
        if item.item_pos:
            where = item.item_pos[index]
        elif item.in_json:
            where = (item.line, item.col)
        else:
            where = (item.line, col + len(entry) - len(entry.lstrip()))
        if not CTX_CODE_RE.fullmatch(code):
            raise AltoSyntaxError(
                f"bad CTX code {_clip(text)!r}" if text else "empty CTX code",
                line=where[0],
                col=where[1],
                text=text,
                expected=_CODE_EXPECTED,
            )
        if code not in positions:  # duplicates are dropped; the first one is kept
            codes.append(code)
            positions[code] = where
        col += len(entry) + 1
    if len(codes) > CTX_MAX_CODES:
        extra = codes[CTX_MAX_CODES]
        raise AltoSyntaxError(
            f"{len(codes)} CTX codes",
            line=positions[extra][0],
            col=positions[extra][1],
            text=",".join(codes),
            expected=f"at most {CTX_MAX_CODES}",
        )
    return tuple(codes), positions


def _line_at(text: str, lineno: int) -> str:
    lines = text.split("\n")
    return lines[lineno - 1] if 0 < lineno <= len(lines) else ""
