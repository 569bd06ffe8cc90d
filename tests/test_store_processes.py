"""Real processes: kill -9 mid-ingest then re-run; a locked store; an unreachable server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from store_helpers import registry_text

ALTO = [sys.executable, "-m", "alto_cli"]
# ``alto`` whose embedded store pauses after its second write: a test can kill -9 it
# mid-ingest at a known point (the product carries no hook for this)
PAUSING_ALTO = [
    sys.executable,
    "-c",
    "import sys, time\n"
    "from alto_cli.store.edge import EdgeStore\n"
    "from alto_cli.cli.entry import main\n"
    "upsert, writes = EdgeStore.upsert, []\n"
    "def pausing(self, points):\n"
    "    upsert(self, points)\n"
    "    writes.append(len(points))\n"
    "    if len(writes) == 2:\n"
    "        sys.stderr.write('paused after batch 2\\n')\n"
    "        sys.stderr.flush()\n"
    "        time.sleep(3600)\n"
    "EdgeStore.upsert = pausing\n"
    "sys.argv[0] = 'alto'\n"
    "main()\n",
]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QDRANT_", "OPENAI_"))}
    env.update({"ALTO_HOME": str(home), "NO_COLOR": "1", **extra})
    return env


def _corpus(root: Path, docs: int = 40, sections: int = 20) -> Path:
    root.mkdir(parents=True)
    for d in range(docs):
        body = [f"---\nctx: [K8S]\n---\n# Doc {d}\n"]
        for s in range(sections):
            body.append(f"## Section {s}\n\nPod {d} restarts with error {s}. Check logs {d * s}.\n")
        (root / f"doc{d:03}.md").write_text("\n".join(body), encoding="utf-8")
    return root


def _state(home: Path) -> dict[str, dict]:
    code = (
        "import json, sys\n"
        "from alto_cli.store import open_store\n"
        "s = open_store('alto')\n"
        "print(json.dumps({'count': s.count(), 'points': dict(s.scroll())}))\n"
        "s.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(home), capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_kill_9_mid_ingest_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _corpus(project / "docs" / "infra" / "big")
    (project / "ctx_registry.yaml").write_text(registry_text(), encoding="utf-8")
    command = ["migrate-embeddings", "docs", "--registry", "ctx_registry.yaml"]
    args = [*ALTO, *command]

    clean_home = tmp_path / "clean"
    subprocess.run(args, cwd=project, env=_env(clean_home), check=True, capture_output=True)
    clean = _state(clean_home)
    assert clean["count"] == 40 * 20  # 20 sections per document (the bare title is no chunk)

    home = tmp_path / "killed"
    proc = subprocess.Popen(
        [*PAUSING_ALTO, *command],
        cwd=project,
        env=_env(home),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        for line in proc.stderr:
            if "paused after batch 2" in line or time.monotonic() > deadline:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = _state(home)
    assert 0 < partial["count"] < clean["count"]  # really interrupted mid-ingest

    rerun = subprocess.run(args, cwd=project, env=_env(home), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"embedded {clean['count'] - partial['count']} chunk(s)" in rerun.stdout
    after = _state(home)
    assert after["count"] == clean["count"]
    assert after["points"] == clean["points"]  # same ids and payloads (date: the same day)


def test_second_process_gets_a_clear_locked_error(tmp_path: Path) -> None:
    from alto_cli.store.base import CollectionSpec
    from alto_cli.store.edge import EdgeStore

    home = tmp_path / "home"
    holder = EdgeStore(home / "store" / "alto", "alto")
    holder.create(CollectionSpec())
    try:
        started = time.monotonic()
        result = subprocess.run(
            [*ALTO, "search", "CMD:FA|Q:rst_MFA|CTX:AG3"],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=60,  # never hangs
        )
        assert result.returncode == 1
        assert "in use by another alto process" in result.stderr
        assert "Traceback" not in result.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.close()


def test_unreachable_server(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\nctx: [AG3]\n---\n# A\n\nText.\n", encoding="utf-8")
    (tmp_path / "ctx_registry.yaml").write_text(registry_text(), encoding="utf-8")
    env = _env(tmp_path / "home", QDRANT_URL=f"http://127.0.0.1:{port}")
    for command in (["migrate-embeddings", "docs"], ["search", "reset mfa"]):
        result = subprocess.run(
            [*ALTO, *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 1, result.stderr
        assert f"cannot reach the Qdrant server at http://127.0.0.1:{port}" in result.stderr
        assert "Traceback" not in result.stderr
