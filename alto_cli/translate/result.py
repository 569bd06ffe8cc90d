"""What a translation returns: the instruction's fields, and the Translation around them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from alto_cli.language.symbols import Command, Format, Language, Role

if TYPE_CHECKING:
    from alto_cli.language.model import Instruction

_T = TypeVar("_T")


def _frozen(cls: type[_T], names: tuple[str, ...], values: tuple[Any, ...]) -> _T:
    """What ``cls(*values)`` makes, for a frozen dataclass without ``__post_init__``: its
    ``__init__`` stores each field with ``object.__setattr__`` (about 1 % of a local
    translation's instructions); here the fields go into ``__dict__`` at once, in the same
    order (``names``: the ``__dict__`` keys)."""
    made = object.__new__(cls)
    # no ``strict`` keyword: it sends zip through the slow call path (the lengths match)
    made.__dict__.update(zip(names, values))  # noqa: B905
    return made


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

    @classmethod
    def make(
        cls,
        command: Command,
        query: str,
        ctx: tuple[str, ...],
        fmt: Format,
        role: Role,
        language: Language,
    ) -> Fields:
        """``Fields(command, query, ctx, fmt, role, language)``, made faster (``_frozen``)."""
        return _frozen(cls, _FIELDS_KEYS, (command, query, ctx, fmt, role, language, 1))


_FIELDS_KEYS = ("command", "query", "ctx", "fmt", "role", "language", "version")


EvidenceMap = dict[str, dict[str, Any]]


class _Evidence:
    """``Translation.evidence``: a dict, or a function that builds it on first read.

    The local translator passes a builder: most callers never read the evidence, and its
    strings cost about a twentieth of a translation. A data descriptor, so the frozen
    dataclass's ``__init__`` (``object.__setattr__``) stores through it; the built dict is
    kept, so every read returns the same dict."""

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return None  # the dataclass default: no evidence
        found = instance.__dict__["_evidence"]
        if type(found) is not dict:
            found = instance.__dict__["_evidence"] = found()
        return found

    def __set__(self, instance: Any, value: EvidenceMap | Callable[[], EvidenceMap] | None) -> None:
        instance.__dict__["_evidence"] = {} if value is None else value


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
    # a dict once read; the local translator gives a builder (``_Evidence``)
    evidence: EvidenceMap = _Evidence()  # type: ignore[assignment]
    warnings: tuple[str, ...] = ()

    @classmethod
    def make(
        cls,
        fields: Fields,
        confidence: float,
        out_of_scope: bool,
        provider: str,
        reason: str,
        evidence: Callable[[], EvidenceMap],
        warnings: tuple[str, ...],
    ) -> Translation:
        """``Translation(...)`` with an evidence builder, made faster (``_frozen``; the builder
        stored as ``_Evidence.__set__`` stores it)."""
        values = (fields, confidence, out_of_scope, provider, reason, evidence, warnings)
        return _frozen(cls, _TRANSLATION_KEYS, values)

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

        # the evidence as stored: a builder not yet called stays one
        changes.setdefault("evidence", self.__dict__["_evidence"])
        return dataclasses.replace(self, **changes)


# ``Translation``'s ``__dict__`` keys, in field order (``_Evidence`` keeps the evidence as
# "_evidence")
_TRANSLATION_KEYS = (
    "fields",
    "confidence",
    "out_of_scope",
    "provider",
    "reason",
    "_evidence",
    "warnings",
)
