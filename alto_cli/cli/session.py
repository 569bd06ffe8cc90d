"""``alto session list|show|clear``: conversation sessions kept by ``alto run --session``."""

from __future__ import annotations

from typing import Annotated

import typer

from alto_cli.cli.app import new_app
from alto_cli.cli.options import JsonOpt, QuietOpt

NameArg = Annotated[str, typer.Argument(help="The session's name.")]


def register(app: typer.Typer) -> None:
    session_app = new_app("session", help="Conversation sessions: list, show, clear.")
    app.add_typer(session_app, name="session")

    @session_app.command("list")
    def list_command(json_out: JsonOpt = False) -> None:
        """Sessions, with their exchange and fact counts."""
        import datetime

        from alto_cli import sessions
        from alto_cli.cli.output import Output

        out = Output(json_mode=json_out)
        rows = sessions.list_sessions()
        if json_out:
            out.json(rows)
            return
        out.table(
            ["name", "exchanges", "facts", "updated"],
            [
                [
                    r["name"],
                    r["exchanges"],
                    r["facts"],
                    datetime.datetime.fromtimestamp(r["updated"]).isoformat(timespec="seconds"),
                ]
                for r in rows
            ],
        )

    @session_app.command("show")
    def show_command(name: NameArg, json_out: JsonOpt = False) -> None:
        """The session's facts, command patterns and recent exchanges, and the prompt context."""
        from alto_cli import sessions
        from alto_cli.cli.output import Output

        out = Output(json_mode=json_out)
        session = sessions.load(name)
        context = sessions.render_context(session)
        if json_out:
            out.json({**session.to_dict(), "context": context})
            return
        out.text(
            f"session {session.name}: {session.total} exchange(s), {len(session.facts)} fact(s)"
        )
        out.text(context)

    @session_app.command("clear")
    def clear_command(name: NameArg, json_out: JsonOpt = False, quiet: QuietOpt = False) -> None:
        """Delete a session."""
        from alto_cli import sessions
        from alto_cli.cli.output import Output
        from alto_cli.errors import NotFoundError

        out = Output(json_mode=json_out, quiet=quiet)
        if not sessions.clear(name):
            raise NotFoundError(f"no session named {name!r}", hint="see `alto session list`")
        if json_out:
            out.json({"cleared": name})
        else:
            out.text(f"cleared session {name}")
