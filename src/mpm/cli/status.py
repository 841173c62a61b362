"""`mpm status`: what is late or at risk, in the terminal and as a CI gate."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, CampaignOpt, LevelOpt, WorkspaceOpt
from mpm.cli.steps import annotation_prefix, known_campaigns, known_person, load_and_plan


class StatusFmt(StrEnum):
    table = "table"
    json = "json"
    github = "github"
    md = "md"
    slack = "slack"
    teams = "teams"


class FailOn(StrEnum):
    overdue = "overdue"
    at_risk = "at-risk"
    warning = "warning"
    never = "never"


def register(app: typer.Typer) -> None:
    app.command("status")(status)


def status(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    fmt: Annotated[StatusFmt | None, typer.Option(
        "--format", "-f",
        help="table (default; github under GitHub Actions), json, github, md, or slack / teams (a webhook payload).")
    ] = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="Exit 1 on findings at or above: overdue, at-risk, warning, or never.")] = FailOn.overdue,
    horizon: Annotated[int, typer.Option(
        "--horizon", min=0, help="Working days ahead that count as 'soon'.")] = 5,
    campaign: CampaignOpt = None,
    owner: Annotated[str | None, typer.Option(
        "--person", "-p", "--owner", metavar="PERSON", help="Only this person's work (--owner works too).")] = None,
) -> None:
    """What needs attention: overdue, at risk, blocked, waiting, over budget or capacity.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 when
    the files are invalid.

    Example: mpm status --as-of 2026-11-16 --fail-on at-risk --format github
    """
    from mpm.render import status as render
    from mpm.render.console import out, show
    from mpm.views.status import StatusOptions, exit_code, findings

    ws, plan = load_and_plan(workspace, as_of, level, replay=True)
    day = plan.as_of
    known_campaigns(ws, campaign)
    known_person(ws, owner)
    found = findings(ws, plan, day, StatusOptions(horizon, list(campaign or []), owner))
    if fmt is None:
        fmt = StatusFmt.github if os.environ.get("GITHUB_ACTIONS") == "true" else StatusFmt.table
    if fmt is StatusFmt.json:
        out(render.status_json(found, day))
    elif fmt is StatusFmt.github:
        out(render.status_github(found, annotation_prefix(ws.root)))
    elif fmt is StatusFmt.md:
        out(render.status_markdown(found, day))
    elif fmt in (StatusFmt.slack, StatusFmt.teams):
        from mpm.render.chat import status_digest  # brings the report's views, numpy among them

        out(chat_payload(status_digest(found, day, ws.config.name if ws.config else "mpm"), fmt.value))
    else:
        show(render.status_text(found, day))
    raise typer.Exit(exit_code(found, fail_on.value))


def chat_payload(digest, fmt: str) -> str:  # digest: render.chat.Digest
    """The webhook payload of a digest: Slack Block Kit or a Teams Adaptive Card."""
    if fmt == "slack":
        from mpm.render.slack import slack_json

        return slack_json(digest)
    from mpm.render.teams import teams_json

    return teams_json(digest)
