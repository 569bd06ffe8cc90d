"""The five measurements, each a function of a shared run context.

Each section returns a plain dict for the report, or raises AltoError when it cannot measure
(for example a part of alto missing from this build); the harness records that as a failed
section and never fills in numbers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alto_cli.benchmark.components import require
from alto_cli.benchmark.metrics import (
    Scored,
    latency_summary,
    ratio,
    recall_at_k,
    reciprocal_rank,
    translation_scores,
)
from alto_cli.benchmark.questions import Question
from alto_cli.benchmark.replay import (
    CacheLedger,
    exact_string_replay,
    make_stream,
    oracle_hit_rate,
)
from alto_cli.benchmark.suite import Suite
from alto_cli.errors import AltoError
from alto_cli.language import canonical, to_compact
from alto_cli.registry import Registry

Advance = Callable[..., None]
Progress = Callable[[str, int | None], AbstractContextManager[Advance]]
STAGES = ("translate", "retrieve", "compress", "answer")


@dataclass
class RunContext:
    suite: Suite
    questions: list[Question]
    registry: Registry
    progress: Progress
    corpus_dir: Path | None = None
    ensure_corpus: Callable[[], None] = lambda: None
    answer_provider: str = "auto"
    model: str | None = None
    # filled as sections run, shared with later ones
    translations: dict[str, Any] = field(default_factory=dict)
    translate_ms: list[float] = field(default_factory=list)
    pipeline: list[dict[str, Any]] | None = None
    cache_hit_ms: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # answerable, but run() said out of scope

    @property
    def answerable(self) -> list[Question]:
        return [q for q in self.questions if not q.out_of_scope]


# -- translation ---------------------------------------------------------------------------


def local_translations(ctx: RunContext, section: str) -> dict[str, Any]:
    """The local translator's output for every question (computed once, timed)."""
    if ctx.translations:
        return ctx.translations
    module = require("alto_cli.translate", section=section)
    translator = module.LocalTranslator(ctx.registry)
    with ctx.progress("translate (local)", len(ctx.questions)) as advance:
        for question in ctx.questions:
            start = time.perf_counter()
            ctx.translations[question.id] = translator.translate(question.text, role=question.role)
            ctx.translate_ms.append((time.perf_counter() - start) * 1000)
            advance()
    return ctx.translations


def translation_section(ctx: RunContext) -> dict[str, Any]:
    labelled = [q for q in ctx.questions if q.labelled]
    if not labelled:
        return _skipped("no question carries an expected instruction")
    providers: dict[str, Any] = {}
    mistakes: list[dict[str, Any]] = []
    for provider in ctx.suite.providers:
        results = _translate_all(ctx, labelled, provider)
        scored = [
            Scored(q.expected, t.instruction, bool(t.out_of_scope))
            for q, t in zip(labelled, results, strict=True)
        ]
        providers[provider] = translation_scores(scored)
        if provider == "auto":  # local first, the LLM under the confidence threshold
            asked = sum(1 for t in results if t.provider != "local")
            providers[provider]["answered_by_llm"] = ratio(asked, len(results))
        if not mistakes:
            mistakes = _mistakes(labelled, results)
    return {"status": "ok", "providers": providers, "mistakes": mistakes}


def _translate_all(ctx: RunContext, questions: list[Question], provider: str) -> list[Any]:
    if provider == "local":
        done = local_translations(ctx, "translation")
        return [done[q.id] for q in questions]
    module = require("alto_cli.translate", section="translation")
    results = []
    with ctx.progress(f"translate ({provider})", len(questions)) as advance:
        for question in questions:
            results.append(
                module.translate(
                    question.text,
                    registry=ctx.registry,
                    role=question.role,
                    provider=provider,
                    model=ctx.model,
                )
            )
            advance()
    return results


def _mistakes(questions: list[Question], results: list[Any], limit: int = 25) -> list[dict]:
    wrong = []
    for question, result in zip(questions, results, strict=True):
        want = to_compact(question.expected) if question.expected else "OOS"
        got = "OOS" if result.out_of_scope else to_compact(result.instruction.canonical())
        if want != got:
            wrong.append(
                {"id": question.id, "question": question.text, "expected": want, "got": got}
            )
        if len(wrong) >= limit:
            break
    return wrong


# -- retrieval -----------------------------------------------------------------------------


