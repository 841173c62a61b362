"""Writing files: the edit commands (`task`, `new`; `kpi` is in cli/kpi) and `mpm fmt`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, DataFmt, WorkspaceOpt, as_of_date, fail, parse_date

task_app = typer.Typer(help="Record progress on tasks, or add one. Edits keep comments and layout.",
                       no_args_is_help=True)
new_app = typer.Typer(help="Start new things from templates.", no_args_is_help=True)

OnOpt = Annotated[str | None, typer.Option("--on", metavar="DATE", help="The date (default: today).")]


def register_edits(app: typer.Typer) -> None:
    app.add_typer(task_app, name="task")
    from mpm.cli.kpi import kpi_app

    app.add_typer(kpi_app, name="kpi")
    app.add_typer(new_app, name="new")
    app.command("fmt")(fmt)


def _run(tx_or_pair, root: Path, *, from_options: bool = False) -> list[str]:
    """Commit an edit transaction, or explain why nothing was written.

    `from_options`: the text came from the command's options, so a problem
    is told in their terms, not at a line of a file that was never written.
    """
    from mpm.change.edit import EditRefused
    from mpm.render.diagnostics import print_text

    try:
        return tx_or_pair.commit()
    except EditRefused as exc:
        if exc.diagnostics and from_options:
            first = exc.diagnostics[0]
            fail(f"the options make an invalid task: {first.message}; nothing was written", first.hint)
        if exc.diagnostics:
            print_text(exc.diagnostics, stderr=True)
        fail(str(exc), exc.hint)


def _edit(make, workspace: Path | None):
    from mpm.change.edit import EditRefused
    from mpm.cli.steps import load_valid

    ws = load_valid(workspace, nothing_was="written")
    try:
        return ws, make(ws)
    except EditRefused as exc:
        fail(str(exc), exc.hint)


def _say(written: list[str], what: str) -> None:
    from mpm.render.console import console

    if written:
        console().print(f"{what} ({', '.join(written)})", soft_wrap=True, highlight=False, markup=False)
    else:
        console().print(f"{what}: nothing to change", soft_wrap=True, markup=False)


TaskArg = Annotated[str, typer.Argument(
    help="campaign/task, a task id unique in the workspace, or one occurrence: task@YYYY-MM-DD.")]


def _status(task: str, status: str, on: str | None, workspace: Path | None, label: str, *,
            note: str | None = None, whole_series: bool = False, reopen: bool = False,
            started_on: str | None = None) -> None:
    from mpm.change.records import set_task_status

    day = as_of_date(on) if status not in ("blocked", "skipped") else None
    from mpm.change.records import PLANNED

    began = PLANNED if started_on == PLANNED else parse_date(started_on, "--started-on")
    ws, tx = _edit(lambda ws: set_task_status(ws, task, status, day, note=note, whole_series=whole_series,
                                              today=as_of_date(None), reopen=reopen, started_on=began),
                   workspace)
    _say(_run(tx, ws.root), f"{task}: {label}" + (f" on {day}" if day else ""))


@task_app.command("start")
def task_start(task: TaskArg, on: OnOpt = None,
               reopen: Annotated[bool, typer.Option(
                   "--reopen", help="Start a task that is done again (its started_on stays).")] = False,
               workspace: WorkspaceOpt = None) -> None:
    """Mark a task, or one occurrence of a repeating task, in progress and record when it started.

    A started_on already written is history: it never moves. A done task
    starts again only with --reopen. Dates after today are refused.

    Example: mpm task start black-friday-2026/store-signage --on 2026-11-16
    """
    _status(task, "in-progress", on, workspace, "started", reopen=reopen)


@task_app.command("done")
def task_done(task: TaskArg, on: OnOpt = None,
              whole_series: Annotated[bool, typer.Option(
                  "--all", help="On a repeating task: mark the whole series done.")] = False,
              started_on: Annotated[str | None, typer.Option(
                  "--started-on", metavar="DATE",
                  help="When it started, for a task never marked started: a date, or 'planned' for the "
                       "start the plan gives it (default: leave it unset; the plan counts its duration "
                       "back from done_on).")] = None,
              workspace: WorkspaceOpt = None) -> None:
    """Mark a task, or one occurrence of a repeating task, done and record when it finished.

    A done_on already written never moves; dates after today are refused. A
    repeating task with occurrences still open is refused unless --all says
    the whole series is done.

    Example: mpm task done weekly-blog@2026-12-01 --on 2026-12-01
    """
    _status(task, "done", on, workspace, "done", whole_series=whole_series, started_on=started_on)


@task_app.command("block")
def task_block(task: TaskArg, workspace: WorkspaceOpt = None) -> None:
    """Mark a task, or one occurrence, blocked (mpm status lists blocked work).

    Example: mpm task block trailhead-b2b-launch/legal-review
    """
    _status(task, "blocked", None, workspace, "blocked")


@task_app.command("skip")
def task_skip(task: TaskArg,
              note: Annotated[str | None, typer.Option("--note", help="Why it is skipped.")] = None,
              workspace: WorkspaceOpt = None) -> None:
    """Skip one occurrence of a repeating task: it carries no load and is never late.

    Example: mpm task skip weekly-blog@2026-12-29 --note "Holiday week"
    """
    _status(task, "skipped", None, workspace, "skipped", note=note)


@task_app.command("add")
def task_add(
    campaign: Annotated[str, typer.Argument(help="The campaign to add the task to.")],
    name: Annotated[str, typer.Option("--name", help="What the task is.")],
    task_id: Annotated[str | None, typer.Option("--id", help="Its id (default: made from the name).")] = None,
    after: Annotated[list[str] | None, typer.Option(
        "--after", metavar="TASK", help="A task it waits for (repeatable).")] = None,
    duration: Annotated[float, typer.Option("--duration", min=0, help="Working days (0: a milestone).")] = 1,
    owner: Annotated[str | None, typer.Option("--owner", help="Who does it.")] = None,
    due: Annotated[str | None, typer.Option("--due", metavar="DATE", help="Its deadline.")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", metavar="DATE", help="It starts no earlier than this.")] = None,
    effort: Annotated[float | None, typer.Option(
        "--effort", min=0, metavar="HOURS", help="Hours of the owner's time (default: duration × hours_per_day).")]
    = None,
    phase: Annotated[str | None, typer.Option(
        "--phase", help="strategy, initiation, planning, execution, monitoring or closure.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a task at the end of a campaign's tasks.yaml.

    The id is made from the name; a second task of the same name needs its
    own --id.

    Example: mpm task add black-friday-2026 --name "Brief the store managers" --after store-kits --owner tom
    """
    from mpm.change.records import NewTask, add_task

    new = NewTask(name, task_id=task_id, after=list(after or []), duration=duration, owner=owner,
                  due=parse_date(due, "--due"), start=parse_date(start, "--start"), effort=effort, phase=phase)
    ws, (tx, tid) = _edit(lambda ws: add_task(ws, campaign, new), workspace)
    _say(_run(tx, ws.root, from_options=True), f"added {campaign}/{tid}")


