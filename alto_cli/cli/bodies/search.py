"""The body of ``alto search`` (declared in alto_cli/cli/search.py), free of Typer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alto_cli.cli.output import Output

SNIPPET_CHARS = 160


def search_body(
    *,
    text: str,
    k: int,
    collection: str | None,
    registry: Path | None,
    json_out: bool,
    quiet: bool,
) -> None:
    from alto_cli.retrieval import retrieve

    out = Output(json_mode=json_out, quiet=quiet)
    instruction, question, how = resolve_input(text, registry)
    result = retrieve(instruction, k, question=question, collection=collection)
    from alto_cli.language import to_compact

    if result.fell_back:
        out.warn(f"no passage is tagged {','.join(instruction.ctx)}; showing unfiltered results")
    for warning in result.warnings:
        out.warn(warning)
    if out.json_mode:
        out.json(
            {
                "instruction": to_compact(instruction),
                "input": how,
                "question": question,
                **result.to_dict(),
            }
        )
        return
    out.info(
        f"{to_compact(instruction)}  ({how}; strategy {result.strategy}, "
        f"{'CTX-filtered' if result.filtered else 'unfiltered'}, {result.latency_ms:.1f} ms)"
    )
    if not result.passages:
        out.text("no passages found")
        return
    rows = [
        (
            rank,
            f"{p.score:.3f}",
            ",".join(p.ctx_codes),
            f"{p.doc_path}#{p.chunk}",
            p.section or p.title,
            _snippet(p.text),
        )
        for rank, p in enumerate(result.passages, start=1)
    ]
    out.table(["#", "score", "ctx", "document", "section", "text"], rows)


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"


def resolve_input(text: str, registry_flag: Any) -> tuple[Any, str | None, str]:
    """An instruction as given, else the question translated (or a plain keyword query)."""
    from alto_cli.errors import AltoSyntaxError, InvalidInputError
    from alto_cli.language import parse

    if not text.strip():
        raise InvalidInputError("the search text is empty")
    try:
        return parse(text), None, "instruction"
    except AltoSyntaxError:
        pass
    try:
        from alto_cli.translate import translate
    except ImportError:
        return _keyword_instruction(text), text, "keywords"
    from alto_cli.config import registry_path
    from alto_cli.registry import load_registry

    translation = translate(text, registry=load_registry(registry_path(registry_flag)))
    return translation.instruction, text, f"translated by {translation.provider}"


def _keyword_instruction(question: str) -> Any:
    from alto_cli.abbreviations import to_query
    from alto_cli.language import Command, Instruction

    return Instruction(command=Command.FA, query=to_query(question) or "search")
