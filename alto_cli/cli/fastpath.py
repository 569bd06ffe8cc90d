"""A start-up fast path: run the hot commands without Typer's parameter conversion.

Typer 0.29 converts every parameter through a pydantic TypeAdapter, and importing pydantic
and building the adapters costs more than a cache-hit ``alto run``. For the commands in
``FAST_COMMANDS`` ``main`` parses argv here instead, with a parser derived from the command's
own Typer declarations (the ``Annotated[..., typer.Option(...)]`` parameters: names, flags,
defaults, types), so every flag is declared once, in the command.

It is honest by refusing rather than guessing: only simple argv forms are parsed (``--opt
VALUE``, ``--opt=VALUE``, ``-o VALUE``, flags, positionals, ``--``); only str, bool flags,
int, float, Path, Enum, Optional and list parameters are understood; a value is converted only
when the conversion is certain to give what Typer would give. Anything else (``--help``, an
unknown or combined option, a bad or out-of-range value, a missing argument, completion, a
parameter with a callback or an env var) returns None, and Typer parses the whole command
line as usual, with its own messages and exit code 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

FAST_COMMANDS = frozenset({"translate", "run", "validate", "search"})
_INT_RE = re.compile(r"[0-9]+")
_FLOAT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LEAF_TYPES = (str, int, float)


class _Refused(Exception):
    """This argv (or command) needs Typer."""


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a command as Typer declares it."""

    name: str  # the Python keyword
    is_option: bool
    decls: tuple[str, ...]  # option names; "--x/--no-x" split into names for True and False
    false_decls: tuple[str, ...]
    item: Any  # the (element) type: str, int, float, bool, a Path or an Enum class
    multiple: bool  # list[...]: a repeated option, or a variadic argument
    is_flag: bool
    default: Any
    required: bool
    info: Any  # typer.models.ParameterInfo

    def convert(self, raw: str) -> Any:
        """The value Typer would pass for ``raw``; _Refused when Typer would reject it (or
        when this parser is not sure)."""
        item, info = self.item, self.info
        if item is str:
            return raw
        if item is int or item is float:
            if not (_INT_RE if item is int else _FLOAT_RE).fullmatch(raw):
                raise _Refused
            value = item(raw)
            if (info.min is not None and value < info.min) or (
                info.max is not None and value > info.max
            ):
                raise _Refused
            return value
        if isinstance(item, type) and issubclass(item, Enum):
            from typer._param_types import coerce_cli_choice

            try:
                return coerce_cli_choice(
                    raw, choices=tuple(item), case_sensitive=info.case_sensitive
                )
            except ValueError:
                raise _Refused from None
        if isinstance(item, type) and issubclass(item, Path):
            _check_path(raw, info)
            return item(raw)
        raise _Refused  # pragma: no cover - spec_for admits only the types above


def _check_path(raw: str, info: Any) -> None:
    """Refuse a path that Typer's checks (exists, file/dir, readable, writable) would reject."""
    if "\x00" in raw:
        raise _Refused
    if info.allow_dash and raw == "-":
        return
    try:
        st = os.stat(raw)
    except OSError:
        if info.exists:
            raise _Refused from None
        return
    import stat

    if (not info.file_okay and stat.S_ISREG(st.st_mode)) or (
        not info.dir_okay and stat.S_ISDIR(st.st_mode)
    ):
        raise _Refused
    if (info.readable and not os.access(raw, os.R_OK)) or (
        info.writable and not os.access(raw, os.W_OK)
    ):
        raise _Refused


def _param_spec(name: str, meta: Any) -> ParamSpec:
    """A ParamSpec from Typer's own reading of one parameter, as typer.main._get_param does."""
    from typer._param_types import lenient_issubclass, parse_param_annotation
    from typer._typing import get_args, get_origin
    from typer.models import ArgumentInfo, OptionInfo, ParameterInfo

    info = meta.default
    if not isinstance(info, ParameterInfo):
        raise _Refused  # a plain `x: int = 5` parameter: leave it to Typer
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
        raise _Refused
    required = info.default is ...
    default = None if required else info.default
    annotation = parse_param_annotation(meta, default)
    multiple = lenient_issubclass(get_origin(annotation), list)
    item = get_args(annotation)[0] if multiple else annotation
    if get_origin(item) is not None or not (
        item in _LEAF_TYPES
        or item is bool
        or lenient_issubclass(item, Enum)
        or lenient_issubclass(item, Path)
    ):
        raise _Refused
    is_option = isinstance(info, OptionInfo)
    if not is_option and not isinstance(info, ArgumentInfo):
        raise _Refused
    is_flag = is_option and item is bool and not multiple
    if item is bool and not is_flag:
        raise _Refused  # bool arguments and lists of bools: Typer's business
    decls: list[str] = []
    false_decls: list[str] = []
    if is_option:
        declared = info.param_decls or (
            f"--{name.replace('_', '-')}" + (f"/--no-{name.replace('_', '-')}" if is_flag else ""),
        )
        for decl in declared:
            on, slash, off = decl.partition("/")
            if slash and not is_flag:
                raise _Refused
            decls += [d.strip() for d in on.split(",") if d.strip().startswith("-")]
            false_decls += [d.strip() for d in off.split(",") if d.strip().startswith("-")]
        if any(not _plain_decl(d) for d in decls + false_decls):
            raise _Refused
    return ParamSpec(
        name=name,
        is_option=is_option,
        decls=tuple(decls),
        false_decls=tuple(false_decls),
        item=item,
        multiple=multiple,
        is_flag=is_flag,
        default=_default_value(default, item, multiple, is_flag, info),
        required=required,
        info=info,
    )


