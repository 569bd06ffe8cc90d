from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from alto_cli import sessions
from alto_cli.cli.app import app
from alto_cli.errors import InvalidInputError, NotFoundError
from alto_cli.tokens import count_tokens

BUDGET = 300
TOPICS = [
    (
        "rst_MFA",
        "MFA",
        "Issue a Temporary Access Code (TAC) valid for 60 minutes after a video call.",
    ),
    (
        "VPN_acc",
        "VPN",
        "Request VPN access in ServiceHub; GlobalProtect profiles are approved by NetOps.",
    ),
    ("rot_tokens", "TK2", "Rotate personal tokens every 90 days from the Developer Portal."),
    ("K8S_pods_crashloop", "K8S", "Run kubectl describe pod and check the events for OOMKilled."),
    ("esc_sev1", "ESC", "Page the incident commander through PagerDuty within 5 minutes for SEV1."),
    ("PTO_req", "PROC", "Submit PTO in Workday at least 10 business days ahead."),
]


def _exchange(n: int) -> tuple[str, str, str]:
    if n == 2:
        return (
            "CMD:FA|Q:vault_unseal|CTX:SEC1|FMT:STP|U:EN|L:EN",
            "Who holds the Vault unseal keys?",
            "The Vault unseal keys are held by Marta Quispe and two SRE leads in Lisbon.\n\n"
            "Sources:\n[1] Security Procedures - Vault (examples/docs/security/x.md)",
        )
    q, code, fact = TOPICS[n % len(TOPICS)]
    return (
        f"CMD:FA|Q:{q}_{n}|CTX:{code}|FMT:STP|U:SU|L:EN",
        f"question number {n} about {q}",
        f"{fact} Exchange {n} also mentions step details that are long enough to matter. " * 3,
    )


def test_thirty_exchanges_stay_within_budget_and_keep_early_facts() -> None:
    for n in range(1, 31):
        alto, question, answer = _exchange(n)
        session = sessions.append("long", alto=alto, question=question, answer=answer)
        context = sessions.render_context(session, BUDGET)
        assert count_tokens(context) <= BUDGET, n
        assert len(session.exchanges) <= sessions.MAX_VERBATIM_HISTORY
        if n >= 2:
            assert "Marta Quispe" in context, n
    assert session.total == 30
    assert len(session.exchanges) >= sessions.KEEP_RECENT
    assert session.exchanges[-1]["n"] == 30
    assert any(f["n"] == 2 and "Vault" in f["text"] for f in session.facts)
    assert session.patterns["FA[SEC1]"] == 1 and session.patterns["FA[K8S]"] == 5
    saved = json.loads(sessions.session_path("long").read_text())
    assert saved["total"] == 30


def test_llm_summariser_is_used_when_given_and_failures_fall_back() -> None:
    for n in range(1, 17):
        alto, question, answer = _exchange(n)
        session = sessions.append(
            "llm",
            alto=alto,
            question=question,
            answer=answer,
            summarizer=lambda older: [f"summary of {e['n']}" for e in older],
        )
    assert [f["text"] for f in session.facts][:2] == ["summary of 1", "summary of 2"]

    def broken(older: list[dict]) -> list[str]:
        raise RuntimeError("provider down")

    for n in range(1, 17):
        alto, question, answer = _exchange(n)
        session = sessions.append(
            "fb", alto=alto, question=question, answer=answer, summarizer=broken
        )
    assert "Marta Quispe" in session.facts[1]["text"]


def test_bad_names_and_missing_sessions() -> None:
    with pytest.raises(InvalidInputError, match="bad session name"):
        sessions.session_path("../etc/passwd")
    with pytest.raises(NotFoundError):
        sessions.load("nope")


def test_session_cli_list_show_clear() -> None:
    sessions.append("demo", alto="CMD:FA|Q:rst_MFA|CTX:AG3", question="q", answer="Do X. Then Y.")
    runner = CliRunner()
    listed = runner.invoke(app, ["session", "list", "--json"])
    assert listed.exit_code == 0
    assert json.loads(listed.stdout)[0]["name"] == "demo"
    shown = runner.invoke(app, ["session", "show", "demo", "--json"])
    assert shown.exit_code == 0 and "CMD:FA|Q:rst_MFA" in json.loads(shown.stdout)["context"]
    assert runner.invoke(app, ["session", "clear", "demo"]).exit_code == 0
    missing = runner.invoke(app, ["session", "show", "demo"])
    assert missing.exit_code == 1 and "no session named 'demo'" in missing.stderr
