"""The instruction model: one validated, immutable ALTO v1 instruction."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from alto_cli.language.symbols import (
    CTX_CODE_RE,
    CTX_MAX_CODES,
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


class Instruction(BaseModel):
    """An ALTO instruction. FMT, U and L take their defaults when left out."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = VERSION
    command: Command
    query: str
    ctx: tuple[str, ...] = ()
    fmt: Format
    role: Role = Role.SU
    language: Language

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("command") is not None:
            command = Command(data["command"])
            data = dict(data)
            if data.get("fmt") is None:
                data["fmt"] = default_format(command)
            if data.get("language") is None:
                data["language"] = default_language(command)
            if data.get("role") is None:
                data["role"] = Role.SU
        return data

    @field_validator("version")
    @classmethod
    def _check_version(cls, value: int) -> int:
        if value != VERSION:
            raise ValueError(f"unsupported version v{value}; expected v{VERSION}")
        return value

    @field_validator("query")
    @classmethod
    def _check_query(cls, value: str) -> str:
        if not Q_RE.fullmatch(value):
            raise ValueError("Q must be keywords of [A-Za-z0-9] joined by single '_'")
        if len(value) > Q_MAX_LENGTH:
            raise ValueError(f"Q is longer than {Q_MAX_LENGTH} characters")
        return value

    @field_validator("ctx")
    @classmethod
    def _check_ctx(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unique = tuple(dict.fromkeys(value))
        for code in unique:
            if not CTX_CODE_RE.fullmatch(code):
                raise ValueError(f"bad CTX code {code!r}")
        if len(unique) > CTX_MAX_CODES:
            raise ValueError(f"more than {CTX_MAX_CODES} CTX codes")
        return unique

    def canonical(self) -> Instruction:
        """Same meaning, one representation: CTX codes sorted."""
        return self.model_copy(update={"ctx": tuple(sorted(self.ctx))})