@new_app.command("campaign")
def new_campaign(
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The new campaign's id (its folder name).")],
    template: Annotated[str | None, typer.Option("--template", "-t",
                                                 help="product-launch (default), content, event or email.")] = None,
    playbook: Annotated[str | None, typer.Option(
        "--playbook", help="Lay it out from a playbook (`mpm playbook list`), back from --launch.")] = None,
    launch: Annotated[str | None, typer.Option("--launch", metavar="DATE",
                                               help="With --playbook: the launch day.")] = None,
    assign: Annotated[list[str] | None, typer.Option(
        "--assign", metavar="ROLE=PERSON", help="With --playbook: who plays a role (repeatable).")] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME=VALUE", help="With --playbook: a variable of its text (repeatable).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
                                          help="With --playbook: print the files, write nothing.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Its name (default: from the id).")] = None,
    start: Annotated[str | None, typer.Option("--start", metavar="DATE", help="Start date (default: today).")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner (default: the first person on the team).")] = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[DataFmt, typer.Option("--format", "-f", help="With --playbook: table or json.")] = DataFmt.table,
) -> None:
    """A new campaign folder from a template, or laid out from a playbook, ready to edit.

    With --playbook, every date is worked back from --launch on the
    workspace calendar, roles are cast from --assign and mpm.yaml's
    assign:, the whole result is checked before anything is written, and
    the new campaign's plan and the load it adds are printed.

    Example: mpm new campaign spring-webinar --template event --start 2027-03-01

    Example: mpm new campaign trailhead-webinar --playbook webinar --launch 2027-03-02
    """
    import re

    from mpm.change.edit import Transaction
    from mpm.change.scaffold import TEMPLATES, campaign_files
    from mpm.cli.steps import known_person, load_valid
    from mpm.read.fields import SLUG_PATTERN

    if not re.match(SLUG_PATTERN, campaign_id):
        from mpm.read.names import slug_of

        fail(f"'{campaign_id}' is not a valid campaign id",
             f"use lowercase letters, digits and dashes, e.g. '{slug_of(campaign_id) or 'spring-launch'}'")
    if playbook is not None:
        from mpm.cli.playbook import new_from_playbook

        if template is not None or start is not None or owner is not None:
            fail("--playbook lays out the whole campaign: it takes no --template, --start or --owner",
                 "the start comes from the playbook and --launch; owners from --assign")
        new_from_playbook(campaign_id, playbook, launch, name, assign, sets, dry_run, workspace, as_of, fmt)
        return
    if launch or assign or sets or dry_run:
        fail("--launch, --assign, --set and --dry-run go with --playbook", "add --playbook NAME")
    template = template or "product-launch"
    if template not in TEMPLATES:
        fail(f"no template '{template}'", "templates: " + ", ".join(TEMPLATES))
    ws = load_valid(workspace, nothing_was="written")
    if (ws.root / "campaigns" / campaign_id).exists():
        fail(f"campaigns/{campaign_id} already exists; nothing was written", "pick another id")
    team = ws.config.team if ws.config else []
    known_person(ws, owner, "--owner")
    files = campaign_files(template, campaign_id, name or campaign_id.replace("-", " ").capitalize(),
                           owner or (team[0].id if team else None), as_of_date(start),
                           [(p.id, p.role) for p in team])
    tx = Transaction(ws.root)
    for rel, text in files.items():
        tx.text(rel, create=True).text = text
    _say(_run(tx, ws.root), f"created campaigns/{campaign_id} from the {template} template")


