"""What a translation returns: the instruction's fields, and the Translation around them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alto_cli.language.symbols import Command, Format, Language, Role

if TYPE_CHECKING:
    from alto_cli.language.model import Instruction


@dataclass(frozen=True)
class Fields:
    """An instruction's fields, not yet checked by the model (nothing to check twice).

    The translators build only valid values (enum members, Q from [A-Za-z0-9_], registered
    codes); ``Translation.instruction`` validates them with the real model on first use.
    """

    command: Command
    query: str
    ctx: tuple[str, ...]
    fmt: Format
    role: Role
    language: Language
    version: int = 1


@dataclass(frozen=True)
class Translation:
    """One question translated.

    ``instruction`` is always set (an out-of-scope question gets ``ctx=()``); ``evidence``
    maps a field name (CMD, Q, CTX, FMT, U, L) to {"value", "confidence", "evidence"}.
    """

    fields: Fields
    confidence: float
    out_of_scope: bool
    provider: str
    reason: str
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @functools.cached_property
    def instruction(self) -> Instruction:
        from alto_cli.language.model import Instruction

        f = self.fields
        return Instruction(
            command=f.command,
            query=f.query,
            ctx=f.ctx,
            fmt=f.fmt,
            role=f.role,
            language=f.language,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the instruction plus how it was made."""
        from alto_cli.language.formatter import to_compact, to_dict

        return {
            "instruction": to_dict(self.fields),  # type: ignore[arg-type]
            "compact": to_compact(self.fields),  # type: ignore[arg-type]
            "confidence": round(self.confidence, 3),
            "out_of_scope": self.out_of_scope,
            "provider": self.provider,
            "reason": self.reason,
            "evidence": self.evidence,
            "warnings": list(self.warnings),
        }

    def replace(self, **changes: Any) -> Translation:
        import dataclasses

        return dataclasses.replace(self, **changes)
