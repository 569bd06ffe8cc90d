"""Generate ``fast_spec.json``, the start-up fast path's parser spec, from the Typer declarations.

Run ``make fast-spec`` (``python -m alto_cli.cli.fast_spec_build``) after changing a flag of
translate, run, validate or search; a test fails while the committed file differs from what
this gives. Each parameter is read as Typer reads it (``typer.main._get_param`` does the same
steps); a parameter this parser does not understand makes the whole command's entry null, so
the fast path leaves that command to Typer.
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

from alto_cli.cli.bodies import BODY_ATTR
from alto_cli.cli.fastpath import FAST_COMMANDS, SPEC_FILE, CommandSpec, Refused, import_object
from alto_cli.fsutil import atomic_write_text

REGENERATE = "make fast-spec  (or: python -m alto_cli.cli.fast_spec_build)"
_LEAF_NAMES = {str: "str", int: "int", float: "float", bool: "bool"}
_PATH_CHECKS = ("exists", "file_okay", "dir_okay", "readable", "writable")


def param_dict(name: str, meta: Any) -> dict[str, Any]:
    """One parameter's spec entry from Typer's own reading of it; Refused when the fast
    parser cannot give exactly Typer's value for it."""
    from typer._param_types import lenient_issubclass, parse_param_annotation
    from typer._typing import get_args, get_origin
    from typer.models import ArgumentInfo, OptionInfo, ParameterInfo

    info = meta.default
    if not isinstance(info, ParameterInfo):
        raise Refused  # a plain `x: int = 5` parameter: leave it to Typer
    unsupported = (
        info.callback is not None
        or info.is_eager
        or info.envvar is not None
        or not info.expose_value
        or info.parser is not None
        or info.default_factory is not None
        or info.clamp
        or info.resolve_path
        or info.path_type is not None
        or getattr(info, "click_type", None) is not None
    )
    if isinstance(info, OptionInfo):
        unsupported = unsupported or bool(info.prompt) or info.count
    if unsupported:
        raise Refused
    required = info.default is ...
    default = None if required else info.default
    annotation = parse_param_annotation(meta, default)
    multiple = lenient_issubclass(get_origin(annotation), list)
    item = get_args(annotation)[0] if multiple else annotation
    if get_origin(item) is not None:
        raise Refused
    is_option = isinstance(info, OptionInfo)
    if not is_option and not isinstance(info, ArgumentInfo):
        raise Refused
    is_flag = is_option and item is bool and not multiple
    if item is bool and not is_flag:
        raise Refused  # bool arguments and lists of bools: Typer's business
    kind, checks, extra = _type_entry(item, info)
    decls: list[str] = []
    false_decls: list[str] = []
    if is_option:
        declared = info.param_decls or (
            f"--{name.replace('_', '-')}" + (f"/--no-{name.replace('_', '-')}" if is_flag else ""),
        )
        for decl in declared:
            on, slash, off = decl.partition("/")
            if slash and not is_flag:
                raise Refused
            decls += [d.strip() for d in on.split(",") if d.strip().startswith("-")]
            false_decls += [d.strip() for d in off.split(",") if d.strip().startswith("-")]
        if any(not _plain_decl(d) for d in decls + false_decls):
            raise Refused
    return {
        "name": name,
        "kind": "option" if is_option else "argument",
        "type": kind,
        **extra,
        "multiple": multiple,
        "flag": is_flag,
        "required": required,
        "default": _default_value(default, item, multiple, is_flag, checks),
        "decls": decls,
        "false_decls": false_decls,
        "checks": checks,
    }


