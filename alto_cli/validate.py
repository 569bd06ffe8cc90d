"""Check instructions: grammar, and that every CTX code is registered.

Input text may hold several instructions. It is split into groups of consecutive
non-blank lines; a group whose every line is a compact line (holds a ``|``) or a JSON
line (starts with ``{``) is one instruction per line; any other group is one block (or
multi-line JSON) instruction, a ``v1`` line inside it starting the next one.
Diagnostics keep the line numbers of the whole input, so they point into the file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from alto_cli.errors import AltoSyntaxError
from alto_cli.language import Instruction, canonical, to_dict
from alto_cli.language.parser import parse_located

if TYPE_CHECKING:  # the checks only look codes up: a RegistrySnapshot serves as well
    from alto_cli.registry import Registry
    from alto_cli.registry_snapshot import RegistrySnapshot

    AnyRegistry = Union[Registry, RegistrySnapshot]  # noqa: UP007

_VERSION_LINE = re.compile(r"[vV]\d+")


@dataclass(frozen=True)
class Diagnostic:
    source: str
    line: int
    col: int
    message: str
    text: str = ""
    expected: str | None = None

    def render(self) -> str:
        detail = f"{self.source}:{self.line}:{self.col}: {self.message}"
        return detail + (f"; expected {self.expected}" if self.expected else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "text": self.text,
            "expected": self.expected,
        }


@dataclass(frozen=True)
class Chunk:
    """One instruction's text, and the input line its first line came from."""

    source: str
    line: int
    text: str


@dataclass(frozen=True)
class ValidationResult:
    source: str
    line: int
    text: str
    instruction: Instruction | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return self.instruction is not None and not self.diagnostics

    @property
    def canonical(self) -> str | None:
        return canonical(self.instruction) if self.instruction is not None else None

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "line": self.line,
            "input": self.text,
            "valid": self.valid,
            "canonical": self.canonical,
            "instruction": to_dict(self.instruction.canonical()) if self.instruction else None,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def split_instructions(text: str, source: str) -> list[Chunk]:
    """Cut input text into one chunk per instruction (see the module docstring)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    chunks: list[Chunk] = []
    group: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], 1):
        if line.strip():
            group.append((number, line))
        elif group:
            chunks += _split_group(group, source)
            group = []
    return chunks


def _split_group(group: list[tuple[int, str]], source: str) -> list[Chunk]:
    stripped = [line.strip() for _, line in group]
    one_per_line = len(group) > 1 and all("|" in line or line.startswith("{") for line in stripped)
    if one_per_line:
        return [Chunk(source, number, line) for number, line in group]
    if stripped[0].startswith("{"):
        return [_chunk(group, source)]
    chunks: list[Chunk] = []
    current: list[tuple[int, str]] = []
    for number, line in group:
        if _VERSION_LINE.fullmatch(line.strip()) and current:
            chunks.append(_chunk(current, source))
            current = []
        current.append((number, line))
    chunks.append(_chunk(current, source))
    return chunks


def _chunk(lines: list[tuple[int, str]], source: str) -> Chunk:
    return Chunk(source, lines[0][0], "\n".join(line for _, line in lines))


def validate_chunk(chunk: Chunk, registry: AnyRegistry | None) -> ValidationResult:
    """Parse one instruction and check its CTX codes against the registry (if given)."""
    offset = chunk.line - 1
    try:
        instruction, positions = parse_located(chunk.text)
    except AltoSyntaxError as err:
        located = err.located(chunk.source, offset)
        diagnostic = Diagnostic(
            chunk.source,
            located.line,
            located.col,
            located.reason,
            located.text,
            located.expected,
        )
        return ValidationResult(chunk.source, chunk.line, chunk.text, None, (diagnostic,))
    diagnostics: list[Diagnostic] = []
    if registry is not None:
        for code in instruction.ctx:
            if code in registry:
                continue
            line, col = positions.get(code, (1, 1))
            message = f"unknown CTX code {code!r}"
            near = did_you_mean(code, registry)
            if near:
                message += f"; did you mean {near}?"
            diagnostics.append(
                Diagnostic(
                    chunk.source,
                    line + offset,
                    col,
                    message,
                    code,
                    None if near else "a code from the registry (alto ctx list)",
                )
            )
    return ValidationResult(chunk.source, chunk.line, chunk.text, instruction, tuple(diagnostics))


def validate_text(text: str, source: str, registry: AnyRegistry | None) -> list[ValidationResult]:
    """Every instruction in ``text``; an input with none is one invalid result."""
    chunks = split_instructions(text, source)
    if not chunks:
        empty = Diagnostic(source, 1, 1, "no instruction found", "", "CMD and Q fields")
        return [ValidationResult(source, 1, text, None, (empty,))]
    return [validate_chunk(chunk, registry) for chunk in chunks]


def did_you_mean(code: str, registry: AnyRegistry) -> str | None:
    """The registered code closest to an unknown one, when one is close enough."""
    close = difflib.get_close_matches(code, registry.codes, n=1, cutoff=0.5)
    return close[0] if close else None
