"""End to end with the real store: migrate the sample docs, then ``alto run`` (no key, no network).

The question test needs the translator; the instruction tests need only the store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("alto_cli.retrieval")
pytest.importorskip("alto_cli.fingerprints")

from alto_cli import runner as runner_module
from alto_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
MFA = "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN"
VPN = "CMD:FA|Q:VPN_acc|CTX:NET2|FMT:STP|U:SU|L:EN"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project folder with the registry and docs, migrated into its own ALTO_HOME."""
    work = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "ctx_registry.yaml", work / "ctx_registry.yaml")
    shutil.copytree(ROOT / "examples" / "docs", work / "examples" / "docs")
    yield work


@pytest.fixture
def project(migrated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(migrated)
    monkeypatch.setenv("ALTO_HOME", str(migrated / "home"))
    if not (migrated / "home" / "store").exists():
        result = CliRunner().invoke(app, ["migrate-embeddings", "examples/docs"])
        assert result.exit_code == 0, result.stderr
    yield migrated
    runner_module.close_handles()


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, ["run", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_mfa_question_gives_numbered_steps_with_sources_then_a_cache_hit(project: Path) -> None:
    pytest.importorskip("alto_cli.translate")  # a question is translated first
    CliRunner().invoke(app, ["cache", "clear"])
    first = CliRunner().invoke(app, ["run", "How do I reset MFA?"])
    assert first.exit_code == 0, first.stderr
    body, _, sources = first.stdout.partition("\nSources:\n")
    steps = [line for line in body.splitlines() if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert len(steps) >= 3 and steps[0].startswith("1. ")
    assert "[1]" in sources and ".md" in sources
    assert "answered from the cache" not in first.stderr

    second = CliRunner().invoke(app, ["run", "How do I reset MFA?"])
    assert second.exit_code == 0
    assert "answered from the cache" in second.stderr
    assert second.stdout == first.stdout

    again = _run("How do I reset MFA?")
    assert again["cache_hit"] is True and again["provider"] == "cache"
    other_role = _run("How do I reset MFA?", "--role", "MG")
    assert other_role["cache_hit"] is False
    assert other_role["instruction"]["U"] == "MG"


def test_json_reports_tokens_latency_and_the_instruction(project: Path) -> None:
    result = _run(MFA, "--no-cache")
    assert result["instruction_compact"] == MFA
    assert 0 < result["prompt_tokens"] < result["plain_prompt_tokens"]
    assert set(result["latency_ms"]) >= {"translate", "retrieve", "compress", "answer", "total"}
    assert result["sources"] and all(s["doc_path"].endswith(".md") for s in result["sources"])


def test_dry_run_prints_the_prompt_and_calls_nothing(project: Path) -> None:
    result = CliRunner().invoke(app, ["run", MFA, "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ALTO {MFA}")
    assert "prompt tokens:" in result.stdout


def test_remigrating_one_code_invalidates_only_answers_that_used_it(project: Path) -> None:
    CliRunner().invoke(app, ["cache", "clear"])
    assert _run(MFA)["cache_hit"] is False
    assert _run(VPN)["cache_hit"] is False
    assert _run(MFA)["cache_hit"] is True and _run(VPN)["cache_hit"] is True

    policy = project / "examples" / "docs" / "security" / "mfa_policy.md"
    original = policy.read_text(encoding="utf-8")
    try:
        policy.write_text(original + "\n\nBackup codes must be regenerated yearly.\n", "utf-8")
        result = CliRunner().invoke(app, ["migrate-embeddings", "examples/docs"])
        assert result.exit_code == 0, result.stderr
        assert _run(MFA)["cache_hit"] is False  # MP changed
        assert _run(VPN)["cache_hit"] is True  # NET2 did not
    finally:
        policy.write_text(original, "utf-8")
        CliRunner().invoke(app, ["migrate-embeddings", "examples/docs"])


def test_adaptive_card_and_stats(project: Path) -> None:
    card = CliRunner().invoke(app, ["run", MFA, "--output", "adaptive-card", "--name", "Flash AI"])
    assert card.exit_code == 0, card.stderr
    data = json.loads(card.stdout)
    assert data["type"] == "AdaptiveCard"
    assert data["body"][0]["items"][0]["columns"][0]["items"][0]["text"] == "Flash AI"
    stats = CliRunner().invoke(app, ["stats", "--json"])
    assert stats.exit_code == 0
    assert json.loads(stats.stdout)["runs"] >= 1


def test_llm_answer_through_run_and_a_session(project: Path, monkeypatch) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from openai_server import Reply, ServerThread

    with ServerThread() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("ALTO_MODEL", "local-model")
        server.queue(Reply(text="1. Open ServiceHub [1]"))
        result = _run(MFA, "--session", "s1", "--no-cache")
        assert result["provider"] == "openai" and result["model"] == "local-model"
        assert result["answer"].startswith("1. Open ServiceHub [1]")
        assert "Sources:" in result["answer"]
        sent = server.requests[0]["body"]["messages"][-1]["content"]
        assert sent.startswith(f"ALTO {MFA}")
        server.queue(Reply(text="2. Then close the ticket [1]"))
        _run(VPN, "--session", "s1", "--no-cache")
        second_prompt = server.requests[1]["body"]["messages"][-1]["content"]
        assert "HIST" in second_prompt and "Q:rst_MFA" in second_prompt
        server.default = Reply(kind="status", status=500)
        monkeypatch.setenv("ALTO_LLM_RETRIES", "0")
        failed = CliRunner().invoke(app, ["run", VPN, "--no-cache"])
        assert failed.exit_code == 1 and "HTTP 500" in failed.stderr