def _type_entry(item: Any, info: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(type name, the ParameterInfo details its conversion follows, extra keys)."""
    if item in _LEAF_NAMES:
        checks = {"min": info.min, "max": info.max} if item in (int, float) else {}
        return _LEAF_NAMES[item], checks, {}
    if isinstance(item, type) and issubclass(item, Enum):
        ref = f"{item.__module__}:{item.__qualname__}"
        if import_object(ref) is not item:
            raise Refused  # not importable by name (a local class): Typer's business
        choices = [member.value for member in item]
        if not all(isinstance(value, str) for value in choices):
            raise Refused
        return "enum", {"case_sensitive": info.case_sensitive}, {"enum": ref, "choices": choices}
    if item is Path:
        if info.allow_dash:
            # Typer 0.29 compares the converted Path with "-", so '-' is never let through
            # as a dash: not a behaviour to copy.
            raise Refused
        return "path", {name: getattr(info, name) for name in _PATH_CHECKS}, {}
    raise Refused


def _plain_decl(decl: str) -> bool:
    """``--long-name`` or ``-x``: the forms the parser matches exactly."""
    if decl.startswith("--"):
        return len(decl) > 2 and "=" not in decl
    return len(decl) == 2 and decl[1] != "-"


def _default_value(
    default: Any, item: Any, multiple: bool, is_flag: bool, checks: dict[str, Any]
) -> Any:
    """The default as Typer would pass it (after its conversion), as JSON; or Refused."""
    if default is None:
        return None
    if multiple:
        raise Refused
    if is_flag:
        if isinstance(default, bool):
            return default
        raise Refused
    if isinstance(item, type) and issubclass(item, Enum) and isinstance(default, item):
        return default.value
    if item is str and isinstance(default, str):
        return default
    if item in (int, float) and isinstance(default, int) and not isinstance(default, bool):
        low, high = checks["min"], checks["max"]
        if not ((low is not None and default < low) or (high is not None and default > high)):
            return item(default)
    raise Refused


def params_of(callback: Callable[..., Any]) -> list[dict[str, Any]]:
    """Every parameter's entry for a Typer command function; Refused when one needs Typer."""
    from typer.utils import get_params_from_function

    params = [param_dict(name, meta) for name, meta in get_params_from_function(callback).items()]
    arguments = [p for p in params if p["kind"] == "argument"]
    variadic = [i for i, p in enumerate(arguments) if p["multiple"]]
    if variadic and variadic != [len(arguments) - 1]:
        raise Refused  # only a last variadic argument is parsed
    return params


def command_spec(callback: Callable[..., Any]) -> CommandSpec | None:
    """The fast path's parser for a Typer command function, through the JSON round trip."""
    try:
        params = params_of(callback)
    except Refused:
        return None
    return CommandSpec.from_dicts(json.loads(json.dumps(params)))


def find_command(app: Any, name: str) -> Callable[..., Any] | None:
    """The (guarded) callback Typer would run for ``alto NAME``."""
    from typer.main import get_command_name

    for info in app.registered_commands:
        callback = info.callback
        if callback is None:
            continue
        if (info.name or get_command_name(callback.__name__)) == name:
            return callback
    return None


def command_entry(app: Any, name: str) -> dict[str, Any] | None:
    callback = find_command(app, name)
    body_ref = getattr(callback, BODY_ATTR, None)
    if callback is None or body_ref is None:
        return None  # no Typer-free body (@runs) to call: Typer runs it
    try:
        params = params_of(callback)
    except Refused:
        return None
    body = inspect.signature(import_object(body_ref)).parameters
    names = [p["name"] for p in params]
    if list(body) != names or any(p.kind is not p.KEYWORD_ONLY for p in body.values()):
        raise SystemExit(
            f"{body_ref} must take exactly the keyword-only parameters {names} "
            f"of the `alto {name}` declaration"
        )
    return {"body": body_ref, "params": params}


def build() -> dict[str, Any]:
    """The spec of every fast command, from the live Typer app."""
    from alto_cli.cli.app import app

    return {
        "generated_by": REGENERATE,
        "commands": {name: command_entry(app, name) for name in sorted(FAST_COMMANDS)},
    }


def render(spec: dict[str, Any]) -> str:
    """The spec as JSON with one parameter a line, so a changed flag is a one-line diff."""

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    commands = []
    for name, entry in spec["commands"].items():
        if entry is None:
            commands.append(f"  {line(name)}: null")
            continue
        params = ",\n".join(f"    {line(param)}" for param in entry["params"])
        commands.append(
            f'  {line(name)}: {{\n   "body": {line(entry["body"])},\n   "params": [\n'
            f"{params}\n   ]\n  }}"
        )
    return (
        f'{{\n "generated_by": {line(spec["generated_by"])},\n "commands": {{\n'
        + ",\n".join(commands)
        + "\n }\n}\n"
    )


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else SPEC_FILE
    text = render(build())
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{target}: up to date")
        return 0
    atomic_write_text(target, text)
    print(f"{target}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
