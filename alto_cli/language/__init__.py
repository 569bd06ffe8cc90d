"""The ALTO v1 language: model, parser and formatter. Pure, no I/O.

Names are loaded on first use (PEP 562), so ``alto_cli.language.symbols`` and the formatter
can be used without loading the parser: it keeps ``alto translate`` start-up fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "canonical": "formatter",
    "fields": "formatter",
    "format": "formatter",
    "pattern": "formatter",
    "to_block": "formatter",
    "to_compact": "formatter",
    "to_dict": "formatter",
    "to_json": "formatter",
    "Instruction": "model",
    "parse": "parser",
    "parse_located": "parser",
    "COMMAND_NAMES": "symbols",
    "FORMAT_NAMES": "symbols",
    "LANGUAGE_NAMES": "symbols",
    "ROLE_NAMES": "symbols",
    "Command": "symbols",
    "Format": "symbols",
    "Language": "symbols",
    "Role": "symbols",
}

__all__ = [
    "COMMAND_NAMES",
    "FORMAT_NAMES",
    "LANGUAGE_NAMES",
    "ROLE_NAMES",
    "Command",
    "Format",
    "Instruction",
    "Language",
    "Role",
    "canonical",
    "fields",
    "format",
    "parse",
    "parse_located",
    "pattern",
    "to_block",
    "to_compact",
    "to_dict",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from alto_cli.language.formatter import (
        canonical,
        fields,
        format,
        pattern,
        to_block,
        to_compact,
        to_dict,
        to_json,
    )
    from alto_cli.language.model import Instruction
    from alto_cli.language.parser import parse, parse_located
    from alto_cli.language.symbols import (
        COMMAND_NAMES,
        FORMAT_NAMES,
        LANGUAGE_NAMES,
        ROLE_NAMES,
        Command,
        Format,
        Language,
        Role,
    )
