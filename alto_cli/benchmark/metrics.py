"""The benchmark's arithmetic: pure functions over plain values, so they can be checked by hand."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from alto_cli.language import Instruction

FIELDS = ("CMD", "Q", "CTX", "FMT", "U", "L")
OOS_LABEL = "OOS"  # the predicted column for a question the translator called out of scope


@dataclass(frozen=True)
class Scored:
    """One translated question: its label and what the translator produced."""

    expected: Instruction | None  # None: labelled out of scope
    predicted: Instruction
    predicted_oos: bool


def field_value(instruction: Instruction, field: str) -> str:
    if field == "CMD":
        return instruction.command.value
    if field == "Q":
        return instruction.query
    if field == "CTX":
        return ",".join(sorted(instruction.ctx))
    if field == "FMT":
        return instruction.fmt.value
    if field == "U":
        return instruction.role.value
    if field == "L":
        return instruction.language.value
    raise ValueError(f"unknown field {field!r}")


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def translation_scores(items: Sequence[Scored]) -> dict[str, object]:
    """Accuracy per field, exact match, CTX precision/recall and out-of-scope detection.

    ``accuracy`` counts a question as right when, in scope, CMD, CTX, FMT, U and L all match
    (Q is free keyword text, scored on its own) and, out of scope, the translator said so.
    ``exact_match`` also requires Q.
    """
    in_scope = [item for item in items if item.expected is not None]
    per_field = {}
    for field in FIELDS:
        right = sum(
            1
            for item in in_scope
            if not item.predicted_oos
            and field_value(item.predicted, field) == field_value(item.expected, field)  # type: ignore[arg-type]
        )
        per_field[field] = ratio(right, len(in_scope))
    structural = ("CMD", "CTX", "FMT", "U", "L")
    correct = exact = 0
    for item in items:
        if item.expected is None:
            correct += item.predicted_oos
            exact += item.predicted_oos
            continue
        if item.predicted_oos:
            continue
        same = {f: field_value(item.predicted, f) == field_value(item.expected, f) for f in FIELDS}
        correct += all(same[f] for f in structural)
        exact += all(same.values())
    return {
        "n": len(items),
        "in_scope": len(in_scope),
        "accuracy": ratio(correct, len(items)),
        "exact_match": ratio(exact, len(items)),
        "fields": per_field,
        "ctx": ctx_precision_recall(in_scope),
        "out_of_scope": oos_detection(items),
        "confusion": {field: confusion(items, field) for field in ("CMD", "FMT")},
    }


def ctx_precision_recall(items: Sequence[Scored]) -> dict[str, float | int | None]:
    """Micro-averaged over codes: precision = right codes / predicted, recall = right / expected."""
    predicted = expected = right = 0
    for item in items:
        if item.expected is None:
            continue
        got = set() if item.predicted_oos else set(item.predicted.ctx)
        want = set(item.expected.ctx)
        predicted += len(got)
        expected += len(want)
        right += len(got & want)
    precision = ratio(right, predicted)
    recall = ratio(right, expected)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and (precision + recall) > 0
        else None
    )
    return {"precision": precision, "recall": recall, "f1": f1, "tp": right}


def oos_detection(items: Sequence[Scored]) -> dict[str, float | int | None]:
    """Out of scope is the positive class."""
    tp = sum(1 for i in items if i.expected is None and i.predicted_oos)
    fp = sum(1 for i in items if i.expected is not None and i.predicted_oos)
    fn = sum(1 for i in items if i.expected is None and not i.predicted_oos)
    tn = len(items) - tp - fp - fn
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "accuracy": ratio(tp + tn, len(items)),
    }


def confusion(items: Sequence[Scored], field: str) -> dict[str, object]:
    """Counts of (expected, predicted) over in-scope questions; ``OOS`` = predicted out of scope."""
    counts: dict[str, dict[str, int]] = {}
    labels: set[str] = set()
    for item in items:
        if item.expected is None:
            continue
        want = field_value(item.expected, field)
        got = OOS_LABEL if item.predicted_oos else field_value(item.predicted, field)
        labels.update((want, got))
        row = counts.setdefault(want, {})
        row[got] = row.get(got, 0) + 1
    ordered = sorted(labels - {OOS_LABEL}) + ([OOS_LABEL] if OOS_LABEL in labels else [])
    return {"labels": ordered, "counts": {k: counts[k] for k in sorted(counts)}}


def recall_at_k(relevant: Sequence[str], ranked: Sequence[str], k: int) -> float | None:
    """Share of the relevant documents found among the first ``k`` ranked ones."""
    wanted = set(relevant)
    if not wanted:
        return None
    return len(wanted & set(ranked[:k])) / len(wanted)


def reciprocal_rank(relevant: Sequence[str], ranked: Sequence[str]) -> float:
    """1 / rank of the first relevant document, 0 when none is ranked."""
    wanted = set(relevant)
    for rank, doc in enumerate(ranked, 1):
        if doc in wanted:
            return 1.0 / rank
    return 0.0


def percentile(samples: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default method)."""
    if not samples:
        return None
    ordered = sorted(samples)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_summary(samples: Sequence[float]) -> dict[str, float | int | None]:
    return {
        "n": len(samples),
        "p50_ms": _round(percentile(samples, 50)),
        "p95_ms": _round(percentile(samples, 95)),
        "mean_ms": _round(sum(samples) / len(samples)) if samples else None,
        "max_ms": _round(max(samples)) if samples else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
