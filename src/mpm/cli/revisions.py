"""Change control over git revisions: `mpm diff` and `mpm history`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from mpm.cli.options import AsOfOpt, CampaignOpt, LevelOpt, ViewFmt, WorkspaceOpt, as_of_date, fail
from mpm.cli.steps import plan_side, workspace_root

REVISION_HINT = "revisions are commits, branches or tags, e.g. HEAD~1, main..feature or origin/main...HEAD"


class FailOn(StrEnum):
    never = "never"
    slip = "slip"
    late = "late"
    budget = "budget"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
    app.command("history")(history)


def diff(
    revisions: Annotated[list[str] | None, typer.Argument(
        metavar="REV",
        help="Git revisions to compare (default: HEAD and the working tree); A..B and A...B work too.")] = None,
    staged: Annotated[bool, typer.Option("--staged", help="Compare A (default HEAD) with the index.")] = False,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: CampaignOpt = None,
    fmt: Annotated[ViewFmt, typer.Option(
        "--format", "-f", help="table, md (for a pull request) or json.")] = ViewFmt.table,
    fail_on: Annotated[list[FailOn] | None, typer.Option(
        "--fail-on", help="Exit 1 when the change slips a launch or finish (slip), makes work late or "
        "later (late), or puts budget over plan (budget); repeatable. Default: never.")] = None,
) -> None:
    """What changed between two git revisions, in plan terms.

    Records added, removed and changed field by field, and what that does,
    most important first: each campaign's launch and finish, tasks and
    milestones whose dates moved, deadlines newly missed or missed by more,
    the critical path, budget over plan, goals' checkpoint paths, risks on
    critical work, people over capacity in a week. Both sides are read from
    git objects; nothing is checked out. A...B compares B with the commit it
    branched from, as a pull request does.

    Example: mpm diff origin/main...HEAD --format md --fail-on slip
    """
    from mpm.change import gitio
    from mpm.change.diff import diff_workspaces
    from mpm.read.files import DiskFiles, MemoryFiles
    from mpm.render import diff as render
    from mpm.render.console import console, out

    root = workspace_root(workspace)
    try:
        repo = gitio.find_repo(root)
        sides = gitio.parse_sides(revisions or [], staged)
        ids = {side: gitio.resolve(repo, side) for side in (sides.before, sides.after)
               if side not in (gitio.WORKTREE, gitio.INDEX)}
        sources, labels = [], []
        for side in (sides.before, sides.after):
            if side == gitio.WORKTREE:
                sources.append(DiskFiles(root))
                labels.append(gitio.WORKTREE)
            elif side == gitio.INDEX:
                sources.append(MemoryFiles(gitio.files_staged(repo)))
                labels.append(gitio.INDEX)
            else:
                commit = ids[side]
                if sides.merge_base and side == sides.before:
                    commit = gitio.merge_base(repo, commit, ids[sides.after])
                    label = f"merge base of {sides.before} and {sides.after} ({gitio.describe(repo, commit)})"
                else:
                    label = f"{side} ({gitio.describe(repo, commit)})"
                sources.append(MemoryFiles(gitio.files_at(repo, commit)))
                labels.append(label)
    except gitio.GitError as exc:
        fail(str(exc), REVISION_HINT)

    day = as_of_date(as_of)
    loaded = [_load_side(root, files, label) for label, files in zip(labels, sources, strict=True)]
    plans = [plan_side(ws, day, level) for ws in loaded]
    report = diff_workspaces(loaded[0], loaded[1], plans[0], plans[1], (labels[0], labels[1]), day)
    if campaign:
        report = _only(report, campaign, {c.id for ws in loaded for c in ws.campaigns})
    if fmt is ViewFmt.json:
        out(render.diff_json(report))
    elif fmt is ViewFmt.md:
        out(render.diff_markdown(report))
    else:
        console().print(render.diff_text(report))
    if _fails(report, set(fail_on or [])):
        raise typer.Exit(1)


def _only(report, chosen: list[str], known: set[str]):  # (DiffReport, ...) -> DiffReport
    """The report narrowed to the campaigns asked for (`--campaign`), named on either side."""
    from dataclasses import replace

    from mpm.read.diagnostics import did_you_mean

    unknown = [c for c in chosen if c not in known]
    if unknown:
        fail(f"no campaign '{unknown[0]}' on either side", did_you_mean(unknown[0], sorted(known)))
    return replace(report, campaigns=[c for c in report.campaigns if c.id in chosen])


def _load_side(root, files, label: str):  # -> Workspace
    from mpm.check.checks import check_workspace
    from mpm.read.diagnostics import Severity
    from mpm.render.console import console
    from mpm.render.diagnostics import print_text

    ws, found = check_workspace(root, files=files)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        console(stderr=True).print(f"{label} has {len(errors)} error(s):", style="bold red", markup=False,
                                   soft_wrap=True)
        print_text(errors, stderr=True)
        fail(f"cannot compare plans: {label} is not valid", "fix the files, or compare other revisions")
    return ws


def _fails(report, fail_on: set[FailOn]) -> bool:  # report: DiffReport
    from mpm.change.diff import gate

    return bool(fail_on - {FailOn.never}) and bool(gate(report) & {f.value for f in fail_on})


def history(
    revisions: Annotated[str | None, typer.Argument(
        metavar="REV..REV", help="The commits to look at: A..B, or every commit up to REV (default HEAD).")] = None,
    campaign: Annotated[list[str] | None, typer.Option("--campaign", "-c",
                                                       help="Only this campaign (repeatable).")] = None,
    workspace: WorkspaceOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="Plan every commit as of this date (default: each commit's own date).")]
    = None,
    level: LevelOpt = None,
    fmt: Annotated[ViewFmt, typer.Option("--format", "-f", help="table, md or json.")] = ViewFmt.table,
) -> None:
    """How each campaign's forecast launch and finish moved, commit by commit, and what moved them.

    For each commit that touched the workspace (along first parents: a merged
    pull request is one step): the launch and finish as planned at that
    commit, as of the commit's date, the shift in working days since the
    commit before, and its cause — the change in the files and the diff's
    top consequence, or the clock when only time moved the work. Nothing is
    checked out.

    Example: mpm history v1.0..HEAD --campaign black-friday-2026
    """
    from mpm.render import history as render
    from mpm.render.console import console, out

    root = workspace_root(workspace)
    result = read_history(root, revisions, campaign, as_of_date(as_of) if as_of else None, level)
    known_in(result, campaign)
    if fmt is ViewFmt.json:
        out(render.history_json(result))
    elif fmt is ViewFmt.md:
        out(render.history_markdown(result))
    else:
        render.history_table(console(), result)


def known_in(result, campaigns: list[str] | None) -> None:  # result: History
    """Exit 2 naming a campaign that is in none of the commits."""
    from mpm.read.diagnostics import did_you_mean

    for c in campaigns or []:
        if c not in result.known:
            fail(f"no campaign '{c}' in these commits",
                 did_you_mean(c, result.known) or "campaigns: " + (", ".join(result.known) or "none"))


def read_history(root, revisions: str | None, campaigns: list[str] | None, day,
                 level: bool | None = None):  # -> History
    """`mpm history`'s steps for the commits `revisions` names, or exit 2 saying why not."""
    from mpm.change import gitio
    from mpm.change.history import history as build

    try:
        repo = gitio.find_repo(root)
        since, until = _history_range(revisions)
        until_id = gitio.resolve(repo, until)
        since_id = gitio.resolve(repo, since) if since else None
        commits = gitio.commits(repo, until_id, since_id)
        snaps = gitio.snapshots(repo, ([since_id] if since_id else []) + [c.id for c in commits])
        base = gitio.commit_info(repo, since_id) if since_id else None
    except gitio.GitError as exc:
        fail(str(exc), REVISION_HINT)
    baseline = None
    if base is not None:
        baseline, snaps = (base, snaps[0]), snaps[1:]
    def plan(ws, on):
        return plan_side(ws, on, level)

    return build(root, list(zip(commits, snaps, strict=True)), plan, day, campaigns or None, baseline)


def _history_range(revisions: str | None) -> tuple[str | None, str]:
    from mpm.change.gitio import GitError

    if not revisions:
        return None, "HEAD"
    if revisions.startswith("-"):
        raise GitError(f"'{revisions}' is not a revision")
    if "..." in revisions:
        raise GitError(f"'{revisions}': history takes A..B (the commits after A up to B)")
    if ".." in revisions:
        a, _, b = revisions.partition("..")
        if a.startswith("-") or b.startswith("-"):
            raise GitError(f"'{revisions}' is not a revision range")
        return a or "HEAD", b or "HEAD"
    return None, revisions
