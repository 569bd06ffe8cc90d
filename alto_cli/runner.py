"""``alto run``: input -> instruction -> cache -> retrieve -> compress -> prompt -> answer.

The cache-hit path is kept light on purpose: parsing or translating the input, reading the
CTX fingerprints (a small JSON file) and one diskcache lookup. The store, tiktoken and the
openai client are imported only on a miss.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from alto_cli.config import (
    ENV_CONTEXT_BUDGET,
    ENV_LLM_RETRIES,
    ENV_LLM_TIMEOUT,
    ENV_MAX_TOKENS,
    ENV_MODEL,
    env,
    env_number,
    llm_configured,
)
from alto_cli.errors import ConfigError, UnknownCodeError
from alto_cli.language.formatter import canonical, to_compact, to_dict
from alto_cli.language.symbols import Role

if TYPE_CHECKING:
    from alto_cli.compression import CompressedPassage
    from alto_cli.language.model import Instruction
    from alto_cli.registry import Registry
    from alto_cli.retrieval import RetrievalResult
    from alto_cli.translate.result import Fields

    # What the answer was for: the validated model, or a translation's fields (already
    # valid; they read the same). The cache-hit path keeps the latter to skip validating again.
    InstructionLike = Instruction | Fields

PROVIDERS = ("auto", "openai", "extractive", "local")
STAGES = ("translate", "retrieve", "compress", "answer", "cache", "total")


@dataclass
class RunResult:
    fields: InstructionLike  # what ``instruction`` is made from (see InstructionLike)
    question: str | None
    answer: str
    sources: list[dict[str, Any]]
    prompt: str
    prompt_tokens: int
    completion_tokens: int
    plain_prompt_tokens: int
    latency_ms: dict[str, float]
    cache_hit: bool
    provider: str  # "extractive" | "openai" | "cache"
    model: str = ""
    out_of_scope: bool = False
    session: str | None = None
    warnings: list[str] = field(default_factory=list)

    @functools.cached_property
    def instruction(self) -> Instruction:
        """The instruction as the validated model (built on first use from ``fields``)."""
        return as_model(self.fields)

    def to_dict(self) -> dict[str, Any]:
        data = {"instruction": None, **asdict(self)}
        del data["fields"]
        data["instruction"] = to_dict(self.fields)  # type: ignore[arg-type]
        data["instruction_compact"] = to_compact(self.fields)  # type: ignore[arg-type]
        data["tokens_saved"] = max(0, self.plain_prompt_tokens - self.prompt_tokens)
        return data


def as_model(fields: InstructionLike) -> Instruction:
    """The validated model of an instruction (itself when it is one already)."""
    from alto_cli.language.model import Instruction

    if isinstance(fields, Instruction):
        return fields
    return Instruction(
        command=fields.command,
        query=fields.query,
        ctx=fields.ctx,
        fmt=fields.fmt,
        role=fields.role,
        language=fields.language,
    )


def looks_like_instruction(text: str) -> bool:
    """An instruction in any form: a ``v1`` block, the compact ``CMD:..|Q:..`` or JSON."""
    head = text.lstrip()[:200]
    first = head.split("\n", 1)[0].strip()
    return (
        first.lower() == "v1"
        or first.upper().startswith("CMD:")
        or (first.startswith("{") and "cmd" in head.lower())
    )


def resolve_provider(provider: str | None) -> str:
    """'openai' or 'extractive' for answering, from --provider / ALTO_PROVIDER / auto."""
    chosen = (provider or env("ALTO_PROVIDER", "auto") or "auto").lower()
    if chosen not in PROVIDERS:
        raise ConfigError(f"unknown provider {chosen!r}; expected one of {', '.join(PROVIDERS)}")
    if chosen == "auto":
        return "openai" if llm_configured() else "extractive"
    return "extractive" if chosen == "local" else chosen


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)


def to_instruction(
    input_text: str,
    *,
    registry: Registry,
    role: Role | None,
    provider: str,
    model: str | None,
) -> tuple[InstructionLike, str | None, bool, list[str]]:
    """(instruction, question or None, out_of_scope, warnings). A translated question gives
    the translator's fields: the model is built only when the cache cannot answer."""
    text = input_text.strip()
    if not text:
        from alto_cli.errors import InvalidInputError

        raise InvalidInputError("empty input: give a question or an ALTO instruction")
    if looks_like_instruction(text):
        from alto_cli.language.parser import parse

        instruction = parse(text, source="<input>")
        unknown = [code for code in instruction.ctx if code not in registry]
        if unknown and len(registry):
            raise UnknownCodeError(
                f"CTX code {unknown[0]} is not in the registry",
                hint="see `alto ctx list`, or register it with `alto ctx register`",
            )
        if role is not None:
            instruction = replace(instruction, role=role)
        return instruction, None, False, []
    from alto_cli.translate import translate

    translation = translate(
        text,
        registry=registry,
        role=role,
        provider="local" if provider == "extractive" else "auto",
        model=None,
    )
    return (
        translation.fields,
        text,
        bool(translation.out_of_scope),
        list(translation.warnings),
    )


