"""The body of ``alto validate`` (declared in alto_cli/cli/validate.py), free of Typer.

Exit codes: 0 all valid, 1 some invalid (or registry lint errors), 2 usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alto_cli.cli.guard import CommandExit
from alto_cli.cli.output import Output
from alto_cli.errors import InvalidInputError


def validate_body(
    *,
    inputs: list[str] | None,
    lint_registry: bool,
    registry: Path | None,
    json: bool,
    quiet: bool,
) -> None:
    from alto_cli.config import registry_path

    out = Output(json_mode=json, quiet=quiet)
    path = registry_path(registry)
    if lint_registry:
        if inputs:
            raise InvalidInputError("--lint-registry takes no instructions")
        raise CommandExit(_lint(path, out))
    from alto_cli.registry_snapshot import load_registry_snapshot
    from alto_cli.validate import validate_text

    sources = _read_inputs(inputs or [])
    loaded = load_registry_snapshot(path)  # no YAML parse when the file is unchanged
    results = [r for source, text in sources for r in validate_text(text, source, loaded)]
    if json:
        out.json([result.to_dict() for result in results])
    else:
        for result in results:
            if result.valid:
                out.text(str(result.canonical))
            for diagnostic in result.diagnostics:
                out.diagnostic(diagnostic.render())
        invalid = sum(not r.valid for r in results)
        out.info(
            f"{len(results)} instruction(s): {len(results) - invalid} valid, {invalid} invalid"
        )
    raise CommandExit(0 if all(r.valid for r in results) else 1)


def _read_inputs(inputs: list[str]) -> list[tuple[str, str]]:
    """(source name, text) per input; unreadable files and empty stdin are usage errors."""
    if not inputs:
        if sys.stdin is None or sys.stdin.isatty():
            raise InvalidInputError(
                "no input: give instructions or files, or pipe them on stdin",
                hint='alto validate "CMD:FA|Q:rst_MFA|CTX:AG3,MP"',
            )
        inputs = ["-"]
    sources: list[tuple[str, str]] = []
    for item in inputs:
        if item == "-":
            text = sys.stdin.read()
            if not text.strip():
                raise InvalidInputError("no input on stdin")
            sources.append(("<stdin>", text))
            continue
        path = Path(item)
        if _looks_like_path(item) and _exists(path):
            sources.append((item, _read_file(path)))
        elif _looks_like_path(item) and ":" not in item:
            # Every instruction holds a ':'; a bare word is a file name that is not there.
            raise InvalidInputError(f"{item}: no such file")
        else:
            sources.append(("<arg>", item))
    return sources


def _looks_like_path(item: str) -> bool:
    return bool(item.strip()) and "\n" not in item and "|" not in item and len(item) < 4096


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # e.g. a NUL byte or a name too long: not a file
        return False


def _read_file(path: Path) -> str:
    if path.is_dir():
        raise InvalidInputError(f"{path}: is a directory")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInputError(f"{path}: not UTF-8 text ({err.reason})") from None
    except OSError as err:
        raise InvalidInputError(f"{path}: cannot read: {err.strerror}") from None


def _lint(path: Path, out: Output) -> int:
    from alto_cli.registry_edit import lint_registry

    issues = lint_registry(path)
    errors = sum(issue.severity == "error" for issue in issues)
    if out.json_mode:
        out.json(
            {
                "registry": str(path),
                "valid": errors == 0,
                "errors": errors,
                "warnings": len(issues) - errors,
                "issues": [issue.to_dict() for issue in issues],
            }
        )
    else:
        for issue in issues:
            out.diagnostic(issue.render(path))
        out.info(f"{path}: {errors} error(s), {len(issues) - errors} warning(s)")
    return 1 if errors else 0
