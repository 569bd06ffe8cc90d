"""The start-up fast path (alto_cli/cli/fastpath.py) against Typer itself.

In process: for each argv, the keyword arguments the fast parser would pass (from the
committed fast_spec.json) must equal the ones Typer passes to the same command function, and
every argv Typer rejects must be left to Typer. In subprocesses: the console script (fast path)
and a plain ``app()`` (Typer) give the same stdout, stderr and exit code; the fast path imports
neither Typer (nor its Click), pydantic nor Rich; and a cache-hit ``alto run`` imports none of
the heavy libraries.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import pytest
import typer
from typer.testing import CliRunner

from alto_cli.cli import fast_spec_build, fastpath
from alto_cli.cli.app import app
from alto_cli.cli.run import OutputForm

ROOT = Path(__file__).resolve().parent.parent
Q = "How do I reset MFA?"


def typer_call(command: str, argv: list[str]) -> tuple[int, dict[str, Any]]:
    """(exit code, kwargs) when Typer parses ``alto COMMAND ARGV`` for the real command."""
    original = fast_spec_build.find_command(app, command)
    captured: dict[str, Any] = {}

    @functools.wraps(original)
    def recorder(**kwargs: Any) -> None:
        captured.update(kwargs)

    probe = typer.Typer()
    probe.command(command)(recorder)

    @probe.callback()
    def _root() -> None:  # a group, so the command keeps its name as in `alto`
        pass

    result = CliRunner().invoke(probe, [command, *argv])
    return result.exit_code, captured


# (command, argv): the fast path takes them, with exactly Typer's values.
FAST = [
    ("translate", [Q]),
    ("translate", []),
    ("translate", ["-"]),
    ("translate", ["--json", "-u", "MG", Q]),
    ("translate", [Q, "--json"]),
    ("translate", ["--role=HR", "--compact", "--", "-q looks like a flag"]),
    ("translate", ["--role", "SU", "--role", "MG", Q]),
    ("translate", ["-f", "questions.txt", "--strict", "--explain", "-q"]),
    ("translate", ["--provider", "local", "--model", "m", "--registry", "r.yaml", ""]),
    ("run", [Q]),
    ("run", ["-k", "7", Q]),
    ("run", ["--k=50", Q]),
    ("run", ["-k", "007", Q]),
    ("run", ["-o", "adaptive-card", Q]),
    ("run", ["--output=json", "--name", "Bot", Q]),
    ("run", ["--dry-run", "--no-cache", "--stream", "-s", "s1", "--provider", "extractive", Q]),
    ("run", ["-f", "input.txt", "--quiet"]),
    ("run", ["--collection", "c", "--json", Q]),
    ("validate", ["CMD:FA|Q:rst_MFA|CTX:AG3,MP"]),
    ("validate", ["a", "b", "-", "--json"]),
    ("validate", []),
    ("validate", ["--lint-registry", "--registry", "r.yaml"]),
    ("search", ["reset mfa", "-k", "3"]),
    ("search", ["--top=100", "x", "--collection", "c", "--json"]),
]

# Typer rejects these (exit 2); the fast path must leave them to Typer's messages.
REJECTED = [
    ("run", ["-k", "0", Q]),
    ("run", ["-k", "51", Q]),
    ("run", ["-k", "abc", Q]),
    ("run", ["-k", "1.5", Q]),
    ("run", ["-k", "-3", Q]),
    ("run", ["-k"]),
    ("run", ["--output", "xml", Q]),
    ("run", ["--output", "ADAPTIVE-CARD", Q]),
    ("run", ["--dry-run=yes", Q]),
    ("search", []),
    ("search", ["x", "--top", "101"]),
    ("translate", ["a", "b"]),
    ("translate", ["--nope", Q]),
    ("validate", ["--json=1", "x"]),
]

# Valid for Typer but outside the simple forms: the fast path hands them over too.
HANDED_OVER = [
    ("run", ["-k5", Q]),
    ("run", ["-qk", "5", Q]),
    ("translate", ["--role", "-x", Q]),
    ("translate", ["--help"]),
    ("validate", ["--help"]),
]


@pytest.mark.parametrize(("command", "argv"), FAST)
def test_fast_values_equal_typers(command: str, argv: list[str]) -> None:
    prepared = fastpath.prepare([command, *argv])
    assert prepared is not None, "the fast path should take this argv"
    code, expected = typer_call(command, argv)
    assert code == 0
    assert prepared[1] == expected
    assert [type(v) for v in prepared[1].values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize(("command", "argv"), REJECTED)
def test_bad_values_are_left_to_typer(command: str, argv: list[str]) -> None:
    assert fastpath.prepare([command, *argv]) is None
    code, _ = typer_call(command, argv)
    assert code == 2


@pytest.mark.parametrize(("command", "argv"), HANDED_OVER)
def test_unusual_forms_are_handed_over(command: str, argv: list[str]) -> None:
    assert fastpath.prepare([command, *argv]) is None
    code, _ = typer_call(command, argv)
    assert code == 0


def test_typed_values() -> None:
    _, kwargs = fastpath.prepare(["run", "-k", "9", "-o", "json", "--registry", "r.yaml", Q])
    assert kwargs["k"] == 9 and kwargs["output"] is OutputForm.json
    assert kwargs["registry"] == Path("r.yaml")
    assert fastpath.prepare(["validate", "x", "y"])[1]["inputs"] == ["x", "y"]


def test_other_commands_and_completion_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fastpath.prepare(["ctx", "list"]) is None
    assert fastpath.prepare([]) is None
    assert fastpath.prepare(["--version"]) is None
    monkeypatch.setenv("_ALTO_COMPLETE", "bash_complete")
    assert fastpath.prepare(["translate", Q]) is None


def test_a_parameter_the_parser_does_not_know_sends_the_command_to_typer() -> None:
    def with_callback(
        x: Annotated[Optional[str], typer.Option("--x", callback=lambda value: value)] = None,  # noqa: UP045
    ) -> None:
        pass

    def with_envvar(name: Annotated[str, typer.Option("--name", envvar="ALTO_NAME")] = "a") -> None:
        pass

    def plain(value: str = "a") -> None:
        pass

    for func in (with_callback, with_envvar, plain):
        assert fast_spec_build.command_spec(func) is None


def test_a_default_enum_and_flag_pair() -> None:
    def command(
        form: Annotated[OutputForm, typer.Option("--form")] = OutputForm.text,
        color: Annotated[bool, typer.Option("--color/--no-color")] = True,
        ratio: Annotated[float, typer.Option("--ratio", min=0, max=2)] = 1,
    ) -> None:
        pass

    spec = fast_spec_build.command_spec(command)
    assert spec is not None
    assert spec.call_kwargs(spec.parse([])) == {
        "form": OutputForm.text,
        "color": True,
        "ratio": 1.0,
    }
    assert spec.parse(["--no-color", "--ratio", "1.5"]) == {"color": False, "ratio": 1.5}
    assert spec.parse(["--ratio", "3"]) is None  # out of range: Typer's message


# -- the real entry point against a plain Typer app, in subprocesses

# Both named `alto`, as the console script is: the entry point with its fast path, and Typer.
MAIN = "import sys; sys.argv[0] = 'alto'; from alto_cli.cli.entry import main; main()"
TYPER = "from alto_cli.cli.app import app; app(prog_name='alto')"
SUBPROCESS_ARGVS = [
    ["translate", Q],
    ["translate", "--json", "--role", "MG", Q],
    ["translate", "--role", "boss", Q],
    ["validate", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"],
    ["validate", "--json", "CMD:FA|Q:rst_MFA|CTX:AG9", "CMD:XX|Q:a"],
    ["run", "--dry-run", "CMD:FA|Q:rst_MFA|CTX:AG3"],
    ["run", "-k", "0", Q],
    ["translate", ""],  # an error with a hint, exit 2
    ["translate", "--strict", "--compact", "What is the capital of France?"],
    ["translate", "--explain", Q],
    ["validate", "CMD:XX|Q:rst MFA"],  # a diagnostic, exit 1
    ["validate", "no-such-file"],
    ["search", "CMD:FA|Q:rst_MFA|CTX:AG3"],  # no store yet: an error
]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTO_", "OPENAI_"))}
    env.update(ALTO_HOME=str(home), NO_COLOR="1", ALTO_REGISTRY=str(ROOT / "ctx_registry.yaml"))
    return env


def _alto(prefix: list[str], argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, *prefix, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("argv", SUBPROCESS_ARGVS, ids=lambda argv: " ".join(argv)[:40])
def test_console_script_matches_typer(argv: list[str], tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    fast = _alto(["-c", MAIN], argv, env)
    slow = _alto(["-c", TYPER], argv, env)
    assert fast == slow


@pytest.fixture(scope="module")
def loaded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the sample documents loaded and one answer cached."""
    home = tmp_path_factory.mktemp("loaded") / "home"
    env = _env(home)
    docs = ROOT / "examples" / "docs"
    assert _alto(["-m", "alto_cli"], ["migrate-embeddings", str(docs), "-q"], env)[0] == 0
    assert _alto(["-m", "alto_cli"], ["run", Q], env)[0] == 0
    return home