def _fingerprints(codes: Iterable[str], collection: str) -> dict[str, str]:
    from alto_cli.fingerprints import ctx_fingerprints

    return dict(ctx_fingerprints(sorted(set(codes)), collection=collection))


def collection_key_part(collection: str) -> str:
    """The response key's collection part: "" for the default collection, as the key has
    always been written when no collection was named (existing caches stay valid), else the
    name, so an answer from one collection is never served for another."""
    from alto_cli.store import DEFAULT_COLLECTION

    return "" if collection == DEFAULT_COLLECTION else collection


def run(
    input_text: str,
    *,
    registry: Registry,
    role: Role | None = None,
    k: int = 5,
    session: str | None = None,
    dry_run: bool = False,
    use_cache: bool = True,
    provider: str = "auto",
    model: str | None = None,
    stream: Callable[[str], None] | None = None,
    record: bool = True,
    collection: str | None = None,
) -> RunResult:
    """Answer a question or an instruction from ``collection`` (None: ALTO_COLLECTION, then
    "alto"). ``record=False`` leaves the usage log and the cache's hit counters alone (cache
    warming)."""
    from alto_cli.store import collection_name

    total_start = time.perf_counter()
    latency = dict.fromkeys(STAGES, 0.0)
    answering = resolve_provider(provider)
    if k < 1:
        raise ConfigError(f"k must be at least 1 (got {k})")
    collection = collection_name(collection)  # resolved once: retrieval, fingerprints and key

    start = time.perf_counter()
    instruction, question, out_of_scope, warnings = to_instruction(
        input_text, registry=registry, role=role, provider=answering, model=model
    )
    latency["translate"] = _ms(start)
    chosen_model = (model or env(ENV_MODEL, "gpt-4o-mini") or "") if answering == "openai" else ""
    model_key = chosen_model if answering == "openai" else "extractive"

    if out_of_scope:
        answer = (
            "This question is outside the scope of the registered documentation; "
            "no answer was generated."
        )
        latency["total"] = _ms(total_start)
        return RunResult(
            instruction,
            question,
            answer,
            [],
            "",
            0,
            0,
            0,
            latency,
            False,
            "extractive",
            model_key,
            True,
            session,
            warnings,
        )

    context = None
    if session:
        from alto_cli import sessions

        existing = sessions.session_path(session)
        if existing.exists():
            context = sessions.render_context(sessions.load(session)) or None

    key = None
    cache = None
    if use_cache and not dry_run:
        start = time.perf_counter()
        from alto_cli.prompting import PROMPT_VERSION
        from alto_cli.response_cache import ResponseCache, make_key

        codes = instruction.ctx or tuple(registry.codes)
        # One read of the fingerprint state serves the key and the entry's check.
        known = _fingerprints(set(codes) | set(registry.codes), collection)

        def still_valid(deps: Any) -> bool:
            missing = [c for c in deps if c not in known]
            current = {**known, **(_fingerprints(missing, collection) if missing else {})}
            return all(current.get(c) == fp for c, fp in deps.items())

        extra = collection_key_part(collection)
        if context and answering == "openai":
            import hashlib

            # An LLM answer depends on the session history it was given.
            extra += "|ctx:" + hashlib.sha256(context.encode()).hexdigest()[:16]
        key = make_key(
            canonical(instruction),
            role=instruction.role.value,
            language=instruction.language.value,
            model=model_key,
            prompt_version=PROMPT_VERSION,
            fingerprints={c: known.get(c, "") for c in codes},
            k=k,
            extra=extra,
        )
        cache = _open_cache(ResponseCache)
        entry = cache.get(
            key,
            still_valid=still_valid,
            count=record,
        )
        latency["cache"] = _ms(start)
        if entry is not None:
            latency["total"] = _ms(total_start)
            result = RunResult(
                fields=instruction,
                question=question,
                answer=entry["answer"],
                sources=entry["sources"],
                prompt=entry["prompt"],
                prompt_tokens=0,
                completion_tokens=0,
                plain_prompt_tokens=int(entry["plain_prompt_tokens"]),
                latency_ms=latency,
                cache_hit=True,
                provider="cache",
                model=entry.get("model", model_key),
                session=session,
                warnings=warnings,
            )
            _after(result, record=record, answer_model=model_key)
            return result

    instruction = as_model(instruction)  # a miss: validate what the translator built
    result = _answer_fresh(
        instruction,
        question,
        k=k,
        context=context,
        answering=answering,
        model=chosen_model,
        collection=collection,
        dry_run=dry_run,
        stream=stream,
        latency=latency,
    )
    result.session = session
    result.warnings = warnings + result.warnings
    if cache is not None and key is not None:
        start = time.perf_counter()
        deps_codes = set(instruction.ctx) | {c for s in result.sources for c in s["ctx"]}
        cache.put(
            key,
            {
                "answer": result.answer,
                "sources": result.sources,
                "prompt": result.prompt,
                "prompt_tokens": result.prompt_tokens,
                "completion_tokens": result.completion_tokens,
                "plain_prompt_tokens": result.plain_prompt_tokens,
                "provider": result.provider,
                "model": result.model,
                "instruction": canonical(instruction),
                "deps": _fingerprints(deps_codes, collection),
                "created": time.time(),
            },
        )
        latency["cache"] = round(latency["cache"] + _ms(start), 3)
    latency["total"] = _ms(total_start)
    if not dry_run:
        _after(result, record=record, answer_model=model_key)
    return result


