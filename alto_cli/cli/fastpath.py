"""A start-up fast path: run the hot commands without importing Typer.

Importing Typer (with its bundled Click) costs about a third of a cold ``alto translate``, and
Typer 0.29 also converts every parameter through a pydantic TypeAdapter. For the commands in
``fast_spec.json`` ``run`` parses argv here instead and calls the command's Typer-free body
(alto_cli/cli/bodies/) under the same error guard (cli/guard.py). The spec is generated from the
commands' own Typer declarations (``make fast-spec``, cli/fast_spec_build.py; a test checks it is
current), so every flag is still declared once, in the command.

It is honest by refusing rather than guessing: only simple argv forms are parsed (``--opt
VALUE``, ``--opt=VALUE``, ``-o VALUE``, flags, positionals, ``--``); only str, bool flags,
int, float, Path, Enum, Optional and list parameters are understood; a value is converted only
when the conversion is certain to give what Typer would give. Anything else (``--help``, an
unknown or combined option, a bad or out-of-range value, a missing argument, completion, a
command whose declarations the generator could not reduce to a spec) returns None, and Typer
parses the whole command line as usual, with its own messages and exit code 2.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).with_name("fast_spec.json")
FAST_COMMANDS = frozenset({"translate", "run", "validate", "search"})
_INT_RE = re.compile(r"[0-9]+")
_FLOAT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LEAF_TYPES = {"str": str, "int": int, "float": float, "bool": bool, "path": Path}


class Refused(Exception):
    """This argv (or command) needs Typer."""


def import_object(ref: str) -> Any:
    """The object a ``module:qualname`` reference names."""
    module, _, qualname = ref.partition(":")
    # __import__, not importlib.import_module: an import statement's path, which
    # `python -X importtime` reports (import_module's does not show there).
    __import__(module)
    target: Any = sys.modules[module]
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a command, as its Typer declaration gives it (one spec entry)."""

    name: str  # the Python keyword
    is_option: bool
    decls: tuple[str, ...]  # option names; "--x/--no-x" split into names for True and False
    false_decls: tuple[str, ...]
    item: Any  # the (element) type: str, int, float, bool, Path or an Enum class
    multiple: bool  # list[...]: a repeated option, or a variadic argument
    is_flag: bool
    default: Any
    required: bool
    checks: dict[str, Any]  # the ParameterInfo details conversion follows (min, max, ...)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParamSpec:
        kind = data["type"]
        item = import_object(data["enum"]) if kind == "enum" else _LEAF_TYPES[kind]
        default = data["default"]
        if kind == "enum" and default is not None:
            default = item(default)
        return cls(
            name=data["name"],
            is_option=data["kind"] == "option",
            decls=tuple(data["decls"]),
            false_decls=tuple(data["false_decls"]),
            item=item,
            multiple=data["multiple"],
            is_flag=data["flag"],
            default=default,
            required=data["required"],
            checks=data["checks"],
        )

    def convert(self, raw: str) -> Any:
        """The value Typer would pass for ``raw``; Refused when Typer would reject it (or
        when this parser is not sure)."""
        item, checks = self.item, self.checks
        if item is str:
            return raw
        if item is int or item is float:
            if not (_INT_RE if item is int else _FLOAT_RE).fullmatch(raw):
                raise Refused
            value = item(raw)
            low, high = checks.get("min"), checks.get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                raise Refused
            return value
        if isinstance(item, type) and issubclass(item, Enum):
            return _choice(raw, item, case_sensitive=checks["case_sensitive"])
        if item is Path:
            _check_path(raw, checks)
            return Path(raw)
        raise Refused  # pragma: no cover - the generator admits only the types above


def _choice(raw: str, enum: type[Enum], *, case_sensitive: bool) -> Enum:
    """The member Typer's choice coercion picks: the first whose value, as a string (casefolded
    when not case-sensitive), equals ``raw`` the same way."""

    def norm(text: str) -> str:
        return text if case_sensitive else text.casefold()

    wanted = norm(raw)
    for member in enum:
        if norm(str(member.value)) == wanted:
            return member
    raise Refused


