"""The instruction model built in code: defaults, coercion, checks, immutability."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from alto_cli.language import Command, Format, Instruction, Language, Role
from alto_cli.language.symbols import CTX_MAX_CODES, Q_MAX_LENGTH


def test_defaults_follow_the_command() -> None:
    code = Instruction(command=Command.GC, query="del_tokens")
    assert (code.version, code.ctx, code.fmt, code.role, code.language) == (
        1,
        (),
        Format.PY,
        Role.SU,
        Language.PY,
    )
    fetch = Instruction(command="FA", query="rst_MFA", fmt=None, role=None, language=None)
    assert (fetch.fmt, fetch.role, fetch.language) == (Format.SUM, Role.SU, Language.EN)


def test_symbol_strings_become_enum_members_and_ctx_a_deduplicated_tuple() -> None:
    x = Instruction(
        command="PL", query="q", ctx=["MP", "AG3", "MP"], fmt="LIS", role="HR", language="MD"
    )
    assert x.command is Command.PL and x.fmt is Format.LIS
    assert x.role is Role.HR and x.language is Language.MD
    assert x.ctx == ("MP", "AG3")
    assert x == Instruction(
        command=Command.PL,
        query="q",
        ctx=("MP", "AG3"),
        fmt=Format.LIS,
        role=Role.HR,
        language=Language.MD,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"command": "XX"}, "unknown CMD symbol 'XX'; expected one of FA, EX, GC, PL, DI"),
        ({"fmt": "stp"}, "unknown FMT symbol 'stp'"),
        ({"role": "XX"}, "unknown U symbol 'XX'"),
        ({"language": "RU"}, "unknown L symbol 'RU'"),
        ({"version": 2}, "unsupported version v2; expected v1"),
        ({"version": True}, "version must be an integer"),
        ({"query": "rst MFA"}, "Q must be keywords of [A-Za-z0-9] joined by single '_'"),
        ({"query": "a__b"}, "Q must be keywords of [A-Za-z0-9] joined by single '_'"),
        ({"query": "a" * (Q_MAX_LENGTH + 1)}, f"Q is longer than {Q_MAX_LENGTH} characters"),
        ({"query": 7}, "Q must be a string"),
        ({"ctx": "AG3"}, "CTX must be a sequence of codes"),
        ({"ctx": ["ag3"]}, "bad CTX code 'ag3'"),
        ({"ctx": ["A"]}, "bad CTX code 'A'"),
        ({"ctx": [3]}, "bad CTX code 3"),
        ({"ctx": [f"C{i}" for i in range(CTX_MAX_CODES + 1)]}, "more than 8 CTX codes"),
    ],
)
def test_bad_fields_raise_value_error(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        Instruction(**{"command": "FA", "query": "rst_MFA", **changes})  # type: ignore[arg-type]
    assert str(info.value).startswith(message)


def test_eight_codes_counted_after_duplicates_are_dropped() -> None:
    codes = [f"C{i}" for i in range(CTX_MAX_CODES)]
    assert Instruction(command="FA", query="q", ctx=codes + codes[:3]).ctx == tuple(codes)


def test_frozen_hashable_slotted_and_replace_validates() -> None:
    x = Instruction(command="FA", query="rst_MFA", ctx=("MP", "AG3"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        x.query = "other"  # type: ignore[misc]
    assert not hasattr(x, "__dict__")
    assert len({x, Instruction(command="FA", query="rst_MFA", ctx=("MP", "AG3"))}) == 1
    assert pickle.loads(pickle.dumps(x)) == x
    assert dataclasses.replace(x, role=Role.MG).role is Role.MG
    with pytest.raises(ValueError, match="bad CTX code"):
        dataclasses.replace(x, ctx=("bad",))
    assert x.canonical().ctx == ("AG3", "MP") and x.canonical().query == x.query
