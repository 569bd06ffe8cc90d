#!/usr/bin/env bash
# Start-up time of the hot commands, in one run on one machine: median wall time of each, and
# its ratio to `python -c "import typer, rich"` (the floor any Typer + Rich CLI pays; ratios
# stay comparable on a noisy, shared machine where absolute times do not).
#   python -c "import typer" / "import typer, rich"
#   alto --help
#   alto validate CMD:FA|Q:rst_MFA|CTX:AG3,MP
#   alto translate "How do I reset MFA?"
#   alto run "How do I reset MFA?"    answered from the response cache, in a fresh process
#   the same cache hit through Typer's own parsing (no fast path), for comparison
# Usage: bash benchmarks/startup.sh [RUNS]   (from the repository root, after `make test`)
# Uses hyperfine when installed (apt-get install hyperfine), else a Python timer.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
BIN="${BIN:-.venv/bin}"
export ALTO_REGISTRY="${ALTO_REGISTRY:-$PWD/ctx_registry.yaml}"
export ALTO_HOME="$(mktemp -d)"
export NO_COLOR=1
trap 'rm -rf "$ALTO_HOME"' EXIT
# Time what an installed tool runs: bytecode already written (PYTHONDONTWRITEBYTECODE in the
# caller's shell would otherwise make every timed run compile the package's sources again).
"$BIN/python" -m compileall -q alto_cli >/dev/null
INSTRUCTION='CMD:FA|Q:rst_MFA|CTX:AG3,MP'
QUESTION='How do I reset MFA?'
TYPER="from alto_cli.cli.app import app; app(prog_name='alto')"

# The cache-hit case: load the sample docs, answer once (a miss), then every timed run hits.
"$BIN/alto" migrate-embeddings examples/docs -q >/dev/null
"$BIN/alto" run "$QUESTION" >/dev/null 2>&1
"$BIN/alto" run "$QUESTION" 2>&1 >/dev/null | grep -q "answered from the cache"

NAMES=(
  'python -c "import typer"'
  'python -c "import typer, rich"'
  'alto --help'
  'alto validate (one instruction)'
  'alto translate (one question)'
  'alto run (cache hit)'
  'alto run (cache hit, Typer parsing)'
)
CMDS=(
  "$BIN/python -c 'import typer'"
  "$BIN/python -c 'import typer, rich'"
  "$BIN/alto --help"
  "$BIN/alto validate '$INSTRUCTION'"
  "$BIN/alto translate '$QUESTION'"
  "$BIN/alto run '$QUESTION'"
  "$BIN/python -c \"$TYPER\" run '$QUESTION'"
)
OUT=/tmp/alto-startup.json
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!NAMES[@]}"; do args+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
  hyperfine --warmup 3 --runs "$RUNS" -N --style basic --export-json "$OUT" "${args[@]}" >/dev/null 2>&1 \
    || hyperfine --warmup 3 --runs "$RUNS" --style basic --export-json "$OUT" "${args[@]}" >/dev/null
else
  "$BIN/python" - "$RUNS" "$OUT" "${#NAMES[@]}" "${NAMES[@]}" "${CMDS[@]}" <<'PY'
import json, resource, shlex, subprocess, sys, time
runs, out, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
names, cmds = sys.argv[4 : 4 + n], sys.argv[4 + n : 4 + 2 * n]
results = []
for name, cmd in zip(names, cmds):
    argv, times, user, system = shlex.split(cmd), [], 0.0, 0.0
    for i in range(runs + 3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        if i >= 3:
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            user += after.ru_utime - before.ru_utime
            system += after.ru_stime - before.ru_stime
    results.append({"command": name, "times": times, "user": user / runs, "system": system / runs})
json.dump({"results": results}, open(out, "w"))
PY
fi
"$BIN/python" - "$OUT" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
# Wall time is what people feel; CPU time (user + system, mean) is steadier when the machine
# is shared, so both are given, each also as a ratio to `import typer, rich`.
wall = {r["command"]: statistics.median(r["times"]) * 1000 for r in results}
cpu = {r["command"]: (r["user"] + r["system"]) * 1000 for r in results}
base = 'python -c "import typer, rich"'
print(f"{'command':<38} {'wall median':>11} {'ratio':>6} {'cpu mean':>9} {'ratio':>6}   n")
for r in results:
    name = r["command"]
    print(
        f"{name:<38} {wall[name]:8.1f} ms {wall[name] / wall[base]:5.2f}x"
        f" {cpu[name]:6.1f} ms {cpu[name] / cpu[base]:5.2f}x {len(r['times']):>4}"
    )
PY