def _check_path(raw: str, checks: dict[str, Any]) -> None:
    """Refuse a path that Typer's checks (exists, file/dir, readable, writable) would reject."""
    if "\x00" in raw:
        raise Refused
    try:
        st = os.stat(raw)
    except OSError:
        if checks["exists"]:
            raise Refused from None
        return
    import stat

    if (not checks["file_okay"] and stat.S_ISREG(st.st_mode)) or (
        not checks["dir_okay"] and stat.S_ISDIR(st.st_mode)
    ):
        raise Refused
    if (checks["readable"] and not os.access(raw, os.R_OK)) or (
        checks["writable"] and not os.access(raw, os.W_OK)
    ):
        raise Refused


class CommandSpec:
    """The parameters of one command and a parser for simple argv forms."""

    def __init__(self, params: list[ParamSpec]) -> None:
        self.params = params
        self.arguments = [p for p in params if not p.is_option]
        self.options: dict[str, tuple[ParamSpec, bool]] = {}
        for param in params:
            for decl in param.decls:
                self.options[decl] = (param, True)
            for decl in param.false_decls:
                self.options[decl] = (param, False)

    @classmethod
    def from_dicts(cls, params: list[dict[str, Any]]) -> CommandSpec:
        return cls([ParamSpec.from_dict(param) for param in params])

    def parse(self, args: list[str]) -> dict[str, Any] | None:
        """The values given on the command line, converted; None when Typer should parse."""
        try:
            return self._parse(args)
        except Refused:
            return None

    def _parse(self, args: list[str]) -> dict[str, Any]:
        given: dict[str, Any] = {}
        positionals: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                positionals += args[i + 1 :]
                break
            if arg == "-" or not arg.startswith("-"):
                positionals.append(arg)
                i += 1
                continue
            name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            if name not in self.options:
                raise Refused  # --help, an unknown option, -k5, -qk ...: Typer's business
            param, on = self.options[name]
            if param.is_flag:
                if eq:
                    raise Refused
                given[param.name] = on
            else:
                if eq:
                    raw = inline
                elif i + 1 < len(args) and (args[i + 1] == "-" or not args[i + 1].startswith("-")):
                    i += 1
                    raw = args[i]
                else:
                    raise Refused
                value = param.convert(raw)
                if param.multiple:
                    given.setdefault(param.name, []).append(value)
                else:
                    given[param.name] = value  # click keeps the last of repeated options
            i += 1
        self._assign(positionals, given)
        return given

    def _assign(self, positionals: list[str], given: dict[str, Any]) -> None:
        rest = list(positionals)
        for param in self.arguments:
            if param.multiple:
                if rest:
                    given[param.name] = [param.convert(raw) for raw in rest]
                elif param.required:
                    raise Refused
                rest = []
            elif rest:
                given[param.name] = param.convert(rest.pop(0))
            elif param.required:
                raise Refused  # Typer says which argument is missing
        if rest:
            raise Refused  # extra arguments: Typer's error

    def call_kwargs(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every parameter, as Typer calls the command: given values over the defaults."""
        return {p.name: given.get(p.name, p.default) for p in self.params}


def load_spec(path: Path = SPEC_FILE) -> dict[str, Any]:
    """The committed spec: {"commands": {name: {"body": "module:function", "params": [...]}
    or None when the command needs Typer}}."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _completion_requested() -> bool:
    # Click's shell completion is driven by an environment variable like _ALTO_COMPLETE.
    return any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)


def prepare(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """(command body, keyword arguments) for a fast call, or None for Typer."""
    if not args or args[0] not in FAST_COMMANDS or _completion_requested():
        return None
    entry = load_spec()["commands"].get(args[0])
    if entry is None:
        return None
    spec = CommandSpec.from_dicts(entry["params"])
    given = spec.parse(args[1:])
    if given is None:
        return None
    return import_object(entry["body"]), spec.call_kwargs(given)


def parse_translate_args(args: list[str]) -> dict[str, Any] | None:
    """The values given to ``alto translate`` (kept for callers of the first fast path)."""
    if not args or args[0] != "translate":
        return None
    entry = load_spec()["commands"].get("translate")
    return CommandSpec.from_dicts(entry["params"]).parse(args[1:]) if entry else None


def run(args: list[str]) -> int | None:
    """Run the command without Typer; None when these args need Typer."""
    prepared = prepare(args)
    if prepared is None:
        return None
    from alto_cli.cli.guard import CommandExit, guarded

    body, kwargs = prepared
    try:
        with guarded():
            body(**kwargs)
    except CommandExit as done:
        return done.code
    return 0
