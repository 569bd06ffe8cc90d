"""Parsing the three forms, tolerant input, and every error kind with its position."""

from __future__ import annotations

import pytest

from alto_cli.errors import AltoSyntaxError, InvalidInputError
from alto_cli.language import (
    Command,
    Format,
    Instruction,
    Language,
    Role,
    canonical,
    parse,
    parse_located,
    to_block,
)

MFA = Instruction(
    command=Command.FA,
    query="rst_MFA",
    ctx=("AG3", "MP"),
    fmt=Format.STP,
    role=Role.SU,
    language=Language.EN,
)


@pytest.mark.parametrize(
    "text",
    [
        "v1\nCMD:FA\nQ:rst_MFA\nCTX:AG3,MP\nFMT:STP\nU:SU\nL:EN",
        "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:SU|L:EN",
        "v1|CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP",
        '{"v": 1, "CMD": "FA", "Q": "rst_MFA", "CTX": ["AG3", "MP"], "FMT": "STP"}',
        '{"command": "fa", "query": "rst_MFA", "ctx": "AG3,MP", "format": "stp"}',
        # tolerant input: BOM, CRLF, lone CR, blank lines, spaces, lower case, no v1 line
        "\ufeffv1\r\nCMD:FA\r\nQ:rst_MFA\r\nCTX:AG3,MP\r\nFMT:STP\r\n",
        "v1\rCMD:FA\rQ:rst_MFA\rCTX:AG3,MP\rFMT:STP",
        "\n\n  v1  \n\n  cmd : fa  \n\tq:  rst_MFA \n\n ctx: ag3 , mp \nfmt:stp\n\n",
        "   CMD:FA | Q:rst_MFA | CTX:AG3,MP | FMT:STP   ",
        "V1\nCMD:FA\nQ:rst_MFA\nCTX:AG3,MP,AG3\nFMT:STP",
    ],
)
def test_every_form_and_tolerated_input_parse_to_the_same_instruction(text: str) -> None:
    assert parse(text) == MFA


def test_defaults_depend_on_the_command() -> None:
    assert parse("CMD:FA|Q:x").fmt is Format.SUM
    assert parse("CMD:EX|Q:x").fmt is Format.SUM
    assert parse("CMD:PL|Q:x").fmt is Format.STP
    assert parse("CMD:DI|Q:x").fmt is Format.STP
    gc = parse("CMD:GC|Q:x")
    assert (gc.fmt, gc.language, gc.role) == (Format.PY, Language.PY, Role.SU)
    assert parse("CMD:FA|Q:x").language is Language.EN


def test_output_always_carries_the_version_and_defaults() -> None:
    block = to_block(parse("CMD:GC|Q:parse_json"))
    assert block == "v1\nCMD:GC\nQ:parse_json\nFMT:PY\nU:SU\nL:PY"
    assert canonical(parse("CMD:fa|Q:x|CTX:MP,AG3,mp")) == "CMD:FA|Q:x|CTX:AG3,MP|FMT:SUM|U:SU|L:EN"


def test_positions_of_ctx_codes_are_reported() -> None:
    _, positions = parse_located("CMD:FA|Q:x|CTX: ag3 ,MP")
    assert positions == {"AG3": (1, 17), "MP": (1, 22)}
    _, positions = parse_located("v1\nCMD:FA\nQ:x\n  CTX:K8S,MON")
    assert positions == {"K8S": (4, 7), "MON": (4, 11)}


def _error(text: str) -> AltoSyntaxError:
    with pytest.raises(AltoSyntaxError) as info:
        parse(text)
    return info.value


