"""The CI gate: thresholds on the headline metrics, and regressions against a baseline run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alto_cli.errors import InvalidInputError

SCHEMA_VERSION = 1

# threshold name -> (metric, comparison)
THRESHOLDS: dict[str, tuple[str, str]] = {
    "min_accuracy": ("translation.accuracy", ">="),
    "min_exact_match": ("translation.exact_match", ">="),
    "min_token_reduction": ("tokens.reduction", ">="),
    "min_hit_rate": ("cache.hit_rate", ">="),
    "max_wrong_hit_rate": ("cache.wrong_hit_rate", "<="),
    "min_recall_at_k": ("retrieval.recall_at_k", ">="),
    "min_mrr": ("retrieval.mrr", ">="),
    "max_p95_ms": ("latency.end_to_end.p95_ms", "<="),
}

# Metrics compared with a baseline, and which way is better.
HIGHER_IS_BETTER = (
    "translation.accuracy",
    "translation.exact_match",
    "translation.ctx_precision",
    "translation.ctx_recall",
    "translation.oos_recall",
    "tokens.reduction",
    "cache.hit_rate",
    "retrieval.recall_at_k",
    "retrieval.mrr",
)
LOWER_IS_BETTER_RATES = ("cache.wrong_hit_rate",)
LOWER_IS_BETTER_COUNTS = ("tokens.alto_mean",)
# A slow-down smaller than this is noise on a shared machine (a p95 of 2.5 ms was seen at
# 4.2 ms while CI ran beside it), never a regression.
LATENCY_FLOOR_MS = 5.0


def evaluate(
    metrics: dict[str, float | None],
    thresholds: dict[str, float],
    *,
    sources: dict[str, str] | None = None,
    baseline: dict[str, Any] | None = None,
    baseline_name: str | None = None,
    tolerance: float = 0.02,
    latency_tolerance: float = 0.5,
    latency_floor_ms: float = LATENCY_FLOOR_MS,
) -> dict[str, Any]:
    """Check thresholds and, with a baseline, regressions. Pure: returns the verdict."""
    checks = []
    for name, limit in thresholds.items():
        metric, op = THRESHOLDS[name]
        value = metrics.get(metric)
        passed = value is not None and (value >= limit if op == ">=" else value <= limit)
        checks.append(
            {
                "name": name,
                "metric": metric,
                "op": op,
                "threshold": limit,
                "value": value,
                "passed": passed,
                "source": (sources or {}).get(name, "suite"),
            }
        )
    deltas = (
        compare(metrics, baseline, tolerance, latency_tolerance, latency_floor_ms)
        if baseline
        else []
    )
    failures = [c for c in checks if not c["passed"]] + [d for d in deltas if d["regressed"]]
    return {
        "passed": not failures,
        "checks": checks,
        "baseline": (
            {
                "file": baseline_name,
                "tolerance": tolerance,
                "latency_tolerance": latency_tolerance,
                "latency_floor_ms": latency_floor_ms,
                "deltas": deltas,
            }
            if baseline
            else None
        ),
        "failures": [failure_line(f) for f in failures],
    }


def compare(
    metrics: dict[str, float | None],
    baseline: dict[str, Any],
    tolerance: float,
    latency_tolerance: float,
    latency_floor_ms: float = LATENCY_FLOOR_MS,
) -> list[dict[str, Any]]:
    """One row per metric present in both runs; ``regressed`` when worse beyond tolerance."""
    before = baseline.get("metrics", {})
    rows = []
    for metric in sorted(set(before) & set(metrics)):
        old, new = before[metric], metrics[metric]
        if old is None or new is None:
            continue
        if metric in HIGHER_IS_BETTER:
            regressed = new < old - tolerance
            allowed = f">= {old - tolerance:.4g}"
        elif metric in LOWER_IS_BETTER_RATES:
            regressed = new > old + tolerance
            allowed = f"<= {old + tolerance:.4g}"
        elif metric in LOWER_IS_BETTER_COUNTS:
            regressed = new > old * (1 + tolerance)
            allowed = f"<= {old * (1 + tolerance):.4g}"
        elif metric.endswith("_ms"):
            limit = max(old * (1 + latency_tolerance), old + latency_floor_ms)
            regressed = new > limit
            allowed = f"<= {limit:.4g}"
        else:
            continue
        rows.append(
            {
                "metric": metric,
                "baseline": old,
                "current": new,
                "delta": new - old,
                "allowed": allowed,
                "regressed": regressed,
            }
        )
    return rows


def failure_line(item: dict[str, Any]) -> str:
    if "threshold" in item:
        value = "not measured" if item["value"] is None else f"{item['value']:.4g}"
        return (
            f"{item['metric']} = {value}, needs {item['op']} {item['threshold']:.4g} "
            f"({item['name']}, from {item['source']})"
        )
    return (
        f"{item['metric']} regressed: {item['current']:.4g} against baseline "
        f"{item['baseline']:.4g} (allowed {item['allowed']})"
    )


def load_baseline(path: Path) -> dict[str, Any]:
    """An earlier ``--json`` report."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: baseline file not found") from None
    except json.JSONDecodeError as err:
        raise InvalidInputError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InvalidInputError(f"{path}: cannot read baseline: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise InvalidInputError(f"{path}: not an alto benchmark report (no 'metrics')")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InvalidInputError(
            f"{path}: baseline schema_version {data.get('schema_version')!r}; "
            f"this alto writes {SCHEMA_VERSION}"
        )
    return data
