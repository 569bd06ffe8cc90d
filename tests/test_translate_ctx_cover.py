"""CTX as a minimal cover, on a small synthetic registry with documents of its own.

A second code stays only for topic words the first does not explain; a code whose matched
words the chosen code's documents also use is dropped; a guide and its policy that share a
keyword both stay for a procedure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alto_cli.registry import load_registry
from alto_cli.translate import LocalTranslator
from alto_cli.translate.ctx_cover import KEEP_GAIN, Evidence, specificity
from alto_cli.translate.matcher import matcher_for

CODES = {
    "GUIDE": (
        "signin_guide",
        "Sign-in Guide",
        "How staff sign in and reset MFA.",
        ["mfa", "reset mfa", "sign in", "authenticator"],
        "Open the authenticator. Sign in with the authenticator app. Reset MFA at the desk "
        "with your phone. Your phone shows a code. Keep your phone close.",
    ),
    "POLICY": (
        "mfa_policy",
        "MFA Policy",
        "Who must use MFA and which factors are allowed.",
        ["mfa", "mfa policy", "exemption", "hardware key"],
        "Every account must use MFA. A hardware key is required for admins. Identity checks "
        "come before any reset. Exemptions are rare.",
    ),
    "BUILD": (
        "build_pipelines",
        "Build Pipelines",
        "Pipelines that build, test and deploy each change.",
        ["pipeline", "build", "deploy"],
        "Every merge starts the pipeline. After a merge the build runs the tests. A failed "
        "merge build blocks the deploy. The pipeline publishes the status page.",
    ),
    "BRANCH": (
        "branch_workflows",
        "Branch Workflows",
        "Branches, rebases and merges.",
        ["branch", "merge", "rebase"],
        "Create a branch for each change. Rebase the branch on main before review. Merge "
        "once approved.",
    ),
    "ALERTS": (
        "alert_runbooks",
        "Alert Runbooks",
        "Alerts, thresholds and what to check.",
        ["alert", "threshold", "alert threshold"],
        "Each alert has a threshold. When an alert fires, check the dashboard page, the "
        "status page and the logs page.",
    ),
    "PAGING": (
        "paging_rules",
        "Paging Rules",
        "Who gets paged and how to escalate.",
        ["page", "escalate", "escalation"],
        "Page the primary first. Escalate to the secondary after ten minutes. Escalation "
        "goes to the manager last.",
    ),
}


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory):
    root: Path = tmp_path_factory.mktemp("cover")
    lines = ["version: 1", "codes:"]
    for code, (name, title, description, keywords, body) in CODES.items():
        doc = root / "docs" / f"{name}.md"
        doc.parent.mkdir(exist_ok=True)
        doc.write_text(f"---\ntitle: {title}\nctx: [{code}]\n---\n# {title}\n{body}\n")
        lines += [
            f"  {code}:",
            f"    name: {name}",
            f"    title: {title}",
            f'    description: "{description}"',
            f"    keywords: [{', '.join(keywords)}]",
            "    sources:",
            f"      - docs/{name}.md",
        ]
    path = root / "ctx_registry.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_registry(path)


@pytest.fixture(scope="module")
def local(registry) -> LocalTranslator:
    # the rules' minimal cover, without the CTX re-ranker trained on the shipped registry
    return LocalTranslator(registry, ctx_ranker=None)


def _verdicts(result) -> dict[str, str]:
    return {
        ev["code"]: ev.get("verdict", "")
        for ev in result.evidence["CTX"]["evidence"]
        if isinstance(ev, dict) and "code" in ev
    }


def test_a_code_whose_word_the_chosen_documents_use_is_dropped(local):
    # "merge" is a Branch Workflows keyword, but the pipeline document uses it throughout
    result = local.translate("why does the build pipeline fail after every merge")
    assert result.fields.ctx == ("BUILD",)
    verdict = _verdicts(result)["BRANCH"]
    assert verdict.startswith("dropped:") and "'merg'" in verdict and "BUILD" in verdict


def test_a_code_with_topic_words_of_its_own_is_kept(local):
    # "rebase" and "branch" are no words of the pipeline document
    result = local.translate("the build pipeline fails whenever I rebase my branch")
    assert set(result.fields.ctx) == {"BUILD", "BRANCH"}
    assert _verdicts(result)["BRANCH"].startswith("kept: explains")


def test_a_second_topic_the_question_raises_is_added(local):
    result = local.translate("the disk alert fired twice, who do I escalate to?")
    assert set(result.fields.ctx) == {"ALERTS", "PAGING"}


def test_a_word_most_documents_use_adds_no_code(local):
    # "page" is a paging keyword, but the alert and pipeline documents use it as much
    result = local.translate("which alert thresholds feed the status page?")
    assert result.fields.ctx == ("ALERTS",)
    assert _verdicts(result)["PAGING"].startswith("dropped:")


def test_a_procedure_keeps_the_guide_and_its_policy(local):
    result = local.translate("how do I reset my mfa?")
    assert set(result.fields.ctx) == {"GUIDE", "POLICY"}


def test_a_policy_question_keeps_the_policy_alone(local):
    result = local.translate("is mfa required for contractors, or can they get an exemption?")
    assert result.fields.ctx == ("POLICY",)


def test_specificity_weighs_a_shared_word_by_its_owners_share(registry):
    matcher = matcher_for(registry)
    page = Evidence(3.0, "pag", "word")
    alert = Evidence(3.0, "alert", "word")
    assert specificity(matcher, "PAGING", page) < 0.5  # most uses are other documents'
    assert specificity(matcher, "ALERTS", alert) == 1.0  # "alert" names the code
    assert 3.0 * specificity(matcher, "PAGING", page) < KEEP_GAIN
