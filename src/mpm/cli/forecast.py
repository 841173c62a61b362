"""`mpm forecast`: P50/P80/P95 finish and launch dates from estimates and risks (DESIGN §3c)."""

from __future__ import annotations

from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, LevelOpt, ViewFmt, WorkspaceOpt
from mpm.cli.steps import known_campaigns, load_and_plan


def register(app: typer.Typer) -> None:
    app.command("forecast")(forecast)


def forecast(
    campaigns: Annotated[list[str] | None, typer.Argument(
        metavar="CAMPAIGN", help="Campaign ids to show (default: all).")] = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: Annotated[list[str] | None, typer.Option(
        "--campaign", "-c", help="Only this campaign (repeatable).")] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, max=100_000, help="Monte Carlo runs (1 to 100,000).")]
    = 2000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the draws (0 or more): the same files "
                                                            "and seed give the same numbers.")] = 0,
    fmt: Annotated[ViewFmt, typer.Option("--format", "-f", help="table, json or md.")] = ViewFmt.table,
    why: Annotated[bool, typer.Option(
        "--why", help="List what each campaign's runs draw: estimates, and risks with their chance.")] = False,
) -> None:
    """How sure is the launch? P50/P80/P95 dates, chances, critical tasks and drivers.

    Each run draws every not-done task's duration from its `estimate`
    (PERT, rounded up to whole working days) and lets each open or
    mitigating risk with `delay_days` occur with the chance of its
    likelihood (1–5: 10, 30, 50, 70, 90 %), then plans the work.

    Example: mpm forecast trailhead-b2b-launch --as-of 2026-11-16 --runs 5000
    """
    from mpm.read.prefetch import started_early
    from mpm.views.forecast import forecast_view
    from mpm.views.report_forecast import forecast_standby

    named = [*(campaigns or []), *(campaign or [])]
    # a large workspace's runs: made on the second core while the plan is made
    standby = forecast_standby(named, runs, seed) if started_early() else None
    try:
        ws, plan = load_and_plan(workspace, as_of, level, replay=True,
                                 on_network=standby.on_network if standby is not None else None)
        chosen = known_campaigns(ws, named)
        view = forecast_view(ws, plan, runs=runs, seed=seed, campaigns=chosen or None, standby=standby)
    finally:
        if standby is not None:
            standby.stop()
    from mpm.render import forecast as render
    from mpm.render.console import console, out, show

    if fmt is ViewFmt.json:
        out(render.forecast_json(view))
    elif fmt is ViewFmt.md:
        out(render.forecast_markdown(view, why))
    else:
        show(render.forecast_text(view, console().width, why))
