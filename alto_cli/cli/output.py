"""One output helper for every command.

Data goes to stdout: Rich on a terminal, plain text in pipes, JSON with ``--json``.
Progress, warnings and errors go to stderr. Rich honours ``NO_COLOR``.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any


class Output:
    def __init__(self, *, json_mode: bool = False, quiet: bool = False) -> None:
        self.json_mode = json_mode
        self.quiet = quiet
        self._out: Any = None
        self._err: Any = None

    # -- consoles, made on first use so plain output never imports Rich
    @property
    def rich_stdout(self) -> bool:
        return not self.json_mode and sys.stdout.isatty()

    def _stdout(self) -> Any:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=True)
        return self._out

    def _stderr(self) -> Any:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._err

    # -- data (stdout)
    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def jsonl(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def text(self, text: str, *, style: str | None = None) -> None:
        """Plain data text; styled only on a terminal."""
        if self.rich_stdout and style:
            self._stdout().print(text, style=style, markup=False)
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

    def markup(self, markup: str, *, plain: str) -> None:
        """Rich markup on a terminal, ``plain`` elsewhere."""
        if self.rich_stdout:
            self._stdout().print(markup)
        else:
            self.text(plain)

    def render(self, renderable: Any, *, plain: str) -> None:
        """A Rich renderable on a terminal, ``plain`` elsewhere."""
        if self.rich_stdout:
            self._stdout().print(renderable)
        else:
            self.text(plain)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        title: str | None = None,
    ) -> None:
        """A Rich table on a terminal; tab-separated lines with a header in pipes."""
        if self.rich_stdout:
            from rich.table import Table

            table = Table(title=title, header_style="bold")
            for column in columns:
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(*("" if cell is None else str(cell) for cell in row))
            self._stdout().print(table)
            return
        lines = ["\t".join(columns)]
        lines += ["\t".join("" if cell is None else str(cell) for cell in row) for row in rows]
        self.text("\n".join(lines))

    # -- diagnostics (stderr): Rich only on a terminal, so a piped run never imports it
    @property
    def rich_stderr(self) -> bool:
        return sys.stderr.isatty()

    def _plain_stderr(self, line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def info(self, message: str) -> None:
        if self.quiet:
            return
        if self.rich_stderr:
            self._stderr().print(message, markup=False, highlight=False)
        else:
            self._plain_stderr(message)

    def diagnostic(self, line: str) -> None:
        """A ``file:line:col: message`` line on stderr, shown even with --quiet."""
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def warn(self, message: str) -> None:
        if self.rich_stderr:
            self._stderr().print(f"alto: warning: {message}", style="yellow", markup=False)
        else:
            self._plain_stderr(f"alto: warning: {message}")

    def error(self, message: str, *, hint: str | None = None) -> None:
        if not self.rich_stderr:
            self._plain_stderr(f"alto: error: {message}")
            if hint:
                self._plain_stderr(f"hint: {hint}")
            return
        self._stderr().print(f"alto: error: {message}", style="red", markup=False)
        if hint:
            self._stderr().print(f"hint: {hint}", style="dim", markup=False)

    @contextlib.contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[Any]:
        """A progress bar on stderr when it is a terminal; yields ``advance(n=1)``."""
        if self.quiet or not sys.stderr.isatty():
            yield lambda n=1: None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=self._stderr(), transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)