def fmt(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the workspace).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if a file would change.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Rewrite files in one canonical layout (key order, indentation, dates).

    Comments and flow style stay; running it twice changes nothing. With
    --check it lists the files that would change and exits 1, for CI.

    Example: mpm fmt --check
    """
    from mpm.change.edit import Transaction
    from mpm.change.fmt import format_files, workspace_files
    from mpm.cli.steps import load_valid
    from mpm.render.console import console

    ws = load_valid(workspace, nothing_was="formatted")
    root = ws.root
    ours = workspace_files(root)
    wanted = []
    for p in paths or [root]:
        p = Path(os.path.abspath(p))  # a link named here is the link, not where it points
        if not p.is_relative_to(root):
            fail(f"{p} is outside the workspace {root}", "name files or folders inside it, or pass --workspace")
        rel = p.relative_to(root).as_posix()
        found = [f for f in ours if rel in (".", f) or f.startswith(rel + "/")]
        if p.is_file() and rel not in ours:
            fail(f"{rel} is not a file mpm reads", "mpm formats mpm.yaml and the files of each campaign folder")
        wanted += [f for f in found if f not in wanted]
    results = format_files(root, wanted)
    changed = [rel for rel, (now, want) in results.items() if now != want]
    con = console()
    if check:
        for rel in changed:
            con.print(f"would reformat {rel}", soft_wrap=True, markup=False)
        con.print(f"{len(changed)} of {len(results)} files would change" if changed
                  else f"{len(results)} files already formatted", markup=False)
        raise typer.Exit(1 if changed else 0)
    tx = Transaction(root)
    for rel in changed:
        tx.text(rel).text = results[rel][1]
    written = _run(tx, root)
    con.print(f"reformatted {len(written)} of {len(results)} files", markup=False)
    for rel in written:
        con.print(f"  {rel}", soft_wrap=True, markup=False)
