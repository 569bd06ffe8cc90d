"""Parse ALTO v1 instructions from the block, compact and JSON forms.

Pure: no I/O. Every failure is an AltoSyntaxError with a 1-based line and column.
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


@dataclass(frozen=True)
class _Field:
    key: str
    value: str | list[str]
    line: int
    col: int  # column of the value's first character


def parse(text: str, *, source: str | None = None) -> Instruction:
    """Parse one instruction in any of the three forms."""
    try:
        return _parse(text)
    except AltoSyntaxError as err:
        if source:
            raise err.located(source) from None
        raise


def _parse(text: str) -> Instruction:
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


def _parse_block(content: list[tuple[int, str]]) -> Instruction:
    fields: list[_Field] = []
    for index, (lineno, raw) in enumerate(content):
        indent = len(raw) - len(raw.lstrip())
        line = raw.strip()
        if _VERSION_RE.fullmatch(line):
            if index != 0:
                raise AltoSyntaxError(
                    "version line must come first", line=lineno, col=indent + 1, text=line
                )
            _check_version(line, lineno, indent + 1)
            continue
        if "|" in line:
            col = indent + raw.strip().index("|") + 1
            raise AltoSyntaxError(
                "'|' is not allowed in a block-form value",
                line=lineno,
                col=col,
                text=line,
                expected="one KEY:VALUE per line",
            )
        fields.append(_split_field(line, lineno, indent + 1))
    return _build(fields)


def _parse_compact(lineno: int, raw: str) -> Instruction:
    fields: list[_Field] = []
    offset = len(raw) - len(raw.lstrip())
    segments = raw.strip().split("|")
    for index, segment in enumerate(segments):
        lead = len(segment) - len(segment.lstrip())
        part = segment.strip()
        col = offset + lead + 1
        if index == 0 and _VERSION_RE.fullmatch(part):
            _check_version(part, lineno, col)
        elif not part:
            raise AltoSyntaxError(
                "empty field", line=lineno, col=col, text=raw.strip(), expected="KEY:VALUE"
            )
        else:
            fields.append(_split_field(part, lineno, col))
        offset += len(segment) + 1
    return _build(fields)


def _parse_json(text: str) -> Instruction:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise AltoSyntaxError(
            f"invalid JSON: {err.msg}",
            line=err.lineno,
            col=err.colno,
            text=_line_at(text, err.lineno),
        ) from None
    if not isinstance(data, dict):
        raise AltoSyntaxError(
            "JSON instruction must be an object", expected='{"CMD": ..., "Q": ...}'
        )
    fields: list[_Field] = []
    for name, value in data.items():
        if name in ("v", "version"):
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or value not in SUPPORTED_VERSIONS
            ):
                raise AltoSyntaxError(
                    f"unsupported version {value!r}", text=str(value), expected="1"
                )
            continue
        key = _JSON_KEYS.get(str(name).lower()) if isinstance(name, str) else None
        if key is None:
            raise AltoSyntaxError(
                f"unknown key {name!r}", text=str(name), expected=", ".join(FIELD_ORDER)
            )
        if key == "CTX" and isinstance(value, list):
            if not all(isinstance(code, str) for code in value):
                raise AltoSyntaxError("CTX codes must be strings", text=str(value))
            fields.append(_Field(key, [code.strip() for code in value], 1, 1))
        elif isinstance(value, str):
            fields.append(_Field(key, value.strip(), 1, 1))
        else:
            raise AltoSyntaxError(f"{key} must be a string", text=repr(value)[:60])
    return _build(fields)


def _check_version(token: str, lineno: int, col: int) -> None:
    match = _VERSION_RE.fullmatch(token)
    if match is None or int(match.group(1)) not in SUPPORTED_VERSIONS:
        raise AltoSyntaxError(
            f"unsupported version {token!r}", line=lineno, col=col, text=token, expected="v1"
        )


def _split_field(part: str, lineno: int, col: int) -> _Field:
    if ":" not in part:
        raise AltoSyntaxError(
            f"missing ':' in {part!r}", line=lineno, col=col, text=part, expected="KEY:VALUE"
        )
    raw_key, raw_value = part.split(":", 1)
    key = raw_key.strip().upper()
    if key not in FIELD_ORDER:
        raise AltoSyntaxError(
            f"unknown key {raw_key.strip()!r}",
            line=lineno,
            col=col,
            text=part,
            expected="one of " + ", ".join(FIELD_ORDER),
        )
    value_col = col + len(raw_key) + 1 + (len(raw_value) - len(raw_value.lstrip()))
    return _Field(key, raw_value.strip(), lineno, value_col)


def _build(fields: list[_Field]) -> Instruction:
    seen: dict[str, _Field] = {}
    for field in fields:
        if field.key in seen:
            first = seen[field.key]
            raise AltoSyntaxError(
                f"duplicate key {field.key} (first on line {first.line})",
                line=field.line,
                col=max(1, field.col - len(field.key) - 1),
                text=field.key,
            )
        seen[field.key] = field
    for key in ("CMD", "Q"):
        if key not in seen:
            last = fields[-1] if fields else None
            raise AltoSyntaxError(
                f"missing {key}",
                line=last.line if last else 1,
                col=1,
                expected=f"a {key}: line",
            )
    values: dict[str, Any] = {}
    for key, field in seen.items():
        values[_FIELD_NAMES[key]] = _convert(field)
    return Instruction(**values)


def _convert(field: _Field) -> Any:
    if field.key in SYMBOL_FIELDS:
        return _symbol(field)
    if field.key == "Q":
        return _query(field)
    return _codes(field)


def _symbol(field: _Field) -> Any:
    enum = SYMBOL_FIELDS[field.key]
    value = str(field.value).upper()
    try:
        return enum(value)
    except ValueError:
        raise AltoSyntaxError(
            f"unknown {field.key} symbol {field.value!r}" if field.value else f"empty {field.key}",
            line=field.line,
            col=field.col,
            text=str(field.value),
            expected="one of " + ", ".join(member.value for member in enum),
        ) from None


def _query(field: _Field) -> str:
    value = str(field.value)
    if not value:
        raise AltoSyntaxError(
            "empty Q", line=field.line, col=field.col, expected="keywords like rst_MFA"
        )
    if len(value) > Q_MAX_LENGTH:
        raise AltoSyntaxError(
            f"Q is {len(value)} characters long",
            line=field.line,
            col=field.col + Q_MAX_LENGTH,
            text=value,
            expected=f"at most {Q_MAX_LENGTH}",
        )
    if not Q_RE.fullmatch(value):
        bad = next((i for i, ch in enumerate(value) if not Q_CHAR_RE.fullmatch(ch)), None)
        if bad is None:  # only '_' misplaced: leading, trailing or doubled
            bad = (
                value.find("__") + 1
                if "__" in value
                else (0 if value[0] == "_" else len(value) - 1)
            )
            reason = f"misplaced '_' in Q {value!r}"
        else:
            reason = f"character {value[bad]!r} not allowed in Q"
        raise AltoSyntaxError(
            reason,
            line=field.line,
            col=field.col + bad,
            text=value,
            expected="keywords of [A-Za-z0-9] joined by single '_'",
        )
    return value


def _codes(field: _Field) -> tuple[str, ...]:
    raw = field.value if isinstance(field.value, list) else str(field.value).split(",")
    if isinstance(field.value, str) and not field.value.strip():
        return ()
    codes: list[str] = []
    col = field.col
    for item in raw:
        code = item.strip().upper()
        lead = len(item) - len(item.lstrip())
        if not CTX_CODE_RE.fullmatch(code):
            raise AltoSyntaxError(
                f"bad CTX code {item.strip()!r}",
                line=field.line,
                col=col + lead,
                text=item.strip(),
                expected="2-8 characters, A-Z then A-Z or 0-9 (e.g. AG3)",
            )
        if code not in codes:
            codes.append(code)
        col += len(item) + 1
    if len(codes) > CTX_MAX_CODES:
        raise AltoSyntaxError(
            f"{len(codes)} CTX codes",
            line=field.line,
            col=field.col,
            expected=f"at most {CTX_MAX_CODES}",
        )
    return tuple(codes)


def _line_at(text: str, lineno: int) -> str:
    lines = text.split("\n")
    return lines[lineno - 1] if 0 < lineno <= len(lines) else ""
