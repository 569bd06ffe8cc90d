"""The ALTO v1 language: model, parser and formatter. Pure, no I/O."""

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