def retrieval_section(ctx: RunContext) -> dict[str, Any]:
    targets = [q for q in ctx.questions if q.expected_docs and not q.out_of_scope]
    if not targets:
        return _skipped("no question names an expected document")
    module = require("alto_cli.retrieval", section="retrieval")
    translations = local_translations(ctx, "retrieval")
    ctx.ensure_corpus()
    k = ctx.suite.k
    recalls: list[float] = []
    ranks: list[float] = []
    latencies: list[float] = []
    fell_back = filtered = 0
    misses: list[dict[str, Any]] = []
    with _retriever(module) as search, ctx.progress("retrieve", len(targets)) as advance:
        for question in targets:
            instruction = translations[question.id].instruction
            result = search(instruction, k, question.text)
            ranked = _ranked_docs(result.passages, ctx)
            wanted = [_doc_key(doc, ctx) for doc in question.expected_docs]
            recall = recall_at_k(wanted, ranked, k) or 0.0
            recalls.append(recall)
            ranks.append(reciprocal_rank(wanted, ranked))
            latencies.append(float(result.latency_ms))
            fell_back += bool(result.fell_back)
            filtered += bool(result.filtered)
            if recall == 0 and len(misses) < 10:
                misses.append(
                    {
                        "id": question.id,
                        "question": question.text,
                        "expected": list(question.expected_docs),
                        "got": [_short(doc, ctx) for doc in ranked[:k]],
                    }
                )
            advance()
    n = len(targets)
    return {
        "status": "ok",
        "k": k,
        "n": n,
        "recall_at_k": sum(recalls) / n,
        "hit_rate_at_k": sum(1 for r in recalls if r > 0) / n,
        "mrr": sum(ranks) / n,
        "filtered": filtered,
        "fell_back": fell_back,
        "latency": latency_summary(latencies),
        "misses": misses,
    }


@contextmanager
def _retriever(module: Any) -> Iterator[Callable[[Any, int, str], Any]]:
    """retrieve(), with the store held open across questions when the store module allows it.

    retrieve() opens and closes the store on every call, as a one-shot CLI process does; a
    long-running service holds it open, and so does this section (same results, and the run
    stays short). run(), and so the latency section, still pays the open on every call.
    """
    opener = getattr(module, "retrieve_from", None)
    try:
        from alto_cli.store import open_store
    except ImportError:
        opener = None
    if opener is None:
        yield lambda instruction, k, text: module.retrieve(instruction, k=k, question=text)
        return
    store = open_store(None)
    try:
        embedder = module.embedder_for(store)
        yield lambda instruction, k, text: opener(
            store, instruction, k, question=text, embedder=embedder
        )
    finally:
        store.close()


def _ranked_docs(passages: list[Any], ctx: RunContext) -> list[str]:
    """Distinct documents in passage order."""
    return list(dict.fromkeys(_doc_key(p.doc_path, ctx) for p in passages))


