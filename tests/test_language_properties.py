"""Property tests: round trips through every form, canonical form, and robustness."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from alto_cli.errors import AltoSyntaxError
from alto_cli.language import (
    Command,
    Format,
    Instruction,
    Language,
    Role,
    canonical,
    format,
    parse,
    to_block,
    to_compact,
    to_json,
)
from alto_cli.language.symbols import CTX_MAX_CODES, Q_MAX_LENGTH

words = st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True)
queries = (
    st.lists(words, min_size=1, max_size=6).map("_".join).filter(lambda q: len(q) <= Q_MAX_LENGTH)
)
codes = st.from_regex(r"[A-Z][A-Z0-9]{1,7}", fullmatch=True)


@st.composite
def instructions(draw: st.DrawFn) -> Instruction:
    command = draw(st.sampled_from(Command))
    return Instruction(
        command=command,
        query=draw(queries),
        ctx=tuple(draw(st.lists(codes, max_size=CTX_MAX_CODES, unique=True))),
        fmt=draw(st.one_of(st.none(), st.sampled_from(Format))),
        role=draw(st.one_of(st.none(), st.sampled_from(Role))),
        language=draw(st.one_of(st.none(), st.sampled_from(Language))),
    )


@given(instructions())
def test_block_round_trip(x: Instruction) -> None:
    assert parse(to_block(x)) == x
    assert to_block(x).startswith("v1\n")


@given(instructions())
def test_compact_round_trip(x: Instruction) -> None:
    assert parse(to_compact(x)) == x
    assert parse("v1|" + to_compact(x)) == x


@given(instructions())
def test_json_round_trip(x: Instruction) -> None:
    assert parse(to_json(x)) == x
    assert parse(format(x, "json")) == x


@given(instructions())
def test_canonical_is_idempotent_and_parses_back(x: Instruction) -> None:
    once = x.canonical()
    assert once.canonical() == once
    assert list(once.ctx) == sorted(set(x.ctx))
    text = canonical(x)
    assert parse(text) == once
    assert canonical(parse(text)) == text
    for form in ("block", "compact", "json"):
        assert canonical(parse(format(x, form))) == text


@given(instructions(), st.randoms(use_true_random=False))
def test_same_meaning_gives_the_same_canonical_bytes(x: Instruction, rnd: random.Random) -> None:
    shuffled = list(to_block(x).split("\n")[1:])
    rnd.shuffle(shuffled)
    lowered = [line.lower() if not line.startswith("Q:") else line for line in shuffled]
    assert canonical(parse("\n".join(lowered))) == canonical(x)


@settings(max_examples=300)
@given(st.text())
def test_random_text_raises_only_the_syntax_error(text: str) -> None:
    try:
        parse(text)
    except AltoSyntaxError as err:
        assert err.line >= 1 and err.col >= 1


alphabet = st.sampled_from(list('CMDQTXFULvV1|:,{}[]"_ \n\r\tAGSEPYZ0-9\ufeff'))


@settings(max_examples=300)
@given(st.text(alphabet=alphabet, max_size=60))
def test_near_miss_text_raises_only_the_syntax_error(text: str) -> None:
    try:
        result = parse(text)
    except AltoSyntaxError:
        return
    assert isinstance(result, Instruction)
    assert parse(to_block(result)) == result