_OPEN: dict[tuple[Any, ...], Any] = {}


def _open_cache(factory: Any) -> Any:
    """One open ResponseCache per directory and settings for the life of the process, so a
    library caller's second lookup costs one SQLite read, not a connection."""
    from alto_cli.config import ENV_CACHE_SIZE_MB, ENV_CACHE_TTL
    from alto_cli.response_cache import cache_dir

    key = ("cache", str(cache_dir()), env(ENV_CACHE_TTL), env(ENV_CACHE_SIZE_MB))
    if key not in _OPEN:
        _OPEN[key] = factory()
    return _OPEN[key]


def _open_log() -> Any:
    from alto_cli.usage_log import UsageLog, log_path

    key = ("log", str(log_path()))
    if key not in _OPEN:
        _OPEN[key] = UsageLog()
    return _OPEN[key]


def close_handles() -> None:
    """Close the cache and log handles this process holds (tests, long-lived hosts)."""
    while _OPEN:
        _OPEN.popitem()[1].close()


@dataclass(frozen=True)
class PromptPlan:
    """What run() sends for one instruction, and what it is measured against: the retrieved
    passages, what compression kept of them, the compact prompt, and the token counts of
    that prompt and of the plain prompt (prompting.plain_prompt over the same k passages)."""

    retrieved: RetrievalResult
    compressed: list[CompressedPassage]
    prompt: str
    prompt_tokens: int
    plain_prompt_tokens: int
    budget_tokens: int

    @property
    def reduction(self) -> float:
        """1 - compact / plain prompt tokens (0 when there is no plain prompt)."""
        if not self.plain_prompt_tokens:
            return 0.0
        return 1 - self.prompt_tokens / self.plain_prompt_tokens


def plan_prompt(
    instruction: Instruction,
    question: str | None = None,
    *,
    k: int = 5,
    context: str | None = None,
    latency: dict[str, float] | None = None,
    collection: str | None = None,
) -> PromptPlan:
    """Retrieve, compress (budget: ALTO_CONTEXT_BUDGET) and build both prompts, as run() does.

    The one definition of the token figures: run(), ``alto benchmark`` and
    benchmarks/run/bench_prompt.py all count through here.
    """
    from alto_cli.compression import DEFAULT_BUDGET_TOKENS, compress
    from alto_cli.prompting import build_prompt, plain_prompt
    from alto_cli.retrieval import retrieve
    from alto_cli.tokens import count_tokens

    latency = latency if latency is not None else {}
    start = time.perf_counter()
    retrieved = retrieve(instruction, k, question=question, collection=collection)
    latency["retrieve"] = _ms(start)

    start = time.perf_counter()
    budget = int(env_number(ENV_CONTEXT_BUDGET, DEFAULT_BUDGET_TOKENS, minimum=32))
    compressed = compress(instruction, retrieved.passages, budget_tokens=budget, question=question)
    prompt = build_prompt(instruction, compressed, context=context)
    plain = plain_prompt(question, instruction, retrieved.passages)
    plan = PromptPlan(
        retrieved=retrieved,
        compressed=compressed,
        prompt=prompt,
        prompt_tokens=count_tokens(prompt),
        plain_prompt_tokens=count_tokens(plain),
        budget_tokens=budget,
    )
    latency["compress"] = _ms(start)
    return plan


