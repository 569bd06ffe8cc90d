"""Answers: from an LLM through the shared openai client, or extractive with no LLM.

The extractive answer honours FMT using only the compressed passages: STP numbered steps
(a numbered procedure from the passages first), LIS bullets, SUM key sentences, PY the code
blocks (the instruction's language first), FLW a step -> step flow. Both carry sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alto_cli.compression import _CODE_LANGS, CompressedPassage, Unit, squeeze
from alto_cli.language import Format, Instruction

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_MAX_TOKENS = 600
SYSTEM_MESSAGE = "You answer ALTO instructions for company staff."


@dataclass(frozen=True)
class Answer:
    text: str
    provider: str  # "extractive" | "openai"
    model: str
    prompt_tokens: int = 0  # as reported by the provider; 0 when nothing was sent
    completion_tokens: int = 0


def llm_answer(
    prompt: str,
    *,
    model: str,
    timeout: float,
    max_retries: int,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    stream: bool = False,
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """Ask the configured OpenAI-compatible server; ProviderError after the client's retries."""
    import openai

    from alto_cli.openai_client import make_client, provider_error

    client = make_client(timeout=timeout, max_retries=max_retries)
    messages = [
        {"role": "system", "content": SYSTEM_MESSAGE},
        {"role": "user", "content": prompt},
    ]
    try:
        if stream:
            return _stream(client, model, messages, max_tokens, on_text)
        response = client.chat.completions.create(
            model=model, messages=messages, temperature=0.2, max_tokens=max_tokens
        )
    except openai.OpenAIError as err:
        raise provider_error(err, what="answer request") from None
    if not response.choices:
        from alto_cli.errors import ProviderError

        raise ProviderError("answer request returned no choices")
    text = response.choices[0].message.content or ""
    usage = response.usage
    return Answer(
        text=text.strip(),
        provider="openai",
        model=model,
        prompt_tokens=int(usage.prompt_tokens) if usage else 0,
        completion_tokens=int(usage.completion_tokens) if usage else 0,
    )


def _stream(
    client: object,
    model: str,
    messages: list[dict[str, str]],
    max_tokens: int,
    on_text: Callable[[str], None] | None,
) -> Answer:
    parts: list[str] = []
    prompt_tokens = completion_tokens = 0
    stream = client.chat.completions.create(  # type: ignore[attr-defined]
        model=model,
        messages=messages,
        temperature=0.2,
        max_tokens=max_tokens,
        stream=True,
        stream_options={"include_usage": True},
    )
    with stream:
        for chunk in stream:
            if chunk.usage:
                prompt_tokens = int(chunk.usage.prompt_tokens)
                completion_tokens = int(chunk.usage.completion_tokens)
            for choice in chunk.choices:
                piece = choice.delta.content if choice.delta else None
                if piece:
                    parts.append(piece)
                    if on_text:
                        on_text(piece)
    text = "".join(parts).strip()
    if not completion_tokens and text:
        from alto_cli.tokens import count_tokens

        completion_tokens = count_tokens(text)
    return Answer(text, "openai", model, prompt_tokens, completion_tokens)


# -- extractive answers -------------------------------------------------------------------


@dataclass(frozen=True)
class _Tagged:
    unit: Unit
    tag: int
    rank: int


def _tagged(passages: Sequence[CompressedPassage]) -> list[_Tagged]:
    return [_Tagged(u, p.tag, rank) for rank, p in enumerate(passages) for u in p.units]


def _cite(text: str, tag: int) -> str:
    return f"{squeeze(text)} [{tag}]"


def _best_procedure(items: list[_Tagged]) -> list[_Tagged]:
    """The numbered list that best matches Q (earlier passages win ties)."""
    groups: dict[tuple[int, int], list[_Tagged]] = {}
    for item in items:
        if item.unit.kind == "step":
            groups.setdefault((item.rank, item.unit.group), []).append(item)
    if not groups:
        return []
    key = max(
        groups,
        key=lambda k: (sum(i.unit.score for i in groups[k]) / (1 + 0.25 * k[0]), -k[0], -k[1]),
    )
    return groups[key]


