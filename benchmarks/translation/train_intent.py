"""Train the local translator's intent model and CTX re-ranker from the labelled sets.

    python benchmarks/translation/train_intent.py [--out PATH] [--ranker-out PATH] [--check]

Reads ``intent_training.TRAINING_FILES`` (the registry and the question sets; the re-ranker
also the registry's source documents) and writes ``alto_cli/translate/data/intent_model.json``
and ``alto_cli/translate/data/ctx_ranker.json`` (atomically). The same data gives the same
bytes. ``--check`` writes nothing and exits 1 when a shipped file differs from a fresh
training. Needs numpy (installed with qdrant-client); `make model` runs it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from alto_cli.fsutil import atomic_write_text
    from alto_cli.translate.ctx_ranker import DEFAULT_PATH as RANKER_PATH
    from alto_cli.translate.ctx_ranker import load_ranker
    from alto_cli.translate.intent_model import DEFAULT_PATH, load_model
    from alto_cli.translate.intent_training import build_all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="the model file")
    parser.add_argument(
        "--ranker-out", type=Path, default=RANKER_PATH, help="the CTX re-ranker file"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args()

    start = time.perf_counter()
    texts = build_all(ROOT)
    took = time.perf_counter() - start
    targets = {"intent": args.out, "ranker": args.ranker_out}
    if args.check:
        stale = [
            str(path)
            for name, path in targets.items()
            if (path.read_text(encoding="utf-8") if path.exists() else "") != texts[name]
        ]
        if stale:
            sys.exit(f"{', '.join(stale)} out of date: run `make model`")
        print(f"{args.out} and {args.ranker_out} are up to date")
        return
    for name, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, texts[name])
    start = time.perf_counter()
    model = load_model(args.out)
    load_ranker(args.ranker_out)
    load_ms = (time.perf_counter() - start) * 1000
    print(
        f"wrote {args.out}: {len(texts['intent'].encode()):,} bytes, {len(model.rows):,} "
        f"features; {args.ranker_out}: {len(texts['ranker'].encode()):,} bytes; trained in "
        f"{took:.1f} s, both load in {load_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
