"""`mpm plan`: the schedule, the critical path, a Gantt chart, and `--why`."""

from __future__ import annotations

from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, CampaignOpt, LevelOpt, PersonOpt, ViewFmt, WorkspaceOpt, fail
from mpm.cli.steps import load_and_plan


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)


def plan(
    campaigns: Annotated[list[str] | None, typer.Argument(
        metavar="CAMPAIGN", help="Campaign ids to show (default: all).")] = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    person: PersonOpt = None,
    fmt: Annotated[ViewFmt, typer.Option("--format", "-f", help="table, json or md.")] = ViewFmt.table,
    gantt: Annotated[bool, typer.Option("--gantt", "-g", help="Add a terminal Gantt chart.")] = False,
    critical: Annotated[bool, typer.Option("--critical", help="Show only the critical path.")] = False,
    occurrences: Annotated[bool, typer.Option(
        "--occurrences", help="List every occurrence of repeating tasks on its own row.")] = False,
    why: Annotated[str | None, typer.Option(
        "--why", metavar="TASK", help="Explain when TASK starts and whether it is critical.")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare-levelling", help="Per campaign: launch and finish without and with levelling, "
                                    "and whose hours move them.")] = False,
) -> None:
    """Schedule the work: early/late dates, float and the critical path.

    Work not started is never planned before --as-of (default today); done
    and in-progress work sits at its actual dates.

    With levelling (planning.level in mpm.yaml, or --level) work is planned
    within each person's hours; --compare-levelling shows what that moves.

    Campaigns may be named as arguments or with --campaign/-c, like every
    other command; --person/-p shows only that person's tasks.

    Example: mpm plan black-friday-2026 --gantt --as-of 2026-11-16
    """
    from mpm.cli.steps import known_person, only_person
    from mpm.render import plan as render
    from mpm.render.console import console, out

    ws, result = load_and_plan(workspace, as_of, True if compare else level, replay=True)
    day = result.as_of
    known_person(ws, person)
    campaigns = [*(campaigns or []), *(c for c in campaign or [] if c not in (campaigns or []))]
    chosen = result.campaigns
    if campaigns:
        unknown = [c for c in campaigns if result.campaign(c) is None]
        if unknown:
            from mpm.read.diagnostics import did_you_mean

            fail(f"no campaign '{unknown[0]}'",
                 did_you_mean(unknown[0], [c.id for c in result.campaigns])
                 or "campaigns: " + ", ".join(c.id for c in result.campaigns))
        chosen = [c for c in result.campaigns if c.id in campaigns]
    chosen = only_person(chosen, person)

    if why is not None:
        home = chosen[0].id if campaigns and len(chosen) == 1 else None
        task = result.find(why, home)
        if task is None:
            matches = sorted(r for r in result.by_ref if r.split("/", 1)[1].split("@")[0] == why
                             or r.split("@")[0] == why)
            hint = ("it repeats; name one occurrence: " + ", ".join(matches[:4])) if matches else None
            if not matches:
                from mpm.read.diagnostics import did_you_mean

                hint = did_you_mean(why, list(result.by_ref)) or "write it as campaign/task"
            fail(f"no single task '{why}' in the plan", hint)
        if fmt is ViewFmt.json:
            out(render.why_json(result, task))
        else:
            from mpm.render.plan_table import why_text

            console().print(why_text(result, task))
        return

    if compare:
        from mpm.render import levelling as compared
        from mpm.views.levelling import shifts

        rows = shifts(result, chosen)
        if fmt is ViewFmt.json:
            out(compared.compare_json(result, rows))
        elif fmt is ViewFmt.md:
            out(compared.compare_markdown(result, rows))
        else:
            compared.compare_text(console(), result, rows)
        return
    if fmt is ViewFmt.json:
        out(render.plan_json(result, chosen))
        return
    if fmt is ViewFmt.md:
        out(render.plan_markdown(result, chosen, critical_only=critical, expand=occurrences))
        return
    from mpm.render.plan_table import plan_legend, print_plan_tables

    con = console()
    con.print(f"[bold]Plan[/] as of {day.isoformat()}", soft_wrap=True)
    con.print()
    print_plan_tables(con, result, chosen, critical_only=critical, expand=occurrences)
    if gantt:
        from mpm.render.gantt import gantt as draw
        from mpm.views.rows import plan_rows

        for c in chosen:
            tasks = [t for t in c.tasks if t.critical] if critical else c.tasks
            if not tasks:
                continue
            con.print(f"[bold]{c.id}[/]")
            rows = plan_rows(tasks, expand=occurrences)
            con.print(draw(rows, result.calendar, day, con.width), soft_wrap=True)
            con.print()
    con.print(plan_legend(result.levelled))
