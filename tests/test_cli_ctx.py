"""`alto ctx`: list, show, register, remove; registry lookup; concurrent registers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.registry import load_registry

runner = CliRunner()


def _run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def test_list_json_and_table(registry_file: Path) -> None:
    result = _run("ctx", "list", "--registry", str(registry_file), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [e["code"] for e in data][:3] == ["AG3", "MP", "TK2"]
    assert data[0]["name"] == "auth_guide_v3" and "sources" in data[0]
    table = _run("ctx", "list", "--registry", str(registry_file))
    assert table.stdout.splitlines()[0] == "CODE\tNAME\tTITLE\tSOURCES"
    assert "MON\tmonitoring_runbooks\tMonitoring Runbooks\t1" in table.stdout


def test_registry_found_by_env_then_cwd(
    registry_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("codes:\n  ZZ:\n    name: zz\n", encoding="utf-8")
    monkeypatch.chdir(registry_file.parent)
    assert json.loads(_run("ctx", "list", "--json").stdout)[0]["code"] == "AG3"
    monkeypatch.setenv("ALTO_REGISTRY", str(other))
    assert json.loads(_run("ctx", "list", "--json").stdout)[0]["code"] == "ZZ"
    flagged = _run("ctx", "list", "--json", "--registry", str(registry_file))
    assert json.loads(flagged.stdout)[0]["code"] == "AG3"


def test_show(registry_file: Path) -> None:
    result = _run("ctx", "show", "mp", "--registry", str(registry_file))
    assert result.exit_code == 0
    assert "name: mfa_policy" in result.stdout
    data = json.loads(_run("ctx", "show", "MP", "--registry", str(registry_file), "--json").stdout)
    assert data["title"] == "MFA Policy"
    missing = _run("ctx", "show", "AG4", "--registry", str(registry_file))
    assert missing.exit_code == 1
    assert "no CTX code 'AG4'" in missing.stderr and "did you mean AG3?" in missing.stderr


def test_register_and_remove(registry_file: Path) -> None:
    reg = str(registry_file)
    result = _run(
        "ctx",
        "register",
        "BF",
        "--name",
        "billing_faq",
        "--title",
        "Billing FAQ",
        "--keyword",
        "invoice",
        "--keyword",
        "refund",
        "--source",
        "docs/billing.md",
        "--registry",
        reg,
    )
    assert result.exit_code == 0, result.output
    assert "registered BF (billing_faq)" in result.stdout
    entry = load_registry(registry_file).get("BF")
    assert entry is not None and entry.keywords == ("invoice", "refund")
    before = registry_file.read_bytes()
    again = _run("ctx", "register", "BF", "--name", "billing_other", "--registry", reg)
    assert again.exit_code == 1
    assert "BF is already registered" in again.stderr and "Traceback" not in again.output
    assert registry_file.read_bytes() == before
    gone = _run("ctx", "remove", "BF", "--registry", reg, "--json")
    assert gone.exit_code == 0 and json.loads(gone.stdout)["removed"]["code"] == "BF"
    assert "BF" not in load_registry(registry_file)
    assert _run("ctx", "remove", "BF", "--registry", reg).exit_code == 1


def test_register_suggest(registry_file: Path) -> None:
    reg = str(registry_file)
    result = _run("ctx", "register", "--suggest", "--name", "mfa_playbook", "--registry", reg)
    assert result.exit_code == 0, result.output
    assert "suggested code: MP1" in result.stderr
    assert load_registry(registry_file).get("MP1").name == "mfa_playbook"  # type: ignore[union-attr]
    both = _run("ctx", "register", "XY", "--suggest", "--name", "x_y", "--registry", reg)
    assert both.exit_code == 2 and "not both" in both.stderr
    neither = _run("ctx", "register", "--name", "x_y", "--registry", reg)
    assert neither.exit_code == 2
    no_name = _run("ctx", "register", "XY", "--registry", reg)
    assert no_name.exit_code == 2 and "--name is required" in no_name.stderr


def test_broken_registry_is_file_line_message_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  AG3:\n    name: Not Snake\n", encoding="utf-8")
    for args in (
        ["ctx", "list"],
        ["ctx", "register", "ZZ", "--name", "zz"],
        ["ctx", "show", "AG3"],
    ):
        result = _run(*args, "--registry", str(bad))
        assert result.exit_code == 2
        assert f"{bad}:3: AG3.name: name must be snake_case" in result.stderr
        assert "Traceback" not in result.output
    missing = _run("ctx", "list", "--registry", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "registry not found" in missing.stderr


def test_twenty_concurrent_register_processes_keep_every_code(registry_file: Path) -> None:
    env = {**os.environ, "ALTO_REGISTRY": str(registry_file)}
    codes = [f"PC{i:02d}" for i in range(20)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "alto_cli",
                "ctx",
                "register",
                code,
                "--name",
                f"proc_{code.lower()}",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for code in codes
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    assert all(rc == 0 for rc, _ in outcomes), outcomes
    loaded = load_registry(registry_file)
    assert set(codes) <= set(loaded.codes)
    assert len(loaded) == 40