# (input, line, col, text, expected contains, message contains)
CASES = [
    ("v1\nCMD:FA\nQ:x\nCMD:EX", 4, 1, "CMD", "each key once", "duplicate key CMD"),
    ("CMD:FA|Q:x|q:y", 1, 12, "Q", "each key once", "duplicate key Q"),
    ("CMD:FA\nQ:x\nFOO:bar", 3, 1, "FOO", "one of CMD, Q, CTX, FMT, U, L", "unknown key 'FOO'"),
    ("CMD:XX|Q:x", 1, 5, "XX", "one of FA, EX, GC, PL, DI", "unknown CMD symbol 'XX'"),
    ("CMD:FA|Q:x|FMT:TXT", 1, 16, "TXT", "one of STP, SUM, LIS, FLW, PY", "unknown FMT symbol"),
    ("CMD:FA|Q:x|U:CEO", 1, 14, "CEO", "one of SU, EN, HR, MG", "unknown U symbol"),
    ("CMD:FA|Q:x|L:FR", 1, 14, "FR", "one of EN, PY, JS, MD", "unknown L symbol"),
    ("CMD:FA|Q:x|FMT:ﬆp", 1, 16, "ﬆp", "one of STP", "unknown FMT symbol"),
    ("CMD:FA|Q:x|CTX:AG3,9X", 1, 20, "9X", "2-8 characters", "bad CTX code '9X'"),
    ("CMD:FA|Q:x|CTX:AG3,,MP", 1, 20, "", "2-8 characters", "empty CTX code"),
    ("CMD:FA|Q:x|CTX:TOOLONGCODE", 1, 16, "TOOLONGCODE", "2-8 characters", "bad CTX code"),
    ("Q:x\nFMT:STP", 1, 1, "", "a CMD field", "missing CMD"),
    ("v1\n\nCMD:FA", 1, 1, "", "a Q field", "missing Q"),
    ("v2\nCMD:FA\nQ:x", 1, 1, "v2", "v1", "unsupported version 'v2'"),
    ("v0|CMD:FA|Q:x", 1, 1, "v0", "v1", "unsupported version"),
    ("CMD:FA\nv1\nQ:x", 2, 1, "v1", "the v1 line before every field", "version line must come"),
    ("CMD:FA|Q:x|v1", 1, 12, "v1", "v1| at the start", "version must come first"),
    ("v1\nCMD:FA\nQ:rst|MFA", 3, 6, "Q:rst|MFA", "one KEY:VALUE per line", "'|' is not allowed"),
    ('{"CMD": "FA", "Q": "a|b"}', 1, 15, "a|b", "without '|'", "'|' is not allowed"),
    ('{"CMD": "FA",\n "Q": "a\\nb"}', 2, 2, "a\nb", "single-line", "a newline is not allowed"),
    ("CMD:FA|Q:rst MFA", 1, 13, "rst MFA", "keywords of [A-Za-z0-9]", "character ' ' not"),
    ("CMD:FA|Q:rst__MFA", 1, 14, "rst__MFA", "joined by single '_'", "misplaced '_'"),
    ("CMD:FA|Q:_rst", 1, 10, "_rst", "joined by single '_'", "misplaced '_'"),
    ("CMD:FA|Q:", 1, 10, "", "keywords", "empty Q"),
    ("CMD:FA|Q:" + "a" * 65, 1, 74, "a" * 65, "at most 64", "Q is 65 characters"),
    (
        "CMD:FA|Q:x|CTX:AA,BB,CC,DD,EE,FF,GG,HH,II",
        1,
        40,
        "AA,BB,CC,DD,EE,FF,GG,HH,II",
        "at most 8",
        "9 CTX codes",
    ),
    (
        '{"CMD": "FA", "Q": "x",}',
        1,
        24,
        '{"CMD": "FA", "Q": "x",}',
        "a JSON object",
        "invalid JSON",
    ),
    ('{"CMD": "FA",\n "Q": "x", "Q": "y"}', 2, 12, "Q", "each key once", "duplicate key 'Q'"),
    ('{"CMD": "FA", "Q": "x", "zz": 1}', 1, 25, "zz", "one of CMD", "unknown key 'zz'"),
    ('{"v": 2, "CMD": "FA", "Q": "x"}', 1, 2, "2", "1", "unsupported version 2"),
    ('{"CMD": 1, "Q": "x"}', 1, 2, "1", "a string", "CMD must be a string"),
    ('{"CMD": "FA", "Q": "x", "CTX": [1]}', 1, 25, "[1]", "a list of codes", "must be strings"),
    ("CMD|Q:x", 1, 1, "CMD", "KEY:VALUE", "missing ':'"),
    ("CMD:FA||Q:x", 1, 8, "CMD:FA||Q:x", "KEY:VALUE", "empty field"),
    ("", 1, 1, "", "CMD and Q fields", "empty instruction"),
    ("  \n\t\n", 1, 1, "", "CMD and Q fields", "empty instruction"),
]


@pytest.mark.parametrize(("text", "line", "col", "offending", "expected", "message"), CASES)
def test_errors_say_where_what_and_what_was_expected(
    text: str, line: int, col: int, offending: str, expected: str, message: str
) -> None:
    err = _error(text)
    assert (err.line, err.col) == (line, col), err
    assert err.text == offending
    assert expected in (err.expected or "")
    assert message in err.reason
    assert str(err).startswith(f"{line}:{col}: ")
    assert isinstance(err, InvalidInputError) and err.exit_code == 2


def test_a_source_prefixes_the_position() -> None:
    with pytest.raises(AltoSyntaxError) as info:
        parse("CMD:FA\nQ:x\nFMT:BAD", source="q.alto")
    assert str(info.value).startswith("q.alto:3:5: unknown FMT symbol 'BAD'")
    assert info.value.to_dict()["source"] == "q.alto"


def test_huge_version_numbers_and_json_numbers_are_syntax_errors() -> None:
    assert "unsupported version" in _error("v" + "1" * 5000 + "\nCMD:FA\nQ:x").reason
    assert "invalid JSON" in _error('{"v": ' + "1" * 5000 + "}").reason
    assert len(str(_error("v" + "9" * 5000))) < 200  # the message quotes a clipped token
    assert "invalid JSON" in _error("{" * 1 + "[" * 100_000).reason
