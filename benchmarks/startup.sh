#!/usr/bin/env bash
# Startup time: median wall time of `alto --help` and of `alto validate` on one instruction,
# next to `python -c "import typer"`, in one run on one machine.
# Usage: bash benchmarks/startup.sh [RUNS]   (from the repository root, after `make test`)
# Uses hyperfine when installed (apt-get install hyperfine), else a Python timer.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
BIN="${BIN:-.venv/bin}"
export ALTO_REGISTRY="${ALTO_REGISTRY:-ctx_registry.yaml}"
INSTRUCTION='CMD:FA|Q:rst_MFA|CTX:AG3,MP'
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$RUNS" --style basic --export-json /tmp/alto-startup.json \
    -n 'python -c "import typer"' "$BIN/python -c 'import typer'" \
    -n 'alto --help' "$BIN/alto --help" \
    -n 'alto validate (one instruction)' "$BIN/alto validate '$INSTRUCTION'" >/dev/null
  "$BIN/python" - <<'PY'
import json
for r in json.load(open("/tmp/alto-startup.json"))["results"]:
    print(f"{r['command']:<34} median {r['median'] * 1000:7.1f} ms  (n={len(r['times'])})")
PY
else
  "$BIN/python" - "$RUNS" "$BIN" "$INSTRUCTION" <<'PY'
import statistics, subprocess, sys, time
runs, bin_dir, instruction = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cases = {
    'python -c "import typer"': [f"{bin_dir}/python", "-c", "import typer"],
    "alto --help": [f"{bin_dir}/alto", "--help"],
    "alto validate (one instruction)": [f"{bin_dir}/alto", "validate", instruction],
}
for name, cmd in cases.items():
    times = []
    for i in range(runs + 3):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        if i >= 3:
            times.append(time.perf_counter() - start)
    print(f"{name:<34} median {statistics.median(times) * 1000:7.1f} ms  (n={runs})")
PY
fi
