"""Prompt tokens vs a plain prompt, answer-passage recall, and paraphrase cache hit rates.

    python benchmarks/run/bench_prompt.py [--questions benchmarks/translation/questions.jsonl]
        [--docs examples/docs] [--k 5] [--budget N]

In a temporary ALTO_HOME: migrates the docs; for every in-scope labelled question, turns it
into an instruction and builds both prompts exactly as ``alto run`` does (runner.to_instruction,
then runner.plan_prompt: retrieve k passages, compress within the budget, count the compact
prompt and prompting.plain_prompt over the same k passages). ``alto benchmark``'s tokens
section counts through the same two functions, so both report one figure.
- reduction: 1 - compact prompt tokens / plain prompt tokens (summed and median), over the
  questions the translator keeps in scope (out of scope, run() builds no prompt);
- answer passage: the best-ranked retrieved passage tagged with one of the question's
  expected CTX codes; "reached" when compression kept any of it in the prompt (counted over
  the questions where retrieval found such a passage);
- cache replay: the questions streamed in file order through a canonical-instruction cache
  and an exact-question-string cache; a wrong hit is a hit whose expected instruction differs
  from that of the question that filled the entry.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default="benchmarks/translation/questions.jsonl")
    parser.add_argument("--docs", default="examples/docs")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--budget", type=int, default=None, help="sets ALTO_CONTEXT_BUDGET")
    args = parser.parse_args()
    if args.budget:
        os.environ["ALTO_CONTEXT_BUDGET"] = str(args.budget)
    rows = [json.loads(line) for line in (ROOT / args.questions).read_text().splitlines() if line]

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "ctx_registry.yaml", work / "ctx_registry.yaml")
        shutil.copytree(ROOT / args.docs, work / "examples" / "docs")
        os.environ["ALTO_HOME"] = str(work / "home")
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QDRANT_URL"):
            os.environ.pop(name, None)
        exe = Path(sys.executable).with_name("alto")
        subprocess.run(
            [str(exe), "migrate-embeddings", "examples/docs"],
            cwd=work,
            check=True,
            capture_output=True,
        )
        os.chdir(work)
        print(json.dumps(measure(rows, args.k), indent=2))


def measure(rows: list[dict], k: int) -> dict:
    from alto_cli.language import Role, canonical
    from alto_cli.registry import load_registry
    from alto_cli.retrieval import held_store
    from alto_cli.runner import as_model, plan_prompt, to_instruction

    registry = load_registry(Path("ctx_registry.yaml"))
    compact_total = plain_total = 0
    ratios: list[float] = []
    found = reached = 0
    canonical_cache: dict[str, dict | None] = {}
    exact_cache: dict[str, dict | None] = {}
    stats = {"canonical": [0, 0], "exact": [0, 0]}  # hits, wrong hits
    seen_intents: set[str] = set()
    repeats = 0  # questions whose intent was asked before: the most any cache can hit
    in_scope = [r for r in rows if r["expected"]]
    used_budget = None
    with held_store():
        for row in rows:
            role = Role(row["role"]) if row["role"] else None
            instruction, question, out_of_scope, _ = to_instruction(
                row["question"], registry=registry, role=role, provider="extractive", model=None
            )
            expected = row["expected"]
            repeats += row["intent"] in seen_intents
            seen_intents.add(row["intent"])
            # -- cache replay (every question, in file order)
            for name, cache, key in (
                ("canonical", canonical_cache, canonical(instruction)),
                ("exact", exact_cache, f"{row['role']}|{row['question']}"),
            ):
                if key in cache:
                    stats[name][0] += 1
                    if cache[key] != expected:
                        stats[name][1] += 1
                else:
                    cache[key] = expected
            if not expected or out_of_scope:
                continue
            # -- prompt tokens and answer-passage recall, as run() counts them
            plan = plan_prompt(as_model(instruction), question, k=k)
            used_budget = plan.budget_tokens
            compact_total += plan.prompt_tokens
            plain_total += plan.plain_prompt_tokens
            ratios.append(plan.reduction)
            passages = plan.retrieved.passages
            answer = next((p for p in passages if set(p.ctx_codes) & set(expected["CTX"])), None)
            if answer is not None:
                found += 1
                reached += any(c.point_id == str(answer.point_id) for c in plan.compressed)
    n = len(rows)
    return {
        "questions": n,
        "in_scope": len(in_scope),
        "repeats": repeats,
        "measured": len(ratios),
        "k": k,
        "budget_tokens": used_budget,
        "compact_prompt_tokens": compact_total,
        "plain_prompt_tokens": plain_total,
        "reduction_total": round(1 - compact_total / plain_total, 4) if plain_total else 0.0,
        "reduction_median": round(statistics.median(ratios), 4) if ratios else 0.0,
        "answer_passage_found": found,
        "answer_passage_reached": reached,
        "answer_passage_recall": round(reached / found, 4) if found else 0.0,
        "cache_replay": {
            name: {
                "hits": hits,
                "hit_rate": round(hits / n, 4),
                "hit_rate_of_repeats": round(hits / repeats, 4) if repeats else 0.0,
                "wrong_hits": wrong,
                "wrong_hit_rate": round(wrong / hits, 4) if hits else 0.0,
            }
            for name, (hits, wrong) in stats.items()
        },
    }


if __name__ == "__main__":
    main()
