"""The fast path's committed parser spec (alto_cli/cli/fast_spec.json) against the live Typer
declarations: it must be current, and what the parser uses (types, min/max, case
sensitivity, path checks) must survive the JSON round trip with Typer's own values."""

from __future__ import annotations

import functools
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import pytest
import typer
from typer.testing import CliRunner

from alto_cli.cli import fast_spec_build, fastpath
from alto_cli.cli.app import app, new_app
from alto_cli.cli.bodies import runs


class Colour(str, Enum):
    red = "red"
    light_blue = "Light-Blue"


def test_committed_spec_is_what_the_typer_declarations_give() -> None:
    committed = fastpath.SPEC_FILE.read_text(encoding="utf-8")
    regenerated = fast_spec_build.render(fast_spec_build.build())
    assert regenerated == committed, (
        f"{fastpath.SPEC_FILE.name} is out of date with the Typer declarations of "
        f"translate/run/validate/search: run `{fast_spec_build.REGENERATE}` and commit it"
    )


def test_every_fast_command_has_a_spec_and_a_typer_free_body() -> None:
    commands = fastpath.load_spec()["commands"]
    assert set(commands) == set(fastpath.FAST_COMMANDS)
    for name, entry in commands.items():
        assert entry is not None, f"`alto {name}` fell back to Typer"
        assert entry["body"].startswith("alto_cli.cli.bodies.")


def test_regenerating_writes_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    assert fast_spec_build.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == fastpath.SPEC_FILE.read_text(encoding="utf-8")


def _typer_values(func: Any, argv: list[str]) -> tuple[int, dict[str, Any]]:
    """(exit code, kwargs) when Typer parses ``argv`` for a command declared like ``func``."""
    captured: dict[str, Any] = {}

    @functools.wraps(func)
    def recorder(**kwargs: Any) -> None:
        captured.update(kwargs)

    probe = typer.Typer()
    probe.command("probe")(recorder)

    @probe.callback()
    def _root() -> None:
        pass

    result = CliRunner().invoke(probe, ["probe", *argv])
    return result.exit_code, captured


def declared(
    colour: Annotated[Colour, typer.Option("--colour", "-c", case_sensitive=False)] = Colour.red,
    exact: Annotated[Optional[Colour], typer.Option("--exact")] = None,  # noqa: UP045
    source: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--source", exists=True, dir_okay=False),
    ] = None,
    target: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--target", file_okay=False),
    ] = None,
    ratio: Annotated[float, typer.Option("--ratio", min=0.5, max=2)] = 1,
    names: Annotated[Optional[list[str]], typer.Argument()] = None,  # noqa: UP045
) -> None:
    pass


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return tmp_path


ROUND_TRIP_TAKEN = [
    [],
    ["-c", "LIGHT-BLUE", "x", "y"],
    ["--colour=Red", "--exact", "Light-Blue"],
    ["--source", "a.txt", "--target", "folder"],
    ["--target", "missing", "--", "-"],
    ["--ratio", "0.5"],
    ["--ratio", "2"],
]
ROUND_TRIP_REJECTED = [
    ["--exact", "light-blue"],  # case-sensitive
    ["--colour", "green"],
    ["--source", "missing.txt"],  # exists=True
    ["--source", "folder"],  # dir_okay=False
    ["--target", "a.txt"],  # file_okay=False
    ["--source", "-"],  # no file named '-'
    ["--ratio", "0.4"],
    ["--ratio", "2.5"],
]


@pytest.mark.parametrize("argv", ROUND_TRIP_TAKEN)
def test_round_trip_gives_typers_values(argv: list[str], files: Path) -> None:
    spec = fast_spec_build.command_spec(declared)
    assert spec is not None
    given = spec.parse(argv)
    assert given is not None, "the fast path should take this argv"
    code, expected = _typer_values(declared, argv)
    assert code == 0
    kwargs = spec.call_kwargs(given)
    assert kwargs == expected
    assert [type(v) for v in kwargs.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("argv", ROUND_TRIP_REJECTED)
def test_round_trip_leaves_typers_rejections_to_typer(argv: list[str], files: Path) -> None:
    spec = fast_spec_build.command_spec(declared)
    assert spec is not None and spec.parse(argv) is None
    assert _typer_values(declared, argv)[0] == 2


def test_allow_dash_is_left_to_typer() -> None:
    # Typer 0.29 compares the converted Path with "-", so it rejects '-' all the same.
    def dash(
        source: Annotated[Optional[Path], typer.Option("--source", allow_dash=True)] = None,  # noqa: UP045
    ) -> None:
        pass

    assert fast_spec_build.command_spec(dash) is None


def test_spec_entries_record_the_checks() -> None:
    params = {p["name"]: p for p in fast_spec_build.params_of(declared)}
    assert params["colour"]["enum"] == f"{__name__}:Colour"
    assert params["colour"]["choices"] == ["red", "Light-Blue"]
    assert params["colour"]["checks"] == {"case_sensitive": False}
    assert params["colour"]["default"] == "red"
    assert params["source"]["checks"]["exists"] and not params["source"]["checks"]["dir_okay"]
    assert params["ratio"]["checks"] == {"min": 0.5, "max": 2}
    assert params["ratio"]["default"] == 1.0 and isinstance(params["ratio"]["default"], float)


def text_body(*, text: str) -> None:
    pass


def test_a_body_that_does_not_match_the_declaration_stops_the_generator() -> None:
    probe = new_app()

    @probe.command("probe")
    @runs(text_body)
    def probe_command(text: Annotated[str, typer.Argument()], k: int = 5) -> None:
        pass

    @probe.command("other")
    @runs(text_body)
    def other_command(words: Annotated[str, typer.Argument()]) -> None:
        pass

    assert fast_spec_build.command_entry(probe, "probe") is None  # `k: int = 5`: Typer's
    with pytest.raises(SystemExit, match="keyword-only parameters"):
        fast_spec_build.command_entry(probe, "other")


def test_a_command_without_a_body_is_left_to_typer() -> None:
    assert fast_spec_build.command_entry(app, "ctx") is None
    assert fast_spec_build.command_entry(app, "stats") is None