def _answer_fresh(
    instruction: Instruction,
    question: str | None,
    *,
    k: int,
    context: str | None,
    answering: str,
    model: str,
    collection: str,
    dry_run: bool,
    stream: Callable[[str], None] | None,
    latency: dict[str, float],
) -> RunResult:
    from alto_cli.answering import DEFAULT_MAX_TOKENS, extractive_answer, llm_answer

    plan = plan_prompt(
        instruction, question, k=k, context=context, latency=latency, collection=collection
    )
    compressed, prompt = plan.compressed, plan.prompt
    prompt_tokens, plain_tokens = plan.prompt_tokens, plan.plain_prompt_tokens
    sources = [p.source() for p in compressed]
    notes = plan.retrieved.warnings  # e.g. a payload search that hit its scoring cap

    if dry_run:
        return RunResult(
            instruction,
            question,
            "",
            sources,
            prompt,
            prompt_tokens,
            0,
            plain_tokens,
            latency,
            False,
            "dry-run",
            model or "extractive",
            warnings=notes,
        )

    start = time.perf_counter()
    if answering == "openai":
        answer = llm_answer(
            prompt,
            model=model,
            timeout=env_number(ENV_LLM_TIMEOUT, 30.0, minimum=0.001),
            max_retries=int(env_number(ENV_LLM_RETRIES, 3)),
            max_tokens=int(env_number(ENV_MAX_TOKENS, DEFAULT_MAX_TOKENS, minimum=1)),
            stream=stream is not None,
            on_text=stream,
        )
        text = answer.text
        if sources:
            from alto_cli.answering import sources_lines

            text += "\n\nSources:\n" + "\n".join(sources_lines(compressed))
        used_prompt = answer.prompt_tokens or prompt_tokens
    else:
        answer = extractive_answer(instruction, compressed)
        text = answer.text
        used_prompt = prompt_tokens
    latency["answer"] = _ms(start)
    return RunResult(
        fields=instruction,
        question=question,
        answer=text,
        sources=sources,
        prompt=prompt,
        prompt_tokens=used_prompt,
        completion_tokens=answer.completion_tokens,
        plain_prompt_tokens=plain_tokens,
        latency_ms=latency,
        cache_hit=False,
        provider=answer.provider,
        model=answer.model,
        warnings=notes,
    )


def _after(result: RunResult, *, record: bool, answer_model: str) -> None:
    """Append to the usage log and to the session (not for dry runs)."""
    if record:
        from alto_cli.usage_log import UsageRecord

        _open_log().append(
            UsageRecord(
                instruction=canonical(result.fields),
                question=result.question,
                role=result.fields.role.value,
                provider=result.provider,
                model=answer_model,
                cache_hit=result.cache_hit,
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
                plain_prompt_tokens=result.plain_prompt_tokens,
                latency_ms=result.latency_ms["total"],
                session=result.session,
            )
        )
    if result.session:
        from alto_cli import sessions

        summarizer = None
        if answer_model != "extractive":
            summarizer = sessions.llm_summarizer(
                answer_model,
                env_number(ENV_LLM_TIMEOUT, 30.0, minimum=0.001),
                int(env_number(ENV_LLM_RETRIES, 3)),
            )
        sessions.append(
            result.session,
            alto=to_compact(result.fields),
            question=result.question,
            answer=result.answer,
            summarizer=summarizer,
        )


@dataclass
class WarmReport:
    requested: int = 0
    answered: int = 0
    already_cached: int = 0
    failed: int = 0
    tokens_spent: int = 0
    stopped_at_cap: bool = False
    errors: list[str] = field(default_factory=list)


def warm(
    inputs: Iterable[str],
    *,
    registry: Registry,
    k: int = 5,
    provider: str = "auto",
    model: str | None = None,
    max_tokens: int | None = None,
    advance: Callable[[], None] | None = None,
    collection: str | None = None,
) -> WarmReport:
    """Precompute answers from ``collection`` (as run() reads it); stops before spending
    more than ``max_tokens`` LLM tokens."""
    from alto_cli.retrieval import held_store
    from alto_cli.store import collection_name

    report = WarmReport()
    name = collection_name(collection)
    with held_store(name):  # one open store for the whole batch, not one per answer
        _warm_each(inputs, report, registry, k, provider, model, max_tokens, advance, name)
    return report


def _warm_each(
    inputs: Iterable[str],
    report: WarmReport,
    registry: Registry,
    k: int,
    provider: str,
    model: str | None,
    max_tokens: int | None,
    advance: Callable[[], None] | None,
    collection: str,
) -> None:
    from alto_cli.errors import AltoError

    for text in inputs:
        report.requested += 1
        if max_tokens is not None and report.tokens_spent >= max_tokens:
            report.stopped_at_cap = True
            break
        try:
            result = run(
                text,
                registry=registry,
                k=k,
                provider=provider,
                model=model,
                record=False,
                collection=collection,
            )
        except AltoError as err:
            report.failed += 1
            report.errors.append(f"{text.splitlines()[0][:60]}: {err.message}")
        else:
            if result.cache_hit:
                report.already_cached += 1
            else:
                report.answered += 1
                if result.provider == "openai":
                    report.tokens_spent += result.prompt_tokens + result.completion_tokens
        if advance:
            advance()
