from __future__ import annotations

import sys
from pathlib import Path

import pytest

from alto_cli.compression import compress, keywords, split_units
from alto_cli.language import parse
from alto_cli.prompting import PROMPT_VERSION, build_prompt, legend, plain_prompt
from alto_cli.tokens import count_tokens

sys.path.insert(0, str(Path(__file__).parent))
from run_passages import doc_sections, find

MFA = "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN"


def _mfa_passages() -> list[object]:
    return [
        find("security/auth_guide_v3.md", "How to reset"),
        find("security/auth_guide_v3.md", "Passwords"),
        find("security/mfa_policy.md", "Hardware"),
        find("security/auth_guide_v3.md", "Account lockout"),
        find("security/mfa_policy.md", "Compliance"),
    ]


def test_split_units_recognises_steps_bullets_rows_and_code() -> None:
    text = (
        "Intro sentence one. Intro sentence two.\n\n1. First step.\n2. Second step.\n\n"
        "- a bullet\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('x')\n```\n"
    )
    kinds = [u.kind for u in split_units(text)]
    assert kinds == ["sentence", "sentence", "step", "step", "bullet", "row", "row", "code"]
    code = split_units(text)[-1]
    assert code.lang == "python" and "print('x')" in code.text


def test_keywords_expand_q_abbreviations() -> None:
    weights = keywords(parse(MFA), "How do I reset MFA?")
    assert weights["reset"] == 2.0 and weights["mfa"] == 2.0
    assert "how" not in weights


def test_compress_keeps_the_procedure_whole_and_in_order() -> None:
    kept = compress(parse(MFA), _mfa_passages(), budget_tokens=400, question="How do I reset MFA?")
    first = kept[0]
    assert first.section == "How to reset your MFA device"
    steps = [u for u in first.units if u.kind == "step"]
    assert len(steps) == 6
    assert [u.index for u in steps] == sorted(u.index for u in steps)
    assert steps[0].text.startswith("Verify your identity")
    assert first.text.splitlines()[0].startswith("1. Verify")


def test_compress_drops_irrelevant_passages_and_sentences() -> None:
    kept = compress(parse(MFA), _mfa_passages(), budget_tokens=400)
    text = "\n".join(p.text for p in kept)
    assert "Minimum length is 14 characters" not in text  # the password rules
    assert [p.tag for p in kept] == list(range(1, len(kept) + 1))


@pytest.mark.parametrize("budget", [40, 80, 150, 300, 600])
def test_compress_stays_within_budget(budget: int) -> None:
    passages = [
        p
        for doc in ("security/auth_guide_v3.md", "security/mfa_policy.md")
        for p in doc_sections(doc)
    ]
    kept = compress(parse(MFA), passages, budget_tokens=budget, question="reset my MFA")
    assert sum(count_tokens(p.text) for p in kept) <= budget
    assert kept, "the best passage always contributes"


def test_compress_keeps_code_for_generate_code() -> None:
    passages = doc_sections("security/token_management_v2.md")
    instruction = parse("CMD:GC|Q:del_tokens_py|CTX:TK2|FMT:PY|U:EN|L:PY")
    kept = compress(instruction, passages, budget_tokens=800)
    assert any(u.kind == "code" for p in kept for u in p.units)


def test_build_prompt_is_compact_and_tagged() -> None:
    instruction = parse(MFA)
    kept = compress(instruction, _mfa_passages(), budget_tokens=400)
    prompt = build_prompt(instruction, kept)
    lines = prompt.splitlines()
    assert lines[0] == f"ALTO {MFA}"
    assert "rst=reset" in lines[1] and "STP=numbered steps" in lines[1]
    assert "[1] AG3 How to reset your MFA device" in prompt
    plain = plain_prompt("How do I reset MFA?", instruction, _mfa_passages())
    assert "Question: How do I reset MFA?" in plain
    assert count_tokens(prompt) < 0.6 * count_tokens(plain)
    assert PROMPT_VERSION


def test_legend_names_only_what_is_used() -> None:
    plain_english = legend(parse("CMD:EX|Q:MFA_policy|CTX:MP"))
    assert "L=" not in plain_english and "rst" not in plain_english
    assert "L=JavaScript" in legend(parse("CMD:GC|Q:crt_client_js|CTX:API3|L:JS"))


def test_build_prompt_carries_session_context() -> None:
    instruction = parse(MFA)
    prompt = build_prompt(instruction, [], context="#1 CMD:FA|Q:x => y")
    assert "HIST\n#1 CMD:FA|Q:x => y" in prompt
