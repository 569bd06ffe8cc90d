"""The cache-hit path of ``run`` keeps a translation's fields and builds the validated model
only when asked: both must say the same thing."""

from __future__ import annotations

from alto_cli.language import canonical, parse, to_compact
from alto_cli.language.symbols import Command, Format, Language, Role
from alto_cli.runner import RunResult, as_model
from alto_cli.translate.result import Fields


def _fields() -> Fields:
    return Fields(Command.FA, "rst_MFA", ("MP", "AG3"), Format.STP, Role.HR, Language.EN)


def test_canonical_reads_fields_and_models_alike() -> None:
    model = as_model(_fields())
    assert canonical(_fields()) == canonical(model) == to_compact(model.canonical())
    assert canonical(_fields()) == "CMD:FA|Q:rst_MFA|CTX:AG3,MP|FMT:STP|U:HR|L:EN"
    parsed = parse("CMD:GC|Q:x|CTX:TK2,AG3")
    assert canonical(parsed) == to_compact(parsed.canonical())


def test_run_result_builds_the_model_on_first_use() -> None:
    result = RunResult(_fields(), "q", "a", [], "", 0, 0, 10, {"total": 1.0}, True, "cache")
    assert result.instruction == as_model(_fields())
    assert result.instruction.canonical().ctx == ("AG3", "MP")
    data = result.to_dict()
    assert next(iter(data)) == "instruction" and "fields" not in data
    assert data["instruction"]["CTX"] == ["MP", "AG3"]
    assert data["instruction_compact"] == "CMD:FA|Q:rst_MFA|CTX:MP,AG3|FMT:STP|U:HR|L:EN"
