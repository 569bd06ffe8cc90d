"""Benchmark the local translator: accuracy per field, out-of-scope detection, speed.

    python benchmarks/translation/bench_translate.py [QUESTIONS.jsonl ...] [--json] [--runs N]
    python benchmarks/translation/bench_translate.py A.jsonl B.jsonl --cv 5 [--set KEY=VALUE]

QUESTIONS.jsonl holds one labelled question a line ({"question", "role", "expected"}; see
README.md here); the default is the shipped set. Scores come from alto_cli.translate.scoring.
They are in-sample for the intent model, which was trained on the shipped sets: ``--cv K``
gives the honest figures instead: grouped K-fold by ``intent`` over the given files (the
models trained on the other folds score the held fold): rules alone, rules + the intent
model, and rules + the intent model + the CTX re-ranker.
``--set`` overrides a training setting (intent_training.Settings) for the cross-validation.
Speed: questions per second in process (one LocalTranslator, the whole set repeated), the
same through `alto translate --file` (one process), and the cold start: median wall time of
`alto translate "How do I reset MFA?"` against `python -c "import typer, rich"`, in one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"


def load(path: Path) -> list[dict]:
    from alto_cli.translate.intent_training import load_rows

    try:
        return load_rows(path)
    except ValueError as err:
        sys.exit(str(err))


def accuracy(rows: list[dict], translator) -> dict:
    from alto_cli.language import to_dict
    from alto_cli.translate.scoring import Tally
    from alto_cli.translate.service import auto_threshold

    tally = Tally(auto_threshold=auto_threshold())  # ALTO_AUTO_THRESHOLD, as auto reads it
    for row in rows:
        result = translator.translate(row["question"], role=row.get("role"))
        tally.add(
            to_dict(result.fields),
            row.get("expected"),
            out_of_scope=result.out_of_scope,
            item_id=str(row.get("id", "")),
            confidence=result.confidence,
        )
    return tally.summary()


def in_process_rate(rows: list[dict], translator, seconds: float = 2.0) -> float:
    questions = [row["question"] for row in rows]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for question in questions:
            translator.translate(question)
        done += len(questions)
    return done / (time.perf_counter() - start)


def alto_command() -> list[str]:
    script = Path(sys.executable).parent / "alto"
    return [str(script)] if script.exists() else [sys.executable, "-m", "alto_cli"]


def cli_batch_rate(rows: list[dict], env: dict) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(row["question"] for row in rows) + "\n")
    start = time.perf_counter()
    subprocess.run(
        [
            *alto_command(),
            "translate",
            "--file",
            handle.name,
            "--registry",
            str(ROOT / "ctx_registry.yaml"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    Path(handle.name).unlink()
    return len(rows) / elapsed


def cold_start(runs: int, env: dict) -> dict:
    commands = {
        "alto translate": [*alto_command(), "translate", "How do I reset MFA?"],
        "import typer, rich": [sys.executable, "-c", "import typer, rich"],
    }
    for command in commands.values():  # warm the disk cache and the registry snapshot
        subprocess.run(command, stdout=subprocess.DEVNULL, env=env, cwd=ROOT, check=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so load on the machine hits both alike
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, env=env, cwd=ROOT, check=True)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {
        "runs": runs,
        "alto_translate_ms": round(medians["alto translate"], 1),
        "import_typer_rich_ms": round(medians["import typer, rich"], 1),
        "ratio": round(medians["alto translate"] / medians["import typer, rich"], 2),
    }


CV_FIELDS = (
    ("CMD", "CMD_accuracy"),
    ("FMT", "FMT_accuracy"),
    ("U", "U_accuracy"),
    ("L", "L_accuracy"),
    ("CTX exact", "CTX_exact"),
    ("CTX prec.", "CTX_precision"),
    ("CTX recall", "CTX_recall"),
    ("Q overlap", "Q_overlap"),
    ("OOS caught", "out_of_scope_caught"),
    ("false OOS", "false_out_of_scope"),
)


def cross_validate(rows: list[dict], k: int, overrides: dict[str, str]) -> dict:
    """Grouped K-fold by intent: rules alone, rules + the intent model, and rules + the intent
    model + the CTX re-ranker, both trained on the other folds only."""
    import dataclasses

    from alto_cli.language import to_dict
    from alto_cli.registry import load_registry
    from alto_cli.translate import LocalTranslator
    from alto_cli.translate.ctx_ranker_training import fit_ranker
    from alto_cli.translate.intent_training import (
        Settings,
        featurise,
        fit_model,
        grouped_folds,
    )
    from alto_cli.translate.scoring import Tally

    fields = {f.name: f for f in dataclasses.fields(Settings)}
    changes = {}
    for key, raw in overrides.items():
        if key not in fields:
            sys.exit(f"--set {key}: no such setting; expected one of {', '.join(fields)}")
        kind = type(getattr(Settings(), key))
        changes[key] = raw.lower() in ("1", "true", "yes") if kind is bool else kind(raw)
    settings = Settings(**changes)
    registry = load_registry(ROOT / "ctx_registry.yaml")
    rules = LocalTranslator(registry, intent_model=None, ctx_ranker=None)
    examples = featurise(rules, rows)
    folds = grouped_folds(rows, k)
    tallies = {"rules": Tally(), "intent": Tally(), "blended": Tally()}
    for fold in range(k):
        trained = [e for e, f in zip(examples, folds, strict=True) if f != fold]
        model = fit_model(trained, settings)
        ranker = fit_ranker(trained, settings) if settings.ranker_enabled else None
        translators = (
            ("rules", rules),
            ("intent", LocalTranslator(registry, intent_model=model, ctx_ranker=None)),
            ("blended", LocalTranslator(registry, intent_model=model, ctx_ranker=ranker)),
        )
        for row, f in zip(rows, folds, strict=True):
            if f != fold:
                continue
            for name, translator in translators:
                result = translator.translate(row["question"], role=row.get("role"))
                tallies[name].add(
                    to_dict(result.fields), row.get("expected"), out_of_scope=result.out_of_scope
                )
    return {
        "k": k,
        "questions": len(rows),
        "intents": len({r.get("intent") for r in rows}),
        "settings": dataclasses.asdict(settings),
        **{name: tally.summary() for name, tally in tallies.items()},
    }


def print_cv(figures: dict) -> None:
    print(
        f"grouped {figures['k']}-fold cross-validation by intent: {figures['questions']} "
        f"questions, {figures['intents']} intents"
    )
    print(f"{'field':12} {'rules':>8} {'+intent':>8} {'+ranker':>8}")
    for label, key in CV_FIELDS:
        shown = [figures[name][key] * 100 for name in ("rules", "intent", "blended")]
        print(f"{label:12} " + " ".join(f"{v:7.1f}%" for v in shown))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("questions", nargs="*", type=Path, default=[DEFAULT_QUESTIONS])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=21, help="cold-start runs (default 21)")
    parser.add_argument("--cv", type=int, metavar="K", help="grouped K-fold cross-validation")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a training setting"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from alto_cli.registry import load_registry
    from alto_cli.translate import LocalTranslator

    rows = [row for path in args.questions for row in load(path)]
    if args.cv is not None:
        if args.cv < 2:
            sys.exit("--cv: K must be at least 2")
        overrides = dict(item.split("=", 1) for item in args.set if "=" in item)
        figures = cross_validate(rows, args.cv, overrides)
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            print_cv(figures)
        return
    translator = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))
    home = tempfile.mkdtemp(prefix="alto-bench-")
    env = {"PATH": "/usr/bin:/bin", "ALTO_HOME": home, "NO_COLOR": "1"}
    try:
        figures = {
            "questions_file": ", ".join(str(p) for p in args.questions),
            **accuracy(rows, translator),
            "in_process_questions_per_s": round(in_process_rate(rows, translator)),
            "cli_batch_questions_per_s": round(cli_batch_rate(rows, env)),
            "cold_start": cold_start(args.runs, env),
        }
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if isinstance(value, float) and not key.endswith("_auc"):
            value = f"{value * 100:.1f} %" if value <= 1 else f"{value:.1f}"
        print(f"{key:30} {value}")


if __name__ == "__main__":
    main()
