"""Options shared by many commands: their declarations, parsing, and `fail`."""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", envvar="MPM_WORKSPACE", show_envvar=True,
                 help="Workspace folder (default: the nearest folder upward holding mpm.yaml).",
                 file_okay=False),
]


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        from mpm.read.fields import date_hint

        raise typer.BadParameter(f"'{value}' is not a date; {date_hint(value)}") from None
    return _in_window(parsed)


def _in_window(day: date) -> date:
    from mpm.read.fields import date_problem

    problem = date_problem(day)
    if problem:
        raise typer.BadParameter(problem)
    return day


def parse_date(value: str | None, option: str) -> date | None:
    """An option's date, or exit 2 naming the option (no file was involved)."""
    try:
        return _parse_date(value)
    except typer.BadParameter as exc:
        fail(f"{option}: {exc.message}", "mpm reads dates as YYYY-MM-DD, e.g. 2027-01-15: check the year too")


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Look at the plan as of this date (default: today)."),
]


LevelOpt = Annotated[
    bool | None,
    typer.Option("--level/--no-level",
                 help="Plan within people's hours (default: planning.level in mpm.yaml)."),
]


CampaignOpt = Annotated[list[str] | None, typer.Option(
    "--campaign", "-c", metavar="CAMPAIGN", help="Only this campaign (repeatable).")]
PersonOpt = Annotated[str | None, typer.Option("--person", "-p", metavar="PERSON", help="Only this person's work.")]



class ViewFmt(StrEnum):
    """The formats of a view: `--format` lists only what a command has."""

    table = "table"
    json = "json"
    md = "md"


class DataFmt(StrEnum):
    """The formats of a listing without a Markdown form (playbooks, a new campaign)."""

    table = "table"
    json = "json"


class FindingsFmt(StrEnum):
    """The formats of a command that reports problems at file:line:col (`playbook check`)."""

    table = "table"
    json = "json"
    github = "github"


def as_of_date(value: str | None) -> date:
    parsed = _parse_date(value)
    if parsed is not None:
        return parsed
    override = os.environ.get("MPM_TODAY")  # lets tests and demos pin "today"
    if override:
        return _parse_date(override)  # type: ignore[return-value]
    return _in_window(date.today())


def fail(message: str, hint: str | None = None, code: int = 2) -> NoReturn:
    from mpm.render.console import console

    con = console(stderr=True)
    con.print(f"[bold red]error:[/] {_escape(message)}", soft_wrap=True)
    if hint:
        con.print(f"  [bold cyan]hint:[/] {_escape(hint)}", soft_wrap=True)
    raise typer.Exit(code)


def notice(message: str, hint: str | None = None) -> None:
    """Something the user should know that does not stop the command, on stderr."""
    from mpm.render.console import console

    con = console(stderr=True)
    con.print(f"[bold yellow]note:[/] {_escape(message)}", soft_wrap=True)
    if hint:
        con.print(f"  [bold cyan]hint:[/] {_escape(hint)}", soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
