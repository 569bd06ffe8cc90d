"""CLI conventions every command shares: exit codes, debug tracebacks, version, completion,
lazy heavy imports, and the output helper's streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from alto_cli import __version__
from alto_cli.cli.app import app, guard
from alto_cli.cli.output import Output
from alto_cli.errors import AltoError, ConflictError, InvalidInputError, NotFoundError

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("openai", "qdrant_client", "qdrant_edge", "numpy", "tiktoken", "diskcache")
runner = CliRunner()


def _alto(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "alto_cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _imported(stderr: str) -> set[str]:
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    "args", [("--help",), ("validate", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"), ("ctx", "list")]
)
def test_fast_paths_import_no_heavy_library(args: tuple[str, ...]) -> None:
    result = _alto(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = _imported(result.stderr)
    assert "alto_cli" in imported  # the check itself works
    assert imported.isdisjoint(HEAVY), sorted(imported & set(HEAVY))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("validate", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"),
        ("validate", "CMD:XX|Q:rst MFA"),  # a diagnostic, exit 1
        ("validate", "--json", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"),
        ("translate", "How do I reset MFA?"),
        ("translate", "--json", "--role", "MG", "How do I reset MFA?"),
    ],
)
def test_hot_paths_skip_pydantic_and_yaml(args: tuple[str, ...]) -> None:
    # The first run in a fresh ALTO_HOME builds the registry snapshot (YAML and pydantic
    # CtxEntry); every later run reads the snapshot, and must not import either.
    warm = _alto("validate", "CMD:FA|Q:rst_MFA")
    assert warm.returncode == 0, warm.stderr[-2000:]
    result = _alto(*args)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    imported = _imported(result.stderr)
    assert "alto_cli" in imported  # the check itself works
    assert "pydantic" not in imported and "ruamel" not in imported


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (AltoError("failed"), 1),
        (ConflictError("exists"), 1),
        (NotFoundError("absent"), 1),
        (InvalidInputError("bad input"), 2),
        (KeyboardInterrupt(), 130),
    ],
)
def test_guard_maps_errors_to_exit_codes(
    error: BaseException, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    @guard
    def command() -> None:
        raise error

    with pytest.raises(typer.Exit) as info:
        command()
    assert info.value.exit_code == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("alto: interrupted" if code == 130 else f"alto: error: {error}") in captured.err


def test_guard_shows_the_hint() -> None:
    result = runner.invoke(
        app, ["ctx", "show", "AG4", "--registry", str(ROOT / "ctx_registry.yaml")]
    )
    assert result.stderr.splitlines() == [
        f"alto: error: no CTX code 'AG4' in {ROOT / 'ctx_registry.yaml'}",
        "hint: did you mean AG3?",
    ]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.yaml")
    quiet = _alto("ctx", "list", "--registry", missing)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    assert "registry not found" in quiet.stderr
    loud = _alto("ctx", "list", "--registry", missing, ALTO_DEBUG="1")
    assert loud.returncode != 0
    assert "Traceback" in loud.stderr and "RegistryFileError" in loud.stderr


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"alto {__version__}\n"


def test_shell_completion_completes_commands() -> None:
    script = Path(sys.executable).with_name("alto")
    if not script.exists():
        pytest.skip("the alto console script is not installed next to this Python")
    result = subprocess.run(
        [str(script)],
        env={
            **os.environ,
            "_ALTO_COMPLETE": "complete_bash",
            "COMP_WORDS": "alto ct",
            "COMP_CWORD": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "ctx" in result.stdout.split()
    shown = runner.invoke(app, ["--show-completion", "bash"], prog_name="alto")
    assert shown.exit_code == 0 and "_ALTO_COMPLETE" in shown.stdout.upper()


def test_output_json_goes_to_stdout_and_diagnostics_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = Output(json_mode=True)
    out.json({"a": [1, "é"]})
    out.jsonl({"b": 2})
    out.info("working")
    out.warn("careful")
    out.diagnostic("f:1:2: bad")
    out.error("broken", hint="fix it")
    captured = capsys.readouterr()
    first, second = captured.out.split("\n}\n")
    assert json.loads(first + "}") == {"a": [1, "é"]}
    assert json.loads(second) == {"b": 2}
    assert captured.err.splitlines() == [
        "working",
        "alto: warning: careful",
        "f:1:2: bad",
        "alto: error: broken",
        "hint: fix it",
    ]


def test_output_quiet_and_plain_tables(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output(quiet=True)
    out.info("hidden")
    out.diagnostic("still shown")
    out.table(["A", "B"], [(1, None), ("x", "y")])
    captured = capsys.readouterr()
    assert captured.err == "still shown\n"
    assert captured.out == "A\tB\n1\t\nx\ty\n"  # not a terminal: tab-separated, no colour
