"""The local translator on questions written for these tests (not the benchmark's set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alto_cli.language import Role, to_block, to_compact
from alto_cli.registry import load_registry, parse_registry
from alto_cli.translate import LocalTranslator

ROOT = Path(__file__).resolve().parent.parent


def compact(local: LocalTranslator, question: str, role: str | None = None) -> str:
    return to_compact(local.translate(question, role=role).fields)


def test_plan_examples_exactly(local):
    assert compact(local, "How do I reset my MFA?") == (
        "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN"
    )
    assert compact(local, "Generate a Python script to delete old tokens.") == (
        "CMD:GC|Q:del_tokens_py|CTX:TK2|FMT:PY|U:EN|L:PY"
    )
    block = to_block(local.translate("How do I reset MFA?").instruction)
    assert block == "v1\nCMD:FA\nQ:rst_MFA\nCTX:AG3,MP\nFMT:STP\nU:SU\nL:EN"


@pytest.mark.parametrize(
    ("question", "cmd"),
    [
        ("where do I find the VPN setup guide", "FA"),
        ("describe how the on-call escalation policy works", "EX"),
        ("why do service tokens expire after 90 days", "EX"),
        ("write a node script that lists every namespace", "GC"),
        ("draft a rollout plan for moving our builds to github actions", "PL"),
        ("the staging pipeline keeps failing on the unit test step", "DI"),
        ("grafana dashboard isn't loading for me", "DI"),
        ("prometheus alert not firing even though disk is full", "DI"),
    ],
)
def test_command_from_intent(local, question, cmd):
    assert local.translate(question).fields.command.value == cmd


@pytest.mark.parametrize(
    ("question", "cmd"),
    [
        # a script named in a failure report is not a request for code
        ("the export script we run nightly gets 503s, what are we doing wrong", "DI"),
        ("getting 5xx from the payments api in my script", "DI"),
        # people who keep saying or asking things report talk, not a failure
        ("everyone keeps saying prod needs a hardware key - is that the rule?", "FA"),
        ("my manager keeps asking how long logs are kept", "FA"),
        ("kubectl keeps saying my credentials expired", "DI"),
        # "timeout" as a setting, and as something timing out
        ("what is the idle session timeout on managed laptops", "FA"),
        ("vpn timeout hours for contractors", "FA"),
        ("vpn keeps hitting a timeout when I connect from the hotel", "DI"),
    ],
)
def test_failure_cues_read_in_context(question, cmd):
    """The rules alone (no intent model): these cues decide CMD by themselves."""
    rules = LocalTranslator(
        load_registry(ROOT / "ctx_registry.yaml"), intent_model=None, ctx_ranker=None
    )
    assert rules.translate(question).fields.command.value == cmd


@pytest.mark.parametrize(
    ("question", "cmd", "lang"),
    [
        # a Kubernetes node, not Node.js: no code request
        ("Client certificate for kubelet on node-3 expires in 5 days.", "FA", "EN"),
        ("write a script to cordon a node", "GC", "PY"),
        # the language, where the words around name it
        ("write a node script to rotate tokens", "GC", "JS"),
        ("in node, how do I call the token API", "GC", "JS"),
    ],
)
def test_node_is_a_language_only_where_named_so(local, question, cmd, lang):
    instruction = local.translate(question).instruction
    assert (instruction.command.value, instruction.language.value) == (cmd, lang)


@pytest.mark.parametrize(
    ("question", "fmt"),
    [
        ("how can I renew the TLS certificate on the proxy", "STP"),
        ("what is our password rotation policy", "SUM"),
        ("list the teams that own kubernetes clusters", "LIS"),
        ("show me the expense approval workflow", "FLW"),
        ("give me a summary of the postmortem template", "SUM"),
        ("explain the release tagging in git step by step", "STP"),
        # chat shorthand ending in "how": a how-to
        ("renew proxy tls cert, how?", "STP"),
    ],
)
def test_format_from_cues(local, question, fmt):
    assert local.translate(question).fields.fmt.value == fmt


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("how do I open a firewall port for a new service", {"NET2"}),
        ("request an IAM role in our AWS account", {"AWS1"}),
        ("what does the incident commander do", {"INC1"}),
        ("book vacation days in the leave system", {"PROC"}),
        ("rotate my personal access token and fix the git merge conflict", {"TK2", "GIT1"}),
    ],
)
def test_ctx_from_registry_vocabulary(local, question, codes):
    assert set(local.translate(question).fields.ctx) == codes


@pytest.mark.parametrize(
    "question",
    [
        "how do I reset my pasword",  # misspelt
        "kubernets pods keep crashng",
        "dynatrce access pls",
    ],
)
def test_misspellings_still_match(local, question):
    result = local.translate(question)
    assert result.fields.ctx and not result.out_of_scope
    assert any("spelling" in str(e) for e in result.evidence["Q"]["evidence"])


@pytest.mark.parametrize(
    "question",
    [
        "order a pizza",
        "what is the weather tomorrow",
        "my football team lost again",
        "recommend a good movie for tonight",
        "how do I fix the pipe under my kitchen sink",
    ],
)
def test_out_of_scope(local, question):
    result = local.translate(question)
    assert result.out_of_scope
    assert result.fields.ctx == ()
    assert result.confidence < 0.5
    assert result.instruction.ctx == ()  # still a valid instruction


def test_roles(local):
    assert local.translate("as a manager, how do I approve expenses").fields.role is Role.MG
    assert local.translate("I'm in HR: how does onboarding work?").fields.role is Role.HR
    assert local.translate("write python to rotate tokens").fields.role is Role.EN
    assert local.translate("how do I reset MFA").fields.role is Role.SU
    assert local.translate("how do I reset MFA", role="HR").fields.role is Role.HR


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("mgr: aws overspend plan", Role.MG),
        ("HR q: leaver access cut off time", Role.HR),
        ("People team here - leaver on the 30th", Role.HR),
        ("backend dev here - hw key needed for prod cluster admin?", Role.EN),
        ("new manager, what can i approve? limits", Role.MG),
        ("manager - explain aws budget alerts", Role.MG),
        # not a label: an environment, a noun in the question, or no punctuation after it
        ("dev: deploy failing with 500s", Role.SU),
        ("manager approval for a 3k expense?", Role.SU),
        ("support team vpn down for everyone", Role.SU),
    ],
)
def test_a_role_the_question_opens_with_as_a_label(local, question, role):
    result = local.translate(question)
    assert result.fields.role is role
    if role is not Role.SU:
        assert result.evidence["U"]["evidence"][0].startswith("stated role")
        label = {"mgr", "hr", "q", "people", "team", "here", "backend", "dev", "new", "manager"}
        assert label.isdisjoint(result.fields.query.lower().split("_")), result.fields.query


def test_stated_role_is_not_ctx_evidence(local):
    result = local.translate("I'm in HR, how do I request a new laptop vpn profile?")
    assert "CONT" not in result.fields.ctx


@pytest.mark.parametrize(
    ("question", "language", "suffix"),
    [
        ("write a typescript function that calls the rest api with pagination", "JS", "_js"),
        ("python code to revoke expired tokens", "PY", "_py"),
        ("give me the incident severity levels in markdown", "MD", None),
    ],
)
def test_language(local, question, language, suffix):
    fields = local.translate(question).fields
    assert fields.language.value == language
    if suffix:
        assert fields.query.endswith(suffix)


def test_query_is_compressed(local):
    fields = local.translate("Could you please tell me how to configure the VPN proxy?").fields
    assert fields.query == "cfg_proxy_VPN"


def test_code_registered_a_moment_ago_is_used(registry_file):
    text = registry_file.read_text()
    text += (
        "  PAY:\n"
        "    name: payroll_guide\n"
        "    title: Payroll Guide\n"
        "    description: Payslips, salary dates and tax forms.\n"
        "    keywords: [payroll, payslip, salary]\n"
    )
    registry_file.write_text(text)
    result = LocalTranslator(load_registry(registry_file)).translate("when is salary paid?")
    assert result.fields.ctx == ("PAY",)


def test_registry_abbreviations_extend_the_table(registry_file):
    text = registry_file.read_text() + "abbreviations:\n  provision: prov\n  single sign on: SSO\n"
    registry_file.write_text(text)
    registry = load_registry(registry_file)
    assert registry.abbreviations == {"provision": "prov", "single sign on": "SSO"}
    local = LocalTranslator(registry)
    assert local.translate("how do I provision single sign on").fields.query == "prov_SSO"


def test_evidence_and_confidence_for_every_field(local):
    result = local.translate("How do I reset MFA?")
    assert set(result.evidence) == {"CMD", "Q", "CTX", "FMT", "U", "L"}
    for item in result.evidence.values():
        assert 0 <= item["confidence"] <= 1 and item["evidence"]
    assert result.confidence >= 0.5 and result.provider == "local"


def test_never_invents_a_code():
    registry = parse_registry(
        "version: 1\ncodes:\n  ZZ:\n    name: zz_docs\n    keywords: [zebra]\n"
    )
    local = LocalTranslator(registry)
    assert local.translate("How do I reset my MFA?").fields.ctx == ()
    assert local.translate("feeding the zebra").fields.ctx == ("ZZ",)


_SHARED = LocalTranslator(load_registry(ROOT / "ctx_registry.yaml"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_valid_instruction(text):
    local = _SHARED
    result = local.translate(text)
    instruction = result.instruction  # validates with the Instruction model
    assert set(instruction.ctx) <= set(local.registry.codes)
    assert 0.0 <= result.confidence <= 1.0
