"""Train the local translator's intent model from the labelled sets in the repository.

    python benchmarks/translation/train_intent.py [--out PATH] [--check]

Reads ``intent_training.TRAINING_FILES`` (the registry and the two question sets) and writes
``alto_cli/translate/data/intent_model.json`` (atomically). The same data gives the same bytes.
``--check`` writes nothing and exits 1 when the shipped file differs from a fresh training.
Needs numpy (installed with qdrant-client); `make model` runs it.
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
    from alto_cli.translate.intent_model import DEFAULT_PATH, load_model
    from alto_cli.translate.intent_training import build

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="the model file")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out is out of date")
    args = parser.parse_args()

    start = time.perf_counter()
    text = build(ROOT)
    took = time.perf_counter() - start
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            sys.exit(f"{args.out} is out of date: run `make model`")
        print(f"{args.out} is up to date")
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out, text)
    start = time.perf_counter()
    model = load_model(args.out)
    load_ms = (time.perf_counter() - start) * 1000
    print(
        f"wrote {args.out}: {len(text.encode()):,} bytes, {len(model.rows):,} features, "
        f"trained in {took:.1f} s, loads in {load_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