def _imported(stderr: str) -> set[str]:
    return {
        line.split("|")[-1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }


def test_cache_hit_run_imports_no_heavy_library(loaded_home: Path) -> None:
    env = _env(loaded_home)
    code, out, err = _alto(["-X", "importtime", "-m", "alto_cli"], ["run", Q], env)
    assert code == 0, err
    assert "answered from the cache" in err
    assert out.startswith("1. ")
    roots = {name.split(".")[0] for name in _imported(err)}
    heavy = {"qdrant_edge", "qdrant_client", "openai", "tiktoken", "numpy"}
    assert "alto_cli" in roots  # the check itself works
    assert roots.isdisjoint(heavy | {"pydantic", "rich", "typer", "click"})


TYPER_FREE_ARGVS = [
    ["translate", Q],
    ["translate", "--json", "--role", "MG", Q],
    ["translate", "--role", "boss", Q],  # the error path too
    ["validate", "CMD:FA|Q:rst_MFA|CTX:AG3,MP"],
    ["validate", "--json", "CMD:XX|Q:a"],
    ["run", "--dry-run", "CMD:FA|Q:rst_MFA|CTX:AG3"],
    ["run", "--dry-run", "--quiet", Q],
    ["search", "CMD:FA|Q:rst_MFA|CTX:AG3", "-k", "2"],
]


@pytest.mark.parametrize("argv", TYPER_FREE_ARGVS, ids=lambda argv: " ".join(argv)[:40])
def test_fast_path_imports_no_typer_click_pydantic_or_rich(
    argv: list[str], loaded_home: Path
) -> None:
    env = _env(loaded_home)
    code, _out, err = _alto(["-X", "importtime", "-m", "alto_cli"], argv, env)
    assert code in (0, 1, 2), err[-2000:]
    roots = {name.split(".")[0] for name in _imported(err)}
    assert "alto_cli" in roots and "json" in roots  # the check itself works
    assert "alto_cli.cli.bodies" in _imported(err)  # the fast path ran the body
    assert roots.isdisjoint({"typer", "click", "pydantic", "rich"}), sorted(
        roots & {"typer", "click", "pydantic", "rich"}
    )


@pytest.mark.parametrize("argv", TYPER_FREE_ARGVS, ids=lambda argv: " ".join(argv)[:40])
def test_fast_path_and_typer_give_the_same_stdout_and_exit_code(
    argv: list[str], loaded_home: Path
) -> None:
    # With a store: search and run print passages and timings (stderr differs in its ms).
    env = _env(loaded_home)
    fast = _alto(["-c", MAIN], argv, env)
    slow = _alto(["-c", TYPER], argv, env)
    assert fast[:2] == slow[:2]
    assert fast[1] or fast[0] != 0  # something was printed, or it failed on purpose
