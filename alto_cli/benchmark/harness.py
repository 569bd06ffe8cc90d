"""Run a suite: a temporary ALTO_HOME, the corpus migrated into it, the sections, the gate.

The user's own store, caches and Qdrant server are never touched: the run happens under a
fresh data dir with QDRANT_URL unset, and, unless an OpenAI provider is asked for, with no
LLM credentials either, so the offline tier cannot reach the network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alto_cli import config
from alto_cli.benchmark import sections as S
from alto_cli.benchmark.components import require
from alto_cli.benchmark.environment import describe
from alto_cli.benchmark.gate import SCHEMA_VERSION
from alto_cli.benchmark.questions import (
    Question,
    docs_from_registry,
    load_labelled,
    load_queries,
    question_from_record,
)
from alto_cli.benchmark.suite import Suite
from alto_cli.errors import AltoError, InvalidInputError, NotFoundError
from alto_cli.registry import Registry, load_registry

_HIDDEN_ALWAYS = (config.ENV_QDRANT_URL, config.ENV_QDRANT_API_KEY, config.ENV_COLLECTION)
_HIDDEN_OFFLINE = (config.ENV_OPENAI_KEY, config.ENV_OPENAI_BASE_URL)


def _no_progress(description: str, total: int | None) -> contextlib.AbstractContextManager:
    return contextlib.nullcontext(lambda n=1: None)


def load_questions(
    suite: Suite, registry: Registry, skipped: list[str] | None = None
) -> list[Question]:
    if isinstance(suite.questions, str):
        path = suite.resolve(suite.questions)
        assert path is not None
        questions = load_labelled(path)
    elif suite.questions is not None:
        questions = [
            question_from_record(
                item.model_dump(), where=f"{suite.source}: questions[{i}]", fallback_id=f"q{i + 1}"
            )
            for i, item in enumerate(suite.questions)
        ]
    else:
        adapter = suite.queries
        path = suite.query_file()
        assert adapter is not None and path is not None
        questions = load_queries(
            path,
            query_fields=adapter.query_fields,
            answer_field=adapter.answer_field,
            id_field=adapter.id_field,
            intent_field=adapter.intent_field,
            strip_templates=adapter.strip_templates,
            skipped=skipped,
        )
    if suite.expected_docs == "registry":
        questions = docs_from_registry(questions, registry)
    return questions


def suite_registry(suite: Suite, flag: Path | None) -> Registry:
    """--registry, else the suite's ``registry``, else ALTO_REGISTRY / ./ctx_registry.yaml.

    The suite's own registry may resolve its ``sources`` against the corpus
    (``registry_sources: corpus``); a --registry file keeps the usual rule (its own folder).
    """
    if flag is not None:
        return load_registry(flag)
    if suite.registry:
        path = suite.resolve(suite.registry)
        assert path is not None
        registry = load_registry(path)
        if suite.registry_sources == "corpus":
            corpus = suite.corpus_dir()
            if corpus is None:
                raise InvalidInputError(
                    f"{suite.source}: registry_sources: corpus needs a corpus "
                    "(corpus: DIR or --corpus)"
                )
            registry = registry.with_sources_under(corpus)
        return registry
    return load_registry(config.registry_path())


@contextlib.contextmanager
def temporary_home(*, offline: bool, keep: bool = False) -> Iterator[Path]:
    """A fresh ALTO_HOME for the run, the environment restored afterwards."""
    home = Path(tempfile.mkdtemp(prefix="alto-bench-"))
    names = (config.ENV_HOME, *_HIDDEN_ALWAYS, *(_HIDDEN_OFFLINE if offline else ()))
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ.pop(name, None)
    os.environ[config.ENV_HOME] = str(home)
    try:
        yield home
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


def migrate_corpus(
    corpus: Path, registry: Registry, default_ctx: str | None, progress: S.Progress
) -> dict[str, Any]:
    """Load the corpus into the temporary store with ``alto migrate-embeddings``'s core."""
    if not corpus.is_dir():
        raise InvalidInputError(f"{corpus}: corpus folder not found")
    module = require("alto_cli.migrate", section="corpus")
    with contextlib.ExitStack() as stack:

        def bar(total: int) -> S.Advance:
            return stack.enter_context(progress("load corpus", total))

        summary = module.migrate([corpus], registry=registry, default_ctx=default_ctx, progress=bar)
    return _plain_summary(summary)


def _plain_summary(summary: Any) -> dict[str, Any]:
    if isinstance(summary, dict):
        return summary
    from dataclasses import asdict, is_dataclass

    if is_dataclass(summary) and not isinstance(summary, type):
        return {k: v for k, v in asdict(summary).items() if isinstance(v, int | float | str)}
    return {}


