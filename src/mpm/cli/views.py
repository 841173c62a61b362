"""`mpm quarter`, `mpm goals`, `mpm risks`, `mpm budget`: the PM's four planning views."""

from __future__ import annotations

from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, CampaignOpt, LevelOpt, PersonOpt, ViewFmt, WorkspaceOpt, as_of_date, fail
from mpm.cli.steps import known_campaigns, known_person, load_and_plan, load_valid

FmtOpt = Annotated[ViewFmt, typer.Option("--format", "-f", help="table, json or md.")]


def register(app: typer.Typer) -> None:
    app.command("quarter")(quarter)
    app.command("goals")(goals)
    app.command("risks")(risks)
    app.command("budget")(budget)


def _show(fmt: ViewFmt, as_json, as_md, as_text) -> None:
    from mpm.render.console import out, show

    if fmt is ViewFmt.json:
        out(as_json())
    elif fmt is ViewFmt.md:
        out(as_md())
    else:
        show(as_text())


def quarter(
    which: Annotated[str | None, typer.Argument(
        metavar="QUARTER", help="A fiscal quarter such as 2027-Q1 (default: the as-of date's).")] = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    fmt: FmtOpt = ViewFmt.table,
) -> None:
    """A fiscal quarter: hours per person and week, the content calendar, goal checkpoints.

    Quarters follow fiscal_year_start in mpm.yaml, and a fiscal year is named
    for the calendar year it ends in: with fiscal_year_start: 4, 2027-Q1 is
    April to June 2026.

    Example: mpm quarter 2027-Q1 --person sam
    """
    from mpm.read.fiscal import parse_quarter, quarter_of
    from mpm.render import quarter as render
    from mpm.render.console import console
    from mpm.views.quarter import quarter_view

    ws, plan = load_and_plan(workspace, as_of, level, replay=True)
    day = plan.as_of
    fy = ws.config.fiscal_year_start if ws.config else 1
    try:
        q = parse_quarter(which, fy) if which else quarter_of(day, fy)
    except ValueError as exc:
        fail(str(exc), "quarters run Q1 to Q4 from the month in fiscal_year_start (mpm.yaml); "
                       "leave it out for the quarter of --as-of")
    known_person(ws, person)
    view = quarter_view(ws, plan, q, day, person, known_campaigns(ws, campaign))
    _show(fmt, lambda: render.quarter_json(view), lambda: render.quarter_markdown(view),
          lambda: render.quarter_text(view, console().width))


def goals(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    fmt: FmtOpt = ViewFmt.table,
) -> None:
    """SMART check, progress against checkpoints, and a trend forecast for every goal.

    Example: mpm goals --campaign always-on-content
    """
    from mpm.render import goals as render
    from mpm.views.goals import goal_reports

    ws = load_valid(workspace, replay=True)
    day = as_of_date(as_of)
    reports = goal_reports(ws, day, known_campaigns(ws, campaign), known_person(ws, person))
    _show(fmt, lambda: render.goals_json(reports, day), lambda: render.goals_markdown(reports, day),
          lambda: render.goals_text(reports, day))


def risks(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    fmt: FmtOpt = ViewFmt.table,
) -> None:
    """The risk register by score, the likelihood × impact matrix, reviews due.

    Each risk lists the tasks it affects with their float: a high risk on
    work with no float left is marked ⚠.

    Example: mpm risks --format md
    """
    from mpm.render import risks as render
    from mpm.views.risks import register as build

    ws, plan = load_and_plan(workspace, as_of, level, replay=True)
    reg = build(ws, plan, plan.as_of, known_campaigns(ws, campaign), known_person(ws, person))
    _show(fmt, lambda: render.risks_json(reg), lambda: render.risks_markdown(reg),
          lambda: render.risks_text(reg))


def budget(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    fmt: FmtOpt = ViewFmt.table,
) -> None:
    """Planned against actual spend per line and campaign, and totals by category.

    Each campaign also shows how much of its planned work is done as of
    --as-of, to read spend against progress.

    Example: mpm budget --campaign black-friday-2026 --as-of 2026-11-16
    """
    from mpm.render import budget as render
    from mpm.views.budget import budget_view

    ws, plan = load_and_plan(workspace, as_of, level, replay=True)
    view = budget_view(ws, known_campaigns(ws, campaign), plan)
    _show(fmt, lambda: render.budget_json(view), lambda: render.budget_markdown(view),
          lambda: render.budget_text(view))
