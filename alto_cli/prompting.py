"""Prompts: the ultra-compact ALTO prompt, and the plain prompt it is measured against.

The compact prompt is the instruction in compact form, a one-line legend naming only the
codes it uses that a model could not guess (CMD, FMT, U, non-English L, Q's abbreviations),
optional session context, and the compressed passages tagged [1], [2], ... The plain prompt
is what a system without ALTO would send: the question, a plain-English instruction and the
full top-k passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from alto_cli.language.symbols import COMMAND_NAMES, Language

if TYPE_CHECKING:
    from alto_cli.compression import CompressedPassage
    from alto_cli.language import Instruction

# Part of the response-cache key: change it whenever the prompt's wording changes.
PROMPT_VERSION = "p1"

_FORMAT_WORDS = {
    "STP": "numbered steps",
    "SUM": "short summary",
    "LIS": "bullet list",
    "FLW": "step -> step flow",
    "PY": "code",
}
_ROLE_WORDS = {"SU": "support agent", "EN": "engineer", "HR": "HR staff", "MG": "manager"}
_LANGUAGE_WORDS = {"EN": "English", "PY": "Python", "JS": "JavaScript", "MD": "Markdown"}


def legend(instruction: Instruction) -> str:
    """One line that names the codes the instruction uses."""
    from alto_cli.compression import ABBREVIATIONS

    parts = [
        f"{instruction.command.value}={COMMAND_NAMES[instruction.command]}",
        f"{instruction.fmt.value}={_FORMAT_WORDS[instruction.fmt.value]}",
        f"{instruction.role.value}={_ROLE_WORDS[instruction.role.value]}",
    ]
    if instruction.language != Language.EN:
        parts.append(f"L={_LANGUAGE_WORDS[instruction.language.value]}")
    for token in dict.fromkeys(instruction.query.lower().split("_")):
        expanded = ABBREVIATIONS.get(token)
        if expanded and expanded[0] != token:
            parts.append(f"{token}={expanded[0]}")
    return " ".join(parts)


def _tag_line(passage: CompressedPassage) -> str:
    code = ",".join(passage.ctx_codes)
    where = passage.section or passage.title
    return f"[{passage.tag}] {code} {where}".rstrip()


def build_prompt(
    instruction: Instruction,
    passages: Sequence[CompressedPassage],
    *,
    context: str | None = None,
) -> str:
    """The compact prompt sent to the LLM (and shown by ``--dry-run``)."""
    from alto_cli.language import to_compact

    lines = [
        f"ALTO {to_compact(instruction)}",
        legend(instruction),
        "Use CTX only, answer in FMT for U, cite [n].",
    ]
    if context:
        lines += ["HIST", context.strip()]
    lines.append("CTX")
    for passage in passages:
        lines.append(_tag_line(passage))
        lines.append(passage.text)
    return "\n".join(lines)


def question_from_query(instruction: Instruction) -> str:
    """Plain words for Q, for the plain prompt when only an instruction was given."""
    from alto_cli.compression import ABBREVIATIONS

    words = []
    for token in instruction.query.split("_"):
        expanded = ABBREVIATIONS.get(token.lower())
        words.append(expanded[0] if expanded else token)
    return " ".join(words).capitalize() + "?"


_PLAIN_FORMAT = {
    "STP": "Answer with clear numbered step-by-step instructions.",
    "SUM": "Answer with a short summary.",
    "LIS": "Answer as a bulleted list.",
    "FLW": "Answer as a flow of steps, each leading to the next.",
    "PY": "Answer with a code example.",
}


def plain_prompt(question: str | None, instruction: Instruction, passages: Sequence[Any]) -> str:
    """What a plain retrieval-augmented system would send for the same question and passages."""
    role = _ROLE_WORDS[instruction.role.value]
    language = _LANGUAGE_WORDS[instruction.language.value]
    lines = [
        "You are a helpful enterprise assistant for company staff. Use the documentation "
        "excerpts below to answer the user's question accurately and completely. If the "
        "documentation does not contain the answer, say that you do not know. Cite the "
        "documents you used.",
        f"The user is a {role}. {_PLAIN_FORMAT[instruction.fmt.value]} "
        f"Write the answer in {language}.",
        "",
        "Documentation:",
    ]
    for number, passage in enumerate(passages, start=1):
        heading = f"Document {number}: {passage.title}"
        if passage.section:
            heading += f" - {passage.section}"
        lines += [heading, f"Source: {passage.doc_path}", passage.text, ""]
    lines += [f"Question: {question or question_from_query(instruction)}", "Answer:"]
    return "\n".join(lines)
