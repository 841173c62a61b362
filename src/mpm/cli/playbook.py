"""`mpm playbook list|show|check|save`, and `mpm new campaign --playbook`."""

from __future__ import annotations

from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, DataFmt, FindingsFmt, WorkspaceOpt, as_of_date, fail
from mpm.cli.steps import load_valid, workspace_root

playbook_app = typer.Typer(help="Campaigns written relative to their launch, to lay out new ones from.",
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(playbook_app, name="playbook")


def _available(root):  # -> dict[str, Playbook]
    from mpm.change.playbook import available

    found, _ = available(root)
    return found


def _one(root, name: str):  # -> Playbook
    from mpm.read.diagnostics import did_you_mean

    found = _available(root)
    if name not in found:
        fail(f"no playbook '{name}'", did_you_mean(name, list(found)) or "playbooks: " + ", ".join(found))
    return found[name]


@playbook_app.command("list")
def playbook_list(
    workspace: WorkspaceOpt = None,
    fmt: Annotated[DataFmt, typer.Option("--format", "-f", help="table or json.")] = DataFmt.table,
) -> None:
    """The playbooks you can lay out: the workspace's own, and the built-ins they do not override.

    Example: mpm playbook list
    """
    from mpm.render import playbook as render
    from mpm.render.console import console, out

    playbooks = list(_available(workspace_root(workspace)).values())
    if fmt is DataFmt.json:
        out(render.list_json(playbooks))
    else:
        render.list_text(console(), playbooks)


@playbook_app.command("show")
def playbook_show(
    name: Annotated[str, typer.Argument(help="The playbook.")],
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[DataFmt, typer.Option("--format", "-f", help="table or json.")] = DataFmt.table,
) -> None:
    """One playbook's tasks, dated in working days from the launch, as the planner lays them out.

    The dates are those of a launch on the first working day from --as-of,
    on the workspace calendar, written back as launch-N / launch+N.

    Example: mpm playbook show webinar
    """
    from mpm.change.playbook_new import relative_tasks, trial
    from mpm.plan.schedule import build_plan
    from mpm.render import playbook as render
    from mpm.render.console import console, out
    from mpm.render.diagnostics import print_text

    ws = load_valid(workspace)
    pb = _one(ws.root, name)
    tried = trial(ws, pb, as_of_date(as_of))
    if tried.layout is None or tried.workspace is None:
        print_text(tried.diagnostics, stderr=True)
        fail(f"the {name} playbook has problems", "`mpm playbook check` lists them")
    plan = build_plan(tried.workspace, tried.layout.start)
    tasks = relative_tasks(tried, plan, set(pb.roles))
    if fmt is DataFmt.json:
        out(render.show_json(pb, tasks))
        return
    render.show_text(console(), pb, tasks, "dates: working days from the launch, as planned; "
                     f"{len(tasks)} tasks")


@playbook_app.command("check")
def playbook_check(
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    builtin: Annotated[bool, typer.Option("--built-in", help="Check the built-in playbooks too.")] = False,
    fmt: Annotated[FindingsFmt, typer.Option("--format", "-f", help="table, json or github.")] = FindingsFmt.table,
) -> None:
    """Validate the workspace's playbooks; every problem at its file:line:col.

    Each playbook is laid out on trial (a launch on the first working day
    from --as-of, each role standing in for itself) and checked like a
    campaign: unknown roles, dates that are not launch±N, unknown variables,
    dependencies on missing tasks, and everything `mpm check` finds.
    Exit 0 when there are no errors, 2 when there are.

    Example: mpm playbook check
    """
    from mpm.change.playbook import available, workspace_playbooks
    from mpm.change.playbook_new import trial
    from mpm.read.diagnostics import Diagnostic, has_errors
    from mpm.render import diagnostics as render
    from mpm.render.console import console, out

    ws = load_valid(workspace)
    chosen, found = (available if builtin else workspace_playbooks)(ws.root)
    day = as_of_date(as_of)
    for pb in chosen.values():
        found += trial(ws, pb, day).diagnostics
    found.sort(key=Diagnostic.sort_key)
    if fmt is FindingsFmt.json:
        out(render.as_json(found, {"playbooks": len(chosen)}))
    elif fmt is FindingsFmt.github:
        out(render.as_github(found))
    else:
        render.print_text(found)
        errors = [d for d in found if d.severity.value == "error"]
        bad = len({"/".join(d.file.split("/")[:2]) for d in errors})
        what = f"{len(chosen)} playbook{'s' if len(chosen) != 1 else ''}"
        console().print(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {bad} of {what}" if errors
                        else f"checked {what}: all good", soft_wrap=True, markup=False)
    if has_errors(found):
        raise typer.Exit(2)


@playbook_app.command("save")
def playbook_save(
    campaign: Annotated[str, typer.Argument(help="The campaign to learn from.")],
    name: Annotated[str, typer.Argument(help="The new playbook's name (its folder under playbooks/).")],
    launch: Annotated[str | None, typer.Option(
        "--launch", metavar="DATE", help="The day to count from (default: the campaign's launch).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Turn a campaign into a playbook: dates from its launch, people to roles, lessons to notes.

    Status, actual dates, measurements and actual spend stay behind (a task
    that really started keeps that day as its start); each person becomes
    the role they hold on the team (from mpm.yaml).

    Example: mpm playbook save spring-trade-show-2026 trade-show --launch 2026-03-12
    """
    import re

    from mpm.change.edit import EditRefused
    from mpm.change.playbook_save import save_playbook
    from mpm.cli.change import _run, _say
    from mpm.read.fields import SLUG_PATTERN

    if not re.match(SLUG_PATTERN, name):
        fail(f"'{name}' is not a valid playbook name", "use lowercase letters, digits and dashes")
    ws = load_valid(workspace, nothing_was="written")
    try:
        from mpm.cli.options import _parse_date

        tx, cast = save_playbook(ws, campaign, name, _parse_date(launch))
    except EditRefused as exc:
        fail(str(exc), exc.hint)
    _say(_run(tx, ws.root), f"saved campaign {campaign} as playbooks/{name}")
    from mpm.render.console import console

    known = ws.config.assign if ws.config else {}
    assign = "".join(f" --assign {role}={person}" for role, person in sorted(cast.items())
                     if known.get(role) != person)  # mpm.yaml's assign: casts the rest already
    console().print(f"to lay it out with the same people: mpm new campaign ID --playbook {name} "
                    f"--launch DATE{assign}", soft_wrap=True, markup=False, highlight=False)


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"{option} {item!r}: expected NAME=VALUE", f"e.g. {option} designer=leo")
        if any(ord(ch) < 32 or ch == "\x7f" for ch in value):
            fail(f"{option} {key}: the value holds a control character or a line break",
                 "give one line of plain text")
        out[key.strip()] = value.strip() if option == "--assign" else value
    return out


def new_from_playbook(campaign_id: str, playbook: str, launch: str | None, name: str | None,
                      assign: list[str] | None, sets: list[str] | None, dry_run: bool,
                      workspace, as_of: str | None, fmt: DataFmt) -> None:
    """`mpm new campaign ID --playbook NAME --launch DATE`."""
    from mpm.change.edit import EditRefused
    from mpm.change.playbook_new import load_added, new_campaign
    from mpm.cli.change import _run
    from mpm.cli.options import _parse_date
    from mpm.plan.schedule import build_plan
    from mpm.render import playbook as render
    from mpm.render.console import console, out
    from mpm.render.diagnostics import print_text

    if launch is None:
        fail("--playbook needs --launch DATE", "e.g. --launch 2027-03-02; the plan is worked back from it")
    day = _parse_date(launch)
    assert day is not None
    ws = load_valid(workspace, nothing_was="written")
    pb = _one(ws.root, playbook)
    try:
        tx, layout = new_campaign(ws, pb, campaign_id, name or campaign_id.replace("-", " ").capitalize(),
                                  day, _pairs(assign, "--assign"), _pairs(sets, "--set"))
    except EditRefused as exc:
        if exc.diagnostics:
            print_text(exc.diagnostics, stderr=True)
        fail(str(exc), exc.hint)
    con = console()
    if dry_run:
        for rel, text in sorted(tx.texts.items()):
            con.print(f"--- {rel}", soft_wrap=True, markup=False, highlight=False)
            con.file.write(text if text.endswith("\n") else text + "\n")
        con.print(f"dry run: nothing was written ({len(tx.texts)} files)", markup=False)
        return
    written = _run(tx, ws.root)
    after = load_valid(ws.root)
    plan = build_plan(after, as_of_date(as_of))  # the step every planning command takes
    loads = load_added(after, plan, campaign_id)
    chosen = [c for c in plan.campaigns if c.id == campaign_id]
    if fmt is DataFmt.json:
        from mpm.render.jsonout import document
        from mpm.render.plan import campaign_json

        out(document("new-campaign", {"campaign": campaign_id, "playbook": pb.name,
                                      "launch": layout.launch.isoformat(), "written": written,
                                      "plan": [campaign_json(c) for c in chosen],
                                      "load": render.load_json(loads)}))
        return
    from mpm.render.plan_table import print_plan_tables

    con.print(f"created campaigns/{campaign_id} ({len(written)} files) from the {pb.name} playbook, "
              f"launch {layout.launch}", soft_wrap=True, markup=False, highlight=False)
    con.print()
    print_plan_tables(con, plan, chosen)
    render.load_text(con, loads)
