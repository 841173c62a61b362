"""`mpm report` for stakeholders, and `mpm export` for other tools."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, CampaignOpt, LevelOpt, PersonOpt, WorkspaceOpt, as_of_date, fail
from mpm.cli.steps import known_campaigns, known_person, load_and_plan, only_person

export_app = typer.Typer(help="Calendars, Gantt charts, spreadsheets and JSON for other tools.",
                         no_args_is_help=True)

OutOpt = Annotated[Path | None, typer.Option("--output", "-o",
                                            help="Write to this file instead of printing (- is stdout).")]


class ReportFmt(StrEnum):
    md = "md"
    html = "html"
    slack = "slack"
    teams = "teams"


class Audience(StrEnum):
    team = "team"
    client = "client"


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.add_typer(export_app, name="export")


def _emit(text: str | bytes | Iterator[bytes], output: Path | None, what: str) -> None:
    """Write an output to stdout (`-` or none) or to the file `output`; large ones come as chunks."""
    from mpm.change.output import OutputError, write_output
    from mpm.render.console import out, say

    if output is None or str(output) == "-":
        out(text)  # text, bytes, or chunks written as they are made
        return
    if isinstance(text, str):
        raw: bytes | bytearray = text.encode("utf-8")
    elif isinstance(text, bytes):
        raw = text
    else:  # chunks: one growing buffer, not a list of them and their join
        raw = bytearray()
        for chunk in text:
            raw += chunk
    import sys

    from mpm.cli import answers

    sys.stdout.flush()
    try:
        write_output(output, raw)
    except OutputError as exc:
        answers.not_an_answer()  # a run after the cause is gone must write the file
        fail(str(exc), exc.hint)
    answers.wrote_file(output, raw)
    say(f"wrote {what} to {output}")


def _format_of(output: Path | None) -> ReportFmt:
    """The format `-o FILE` asks for by its extension (.html, .md); md otherwise."""
    if output is None or str(output) == "-":
        return ReportFmt.md
    suffix = output.suffix.lower()
    if suffix in (".html", ".htm"):
        return ReportFmt.html
    if suffix in (".md", ".markdown", ""):
        return ReportFmt.md
    fail(f"-o {output}: mpm cannot tell the format from '{output.suffix}'",
         "name the file .html or .md, or pass --format")


def report(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    fmt: Annotated[ReportFmt | None, typer.Option(
        "--format", "-f", help="md (GitHub, wikis), html (email, print), or slack / teams (a webhook payload); "
                               "default: from the -o file's extension (.html, .md), else md.")] = None,
    output: OutOpt = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="Start of the period reported on (default: two weeks ago).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title.")] = None,
    audience: Annotated[Audience, typer.Option(
        "--audience", help="team (everything) or client (no internal notes, no task ids).")] = Audience.team,
    history: Annotated[str | None, typer.Option(
        "--history", metavar="REV..REV",
        help="HTML: add each campaign's forecast over time, from these commits (e.g. HEAD or v1.0..HEAD).")]
    = None,
) -> None:
    """A status report for leadership and clients, per campaign or for the portfolio.

    Headline (on track, at risk, late), forecast launch and finish against
    the plan, what was done and what is next, milestones, the Gantt chart
    with the critical path, goals, budget, top risks, open approvals, and
    lessons learned for closed campaigns. HTML is one self-contained file;
    with --history it also charts each campaign's forecast launch and finish
    commit by commit (as `mpm history` computes them). `--audience client`
    leaves out what is for the team only: notes on approvals and task ids.

    Example: mpm report --campaign black-friday-2026 --format html --audience client -o report.html
    """
    from mpm.read.prefetch import started_early
    from mpm.views.report import build_report, for_person
    from mpm.views.report_forecast import forecast_standby

    if fmt is None:
        fmt = _format_of(output)
    if history is not None and fmt is not ReportFmt.html:
        fail("--history draws a chart: it is part of the HTML report", "add --format html")

    # a large workspace's forecast: its numpy imported on the second core while the plan is made
    standby = forecast_standby(campaign) if started_early() else None
    try:
        ws, plan = load_and_plan(workspace, as_of, level, replay=history is None,  # history reads git
                                 on_network=standby.on_network if standby is not None else None)
        day = plan.as_of
        chosen = known_campaigns(ws, campaign)
        rep = build_report(ws, plan, day, as_of_date(since) if since else None, chosen, title, audience.value,
                           meanwhile=_drawing_early(fmt, plan) if person is None else None, standby=standby)
    finally:
        if standby is not None:
            standby.stop()
    rep = for_person(rep, known_person(ws, person), plan)
    if fmt in (ReportFmt.slack, ReportFmt.teams):
        from mpm.cli.status import chat_payload
        from mpm.render.chat import report_digest

        _emit(chat_payload(report_digest(rep), fmt.value), output, f"the {fmt.value} message")
    elif fmt is ReportFmt.html:
        from mpm.render.report_html import report_html_chunks

        over_time = None
        if history is not None:
            from mpm.cli.revisions import known_in, read_history

            over_time = read_history(ws.root, history, chosen, None, level)
            known_in(over_time, chosen)
        _emit(report_html_chunks(rep, over_time), output, "the HTML report")
    else:
        from mpm.render.report_md import report_markdown_chunks

        _emit(report_markdown_chunks(rep, plan), output, "the Markdown report")


def _drawing_early(fmt: ReportFmt, plan):  # -> Callable[[Report, CampaignReport], None] | None
    """What the format's renderer can draw of each campaign while the report's forecast is made."""
    if fmt is ReportFmt.html:
        from mpm.render.report_html import drawing_early

        return drawing_early()
    if fmt is ReportFmt.md:
        from mpm.render.report_md import drawing_early as markdown_early

        return markdown_early(plan)
    return None


def _plan(workspace: Path | None, as_of: str | None, level: bool | None, *, replay: bool = False):

    return load_and_plan(workspace, as_of, level, replay=replay)


@export_app.command("ics")
def export_ics(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    output: OutOpt = None,
    output_dir: Annotated[Path | None, typer.Option("--output-dir", help="One <person>.ics per person here.")]
    = None,
) -> None:
    """Deadlines, milestones and task spans as an iCalendar file.

    Event UIDs are stable, so importing an updated file moves events rather
    than duplicating them.

    Example: mpm export ics --person sam -o sam.ics
    """
    from mpm.export.ics import calendar, calendars

    ws, plan = _plan(workspace, as_of, level, replay=output_dir is None)
    chosen = known_campaigns(ws, campaign)
    name = ws.config.name if ws.config else "mpm plan"
    known_person(ws, person)
    if output_dir is not None and output is not None:
        fail("-o and --output-dir both say where to write; nothing was written",
             "-o FILE for one calendar, --output-dir DIR for one per person")
    if output_dir is not None:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from mpm.change.output import reason, remedy

            fail(f"cannot make the folder {output_dir}: {reason(exc) if exc.errno != 17 else 'it is a file'}",
                 remedy(exc) if exc.errno != 17 else "name a folder with --output-dir, not a file")
        for who, ics in calendars(plan, campaigns=chosen, name=name).items():
            if person is None or who == person:
                _emit(ics, output_dir / f"{who}.ics", f"{who}'s calendar")
        return
    _emit(calendar(plan, person=person, campaigns=chosen, name=name), output, "the calendar")


@export_app.command("mermaid")
def export_mermaid(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None,
                   campaign: CampaignOpt = None, person: PersonOpt = None,
                   output: OutOpt = None) -> None:
    """The plan as a Mermaid gantt chart (GitHub draws ```mermaid blocks).

    Example: mpm export mermaid --campaign black-friday-2026
    """
    from mpm.render.console import say
    from mpm.render.mermaid import MAX_TEXT, gantt, too_big

    ws, plan = _plan(workspace, as_of, level, replay=True)
    chosen = known_campaigns(ws, campaign)
    known_person(ws, person)
    chart = gantt(only_person([c for c in plan.campaigns if not chosen or c.id in chosen], person),
                  ws.config.name if ws.config else None, plan.as_of)
    if too_big(chart):
        say(f"warning: the chart is {len(chart):,} characters; Mermaid draws nothing past {MAX_TEXT:,}. "
            "Export one campaign at a time with --campaign.")
    _emit(chart, output, "the Mermaid chart")


@export_app.command("csv")
def export_csv(
    workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None, campaign: CampaignOpt = None,
    person: PersonOpt = None, output: OutOpt = None,
    no_bom: Annotated[bool, typer.Option("--no-bom", help="No UTF-8 byte-order mark (for scripts).")] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Cells as written, even one a spreadsheet would "
                                                     "run as a formula.")] = False,
) -> None:
    """Every scheduled task with its dates and float, as CSV for spreadsheets.

    The file starts with a UTF-8 byte-order mark, so spreadsheets read accents
    and dashes right, and a cell starting with = + - @ gets a leading ' so a
    spreadsheet shows it instead of running it as a formula.

    Example: mpm export csv -o plan.csv
    """
    from dataclasses import replace

    from mpm.export.table import plan_csv

    ws, plan = _plan(workspace, as_of, level, replay=True)
    known_person(ws, person)
    plan = replace(plan, campaigns=only_person(plan.campaigns, person))
    _emit(plan_csv(plan, known_campaigns(ws, campaign), bom=not no_bom, raw=raw), output, "the CSV")


@export_app.command("json")
def export_json(workspace: WorkspaceOpt = None, as_of: AsOfOpt = None, level: LevelOpt = None,
                campaign: CampaignOpt = None, person: PersonOpt = None, output: OutOpt = None) -> None:
    """The whole validated workspace and its schedule as one JSON document (mpm/export/1).

    --campaign keeps those campaigns; --person keeps, in each, that person's tasks and
    their schedule (and the campaigns where they have work).

    Example: mpm export json -o workspace.json
    """
    from mpm.export.whole import export_json as build

    ws, plan = _plan(workspace, as_of, level, replay=True)
    _emit(build(ws, plan, campaigns=known_campaigns(ws, campaign), person=known_person(ws, person)),
          output, "the JSON export")
