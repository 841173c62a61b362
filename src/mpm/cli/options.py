"""Options shared by many commands, and the steps every command starts with."""

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
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Look at the plan as of this date (default: today)."),
]


class Fmt(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    github = "github"


def as_of_date(value: str | None) -> date:
    parsed = _parse_date(value)
    if parsed is not None:
        return parsed
    override = os.environ.get("MPM_TODAY")  # lets tests and demos pin "today"
    return date.fromisoformat(override) if override else date.today()


def fail(message: str, hint: str | None = None, code: int = 2) -> NoReturn:
    from mpm.render.console import console

    con = console(stderr=True)
    con.print(f"[bold red]error:[/] {_escape(message)}", soft_wrap=True)
    if hint:
        con.print(f"  [bold cyan]hint:[/] {_escape(hint)}", soft_wrap=True)
    raise typer.Exit(code)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def workspace_root(workspace: Path | None) -> Path:
    from mpm.load import WORKSPACE_FILE, WorkspaceNotFound, find_root

    if workspace is not None:
        if not (workspace / WORKSPACE_FILE).is_file():
            fail(f"{workspace} is not an mpm workspace: it has no {WORKSPACE_FILE}",
                 "create one with `mpm init`")
        return workspace.resolve()
    try:
        return find_root(Path.cwd())
    except WorkspaceNotFound as exc:
        fail(str(exc), "run `mpm init` to start one, or pass --workspace DIR")


def open_cache(root: Path):  # -> FileCache | None
    from mpm import cache

    return cache.FileCache(root) if cache.enabled() else None


def check_root(root: Path, *, replay: bool = False):  # -> (Workspace, [Diagnostic])
    """Load and check the workspace at `root`.

    `replay`: the command only reads the workspace and writes to stdout and
    stderr, so a recorded answer may stand in for the whole run (see answers).
    """
    from mpm.checks import check_workspace

    files = None
    if replay:
        from mpm.cli import answers

        files = answers.replay_or_record(root)
    return check_workspace(root, cache=open_cache(root), files=files)


def load_valid(workspace: Path | None, *, replay: bool = False):  # -> Workspace
    """The workspace, or exit 2 with its errors printed: plans need valid files."""
    from mpm.diagnostics import Severity

    root = workspace_root(workspace)
    ws, diagnostics = check_root(root, replay=replay)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        from mpm.render.diagnostics import print_text

        print_text(errors, stderr=True)
        fail(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in the workspace; nothing was planned",
             "run `mpm check` for the full list")
    return ws


def known_campaigns(ws, campaign: list[str] | None) -> list[str]:  # ws: Workspace
    """The campaigns asked for, or exit 2 naming the one that does not exist."""
    from mpm.diagnostics import did_you_mean

    known = [c.id for c in ws.campaigns]
    for c in campaign or []:
        if c not in known:
            fail(f"no campaign '{c}'", did_you_mean(c, known) or "campaigns: " + ", ".join(known))
    return list(campaign or [])


def known_person(ws, person: str | None) -> str | None:  # ws: Workspace
    """The person asked for, or exit 2 when they are not on the team."""
    if person is not None and person not in ws.team_ids:
        from mpm.diagnostics import did_you_mean

        fail(f"'{person}' is not on the team", did_you_mean(person, ws.team_ids))
    return person