def _key_items(items: list[_Tagged], limit: int, kinds: tuple[str, ...]) -> list[_Tagged]:
    """The ``limit`` best-scoring units of the given kinds, back in reading order."""
    pool = [i for i in items if i.unit.kind in kinds]
    best = sorted(pool, key=lambda i: (-i.unit.score, i.rank, i.unit.index))[:limit]
    return sorted(best, key=lambda i: (i.rank, i.unit.index))


def _short(text: str, words: int = 10) -> str:
    """The head of a step for a flow: up to its first full stop or colon, at most ``words``."""
    head = re.split(r"(?<=[a-z0-9)])[.:;](?:\s|$)", squeeze(text), maxsplit=1)[0]
    parts = head.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _steps(items: list[_Tagged]) -> list[str]:
    procedure = _best_procedure(items)
    chosen = procedure or _key_items(items, 6, ("sentence", "bullet", "row"))
    return [f"{n}. {_cite(i.unit.text, i.tag)}" for n, i in enumerate(chosen, start=1)]


def _summary(items: list[_Tagged]) -> list[str]:
    chosen = _key_items(items, 4, ("sentence", "bullet", "step", "row"))
    return [" ".join(_cite(i.unit.text, i.tag) for i in chosen)]


def _bullets(items: list[_Tagged]) -> list[str]:
    chosen = _key_items(items, 8, ("bullet", "row", "step"))
    if not chosen:
        chosen = _key_items(items, 6, ("sentence",))
    return [f"- {_cite(i.unit.text.strip('|').replace(' | ', ': '), i.tag)}" for i in chosen]


def _flow(items: list[_Tagged]) -> list[str]:
    procedure = _best_procedure(items) or _key_items(items, 6, ("sentence", "bullet"))
    if not procedure:
        return []
    tags = sorted({i.tag for i in procedure})
    flow = " -> ".join(_short(i.unit.text) for i in procedure)
    return [f"{flow} {''.join(f'[{t}]' for t in tags)}"]


def _code(instruction: Instruction, items: list[_Tagged]) -> list[str]:
    blocks = [i for i in items if i.unit.kind == "code"]
    wanted = _CODE_LANGS.get(instruction.language.value, ())
    matching = [i for i in blocks if i.unit.lang in wanted]
    chosen = (matching or blocks)[:2]
    if not chosen:
        return [
            "No code example in the sources; the relevant documentation:",
            *_summary(items),
        ]
    lines: list[str] = []
    for item in chosen:
        lines += [f"From [{item.tag}]:", item.unit.text]
    return lines


def sources_lines(passages: Sequence[CompressedPassage]) -> list[str]:
    lines = []
    for passage in passages:
        where = f"{passage.title} - {passage.section}" if passage.section else passage.title
        lines.append(f"[{passage.tag}] {where} ({passage.doc_path})")
    return lines


def extractive_answer(instruction: Instruction, passages: Sequence[CompressedPassage]) -> Answer:
    """An answer made only of the passages' own sentences, laid out as FMT asks."""
    if not passages:
        text = (
            f"No documentation passage matches Q:{instruction.query}"
            + (f" in CTX {','.join(instruction.ctx)}" if instruction.ctx else "")
            + "."
        )
        return Answer(text, "extractive", "extractive")
    items = _tagged(passages)
    fmt = instruction.fmt
    if fmt == Format.STP:
        body = _steps(items)
    elif fmt == Format.LIS:
        body = _bullets(items)
    elif fmt == Format.FLW:
        body = _flow(items)
    elif fmt == Format.PY:
        body = _code(instruction, items)
    else:
        body = _summary(items)
    text = "\n".join([*body, "", "Sources:", *sources_lines(passages)])
    return Answer(text.strip(), "extractive", "extractive")
