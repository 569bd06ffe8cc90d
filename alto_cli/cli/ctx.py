"""``alto ctx``: list, show, register and remove CTX codes in the registry file."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from alto_cli.cli.app import new_app
from alto_cli.cli.options import JsonOpt, QuietOpt, RegistryOpt
from alto_cli.cli.output import Output
from alto_cli.errors import InvalidInputError, NotFoundError

ctx_app = new_app("ctx", help="List, show, register and remove CTX codes (the CTX registry).")


def register(app: typer.Typer) -> None:
    app.add_typer(ctx_app, name="ctx")


def _entry_dict(entry: Any) -> dict[str, Any]:
    return entry.model_dump(mode="json")


@ctx_app.command("list")
def list_codes(registry: RegistryOpt = None, json: JsonOpt = False) -> None:
    """List the registered codes."""
    from alto_cli.config import registry_path
    from alto_cli.registry import load_registry

    loaded = load_registry(registry_path(registry))
    out = Output(json_mode=json)
    if json:
        out.json([_entry_dict(entry) for entry in loaded])
        return
    out.table(
        ["CODE", "NAME", "TITLE", "SOURCES"],
        [(e.code, e.name, e.title, len(e.sources)) for e in loaded],
    )


@ctx_app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="The CTX code, e.g. AG3.")],
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show one code's entry."""
    import difflib

    from alto_cli.config import registry_path
    from alto_cli.registry import load_registry

    loaded = load_registry(registry_path(registry))
    entry = loaded.get(code.strip().upper())
    if entry is None:
        close = difflib.get_close_matches(code.strip().upper(), loaded.codes, n=1, cutoff=0.5)
        raise NotFoundError(
            f"no CTX code {code!r} in {loaded.path}",
            hint=f"did you mean {close[0]}?" if close else "alto ctx list shows the codes",
        )
    out = Output(json_mode=json)
    if json:
        out.json(_entry_dict(entry))
        return
    lines = [
        f"code: {entry.code}",
        f"name: {entry.name}",
        f"title: {entry.title}",
        f"description: {entry.description}",
        f"keywords: {', '.join(entry.keywords)}",
        "sources:" + "".join(f"\n  {source}" for source in entry.sources),
    ]
    out.text("\n".join(lines))


@ctx_app.command("register")
def register_cmd(
    code: Annotated[
        Optional[str],  # noqa: UP045 - Typer needs Optional on 3.10
        typer.Argument(help="The new code (2-8 chars, A-Z then A-Z/0-9); omit with --suggest."),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="snake_case name, e.g. billing_faq.")] = "",
    title: Annotated[str, typer.Option("--title", help="Human title.")] = "",
    description: Annotated[str, typer.Option("--description", help="One line.")] = "",
    keyword: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--keyword", "-k", help="A keyword or alias (repeatable)."),
    ] = None,
    source: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--source", "-s", help="A glob of its documents, relative to the registry."),
    ] = None,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Derive a free code from --name and use it.")
    ] = False,
    registry: RegistryOpt = None,
    json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Register a new code. An existing code or name is refused and the file left untouched."""
    from alto_cli.config import registry_path
    from alto_cli.registry_edit import register_code

    if not name:
        raise InvalidInputError("--name is required", hint="e.g. --name billing_faq")
    if code and suggest:
        raise InvalidInputError("give CODE or --suggest, not both")
    if not code and not suggest:
        raise InvalidInputError("give a CODE, or --suggest to derive one from --name")
    path = registry_path(registry)
    out = Output(json_mode=json, quiet=quiet)
    entry = register_code(
        path,
        None if suggest else code,
        name,
        title=title,
        description=description,
        keywords=keyword or (),
        sources=source or (),
    )
    if suggest:
        out.info(f"suggested code: {entry.code}")
    if json:
        out.json({"registered": _entry_dict(entry), "registry": str(path), "suggested": suggest})
    else:
        out.text(f"registered {entry.code} ({entry.name}) in {path}")


@ctx_app.command("remove")
def remove(
    code: Annotated[str, typer.Argument(help="The CTX code to remove.")],
    registry: RegistryOpt = None,
    json: JsonOpt = False,
) -> None:
    """Remove a code from the registry (documents tagged with it keep their tags)."""
    from alto_cli.config import registry_path
    from alto_cli.registry_edit import remove_code

    path = registry_path(registry)
    entry = remove_code(path, code)
    out = Output(json_mode=json)
    if json:
        out.json({"removed": _entry_dict(entry), "registry": str(path)})
    else:
        out.text(f"removed {entry.code} ({entry.name}) from {path}")
