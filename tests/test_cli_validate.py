"""`alto validate`: arguments, files, stdin, diagnostics, --json, exit codes, registry lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alto_cli.cli.app import app
from alto_cli.registry import load_registry
from alto_cli.validate import split_instructions, validate_text

runner = CliRunner()

FILE = (
    "\ufeffv1\r\n"  # 1  first block, BOM and CRLF
    "CMD:FA\r\n"  # 2
    "Q:rst_MFA\r\n"  # 3
    "CTX:AG3,MP\r\n"  # 4
    "\r\n"  # 5
    "CMD:EX|Q:token_expiry|CTX:TK2\r\n"  # 6  compact lines
    "CMD:DI|Q:pod_crash|CTX:K8\r\n"  # 7  unknown code, near K8S
    "\r\n"  # 8
    "\r\n"  # 9
    "v1\r\n"  # 10 block
    "CMD:GC\r\n"  # 11
    "Q:list pods\r\n"  # 12 bad Q
    "v1\r\n"  # 13 a v1 line starts the next block
    "  CMD:PL\r\n"  # 14
    "  Q:vpn_setup\r\n"  # 15
    "  FMT:XYZ\r\n"  # 16 unknown symbol
    "\r\n"  # 17
    '{"CMD": "FA",\r\n'  # 18 JSON over two lines
    ' "Q": "who_owns", "CTX": ["ORG1", "QQQQ"]}\r\n'  # 19
)


@pytest.fixture
def registry(registry_file: Path):
    return load_registry(registry_file)


def test_split_maps_every_instruction_to_its_first_line() -> None:
    chunks = split_instructions(FILE, "f.alto")
    assert [c.line for c in chunks] == [1, 6, 7, 10, 13, 18]


def test_diagnostics_point_into_the_file(registry) -> None:
    results = validate_text(FILE, "f.alto", registry)
    assert [r.valid for r in results] == [True, True, False, False, False, False]
    assert results[0].canonical == "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:SUM|U:SU|L:EN"
    rendered = [d.render() for r in results for d in r.diagnostics]
    assert rendered == [
        "f.alto:7:24: unknown CTX code 'K8'; did you mean K8S?",
        "f.alto:12:7: character ' ' not allowed in Q; expected keywords of [A-Za-z0-9] "
        "joined by single '_' (e.g. rst_MFA)",
        "f.alto:16:7: unknown FMT symbol 'XYZ'; expected one of STP, SUM, LIS, FLW, PY",
        "f.alto:19:36: unknown CTX code 'QQQQ'; expected a code from the registry (alto ctx list)",
    ]


def test_cli_file_stdout_stderr_and_exit_1(registry_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.alto"
    path.write_bytes(FILE.encode("utf-8"))
    result = runner.invoke(app, ["validate", str(path), "--registry", str(registry_file)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:SUM|U:SU|L:EN",
        "CMD:EX|Q:token_expiry|CTX:TK2|FMT:SUM|U:SU|L:EN",
    ]
    assert f"{path}:7:24: unknown CTX code 'K8'; did you mean K8S?" in result.stderr
    assert "6 instruction(s): 2 valid, 4 invalid" in result.stderr


def test_cli_arguments_all_valid_exit_0(registry_file: Path) -> None:
    result = runner.invoke(
        app,
        [
            "validate",
            "CMD:FA|Q:rst_MFA|CTX:AG3,MP",
            "v1\nCMD:PL\nQ:x",
            "--registry",
            str(registry_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_cli_json(registry_file: Path) -> None:
    result = runner.invoke(
        app,
        [
            "validate",
            "--json",
            "CMD:FA|Q:x|CTX:AG4",
            "CMD:FA|Q:y",
            "--registry",
            str(registry_file),
        ],
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [d["valid"] for d in data] == [False, True]
    assert data[0]["source"] == "<arg>"
    assert data[0]["canonical"] == "CMD:FA|Q:x|CTX:AG4|FMT:SUM|U:SU|L:EN"
    assert data[0]["diagnostics"][0] == {
        "source": "<arg>",
        "line": 1,
        "col": 16,
        "message": "unknown CTX code 'AG4'; did you mean AG3?",
        "text": "AG4",
        "expected": None,
    }
    assert data[1]["instruction"]["FMT"] == "SUM" and data[1]["diagnostics"] == []


def test_cli_stdin(registry_file: Path) -> None:
    reg = ["--registry", str(registry_file)]
    piped = runner.invoke(app, ["validate", *reg], input="CMD:FA|Q:a\nCMD:XX|Q:b\n")
    assert piped.exit_code == 1
    assert "<stdin>:2:5: unknown CMD symbol 'XX'" in piped.stderr
    dash = runner.invoke(app, ["validate", "-", *reg], input="CMD:FA|Q:a\n")
    assert dash.exit_code == 0 and dash.stdout.startswith("CMD:FA|Q:a|")


def test_cli_usage_errors_exit_2(registry_file: Path, tmp_path: Path) -> None:
    reg = ["--registry", str(registry_file)]
    assert runner.invoke(app, ["validate", *reg], input="").exit_code == 2
    missing = runner.invoke(app, ["validate", "instructions.alto", *reg])
    assert missing.exit_code == 2 and "instructions.alto: no such file" in missing.stderr
    assert runner.invoke(app, ["validate", str(tmp_path), *reg]).exit_code == 2
    binary = tmp_path / "bin.alto"
    binary.write_bytes(b"\xff\xfe\x00")
    result = runner.invoke(app, ["validate", str(binary), *reg])
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert runner.invoke(app, ["validate", "--bogus"]).exit_code == 2


def test_empty_file_is_invalid(registry_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.alto"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(empty), "--registry", str(registry_file)])
    assert result.exit_code == 1 and f"{empty}:1:1: no instruction found" in result.stderr


def test_broken_registry_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  AG3: [oops\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", "CMD:FA|Q:x", "--registry", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3:1:" in result.stderr and "Traceback" not in result.output


def test_lint_registry(registry_file: Path, tmp_path: Path) -> None:
    clean = runner.invoke(app, ["validate", "--lint-registry", "--registry", str(registry_file)])
    assert clean.exit_code == 0  # only warnings (sources not present next to the copy)
    assert "warning: AG3: sources glob" in clean.stderr
    bad = tmp_path / "reg.yaml"
    bad.write_text(
        "codes:\n  AA:\n    name: a\n  BB:\n    name: a\n  c1:\n    name: c\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", "--lint-registry", "--registry", str(bad), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["errors"], data["valid"]) == (2, False)
    assert data["issues"][0] == {
        "severity": "error",
        "line": 5,
        "code": "BB",
        "message": "BB: name 'a' is already used by AA",
    }
    both = runner.invoke(app, ["validate", "--lint-registry", "CMD:FA|Q:x"])
    assert both.exit_code == 2


def test_shipped_example_file_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    result = runner.invoke(
        app,
        [
            "validate",
            str(root / "examples" / "instructions.alto"),
            "--registry",
            str(root / "ctx_registry.yaml"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5
