"""Train the CTX re-ranker (``ctx_ranker``) from labelled question sets. Needs numpy.

Imported only by the trainer (``make model``) and the cross-validation in
``bench_translate.py --cv``; translation never imports it. Each in-scope question whose rules
found a code gives one row per candidate code (``ctx_ranker.features``; the rules' candidates
and the CTX head's, ``ctx_ranker.text_candidates``), labelled 1 when the gold CTX holds the
code. One binary L2-regularised logistic regression over every row
(``intent_training._fit_softmax``: a fixed number of steps from zero, so the same data gives
the same weights, and the file the same bytes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from alto_cli.translate.ctx_ranker import (
    FEATURES,
    FORMAT_VERSION,
    LEARNED,
    CtxRanker,
    LiftTables,
    text_candidates,
)
from alto_cli.translate.intent_training import (
    Example,
    Settings,
    _fit_softmax,
    _round,
    fit_ctx_head,
    tfidf_matrix,
)

INNER_FOLDS = 5  # the learned features of a training row come from the other folds' tables
MIN_WORD_INTENTS = 2  # a word is in the table when this many training intents use it


def _is_in_scope(e: Example) -> bool:
    """In scope, and the rules found a code: the examples the ranker learns from."""
    return not e.out_of_scope and e.has_ctx


def _in_scope(examples: Sequence[Example]) -> list[Example]:
    return [e for e in examples if _is_in_scope(e)]


def lift_tables(examples: Sequence[Example]) -> dict[str, Any]:
    """The counts ``ctx_ranker.LiftTables`` reads, by intent (paraphrases count once)."""
    gold: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    anchors: dict[str, set[str]] = {}
    for e in _in_scope(examples):
        gold.setdefault(e.group, set()).update(e.ctx)
        stems.setdefault(e.group, set()).update(e.ctx_stems)
        if e.ctx_anchor:
            anchors.setdefault(e.group, set()).add(e.ctx_anchor)
    codes: dict[str, int] = {}
    for needed in gold.values():
        for code in needed:
            codes[code] = codes.get(code, 0) + 1

    def table(keys_of: dict[str, set[str]], minimum: int) -> dict[str, Any]:
        counts: dict[str, list[Any]] = {}
        for group, keys in keys_of.items():
            for key in keys:
                found = counts.setdefault(key, [0, {}])
                found[0] += 1
                for code in gold[group]:
                    found[1][code] = found[1].get(code, 0) + 1
        return {k: v for k, v in sorted(counts.items()) if v[0] >= minimum}

    return {
        "intents": len(gold),
        "codes": dict(sorted(codes.items())),
        "words": table(stems, MIN_WORD_INTENTS),
        "anchors": table(anchors, 1),
    }


def _inner_fold(group: str) -> int:
    import hashlib

    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % INNER_FOLDS


def expand_logit(settings: Settings) -> float:
    """The CTX head's logit that makes a code a candidate (``Settings.ranker_expand``)."""
    p = settings.ranker_expand
    return math.log(p / (1 - p))


def training_rows(
    examples: Sequence[Example], settings: Settings | None = None
) -> tuple[list[tuple[float, ...]], list[int]]:
    """The candidate rows of the in-scope examples, and their labels. Their learned
    features are cross-fitted: the lift tables and the CTX head of the other inner folds
    (the head's n-grams and IDF are the whole set's, as the intent model's are)."""
    settings = settings or Settings()
    text = tfidf_matrix(examples, settings)
    all_folds = [_inner_fold(e.group) for e in examples]
    chosen = [(i, e) for i, e in enumerate(examples) if _is_in_scope(e)]
    tables = []
    heads = []
    for k in range(INNER_FOLDS):
        others = [i for i, f in enumerate(all_folds) if f != k]
        tables.append(LiftTables(lift_tables([examples[i] for i in others])))
        heads.append(fit_ctx_head([examples[i] for i in others], text[others], settings))
    expand = expand_logit(settings)
    x: list[tuple[float, ...]] = []
    y: list[int] = []
    for i, e in chosen:
        fold = all_folds[i]
        codes, w, b = heads[fold]
        logits = dict(zip(codes, (text[i] @ w + b).tolist(), strict=True))
        base = list(e.ctx_base) or [code for code, _ in e.ctx_rows]
        kept = set(base) | set(text_candidates(logits, base, expand))
        gold = set(e.ctx)
        for code, row in e.ctx_rows:
            if code in kept:
                lifts = tables[fold].lifts(code, e.ctx_stems, e.ctx_anchor)
                x.append((*row, *lifts, logits.get(code, 0.0)))
                y.append(int(code in gold))
    return x, y


def train(
    examples: Sequence[Example],
    settings: Settings | None = None,
    *,
    training_files: Sequence[str] = (),
    training_hash_: str = "",
) -> dict[str, Any]:
    """The ranker as the JSON-ready dict ``CtxRanker`` reads."""
    import numpy as np

    settings = settings or Settings()
    rows, labels = training_rows(examples, settings)
    names = FEATURES + LEARNED
    x = np.asarray(rows, dtype=float).reshape(len(rows), len(names))
    y = np.asarray(labels, dtype=int)
    if len(set(labels)) == 2:
        w2, b2 = _fit_softmax(x, y, 2, settings.ranker_c, settings.steps)
        weights, bias = (w2[:, 1] - w2[:, 0]).tolist(), float(b2[1] - b2[0])
    else:  # one class only (a tiny set): a constant verdict
        weights, bias = [0.0] * len(names), (8.0 if any(labels) else -8.0)
    return {
        "format": FORMAT_VERSION,
        "training_files": list(training_files),
        "training_hash": training_hash_,
        "settings": {
            "ranker_c": settings.ranker_c,
            "ranker_threshold": settings.ranker_threshold,
            "ranker_expand": settings.ranker_expand,
            "steps": settings.steps,
        },
        "counts": {"rows": len(rows), "positive": int(sum(labels))},
        "features": list(names),
        "tables": lift_tables(examples),
        "weights": [_round(w) for w in weights],
        "bias": _round(bias),
        "threshold": settings.ranker_threshold,
        "expand": _round(expand_logit(settings)),
        "max_codes": 3,
    }


def dumps(ranker: dict[str, Any]) -> str:
    """The file's text: sorted keys, one a line."""
    lines = [
        f"{json.dumps(key)}:{json.dumps(ranker[key], sort_keys=True, separators=(',', ':'))}"
        for key in sorted(ranker)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def fit_ranker(examples: Sequence[Example], settings: Settings | None = None) -> CtxRanker:
    """An in-memory CtxRanker trained on ``examples`` (cross-validation, tests)."""
    return CtxRanker(json.loads(dumps(train(examples, settings))))