def run_benchmark(
    suite: Suite,
    *,
    registry_flag: Path | None = None,
    answer_provider: str = "auto",
    model: str | None = None,
    progress: S.Progress = _no_progress,
) -> dict[str, Any]:
    """Measure every section the suite asks for; the report as a JSON-ready dict."""
    started = time.perf_counter()
    registry = suite_registry(suite, registry_flag)
    skipped: list[str] = []
    questions = load_questions(suite, registry, skipped)
    # the LLM's credentials stay only where a provider asked for it may call the LLM
    asks_llm = {"openai", "auto"}.intersection(suite.providers)
    offline = not asks_llm and answer_provider != "openai"
    corpus = suite.corpus_dir()
    corpus_state: dict[str, Any] = {}

    def ensure_corpus() -> None:
        if "error" in corpus_state:
            raise corpus_state["error"]
        if "summary" in corpus_state:
            return
        if corpus is None:
            error: AltoError = NotFoundError("the suite names no corpus to load (corpus: DIR)")
            corpus_state["error"] = error
            raise error
        try:
            start = time.perf_counter()
            corpus_state["summary"] = migrate_corpus(corpus, registry, suite.default_ctx, progress)
            corpus_state["seconds"] = round(time.perf_counter() - start, 3)
        except AltoError as err:
            corpus_state["error"] = err
            raise

    with temporary_home(offline=offline) as home:
        ctx = S.RunContext(
            suite=suite,
            questions=questions,
            registry=registry,
            progress=progress,
            corpus_dir=corpus.resolve() if corpus else None,
            ensure_corpus=ensure_corpus,
            answer_provider=answer_provider,
            model=model,
        )
        runners = {
            "translation": S.translation_section,
            "retrieval": S.retrieval_section,
            "tokens": S.tokens_section,
            "cache": lambda c: S.cache_section(c, home / "cache" / "responses"),
            "latency": S.latency_section,
        }
        # latency reads the cache-hit timings, so it runs after the cache replay
        order = ("translation", "retrieval", "tokens", "cache", "latency")
        results: dict[str, dict[str, Any]] = {}
        for name in order:
            if name not in suite.sections:
                continue
            began = time.perf_counter()
            try:
                results[name] = runners[name](ctx)
            except AltoError as err:
                results[name] = S.failed(err)
            results[name]["seconds"] = round(time.perf_counter() - began, 3)
    report = {
        "schema_version": SCHEMA_VERSION,
        "suite": {
            "name": suite.name,
            "source": suite.source,
            "questions": len(questions),
            "skipped_empty_queries": len(skipped),
            "labelled": sum(q.labelled for q in questions),
            "out_of_scope": sum(q.out_of_scope for q in questions),
            "with_expected_docs": sum(bool(q.expected_docs) for q in questions),
            "corpus": str(corpus.resolve()) if corpus else None,
            "corpus_load": {k: v for k, v in corpus_state.items() if k != "error"},
            "k": suite.k,
            "sections": [name for name in order if name in suite.sections],
        },
        "environment": describe(
            providers=list(suite.providers), answer_provider=answer_provider, model=model
        ),
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": None,
        "sections": results,
        "metrics": headline_metrics(results),
    }
    report["duration_s"] = round(time.perf_counter() - started, 3)
    return report


def headline_metrics(sections: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """The flat metric names the gate, the baseline comparison and the docs use."""
    metrics: dict[str, float | None] = {}
    translation = sections.get("translation", {})
    if translation.get("status") == "ok":
        first = next(iter(translation["providers"].values()))
        metrics["translation.accuracy"] = first["accuracy"]
        metrics["translation.exact_match"] = first["exact_match"]
        metrics["translation.ctx_precision"] = first["ctx"]["precision"]
        metrics["translation.ctx_recall"] = first["ctx"]["recall"]
        metrics["translation.oos_recall"] = first["out_of_scope"]["recall"]
        for field, value in first["fields"].items():
            metrics[f"translation.field.{field}"] = value
    tokens = sections.get("tokens", {})
    if tokens.get("status") == "ok":
        metrics["tokens.reduction"] = tokens["reduction"]
        metrics["tokens.alto_mean"] = tokens["alto_mean"]
        metrics["tokens.plain_mean"] = tokens["plain_mean"]
    cache = sections.get("cache", {})
    if cache.get("status") == "ok":
        metrics["cache.hit_rate"] = cache["alto"]["hit_rate"]
        metrics["cache.wrong_hit_rate"] = cache["alto"]["wrong_hit_rate"]
        metrics["cache.exact_string_hit_rate"] = cache["exact_string"]["hit_rate"]
        metrics["cache.share_of_possible_hits"] = cache["alto"].get("share_of_possible_hits")
        by_kind = cache["alto"].get("hit_rate_by_kind") or {}
        metrics["cache.paraphrase_hit_rate"] = by_kind.get("paraphrase")
    retrieval = sections.get("retrieval", {})
    if retrieval.get("status") == "ok":
        metrics["retrieval.recall_at_k"] = retrieval["recall_at_k"]
        metrics["retrieval.mrr"] = retrieval["mrr"]
    latency = sections.get("latency", {})
    if latency.get("status") == "ok":
        for stage, summary in latency["stages"].items():
            metrics[f"latency.{stage}.p50_ms"] = summary["p50_ms"]
            metrics[f"latency.{stage}.p95_ms"] = summary["p95_ms"]
        metrics["latency.end_to_end.p50_ms"] = latency["end_to_end"]["p50_ms"]
        metrics["latency.end_to_end.p95_ms"] = latency["end_to_end"]["p95_ms"]
    return metrics
