"""The LLM translator with the real openai client against a local OpenAI-compatible server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alto_cli.errors import ConfigError, ProviderError
from alto_cli.openai_client import make_client
from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator, translate
from alto_cli.translate.llm import LlmTranslator, check_answer, response_schema

ROOT = Path(__file__).resolve().parent.parent
VALID = {
    "CMD": "FA",
    "Q": "rst_MFA",
    "CTX": ["AG3", "MP"],
    "FMT": "STP",
    "U": "SU",
    "L": "EN",
    "out_of_scope": False,
}


@pytest.fixture
def registry():
    return load_registry(ROOT / "ctx_registry.yaml")


def llm(registry, server, *, timeout=5.0, retries=2, cache=False):
    client = make_client(base_url=server.base_url, timeout=timeout, max_retries=retries)
    return LlmTranslator(registry, model="local-model", client=client, use_cache=cache)


def answer(**changes):
    return ("json", json.dumps({**VALID, **changes}))


def test_valid_answer_uses_structured_output_and_registry_codes(registry, openai_server):
    openai_server.replies = [answer()]
    result = llm(registry, openai_server).translate("How do I reset MFA?")
    assert result.provider == "openai"
    assert result.fields.ctx == ("AG3", "MP")
    assert result.instruction.query == "rst_MFA"
    body = openai_server.requests[0]["body"]
    assert body["model"] == "local-model"
    assert body["temperature"] == 0
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["CTX"]["items"]["enum"] == sorted(registry.codes)
    system = body["messages"][0]["content"]
    assert "TK2" in system and "token_management_v2" in system
    assert body["messages"][-1]["content"] == "How do I reset MFA?"
    assert any(m["role"] == "assistant" for m in body["messages"])  # few-shot turns


def test_unknown_code_is_repaired_once(registry, openai_server):
    openai_server.replies = [answer(CTX=["NOPE"]), answer()]
    result = llm(registry, openai_server).translate("How do I reset MFA?")
    assert result.fields.ctx == ("AG3", "MP")
    assert "repaired" in result.reason
    repair = openai_server.requests[1]["body"]["messages"][-1]["content"]
    assert "NOPE" in repair and "not registered" in repair


def test_invalid_twice_falls_back_to_local_with_warning(registry, openai_server):
    openai_server.replies = [answer(FMT="XYZ"), ("json", "not json at all")]
    result = llm(registry, openai_server).translate("How do I reset MFA?")
    assert result.provider == "local"
    assert result.warnings and "invalid answer twice" in result.warnings[0]
    assert result.fields.query == "rst_MFA"
    assert len(openai_server.requests) == 2


def test_rate_limit_is_retried(registry, openai_server):
    openai_server.replies = [("status", 429), answer()]
    result = llm(registry, openai_server).translate("How do I reset MFA?")
    assert result.provider == "openai"
    assert len(openai_server.requests) == 2


def test_server_error_retries_then_provider_error(registry, openai_server):
    openai_server.replies = [("status", 500)] * 3
    with pytest.raises(ProviderError, match="HTTP 500"):
        llm(registry, openai_server, retries=2).translate("How do I reset MFA?")
    assert len(openai_server.requests) == 3  # first try + 2 retries


def test_timeout_ends_in_provider_error(registry, openai_server):
    openai_server.replies = [("sleep", 1.0), ("sleep", 1.0)]
    with pytest.raises(ProviderError, match="timed out"):
        llm(registry, openai_server, timeout=0.1, retries=0).translate("How do I reset MFA?")


def test_disk_cache_hit_makes_no_request(registry, openai_server, isolated_env):
    openai_server.replies = [answer()]
    first = llm(registry, openai_server, cache=True).translate("How do I reset MFA?")
    again = llm(registry, openai_server, cache=True).translate("  how do i RESET mfa ")
    assert len(openai_server.requests) == 1
    assert again.fields == first.fields
    assert "cache hit" in again.reason
    assert (isolated_env / "cache" / "translations").is_dir()


def test_cache_is_keyed_on_registry_content(registry, openai_server, registry_file):
    openai_server.replies = [answer(), answer()]
    llm(registry, openai_server, cache=True).translate("How do I reset MFA?")
    text = registry_file.read_text().replace("Who must use", "Who has to use")
    registry_file.write_text(text)
    edited = load_registry(registry_file)
    llm(edited, openai_server, cache=True).translate("How do I reset MFA?")
    assert len(openai_server.requests) == 2


def test_auto_uses_llm_only_when_local_is_unsure(registry, openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    openai_server.replies = [answer(CTX=[], out_of_scope=True, Q="pizza")]
    translator = llm(registry, openai_server)
    sure = translate("How do I reset MFA?", registry=registry, llm=translator)
    assert sure.provider == "local" and not openai_server.requests
    unsure = translate("can you order a pizza", registry=registry, llm=translator)
    assert unsure.provider == "openai" and unsure.out_of_scope
    assert "< 0.5" in unsure.reason


def test_auto_asks_the_llm_when_the_rerankers_call_is_close(registry, openai_server, monkeypatch):
    # in scope and matched, but the re-ranker's call on a second code is near even odds: the
    # calibrated confidence is low, so the LLM decides
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    question = "who approves prod deploy + what's required before"
    local = LocalTranslator(registry).translate(question)
    ranked = [float(p) for c, p in (x.split() for x in _ranker_line(local).split(", "))]
    assert not local.out_of_scope and any(0.3 < p < 0.7 for p in ranked)
    assert local.confidence < 0.5
    openai_server.replies = [answer(CMD="FA", Q="apr_dpl_production", CTX=["CI2", "TEST"])]
    result = translate(question, registry=registry, llm=llm(registry, openai_server))
    assert result.provider == "openai" and result.fields.ctx == ("CI2", "TEST")


def test_auto_threshold_comes_from_the_environment(registry, openai_server, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    translator = llm(registry, openai_server)
    monkeypatch.setenv("ALTO_AUTO_THRESHOLD", "0")  # never ask
    kept = translate("can you order a pizza", registry=registry, llm=translator)
    assert kept.provider == "local" and ">= 0, no LLM needed" in kept.reason
    monkeypatch.setenv("ALTO_AUTO_THRESHOLD", "1")  # always ask, even a sure question
    openai_server.replies = [answer()]
    asked = translate("How do I reset MFA?", registry=registry, llm=translator)
    assert asked.provider == "openai" and "< 1;" in asked.reason
    monkeypatch.setenv("ALTO_AUTO_THRESHOLD", "1.5")
    with pytest.raises(ConfigError, match="ALTO_AUTO_THRESHOLD"):
        translate("How do I reset MFA?", registry=registry, llm=translator)


def _ranker_line(result) -> str:
    found = [e.get("ranker") for e in result.evidence["CTX"]["evidence"] if "code" not in e]
    return next(line for line in found if isinstance(line, str))


def test_auto_without_llm_stays_local(registry):
    result = translate("can you order a pizza", registry=registry)
    assert result.provider == "local"
    assert "no LLM is configured" in result.reason


def test_check_answer_names_every_problem(registry):
    data, problems = check_answer(
        json.dumps({**VALID, "Q": "reset MFA!", "U": "XX"}), set(registry.codes)
    )
    assert data is None
    assert any(p.startswith("Q ") for p in problems) and any(p.startswith("U ") for p in problems)


def test_schema_requires_every_field():
    schema = response_schema(["AG3"])
    assert set(schema["required"]) == {"CMD", "Q", "CTX", "FMT", "U", "L", "out_of_scope"}
    assert schema["additionalProperties"] is False


def test_schema_follows_the_instruction_model() -> None:
    from alto_cli.language import Command, Format, Instruction, Language, Role
    from alto_cli.language.model import FIELD_KEYS
    from alto_cli.language.symbols import Q_RE

    props = response_schema(["MP", "AG3"])["properties"]
    assert list(props) == ["CMD", "Q", "CTX", "FMT", "U", "L", "out_of_scope"]
    for key, enum in (("CMD", Command), ("FMT", Format), ("U", Role), ("L", Language)):
        assert props[key] == {"type": "string", "enum": [m.value for m in enum]}
    assert props["Q"] == {"type": "string", "pattern": Q_RE.pattern}
    assert props["CTX"] == {"type": "array", "items": {"type": "string", "enum": ["AG3", "MP"]}}
    assert response_schema([])["properties"]["CTX"]["items"] == {"type": "string"}
    # an answer that fits the schema builds the model
    built = Instruction(**{name: VALID[key] for name, key in FIELD_KEYS.items()})
    assert built.command is Command.FA and built.ctx == ("AG3", "MP")


def test_role_is_passed_and_kept(registry, openai_server):
    openai_server.replies = [answer(U="SU")]
    from alto_cli.language import Role

    result = llm(registry, openai_server).translate("How do I reset MFA?", role=Role.MG)
    assert result.fields.role is Role.MG
    assert "MG" in openai_server.requests[0]["body"]["messages"][-1]["content"]


def test_fallback_keeps_local_rules(registry, openai_server):
    openai_server.replies = [answer(CTX=["X1"]), answer(CTX=["X2"])]
    local = LocalTranslator(registry)
    result = llm(registry, openai_server).translate("Who is on the SRE team?", local=local)
    assert result.fields.ctx == ("TEAM",)
