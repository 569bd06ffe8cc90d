from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from alto_cli.answering import extractive_answer, llm_answer
from alto_cli.compression import compress
from alto_cli.errors import ProviderError
from alto_cli.language import parse

sys.path.insert(0, str(Path(__file__).parent))
from openai_server import FakeOpenAI, Reply, ServerThread
from run_passages import doc_sections, find


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with ServerThread() as state:
        monkeypatch.setenv("OPENAI_BASE_URL", state.url)
        yield state


def _ask(**kwargs: object) -> object:
    options = {"model": "local-model", "timeout": 5.0, "max_retries": 2, **kwargs}
    return llm_answer("ALTO CMD:FA|Q:rst_MFA", **options)  # type: ignore[arg-type]


def test_llm_answer_ok_reports_usage(server: FakeOpenAI) -> None:
    server.queue(Reply(text="1. Reset it [1]"))
    answer = _ask()
    assert answer.text == "1. Reset it [1]"
    assert (answer.prompt_tokens, answer.completion_tokens) == (42, 7)
    assert answer.provider == "openai"
    body = server.requests[0]["body"]
    assert body["model"] == "local-model"
    assert body["messages"][-1]["content"] == "ALTO CMD:FA|Q:rst_MFA"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_llm_answer_retries_then_succeeds(server: FakeOpenAI, status: int) -> None:
    server.queue(Reply(kind="status", status=status), Reply(text="ok after retry"))
    assert _ask().text == "ok after retry"
    assert len(server.requests) == 2


def test_llm_answer_gives_up_with_provider_error(server: FakeOpenAI) -> None:
    server.default = Reply(kind="status", status=500)
    with pytest.raises(ProviderError, match="HTTP 500 after retries"):
        _ask(max_retries=1)
    assert len(server.requests) == 2  # the first try and one retry


def test_llm_answer_rate_limited_to_the_end(server: FakeOpenAI) -> None:
    server.default = Reply(kind="status", status=429)
    with pytest.raises(ProviderError, match="429"):
        _ask(max_retries=1)


def test_llm_answer_timeout(server: FakeOpenAI) -> None:
    server.default = Reply(kind="hang", delay_s=1.0)
    with pytest.raises(ProviderError, match="timed out"):
        _ask(timeout=0.1, max_retries=0)


def test_llm_answer_slow_stream(server: FakeOpenAI) -> None:
    server.queue(Reply(kind="stream", chunks=("1. Open ", "the portal ", "[1]"), delay_s=0.05))
    pieces: list[str] = []
    answer = _ask(stream=True, on_text=pieces.append)
    assert pieces == ["1. Open ", "the portal ", "[1]"]
    assert answer.text == "1. Open the portal [1]"
    assert answer.completion_tokens == 3
    assert server.requests[0]["body"]["stream"] is True


def test_llm_answer_without_configuration() -> None:
    with pytest.raises(ProviderError, match="no LLM is configured"):
        _ask()


def _mfa_passages() -> list[object]:
    return [
        find("security/auth_guide_v3.md", "How to reset"),
        find("security/auth_guide_v3.md", "support agents"),
        find("security/mfa_policy.md", "Before an MFA"),
    ]


def _answer(alto: str, passages: list[object], question: str | None = None) -> str:
    instruction = parse(alto)
    compressed = compress(instruction, passages, budget_tokens=500, question=question)
    return extractive_answer(instruction, compressed).text


def test_extractive_steps_come_from_a_numbered_procedure_in_order() -> None:
    text = _answer("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN", _mfa_passages())
    body, _, sources = text.partition("\nSources:\n")
    steps = [line for line in body.splitlines() if line[:1].isdigit()]
    assert len(steps) >= 5
    assert [s.split(".", 1)[0] for s in steps] == [str(n) for n in range(1, len(steps) + 1)]
    assert "Reset Authenticators" in body or "Remove the old device" in body
    assert "auth_guide_v3.md" in sources
    assert all("[" in s for s in steps)  # every step cites its source


def test_extractive_list_summary_and_flow() -> None:
    passages = _mfa_passages()
    listing = _answer("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:LIS", passages)
    assert listing.splitlines()[0].startswith("- ")
    summary = _answer("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:SUM", passages)
    assert not summary.splitlines()[0].startswith(("- ", "1."))
    assert "Sources:" in summary
    flow = _answer("CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:FLW", passages)
    assert flow.splitlines()[0].count(" -> ") >= 3


def test_extractive_code_prefers_the_requested_language() -> None:
    passages = [p for p in doc_sections("security/token_management_v2.md") if p.has_code]
    assert passages, "the sample token document has code blocks"
    text = _answer("CMD:GC|Q:del_tokens_py|CTX:TK2|FMT:PY|U:EN|L:PY", passages)
    assert "```" in text
    first_fence = next(line for line in text.splitlines() if line.startswith("```"))
    assert first_fence.strip("`").lower() in ("python", "py", "python3")


def test_extractive_with_no_passages_says_so() -> None:
    instruction = parse("CMD:FA|Q:rst_MFA|CTX:AG3")
    assert "No documentation passage" in extractive_answer(instruction, []).text
