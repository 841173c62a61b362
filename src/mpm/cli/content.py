"""`mpm content`: the content inventory, reuse, refreshes and the channel calendar."""

from __future__ import annotations

from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, ViewFmt, WorkspaceOpt, fail
from mpm.cli.steps import known_campaigns, known_person, load_and_plan

DateOpt = Annotated[str | None, typer.Option(metavar="DATE")]


def register(app: typer.Typer) -> None:
    app.command("content")(content)


def content(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    start: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help="First day of the calendar (default: the as-of date's quarter).")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", metavar="DATE", help="Last day of the calendar (default: the end of that quarter).")] = None,
    campaign: Annotated[list[str] | None, typer.Option(
        "--campaign", "-c", help="Only this campaign (repeatable).")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Only this person's work.")] = None,
    fmt: Annotated[ViewFmt, typer.Option("--format", "-f", help="table, json or md.")] = ViewFmt.table,
) -> None:
    """The content programme: assets by kind and status, what was reused, refreshes due,
    and the calendar by channel with cadence gaps and collisions.

    The inventory comes from each campaign's assets.yaml; the calendar lists
    what starts in the period on each channel across campaigns, each
    occurrence of a repeating task under its own title.

    Example: mpm content --from 2026-11-01 --to 2026-12-31 --channel blog
    """
    from datetime import date

    from mpm.read.fiscal import quarter_of
    from mpm.render import content as render
    from mpm.render.console import console, out
    from mpm.views.content import ContentFilter, content_view

    ws, plan = load_and_plan(workspace, as_of, replay=True)
    day = plan.as_of
    quarter = quarter_of(day, ws.config.fiscal_year_start if ws.config else 1)
    try:
        first = date.fromisoformat(start) if start else quarter.start
        last = date.fromisoformat(end) if end else quarter.end
    except ValueError as exc:
        fail(f"--from/--to: {exc}", "write dates as YYYY-MM-DD")
    if last < first:
        fail(f"--to ({last}) is before --from ({first})", "swap them: --from is the first day, --to the last")
    chosen = ContentFilter(known_campaigns(ws, campaign), channel, known_person(ws, person))
    view = content_view(ws, plan, day, first, last, chosen)
    if fmt is ViewFmt.json:
        out(render.content_json(view))
    elif fmt is ViewFmt.md:
        out(render.content_markdown(view))
    else:
        render.print_content(console(), view)
