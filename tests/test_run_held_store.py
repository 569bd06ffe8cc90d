"""One definition of the token figures (runner.plan_prompt) and one open store for repeated
in-process calls (retrieval.held_store), against the real embedded store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alto_cli import retrieval
from alto_cli import runner as runner_module
from alto_cli.cli.app import app
from alto_cli.language import parse
from alto_cli.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
MFA = "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("held")
    shutil.copy(ROOT / "ctx_registry.yaml", work / "ctx_registry.yaml")
    shutil.copytree(ROOT / "examples" / "docs", work / "examples" / "docs")
    return work


@pytest.fixture
def project(migrated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(migrated)
    monkeypatch.setenv("ALTO_HOME", str(migrated / "home"))
    if not (migrated / "home" / "store").exists():
        result = CliRunner().invoke(app, ["migrate-embeddings", "examples/docs", "-q"])
        assert result.exit_code == 0, result.stderr
    yield migrated
    runner_module.close_handles()


def test_plan_prompt_is_what_run_sends(project: Path) -> None:
    registry = load_registry(project / "ctx_registry.yaml")
    plan = runner_module.plan_prompt(parse(MFA), None, k=5)
    dry = runner_module.run(MFA, registry=registry, dry_run=True)
    assert (plan.prompt, plan.prompt_tokens, plan.plain_prompt_tokens) == (
        dry.prompt,
        dry.prompt_tokens,
        dry.plain_prompt_tokens,
    )
    assert plan.budget_tokens == 300 and len(plan.retrieved.passages) == 5
    assert 0 < plan.reduction < 1
    assert plan.reduction == 1 - plan.prompt_tokens / plan.plain_prompt_tokens


def test_held_store_opens_once_and_answers_the_same(project: Path) -> None:
    instruction = parse(MFA)
    unheld = retrieval.retrieve(instruction, 5)
    with retrieval.held_store():
        first = retrieval.retrieve(instruction, 5)
        held = retrieval._HELD["alto"]
        store = held.store
        with retrieval.held_store():  # nested blocks share the one store
            second = retrieval.retrieve(instruction, 5)
        assert held.store is store and store is not None
    assert retrieval._HELD == {}
    ids = [p.point_id for p in unheld.passages]
    assert [p.point_id for p in first.passages] == ids == [p.point_id for p in second.passages]
    # released at the end of the block: the next one-shot call can open the shard again
    assert [p.point_id for p in retrieval.retrieve(instruction, 5).passages] == ids


def test_a_block_that_never_retrieves_opens_nothing(project: Path) -> None:
    with retrieval.held_store():
        assert retrieval._HELD["alto"].store is None
    assert retrieval._HELD == {}


def test_warm_holds_one_store(project: Path) -> None:
    registry = load_registry(project / "ctx_registry.yaml")
    runner_module.close_handles()
    CliRunner().invoke(app, ["cache", "clear"])
    report = runner_module.warm(
        [MFA, "CMD:FA|Q:VPN_acc|CTX:NET2|FMT:STP|U:SU|L:EN"], registry=registry
    )
    assert (report.answered, report.failed) == (2, 0), report.errors
    assert retrieval._HELD == {}