def _plain_decl(decl: str) -> bool:
    """``--long-name`` or ``-x``: the forms parse() matches exactly."""
    if decl.startswith("--"):
        return len(decl) > 2 and "=" not in decl
    return len(decl) == 2 and decl[1] != "-"


def _default_value(default: Any, item: Any, multiple: bool, is_flag: bool, info: Any) -> Any:
    """The default as Typer would pass it (after its conversion), or _Refused."""
    if default is None:
        return None
    if multiple:
        raise _Refused
    if is_flag:
        if isinstance(default, bool):
            return default
        raise _Refused
    if isinstance(item, type) and issubclass(item, Enum) and isinstance(default, item):
        return default
    if item is str and isinstance(default, str):
        return default
    if item in (int, float) and isinstance(default, int) and not isinstance(default, bool):
        out_of_range = (info.min is not None and default < info.min) or (
            info.max is not None and default > info.max
        )
        if not out_of_range:
            return item(default)
    raise _Refused


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
        variadic = [i for i, p in enumerate(self.arguments) if p.multiple]
        if variadic and variadic != [len(self.arguments) - 1]:
            raise _Refused  # only a last variadic argument is parsed here

    @classmethod
    def of(cls, callback: Callable[..., Any]) -> CommandSpec | None:
        """The spec of a Typer command function; None when some parameter needs Typer."""
        from typer.utils import get_params_from_function

        try:
            metas = get_params_from_function(callback)
            return cls([_param_spec(name, meta) for name, meta in metas.items()])
        except _Refused:
            return None

    def parse(self, args: list[str]) -> dict[str, Any] | None:
        """The values given on the command line, converted; None when Typer should parse."""
        try:
            return self._parse(args)
        except _Refused:
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
                raise _Refused  # --help, an unknown option, -k5, -qk ...: Typer's business
            param, on = self.options[name]
            if param.is_flag:
                if eq:
                    raise _Refused
                given[param.name] = on
            else:
                if eq:
                    raw = inline
                elif i + 1 < len(args) and (args[i + 1] == "-" or not args[i + 1].startswith("-")):
                    i += 1
                    raw = args[i]
                else:
                    raise _Refused
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
                    raise _Refused
                rest = []
            elif rest:
                given[param.name] = param.convert(rest.pop(0))
            elif param.required:
                raise _Refused  # Typer says which argument is missing
        if rest:
            raise _Refused  # extra arguments: Typer's error

    def call_kwargs(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every parameter, as Typer calls the command: given values over the defaults."""
        return {p.name: given.get(p.name, p.default) for p in self.params}


def _completion_requested() -> bool:
    # Click's shell completion is driven by an environment variable like _ALTO_COMPLETE.
    return any(key.startswith("_") and key.endswith("_COMPLETE") for key in os.environ)


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


def prepare(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """(command callback, keyword arguments) for a fast call, or None for Typer."""
    if not args or args[0] not in FAST_COMMANDS or _completion_requested():
        return None
    from alto_cli.cli.app import app

    callback = find_command(app, args[0])
    spec = CommandSpec.of(callback) if callback is not None else None
    given = spec.parse(args[1:]) if spec is not None else None
    if callback is None or spec is None or given is None:
        return None
    return callback, spec.call_kwargs(given)


def parse_translate_args(args: list[str]) -> dict[str, Any] | None:
    """The values given to ``alto translate`` (kept for callers of the first fast path)."""
    if not args or args[0] != "translate":
        return None
    from alto_cli.cli.app import app

    callback = find_command(app, "translate")
    spec = CommandSpec.of(callback) if callback is not None else None
    return spec.parse(args[1:]) if spec is not None else None


def run(args: list[str]) -> int | None:
    """Run the command without Typer's parsing; None when these args need Typer."""
    prepared = prepare(args)
    if prepared is None:
        return None
    import typer

    callback, kwargs = prepared
    try:
        callback(**kwargs)  # registered through AltoTyper: already wrapped by guard()
    except typer.Exit as done:
        return int(done.exit_code or 0)
    return 0
