"""Registry editing: register, remove, suggest and lint keep the file's text intact."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from alto_cli.errors import ConflictError, InvalidInputError, NotFoundError, RegistryFileError
from alto_cli.registry import load_registry
from alto_cli.registry_edit import lint_registry, register_code, remove_code, suggest_code


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_register_adds_only_the_new_entry(registry_file: Path) -> None:
    before = registry_file.read_text(encoding="utf-8")
    entry = register_code(
        registry_file,
        "bf",
        "billing_faq",
        title="Billing FAQ",
        description="Invoices: due dates, refunds and VAT.",
        keywords=["invoice", "refund", " "],
        sources=["examples/docs/billing/*.md"],
    )
    assert entry.code == "BF"
    after = registry_file.read_text(encoding="utf-8")
    assert _diff(before, after) == [
        "+  BF:",
        "+    name: billing_faq",
        "+    title: Billing FAQ",
        "+    description: 'Invoices: due dates, refunds and VAT.'",
        "+    keywords: [invoice, refund]",
        "+    sources:",
        "+      - examples/docs/billing/*.md",
    ]
    loaded = load_registry(registry_file)
    assert loaded.get("BF") == entry
    assert len(loaded) == 21


def test_register_refuses_an_existing_code_or_name_and_leaves_the_file(
    registry_file: Path,
) -> None:
    before = registry_file.read_bytes()
    with pytest.raises(ConflictError) as info:
        register_code(registry_file, "AG3", "something_new")
    assert "AG3 is already registered" in info.value.message
    assert info.value.hint == "a free code for this name: SN"
    with pytest.raises(ConflictError, match="name 'mfa_policy' is already used by MP"):
        register_code(registry_file, "ZZ", "mfa_policy")
    with pytest.raises(InvalidInputError, match="code"):
        register_code(registry_file, "1AB", "fine_name")
    with pytest.raises(InvalidInputError, match="name"):
        register_code(registry_file, "ZZ", "Not Snake")
    assert registry_file.read_bytes() == before


def test_register_with_no_code_takes_a_suggestion(registry_file: Path) -> None:
    entry = register_code(registry_file, None, "auth_guide_v3_extra")
    assert entry.code == "AGVE"
    assert register_code(registry_file, None, "mfa_plans").code == "MP1"


def test_register_creates_a_missing_file_and_keeps_crlf(tmp_path: Path) -> None:
    fresh = tmp_path / "new.yaml"
    register_code(fresh, "AB", "alpha_beta")
    assert load_registry(fresh).codes == ["AB"]
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(b"version: 1\r\ncodes:\r\n  AA:\r\n    name: aa\r\n")
    register_code(crlf, "BB", "bb")
    assert crlf.read_bytes() == (
        b"version: 1\r\ncodes:\r\n  AA:\r\n    name: aa\r\n  BB:\r\n    name: bb\r\n"
    )


def test_register_and_remove_keep_a_byte_order_mark(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfversion: 1\ncodes:\n  AA:\n    name: aa\n")
    register_code(bom, "BB", "bb")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbfversion: 1\n")
    remove_code(bom, "AA")
    assert bom.read_bytes() == b"\xef\xbb\xbfversion: 1\ncodes:\n  BB:\n    name: bb\n"
    plain = tmp_path / "plain.yaml"
    register_code(plain, "CC", "cc")
    assert not plain.read_bytes().startswith(b"\xef")


def test_remove_cuts_the_entry_and_keeps_group_comments(registry_file: Path) -> None:
    before = registry_file.read_text(encoding="utf-8")
    removed = remove_code(registry_file, "sec1")
    assert removed.name == "security_procedures"
    after = registry_file.read_text(encoding="utf-8")
    diff = _diff(before, after)
    assert diff[0] == "-  SEC1:" and len(diff) == 7
    assert all(line.startswith("-") for line in diff)
    assert "  # Infrastructure\n  DY1:" in after
    remove_code(registry_file, "MON")  # the last entry
    assert load_registry(registry_file).codes[-1] == "POST"
    with pytest.raises(NotFoundError) as info:
        remove_code(registry_file, "AG4")
    assert info.value.hint == "did you mean AG3?"


def test_remove_from_a_flow_style_file_falls_back_to_round_trip(tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text("codes: {AA: {name: aa}, BB: {name: bb}}\n", encoding="utf-8")
    remove_code(flow, "AA")
    assert load_registry(flow).codes == ["BB"]


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("billing_faq", [], "BF"),
        ("billing_faq", ["BF"], "BF1"),
        ("billing_faq", ["BF", "BF1"], "BF2"),
        ("auth_guide_v3", [], "AG3"),
        ("monitoring", [], "MON"),
        ("monitoring", ["MON"], "MON1"),
        ("x", [], "XX"),
        ("a_b_c_d_e_f_g_h_i_j", [], "ABCDEFGH"),
        ("a_b_c_d_e_f_g_h_i_j", ["ABCDEFGH"], "ABCDEFG1"),
        ("team_2024_plan", [], "TP"),
    ],
)
def test_suggest_code(name: str, taken: list[str], expected: str) -> None:
    assert suggest_code(name, taken) == expected


def test_lint_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("a", encoding="utf-8")
    path = tmp_path / "reg.yaml"
    path.write_text(
        "version: 1\n"
        "codes:\n"
        "  AA:\n"
        "    name: alpha\n"
        "    title: Alpha\n"
        "    description: A.\n"
        "    keywords: [a]\n"
        "    sources: [docs/*.md, docs/missing/*.md]\n"
        "  bad1:\n"
        "    name: beta\n"
        "  CC:\n"
        "    name: alpha\n"
        "    title: Gamma\n"
        "    description: C.\n"
        "    keywords: [c]\n",
        encoding="utf-8",
    )
    issues = lint_registry(path)
    rendered = [issue.render("reg.yaml") for issue in issues]
    assert rendered == [
        "reg.yaml:9: error: bad1.code: code must be 2-8 characters, A-Z then A-Z or 0-9 (e.g. AG3)",
        "reg.yaml:12: error: CC: name 'alpha' is already used by AA",
        "reg.yaml:8: warning: AA: sources glob 'docs/missing/*.md' matches no file under "
        f"{tmp_path}",
    ]


def test_lint_warns_on_empty_fields_and_reports_yaml_errors(tmp_path: Path) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text("codes:\n  AA:\n    name: alpha\n", encoding="utf-8")
    assert [i.message for i in lint_registry(path)] == [
        "AA: empty title",
        "AA: empty description",
        "AA: empty keywords",
    ]
    assert {i.severity for i in lint_registry(path)} == {"warning"}
    path.write_text("codes:\n  AA: [1\n", encoding="utf-8")
    (issue,) = lint_registry(path)
    assert issue.severity == "error" and issue.line == 3


def test_shipped_registry_lints_without_errors() -> None:
    root = Path(__file__).resolve().parent.parent
    assert lint_registry(root / "ctx_registry.yaml") == []  # every sources glob matches
    assert len(load_registry(root / "ctx_registry.yaml")) == 20


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("codes:\n  AG3:\n    name: a\n  AG3:\n    name: b\n", "reg.yaml:4:3: found duplicate key"),
        ("codes:\n  AG3:\n    nam: a\n", "reg.yaml:2: AG3.name: Field required"),
        ("codes:\n  AG3:\n    name: a\n    x: 1\n", "reg.yaml:4: AG3.x: Extra inputs are not"),
        ("codes:\n  ag3:\n    name: a\n", "reg.yaml:2: ag3.code: code must be"),
        ("version: 2\ncodes: {}\n", "reg.yaml:1: unsupported registry version 2"),
        ("codes:\n  AG3: text\n", "reg.yaml:2: AG3: entry must be a mapping"),
        ("- a\n", "reg.yaml:1: the registry must be a mapping"),
    ],
)
def test_bad_registry_files_say_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryFileError) as info:
        load_registry(path)
    assert info.value.message.replace(str(tmp_path) + "/", "").startswith(where)
    with pytest.raises(RegistryFileError):
        register_code(path, "ZZ", "zz")
    assert path.read_text(encoding="utf-8") == text


def test_register_keeps_the_files_own_indentation(tmp_path: Path) -> None:
    wide = tmp_path / "wide.yaml"
    before = (
        "version: 1\n"
        "codes:\n"
        "    # Group\n"
        "    AA:\n"
        "        name: aa\n"
        "        sources:\n"
        "        - docs/aa.md\n"
        "# trailing note\n"
    )
    wide.write_text(before, encoding="utf-8")
    register_code(wide, "BB", "bb", keywords=["x"], sources=["docs/bb.md"])
    after = wide.read_text(encoding="utf-8")
    assert after == before.replace(
        "# trailing note\n",
        "    BB:\n"
        "        name: bb\n"
        "        keywords: [x]\n"
        "        sources:\n"
        "        - docs/bb.md\n"
        "# trailing note\n",
    )
    assert load_registry(wide).get("BB").sources == ("docs/bb.md",)


def test_removing_a_groups_last_code_takes_its_heading_comment(tmp_path: Path) -> None:
    grouped = tmp_path / "grouped.yaml"
    grouped.write_text(
        "codes:\n"
        "  # Alpha\n"
        "  AA:\n"
        "    name: aa\n"
        "  # Beta\n"
        "  BB:\n"
        "    name: bb\n"
        "  CC:\n"
        "    name: cc\n"
        "  # Gamma\n"
        "  DD:\n"
        "    name: dd\n",
        encoding="utf-8",
    )
    remove_code(grouped, "AA")  # alone in its group: the heading goes too
    remove_code(grouped, "BB")  # CC still follows: "# Beta" heads it now
    remove_code(grouped, "DD")  # the last entry of the file
    assert grouped.read_text(encoding="utf-8") == "codes:\n  # Beta\n  CC:\n    name: cc\n"
