"""Write instructions in the block, compact and JSON forms. Pure: no I/O."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal

from alto_cli.language.symbols import VERSION

if TYPE_CHECKING:  # the functions only read attributes (Fields works as well)
    from alto_cli.language.model import Instruction

Form = Literal["block", "compact", "json"]


def fields(instruction: Instruction) -> list[tuple[str, str]]:
    """The instruction's KEY/VALUE pairs in canonical field order; CTX left out when empty."""
    pairs = [("CMD", instruction.command.value), ("Q", instruction.query)]
    if instruction.ctx:
        pairs.append(("CTX", ",".join(instruction.ctx)))
    pairs += [
        ("FMT", instruction.fmt.value),
        ("U", instruction.role.value),
        ("L", instruction.language.value),
    ]
    return pairs


def to_block(instruction: Instruction) -> str:
    return "\n".join([f"v{VERSION}", *(f"{k}:{v}" for k, v in fields(instruction))])


def to_compact(instruction: Instruction) -> str:
    return "|".join(f"{k}:{v}" for k, v in fields(instruction))


def to_dict(instruction: Instruction) -> dict[str, object]:
    return {
        "v": VERSION,
        "CMD": instruction.command.value,
        "Q": instruction.query,
        "CTX": list(instruction.ctx),
        "FMT": instruction.fmt.value,
        "U": instruction.role.value,
        "L": instruction.language.value,
    }


def to_json(instruction: Instruction) -> str:
    return json.dumps(to_dict(instruction), separators=(",", ":"))


def format(instruction: Instruction, form: Form = "block") -> str:
    """Render an instruction in one of the three forms."""
    if form == "block":
        return to_block(instruction)
    if form == "compact":
        return to_compact(instruction)
    if form == "json":
        return to_json(instruction)
    raise ValueError(f"unknown form {form!r}")


def canonical(instruction: Instruction) -> str:
    """The canonical text: equal meaning gives equal bytes (used as cache key).

    The compact form with CTX sorted, as ``Instruction.canonical()`` gives; written from the
    attributes alone so that any object that reads like an instruction has one.
    """
    return "|".join(
        f"{k}:{','.join(sorted(instruction.ctx)) if k == 'CTX' else v}"
        for k, v in fields(instruction)
    )


def pattern(instruction: Instruction) -> str:
    """The short pattern stored in payloads (``alto_patterns``): CMD, Q and CTX only."""
    parts = [f"CMD:{instruction.command.value}", f"Q:{instruction.query}"]
    if instruction.ctx:
        parts.append("CTX:" + ",".join(sorted(instruction.ctx)))
    return "|".join(parts)
