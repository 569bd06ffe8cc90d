"""``alto translate`` through Typer's CliRunner, and the start-up fast path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.cli.fastpath import parse_translate_args

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = str(ROOT / "ctx_registry.yaml")
runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, ["translate", "--registry", REGISTRY, *args], input=input)


def test_block_output_exactly():
    result = run("How do I reset MFA?")
    assert result.exit_code == 0, result.output
    assert result.stdout == "v1\nCMD:FA\nQ:rst_MFA\nCTX:AG3,MP\nFMT:STP\nU:SU\nL:EN\n"


def test_compact_and_role_flag():
    result = run("--compact", "--role", "mg", "How do I reset MFA?")
    assert result.stdout == "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:MG|L:EN\n"


def test_role_from_environment(monkeypatch):
    monkeypatch.setenv("ALTO_ROLE", "HR")
    assert "U:HR" in run("--compact", "How do I reset MFA?").stdout


def test_bad_role_is_a_usage_error():
    result = run("--role", "boss", "How do I reset MFA?")
    assert result.exit_code == 2
    assert "unknown role 'boss'" in result.stderr


def test_json_says_provider_and_why():
    data = json.loads(run("--json", "How do I reset MFA?").stdout)
    assert data["instruction"]["CTX"] == ["AG3", "MP"]
    assert data["provider"] == "local"
    assert "confidence" in data["reason"]
    assert set(data["evidence"]) == {"CMD", "Q", "CTX", "FMT", "U", "L"}


def test_explain_shows_evidence_per_field():
    out = run("--explain", "How do I reset MFA?").stdout
    assert out.startswith("v1\nCMD:FA\n")
    assert "keyword 'reset mfa'" in out
    assert "how-to cue" in out and "provider: local" in out


def test_strict_out_of_scope_exits_1():
    result = run("--strict", "order a pizza")
    assert result.exit_code == 1
    assert "CTX" not in result.stdout
    assert "out of scope" in result.stderr
    assert "out of scope: out of scope" not in result.stderr  # said once
    assert run("order a pizza").exit_code == 0


def test_batch_from_stdin_in_order():
    result = run("-", input="How do I reset MFA?\n\nWho is on the SRE team?\n")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN",
        "CMD:FA|Q:SRE_teams|CTX:TEAM|FMT:LIS|U:SU|L:EN",
    ]


def test_batch_file_jsonl(tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("How do I reset MFA?\nexplain dynatrace access\n")
    lines = run("--file", str(questions), "--json").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["line"] for r in rows] == [1, 2]
    assert rows[1]["instruction"]["CMD"] == "EX"


def test_batch_error_on_one_line_does_not_stop_the_rest():
    result = run(
        "--strict", "-", input="How do I reset MFA?\norder a pizza\nWho is on the SRE team?\n"
    )
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 3
    assert "line 2: out of scope" in result.stderr


def test_batch_provider_error_per_line(openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    ok = json.dumps(
        {
            "CMD": "FA",
            "Q": "rst_MFA",
            "CTX": ["AG3"],
            "FMT": "STP",
            "U": "SU",
            "L": "EN",
            "out_of_scope": False,
        }
    )
    openai_server.replies = [("json", ok), ("status", 400), ("json", ok)]
    result = run("--provider", "openai", "-", input="reset mfa\nsecond\nthird\n")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert "line 2:" in result.stderr and "HTTP 400" in result.stderr


def test_missing_registry_is_a_clear_error(tmp_path):
    result = runner.invoke(
        app, ["translate", "--registry", str(tmp_path / "nope.yaml"), "reset mfa"]
    )
    assert result.exit_code == 2
    assert "registry not found" in result.stderr


def test_fast_path_arguments():
    assert parse_translate_args(["translate", "How do I reset MFA?"]) == {
        "question": "How do I reset MFA?"
    }
    parsed = parse_translate_args(["translate", "--json", "--role=MG", "-f", "q.txt"])
    assert parsed == {"json_out": True, "role": "MG", "file": Path("q.txt")}
    assert parse_translate_args(["translate", "--help"]) is None
    assert parse_translate_args(["translate", "a", "b"]) is None
    assert parse_translate_args(["validate", "x"]) is None


def test_console_script_prints_the_block(tmp_path):
    """The real entry point (fast path included) on a fresh data dir."""
    env = {"ALTO_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    for _ in range(2):  # the second run reads the cached registry snapshot
        done = subprocess.run(
            [sys.executable, "-m", "alto_cli", "translate", "How do I reset MFA?"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "v1\nCMD:FA\nQ:rst_MFA\nCTX:AG3,MP\nFMT:STP\nU:SU\nL:EN\n"
    assert list((tmp_path / "home" / "cache" / "registry").glob("*.json"))
