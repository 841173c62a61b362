"""`mpm check`: validate every file, all problems at once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mpm.cli.options import WorkspaceOpt
from mpm.cli.steps import annotation_prefix, check_root, workspace_root


class CheckFmt(StrEnum):
    table = "table"
    json = "json"
    github = "github"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    workspace: WorkspaceOpt = None,
    fmt: Annotated[CheckFmt | None, typer.Option("--format", "-f",
                   help="table (default; github under GitHub Actions), json or github.")] = None,
) -> None:
    """Validate every file in the workspace; report all problems at once.

    Each problem is shown as path:line:col with the source line and a hint.
    Exit 0 when there are no errors (warnings allowed), 2 when there are.

    Example: mpm check --workspace examples/acme
    """
    import os

    from mpm.read.diagnostics import has_errors
    from mpm.render import diagnostics as render
    from mpm.render.console import console, out, styled

    root = workspace_root(workspace)
    ws, found = check_root(root, replay=True)
    if fmt is None:
        fmt = CheckFmt.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFmt.table
    counts = ws.counts()
    if fmt is CheckFmt.json:
        out(render.as_json(found, counts))
    elif fmt is CheckFmt.github:
        out(render.as_github(found, annotation_prefix(root)))
    else:
        render.print_text(found)
        errors = sum(1 for d in found if d.severity.value == "error")
        warnings = len(found) - errors
        what = ", ".join(plural(counts[k], k[:-1]) for k in ("campaigns", "tasks", "goals", "risks"))
        if not found and not styled():  # CI's usual answer, without importing Rich for one plain line
            out(f"checked {what}: all good\n")
        elif errors:
            console().print(f"[bold red]{plural(errors, 'error')}[/], {plural(warnings, 'warning')} in {what}",
                            soft_wrap=True)
        elif warnings:
            console().print(f"checked {what}: [bold yellow]{plural(warnings, 'warning')}[/]", soft_wrap=True)
        else:
            console().print(f"checked {what}: [green]all good[/]", soft_wrap=True)
    if has_errors(found):
        raise typer.Exit(2)
