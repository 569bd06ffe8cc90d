"""Benchmark the local translator: accuracy per field, out-of-scope detection, speed.

    python benchmarks/translation/bench_translate.py [QUESTIONS.jsonl] [--json] [--runs N]

QUESTIONS.jsonl holds one labelled question a line ({"question", "role", "expected"}; see
README.md here); the default is the shipped set. Scores come from alto_cli.translate.scoring.
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
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                sys.exit(f"{path}:{number}: invalid JSON: {err.msg}")
    return rows


def accuracy(rows: list[dict], translator) -> dict:
    from alto_cli.language import to_dict
    from alto_cli.translate.scoring import Tally

    tally = Tally()
    for row in rows:
        result = translator.translate(row["question"], role=row.get("role"))
        tally.add(
            to_dict(result.fields),
            row.get("expected"),
            out_of_scope=result.out_of_scope,
            item_id=str(row.get("id", "")),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=21, help="cold-start runs (default 21)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from alto_cli.registry import load_registry
    from alto_cli.translate import LocalTranslator

    rows = load(args.questions)
    translator = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))
    home = tempfile.mkdtemp(prefix="alto-bench-")
    env = {"PATH": "/usr/bin:/bin", "ALTO_HOME": home, "NO_COLOR": "1"}
    try:
        figures = {
            "questions_file": str(args.questions),
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
        if isinstance(value, float):
            value = f"{value * 100:.1f} %" if value <= 1 else f"{value:.1f}"
        print(f"{key:30} {value}")


if __name__ == "__main__":
    main()
