"""Per-field scoring of a translation against a labelled instruction (benchmarks reuse it).

Instructions are compared as plain dicts in the JSON form's keys (CMD, Q, CTX, FMT, U, L),
so gold labels from a JSONL file and translator output score the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SYMBOL_FIELDS = ("CMD", "FMT", "U", "L")


def q_tokens(query: str) -> set[str]:
    """Q's keywords, case-folded (``rst_MFA`` -> {"rst", "mfa"})."""
    return {t.lower() for t in query.split("_") if t}


def q_overlap(predicted: str, expected: str) -> float:
    """Token F1 between two Q values (order-insensitive), 0..1."""
    p, e = q_tokens(predicted), q_tokens(expected)
    if not p or not e:
        return float(p == e)
    common = len(p & e)
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(e)
    return 2 * precision * recall / (precision + recall)


def ctx_counts(predicted: Iterable[str], expected: Iterable[str]) -> tuple[int, int, int]:
    """(true positives, predicted count, expected count) of CTX codes."""
    p, e = set(predicted), set(expected)
    return len(p & e), len(p), len(e)


def rank_auc(wrong: Iterable[float], right: Iterable[float]) -> float:
    """P(a right answer's confidence is above a wrong one's), ties counting half: how well
    the confidence tells them apart (0.5: not at all)."""
    wrong, right = sorted(wrong), sorted(right)
    if not wrong or not right:
        return 0.0
    above = 0.0  # over the wrong ones: the right ones above it, ties halved
    lo = hi = 0  # right[:lo] < value, right[:hi] <= value
    for value in wrong:
        while lo < len(right) and right[lo] < value:
            lo += 1
        hi = max(hi, lo)
        while hi < len(right) and right[hi] <= value:
            hi += 1
        above += len(right) - hi + 0.5 * (hi - lo)
    return above / (len(wrong) * len(right))


def score_fields(predicted: Mapping[str, Any], expected: Mapping[str, Any]) -> dict[str, Any]:
    """Field-by-field comparison of one in-scope question."""
    result: dict[str, Any] = {f: predicted.get(f) == expected.get(f) for f in SYMBOL_FIELDS}
    result["CTX"] = set(predicted.get("CTX") or ()) == set(expected.get("CTX") or ())
    result["ctx_counts"] = ctx_counts(predicted.get("CTX") or (), expected.get("CTX") or ())
    result["Q"] = q_overlap(str(predicted.get("Q", "")), str(expected.get("Q", "")))
    return result


@dataclass
class Tally:
    """Running totals over a labelled set."""

    in_scope: int = 0
    out_of_scope: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SYMBOL_FIELDS, 0))
    ctx_exact: int = 0
    ctx_tp: int = 0
    ctx_predicted: int = 0
    ctx_expected: int = 0
    q_overlap_sum: float = 0.0
    oos_caught: int = 0  # out-of-scope questions flagged out of scope
    false_oos: int = 0  # in-scope questions flagged out of scope
    misses: list[dict[str, Any]] = field(default_factory=list)
    # (confidence, every field right) of each question answered in scope, when given
    answered: list[tuple[float, bool]] = field(default_factory=list)
    auto_threshold: float = 0.5  # below it ``--provider auto`` asks the LLM (service)

    def add(
        self,
        predicted: Mapping[str, Any],
        expected: Mapping[str, Any] | None,
        *,
        out_of_scope: bool,
        item_id: str = "",
        confidence: float | None = None,
    ) -> None:
        if expected is None:
            self.out_of_scope += 1
            self.oos_caught += int(out_of_scope)
            if not out_of_scope:
                self.misses.append({"id": item_id, "fields": ["OOS"], "predicted": predicted})
                if confidence is not None:
                    self.answered.append((confidence, False))
            return
        self.in_scope += 1
        self.false_oos += int(out_of_scope)
        scored = score_fields(predicted, expected)
        wrong = [f for f in SYMBOL_FIELDS if not scored[f]]
        for name in SYMBOL_FIELDS:
            self.correct[name] += int(scored[name])
        self.ctx_exact += int(scored["CTX"])
        if not scored["CTX"]:
            wrong.append("CTX")
        tp, n_pred, n_exp = scored["ctx_counts"]
        self.ctx_tp += tp
        self.ctx_predicted += n_pred
        self.ctx_expected += n_exp
        self.q_overlap_sum += scored["Q"]
        if wrong:
            self.misses.append(
                {"id": item_id, "fields": wrong, "predicted": predicted, "expected": expected}
            )
        if confidence is not None and not out_of_scope:
            self.answered.append((confidence, not wrong))

    def summary(self) -> dict[str, Any]:
        n = max(1, self.in_scope)
        return {
            "questions": self.in_scope + self.out_of_scope,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            **{f"{name}_accuracy": self.correct[name] / n for name in SYMBOL_FIELDS},
            "CTX_exact": self.ctx_exact / n,
            "CTX_precision": self.ctx_tp / self.ctx_predicted if self.ctx_predicted else 0.0,
            "CTX_recall": self.ctx_tp / self.ctx_expected if self.ctx_expected else 0.0,
            "Q_overlap": self.q_overlap_sum / n,
            "out_of_scope_caught": (
                self.oos_caught / self.out_of_scope if self.out_of_scope else 0.0
            ),
            "false_out_of_scope": self.false_oos / n,
            **self._confidence_summary(),
        }

    def _confidence_summary(self) -> dict[str, Any]:
        """How well the confidence of the questions answered in scope tells right (CMD, CTX,
        FMT, U and L all right) from wrong, and what ``--provider auto`` would send to the
        LLM: the share under the threshold, and the share of the wrong answers among them."""
        if not self.answered:
            return {}
        wrong = [c for c, ok in self.answered if not ok]
        right = [c for c, ok in self.answered if ok]
        below = [ok for c, ok in self.answered if c < self.auto_threshold]
        return {
            "confidence_auc": round(rank_auc(wrong, right), 3),
            "answered_below_threshold": len(below) / len(self.answered),
            "wrong_below_threshold": below.count(False) / len(wrong) if wrong else 0.0,
        }
