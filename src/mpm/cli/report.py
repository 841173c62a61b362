"""`mpm report` for stakeholders, and `mpm export` for other tools."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, LevelOpt, WorkspaceOpt, as_of_date
from mpm.cli.steps import known_campaigns, known_person, load_valid

export_app = typer.Typer(help="Calendars, Gantt charts, spreadsheets and JSON for other tools.",
                         no_args_is_help=True)

CampaignOpt = Annotated[list[str] | None, typer.Option("--campaign", "-c", help="Only this campaign (repeatable).")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of printing.")]


class ReportFmt(StrEnum):
    md = "md"
    html = "html"
    slack = "slack"
    teams = "teams"


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(export_app, name="export")


def _emit(text: str | bytes, output: Path | None, what: str) -> None:
    from mpm.change.edit import write_atomic
    from mpm.render.console import console, out

    if output is None:
        if isinstance(text, bytes):
            import sys

            sys.stdout.buffer.write(text)
        else:
            out(text)
        return
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    write_atomic(output, raw, output.read_bytes() if output.exists() else None)
    console(stderr=True).print(f"wrote {what} to {output}", markup=False, soft_wrap=True)


def report(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    fmt: Annotated[ReportFmt, typer.Option(
        "--format", "-f", help="md (GitHub, wikis), html (email, print), or slack / teams (a webhook payload).")]
    = ReportFmt.md,
    output: OutOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="Start of the period reported on (default: two weeks ago).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
) -> None:
    """A status report for leadership and clients, per campaign or for the portfolio.

    Headline (on track, at risk, late), forecast launch and finish against
    the plan, what was done and what is next, milestones, the Gantt chart
    with the critical path, goals, budget, top risks, open approvals, and
    lessons learned for closed campaigns. HTML is one self-contained file.

    Example: mpm report --campaign black-friday-2026 --format html -o report.html
    """
    from mpm.plan.schedule import build_plan
    from mpm.views.report import build_report

    ws = load_valid(workspace)
    day = as_of_date(as_of)
    chosen = known_campaigns(ws, campaign)
    plan = build_plan(ws, day, level=level)
    rep = build_report(ws, plan, day, as_of_date(since) if since else None, chosen, title)
    if fmt in (ReportFmt.slack, ReportFmt.teams):
        from mpm.cli.status import chat_payload
        from mpm.render.chat import report_digest

        _emit(chat_payload(report_digest(rep), fmt.value), output, f"the {fmt.value} message")
    elif fmt is ReportFmt.html:
        from mpm.render.report_html import report_html

        _emit(report_html(rep), output, "the HTML report")
    else:
        from mpm.render.report_md import report_markdown

        _emit(report_markdown(rep, plan), output, "the Markdown report")


def _plan(workspace: Path | None, as_of: str | None, level: bool | None):
    from mpm.plan.schedule import build_plan

    ws = load_valid(workspace)
    return ws, build_plan(ws, as_of_date(as_of), level=level)


@export_app.command("ics")
def export_ics(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Only this person's work.")] = None,
    output: OutOpt = None,
    output_dir: Annotated[Path | None, typer.Option("--output-dir", help="One <person>.ics per person here.")]
    = None,
) -> None:
    """Deadlines, milestones and task spans as an iCalendar file.

    Event UIDs are stable, so importing an updated file moves events rather
    than duplicating them.

    Example: mpm export ics --person sam -o sam.ics
    """
    from mpm.export.ics import calendar, people

    ws, plan = _plan(workspace, as_of, level)
    chosen = known_campaigns(ws, campaign)
    name = ws.config.name if ws.config else "mpm plan"
    known_person(ws, person)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        for who in people(plan):
            _emit(calendar(plan, person=who, campaigns=chosen, name=name), output_dir / f"{who}.ics",
                  f"{who}'s calendar")
        return
    _emit(calendar(plan, person=person, campaigns=chosen, name=name), output, "the calendar")


@export_app.command("mermaid")
def export_mermaid(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None,
                   campaign: CampaignOpt = None,
                   output: OutOpt = None) -> None:
    """The plan as a Mermaid gantt chart (GitHub draws ```mermaid blocks).

    Example: mpm export mermaid --campaign black-friday-2026
    """
    from mpm.render.mermaid import gantt

    ws, plan = _plan(workspace, as_of, level)
    chosen = known_campaigns(ws, campaign)
    _emit(gantt([c for c in plan.campaigns if not chosen or c.id in chosen],
                ws.config.name if ws.config else None), output, "the Mermaid chart")


@export_app.command("csv")
def export_csv(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None,
               campaign: CampaignOpt = None,
               output: OutOpt = None) -> None:
    """Every scheduled task with its dates and float, as CSV for spreadsheets.

    Example: mpm export csv -o plan.csv
    """
    from mpm.export.table import plan_csv

    ws, plan = _plan(workspace, as_of, level)
    _emit(plan_csv(plan, known_campaigns(ws, campaign)), output, "the CSV")


@export_app.command("json")
def export_json(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None,
                output: OutOpt = None) -> None:
    """The whole validated workspace and its schedule as one JSON document (mpm/export/1).

    Example: mpm export json -o workspace.json
    """
    from mpm.export.whole import export_json as build

    ws, plan = _plan(workspace, as_of, level)
    _emit(build(ws, plan), output, "the JSON export")
