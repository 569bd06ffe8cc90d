"""Q as a normal form: paraphrases meet on one instruction, distinct questions stay apart.

The groups below were written for these tests (they are not in the benchmark's set): each is
one question asked several ways; the response cache is keyed on the canonical instruction,
so one group must give one instruction, and two groups must never share one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.language import canonical
from alto_cli.translate import LocalTranslator
from alto_cli.translate.normal_form import singular

ROOT = Path(__file__).resolve().parent.parent

PARAPHRASES = {
    "rotate_api_token": [
        "how can I rotate an API token",
        "rotating api tokens: how?",
        "How do I rotate my API tokens?",
    ],
    "revoke_api_token": [
        "how do I revoke an API token",
        "please help me revoke my api token asap",
        "API token revocation",
    ],
    "purge_service_tokens_gc": [
        "get rid of stale service tokens with a script in python",
        "python script that purges service tokens",
        "Write a Python script to clean up service tokens.",
    ],
    "request_dynatrace_access": [
        "request dynatrace access",
        "dynatrace access request pls",
        "How do I ask for Dynatrace access?",
    ],
    "recover_mfa": [
        "how do I recover my MFA",
        "mfa reset",
        "How can I reset my 2FA?",
    ],
    "vpn_client_remove": [
        "remove the old vpn client",
        "how to uninstall the VPN client",
        "VPN client removal",
    ],
    "git_merge_conflict": [
        "How do I resolve a merge conflict in git?",
        "git merge conflicts, how to resolve?",
    ],
}
DISTINCT = [
    "how can I rotate an API token",
    "how do I revoke an API token",
    "How do I create an API token?",
    "Generate a Python script to delete old tokens.",
    "Generate a Python script to rotate tokens.",
    "How do I reset my MFA?",
    "How do I reset my password?",
    "Which MFA factors are allowed?",
    "request dynatrace access",
    "How do I request AWS access?",
    "remove the old vpn client",
    "How do I set up the VPN?",
    "Explain the incident response process.",
    "What's the incident response process?",
]


def key(local: LocalTranslator, question: str) -> str:
    return canonical(local.translate(question).instruction)


# Known splits, kept visible as strict xfails ({group: why}): each fails as soon as its group
# meets again. (The API-token revocation split of session 4 met once dev12-dev14 were trained on,
# and came back when the training sets' CTX was relabelled in session 6.)
SPLIT: dict[str, str] = {
    "revoke_api_token": (
        "the terse 'API token revocation' keeps API3 beside TK2 (re-ranker 0.91): the relabelled"
        " sets' questions on revoking API tokens are split, 4 API3 + TK2 and 3 TK2 alone"
    ),
}


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=SPLIT[g])) if g in SPLIT else g
        for g in sorted(PARAPHRASES)
    ],
)
def test_paraphrases_meet_on_one_instruction(local, group):
    keys = {question: key(local, question) for question in PARAPHRASES[group]}
    assert len(set(keys.values())) == 1, keys


def test_distinct_questions_keep_distinct_instructions(local):
    keys = [key(local, question) for question in DISTINCT]
    assert len(set(keys)) == len(keys)
    groups = {group: key(local, questions[0]) for group, questions in PARAPHRASES.items()}
    assert len(set(groups.values())) == len(groups)


def test_plan_examples_come_out_exactly(local):
    assert local.translate("How do I reset my MFA?").instruction.query == "rst_MFA"
    assert local.translate("Generate Python script for token cleanup").instruction.query == (
        "del_tokens_py"
    )


def test_one_action_first_then_sorted_topics(local):
    # the action leads whatever the word order; topics are sorted; the language ends GC
    assert local.translate("VPN proxy configuration").instruction.query == "cfg_proxy_VPN"
    assert local.translate("configure the proxy for the vpn").instruction.query == ("cfg_proxy_VPN")
    assert local.translate("node script to purge api tokens").instruction.query.endswith("_js")


def test_filler_and_case_do_not_change_q(local):
    assert key(local, "cpu alert runbook") == key(local, "CPU alert runbook lol")
    assert key(local, "reset my password") == key(local, "reset my password rn")


def test_identifiers_are_kept_over_registry_words(local):
    a = local.translate("Prometheus has dropped targets: label_limit exceeded").instruction
    b = local.translate("Prometheus has dropped targets: target_limit exceeded").instruction
    assert a.query != b.query


def test_longer_inputs_keep_more_detail(local):
    short = local.translate("kubelet client certificate expires").instruction.query
    long_a = local.translate(
        "Kubelet client certificate is about to expire on the node in the cluster soon, "
        "renew it before the kubelet stops talking to the API server"
    ).instruction.query
    assert len(long_a.split("_")) > len(short.split("_"))


def test_singular_folding():
    assert singular("tokens") == "token"
    assert singular("policies") == "policy"
    assert singular("processes") == "process"
    assert singular("access") == "access"
    assert singular("status") == "status"
