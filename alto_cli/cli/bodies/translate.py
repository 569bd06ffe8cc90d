"""The body of ``alto translate`` (declared in alto_cli/cli/translate.py), free of Typer."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from alto_cli.cli.guard import CommandExit


def translate_body(
    *,
    question: str | None,
    role: str | None,
    provider: str | None,
    model: str | None,
    file: Path | None,
    compact: bool,
    explain: bool,
    strict: bool,
    registry: Path | None,
    json_out: bool,
    quiet: bool,
) -> None:
    from alto_cli.cli.output import Output
    from alto_cli.config import ENV_PROVIDER, pick, registry_path
    from alto_cli.errors import AltoError, InvalidInputError
    from alto_cli.registry_snapshot import load_registry_snapshot
    from alto_cli.translate.local import LocalTranslator
    from alto_cli.translate.service import check_provider, resolve_role, translate

    out = Output(json_mode=json_out, quiet=quiet)
    chosen_provider = check_provider(pick(provider, ENV_PROVIDER, "auto") or "auto")
    chosen_role = resolve_role(role)
    reg = load_registry_snapshot(registry_path(registry))
    local = LocalTranslator(reg)
    llm: Any = None
    if chosen_provider != "local":
        from alto_cli.config import llm_configured

        if chosen_provider == "openai" or llm_configured():
            from alto_cli.translate.llm import LlmTranslator

            llm = LlmTranslator(reg, model=model)

    def one(text: str) -> Any:
        return translate(
            text, registry=reg, role=chosen_role, provider=chosen_provider, local=local, llm=llm
        )

    batch_lines = _batch_input(question, file)
    if batch_lines is None:
        if not question or not question.strip():
            raise InvalidInputError("empty question", hint='alto translate "How do I reset MFA?"')
        result = one(question)
        for warning in result.warnings:
            out.warn(warning)
        _render(out, result, compact=compact, explain=explain)
        if strict and result.out_of_scope:
            out.error(_out_of_scope(result.reason))
            raise CommandExit(1)
        return

    failed = 0
    for number, line in batch_lines:
        try:
            result = one(line)
        except AltoError as err:
            failed += 1
            out.error(f"line {number}: {err.message}")
            continue
        for warning in result.warnings:
            out.warn(f"line {number}: {warning}")
        if json_out:
            out.jsonl({"line": number, "question": line, **result.to_dict()})
        else:
            from alto_cli.language.formatter import to_compact

            out.text(to_compact(result.fields))
        if strict and result.out_of_scope:
            failed += 1
            out.error(f"line {number}: {_out_of_scope(result.reason)}")
    if failed:
        raise CommandExit(1)


def _batch_input(question: str | None, file: Path | None) -> list[tuple[int, str]] | None:
    """(line number, question) pairs for batch mode, or None for one question."""
    from alto_cli.errors import InvalidInputError

    if file is not None:
        if question not in (None, "-"):
            raise InvalidInputError("give either a QUESTION or --file, not both")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise InvalidInputError(f"{file}: cannot read questions: {err}") from None
    elif question == "-" or (question is None and not sys.stdin.isatty()):
        text = sys.stdin.read()
    elif question is None:
        raise InvalidInputError(
            "no question given", hint='alto translate "How do I reset MFA?" (or pipe questions)'
        )
    else:
        return None
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _render(out: Any, result: Any, *, compact: bool, explain: bool) -> None:
    from alto_cli.language.formatter import to_block, to_compact

    if out.json_mode:
        out.json(result.to_dict())
        return
    out.text(to_compact(result.fields) if compact else to_block(result.fields))
    if not explain:
        return
    rows = []
    for name, item in result.evidence.items():
        value = item["value"]
        shown = ",".join(value) if isinstance(value, list) else str(value)
        rows.append((name, shown or "-", f"{item['confidence']:.2f}", _evidence_text(item)))
    out.text("")
    out.table(["field", "value", "confidence", "evidence"], rows)
    scope = "out of scope" if result.out_of_scope else "in scope"
    out.text(
        f"provider: {result.provider}; confidence {result.confidence:.2f}; {scope}; {result.reason}"
    )


def _evidence_text(item: dict[str, Any]) -> str:
    parts = []
    for ev in item["evidence"]:
        if isinstance(ev, dict) and "code" in ev:
            verdict = f" {ev['verdict']}" if ev.get("verdict") else ""
            parts.append(f"{ev['code']} {ev['score']} ({', '.join(ev['matched'])}){verdict}")
        elif isinstance(ev, dict):
            parts.append(", ".join(f"{k}: {v}" for k, v in ev.items()))
        else:
            parts.append(str(ev))
    return "; ".join(parts)


def _out_of_scope(reason: str) -> str:
    """The --strict message: the reason, said once to be out of scope."""
    return reason if reason.startswith("out of scope") else f"out of scope: {reason}"
