"""The instruction model: one validated, immutable ALTO v1 instruction.

A plain frozen dataclass, not a pydantic model: importing pydantic costs more than the rest of
``alto validate`` together, and the rules fit in a few lines. The parser checks every field
first (to report a line and column); the constructor checks them again for instructions built
in code, raising ValueError (what pydantic's ValidationError was a subclass of).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from alto_cli.language.symbols import (
    CTX_CODE_RE,
    CTX_MAX_CODES,
    DEFAULT_ROLE,
    Q_MAX_LENGTH,
    Q_RE,
    VERSION,
    Command,
    Format,
    Language,
    Role,
    default_format,
    default_language,
)

# Attribute -> the field's key in the ALTO forms (``version`` is the v1 line, not a key).
FIELD_KEYS = {
    "command": "CMD",
    "query": "Q",
    "ctx": "CTX",
    "fmt": "FMT",
    "role": "U",
    "language": "L",
}

_E = TypeVar("_E", bound=Enum)


@dataclasses.dataclass(frozen=True, slots=True, init=False)
class Instruction:
    """An ALTO instruction. FMT and L default from the command, U to SU, when left out (None).

    Symbols may be given as enum members or their values ("FA"); CTX as any iterable of codes,
    kept as a tuple with duplicates dropped (the first kept). Change one with
    ``dataclasses.replace``, which validates again.
    """

    version: int
    command: Command
    query: str
    ctx: tuple[str, ...]
    fmt: Format
    role: Role
    language: Language

    def __init__(
        self,
        *,
        command: Command | str,
        query: str,
        ctx: Iterable[str] = (),
        fmt: Format | str | None = None,
        role: Role | str | None = None,
        language: Language | str | None = None,
        version: int = VERSION,
    ) -> None:
        cmd = _symbol(Command, command, "CMD")
        values = {
            "version": _check_version(version),
            "command": cmd,
            "query": _check_query(query),
            "ctx": _check_ctx(ctx),
            "fmt": default_format(cmd) if fmt is None else _symbol(Format, fmt, "FMT"),
            "role": DEFAULT_ROLE if role is None else _symbol(Role, role, "U"),
            "language": (
                default_language(cmd) if language is None else _symbol(Language, language, "L")
            ),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)  # frozen: the only way in

    def canonical(self) -> Instruction:
        """Same meaning, one representation: CTX codes sorted."""
        return dataclasses.replace(self, ctx=tuple(sorted(self.ctx)))


def _symbol(enum: type[_E], value: Any, key: str) -> _E:
    try:
        return enum(value)
    except ValueError:
        expected = ", ".join(str(member.value) for member in enum)
        raise ValueError(f"unknown {key} symbol {value!r}; expected one of {expected}") from None


def _check_version(value: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"version must be an integer, not {value!r}")
    if value != VERSION:
        raise ValueError(f"unsupported version v{value}; expected v{VERSION}")
    return value


def _check_query(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"Q must be a string, not {value!r}")
    if not Q_RE.fullmatch(value):
        raise ValueError("Q must be keywords of [A-Za-z0-9] joined by single '_'")
    if len(value) > Q_MAX_LENGTH:
        raise ValueError(f"Q is longer than {Q_MAX_LENGTH} characters")
    return value


def _check_ctx(value: Any) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(f"CTX must be a sequence of codes, not {value!r}")
    codes = tuple(value)
    for code in codes:
        if not isinstance(code, str) or not CTX_CODE_RE.fullmatch(code):
            raise ValueError(f"bad CTX code {code!r}")
    unique = tuple(dict.fromkeys(codes))
    if len(unique) > CTX_MAX_CODES:
        raise ValueError(f"more than {CTX_MAX_CODES} CTX codes")
    return unique