def _doc_key(path: str, ctx: RunContext) -> str:
    """A document path made comparable: resolved against the corpus, registry or cwd."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return str(candidate.resolve())
    # the store records paths relative to the registry's folder when inside it
    for root in (ctx.registry.base_dir, ctx.corpus_dir, Path.cwd()):
        if root is not None and (root / candidate).exists():
            return str((root / candidate).resolve())
    return str(candidate)


def _short(path: str, ctx: RunContext) -> str:
    for root in (ctx.corpus_dir, ctx.registry.base_dir):
        if root is not None:
            try:
                return str(Path(path).relative_to(root.resolve()))
            except ValueError:
                continue
    return path


# -- the pipeline: tokens and latency ------------------------------------------------------


def pipeline_records(ctx: RunContext, section: str) -> list[dict[str, Any]]:
    """One uncached run() per answerable question; tokens and stage timings from each."""
    if ctx.pipeline is not None:
        return ctx.pipeline
    module = require("alto_cli.runner", section=section)
    ctx.ensure_corpus()
    records = []
    with ctx.progress("run (uncached)", len(ctx.answerable)) as advance, _held_store():
        for question in ctx.answerable:
            result = _run(module, ctx, question, use_cache=False)
            if getattr(result, "out_of_scope", False):
                ctx.refused.append(question.id)  # no prompt was built: nothing to compare
                advance()
                continue
            records.append(
                {
                    "id": question.id,
                    "alto_tokens": int(result.prompt_tokens),
                    "plain_tokens": int(result.plain_prompt_tokens),
                    "latency_ms": {k: float(v) for k, v in result.latency_ms.items()},
                }
            )
            advance()
    ctx.pipeline = records
    return records


def _held_store() -> Any:
    """One open store for all the run() calls, as a long-running service holds it: the
    retrieve stage then measures the query, not the per-process open (see held_store)."""
    try:
        from alto_cli.retrieval import held_store
    except ImportError:
        return nullcontext()
    return held_store()


def _run(module: Any, ctx: RunContext, question: Question, *, use_cache: bool) -> Any:
    return module.run(
        question.text,
        registry=ctx.registry,
        role=question.role,
        k=ctx.suite.k,
        use_cache=use_cache,
        provider=ctx.answer_provider,
        model=ctx.model,
    )


def tokens_section(ctx: RunContext) -> dict[str, Any]:
    records = pipeline_records(ctx, "tokens")
    if not records:
        return _skipped("no answerable question")
    alto = sum(r["alto_tokens"] for r in records)
    plain = sum(r["plain_tokens"] for r in records)
    n = len(records)
    price = ctx.suite.price_per_1k
    return {
        "status": "ok",
        "n": n,
        "alto_total": alto,
        "plain_total": plain,
        "alto_mean": alto / n,
        "plain_mean": plain / n,
        "reduction": 1 - alto / plain if plain else None,
        "refused_out_of_scope": len(ctx.refused),
        "price_per_1k_tokens": price,
        "cost": {
            "alto_total": alto / 1000 * price,
            "plain_total": plain / 1000 * price,
            "alto_per_1k_queries": alto / n * price,
            "plain_per_1k_queries": plain / n * price,
        },
        "per_question": [
            {"id": r["id"], "alto": r["alto_tokens"], "plain": r["plain_tokens"]} for r in records
        ],
    }


def latency_section(ctx: RunContext) -> dict[str, Any]:
    records = pipeline_records(ctx, "latency")
    stages: dict[str, Any] = {}
    samples: dict[str, list[float]] = {}
    for stage in STAGES:
        values = [r["latency_ms"][stage] for r in records if stage in r["latency_ms"]]
        samples[stage] = values
        stages[stage] = latency_summary(values)
    totals = [r["latency_ms"].get("total", sum(r["latency_ms"].values())) for r in records]
    samples["end_to_end"] = totals
    stages["cache_hit"] = latency_summary(ctx.cache_hit_ms)
    samples["cache_hit"] = list(ctx.cache_hit_ms)
    return {
        "status": "ok",
        "stages": stages,
        "end_to_end": latency_summary(totals),
        "translate_local_only": latency_summary(ctx.translate_ms),
        "samples_ms": {k: [round(v, 3) for v in vals] for k, vals in samples.items()},
    }


# -- cache ---------------------------------------------------------------------------------


def cache_section(ctx: RunContext, responses_dir: Path) -> dict[str, Any]:
    module = require("alto_cli.runner", section="cache")
    ctx.ensure_corpus()
    settings = ctx.suite.cache
    stream = make_stream(ctx.questions, settings.stream_length, settings.seed)
    if not stream:
        return _skipped("no answerable question to replay")
    # The replay starts from an empty response cache, whatever ran before it.
    shutil.rmtree(responses_dir, ignore_errors=True)
    ledger = CacheLedger()
    with ctx.progress("cache replay", len(stream)) as advance, _held_store():
        for question in stream:
            result = _run(module, ctx, question, use_cache=True)
            refused = getattr(result, "out_of_scope", False)
            # a refused question is never cached: a miss under a key of its own
            key = f"refused:{question.id}" if refused else canonical(result.instruction)
            ledger.record(key, question, bool(result.cache_hit))
            if result.cache_hit:
                total = result.latency_ms.get("total")
                if total is not None:
                    ctx.cache_hit_ms.append(float(total))
            advance()
    exact = exact_string_replay(stream)
    alto = ledger.summary()
    baseline = exact.summary()
    return {
        "status": "ok",
        "stream_length": len(stream),
        "seed": settings.seed,
        "distinct_questions": len({q.id for q in stream}),
        "distinct_intents": len({q.group for q in stream}),
        "alto": alto,
        "exact_string": baseline,
        "oracle_hit_rate": oracle_hit_rate(stream),
    }


def _skipped(reason: str) -> dict[str, Any]:
    return {"status": "skipped", "reason": reason}


def iter_errors(sections: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for name, body in sections.items():
        if body.get("status") == "failed":
            yield name, str(body.get("reason"))


def failed(reason: AltoError | str) -> dict[str, Any]:
    return {"status": "failed", "reason": str(reason)}
