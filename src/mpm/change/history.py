"""How each campaign's forecast moved, commit by commit, and what moved it.

Each version of the workspace is read from its files (bytes from git
objects; files that are the same bytes as in an earlier version are not read
again), checked, and planned as of its commit's day (or one fixed day). A
campaign's launch and finish are compared with the version before; when one
moved, both versions are planned as of the later day and diffed, and the
diff says what moved it. A shift the diff does not explain is the clock:
work not done by the later day starts no earlier than that day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mpm.change.consequences import launch, shift
from mpm.change.diff import CampaignDiff, Change, diff_workspaces
from mpm.change.gitio import Commit
from mpm.check.checks import run_checks
from mpm.plan.dates import Plan
from mpm.read.cache import ReadMemo
from mpm.read.diagnostics import Severity
from mpm.read.files import MemoryFiles
from mpm.read.load import Workspace, load_workspace

Planner = Callable[[Workspace, date], Plan]


@dataclass
class Point:
    """One campaign as planned at one commit."""

    campaign: str
    state: str  # planned | added | removed
    launch: date | None = None
    finish: date | None = None
    launch_shift: int | None = None  # working days since the commit before; None: nothing to compare
    finish_shift: int | None = None
    cause: CampaignDiff | None = None  # the diff with the commit before, when a date moved
    clock: bool = False  # a date moved with no change in the files that explains it

    @property
    def moved(self) -> bool:
        return bool(self.launch_shift or self.finish_shift or self.state != "planned")


@dataclass
class Step:
    commit: Commit
    as_of: date
    problem: str | None = None  # the workspace could not be planned at this commit
    points: list[Point] = field(default_factory=list)
    workspace: list[Change] = field(default_factory=list)  # mpm.yaml changes, when a date moved


@dataclass
class History:
    as_of: date | None  # the fixed day, or None: each commit as of its own day
    campaigns: list[str]  # every campaign shown, in order of first appearance
    steps: list[Step]
    known: list[str] = field(default_factory=list)  # every campaign in any version, shown or not


@dataclass
class _Version:
    ws: Workspace
    plan: Plan
    as_of: date
    points: dict[str, Point]


def history(root: Path, versions: Iterable[tuple[Commit, dict[str, bytes] | None]], plan: Planner,
            as_of: date | None = None, campaigns: list[str] | None = None,
            baseline: tuple[Commit, dict[str, bytes] | None] | None = None) -> History:
    """The steps of `versions` (oldest first; None: no workspace at that commit).

    `baseline` is the version the first one is compared with (the `A` of `A..B`).
    """
    memo = ReadMemo()
    seen: list[str] = []
    steps: list[Step] = []
    prev: _Version | None = None
    if baseline is not None:
        found = _step(root, *baseline, memo, plan, as_of, campaigns, None)
        prev = found[1]
    known: set[str] = set()
    for commit, files in versions:
        step, version = _step(root, commit, files, memo, plan, as_of, campaigns, prev)
        for p in step.points:
            if p.campaign not in seen:
                seen.append(p.campaign)
        steps.append(step)
        if version is not None:
            prev = version
            known |= {c.id for c in version.ws.campaigns}
    return History(as_of, seen, steps, sorted(known))


def _step(root: Path, commit: Commit, files: dict[str, bytes] | None, memo: ReadMemo, plan: Planner,
          as_of: date | None, campaigns: list[str] | None,
          prev: _Version | None) -> tuple[Step, _Version | None]:
    day = as_of or date.fromisoformat(commit.day)
    step = Step(commit, day)
    if files is None:
        step.problem = "the workspace is not in the repository at this commit"
        return step, None
    ws, found = load_workspace(root, files=MemoryFiles(files), memo=memo)
    same = prev is not None and same_records(prev.ws, ws)
    if not same:  # the checks across records say what they said for the same records before
        found += run_checks(ws)
    errors = sum(1 for d in found if d.severity is Severity.ERROR)
    if errors:
        step.problem = f"{errors} error{'s' if errors != 1 else ''} in the files: not planned"
        return step, None
    this = prev.plan if same and prev is not None and prev.as_of == day else plan(ws, day)
    wanted = [c.id for c in ws.campaigns if not campaigns or c.id in campaigns]
    points: dict[str, Point] = {}
    for cid in wanted:
        cp = this.campaign(cid)
        lt = launch(cp)
        point = Point(cid, "planned", lt.finish if lt else None, cp.finish if cp else None)
        before = prev.points.get(cid) if prev else None
        if prev is not None and before is None:
            point.state = "added"
        elif before is not None:
            if before.launch and point.launch:
                point.launch_shift = shift(this.calendar, before.launch, point.launch)
            if before.finish and point.finish:
                point.finish_shift = shift(this.calendar, before.finish, point.finish)
        points[cid] = point
    step.points = list(points.values())
    if prev is not None:
        for cid in prev.points:
            if cid not in points:
                step.points.append(Point(cid, "removed"))
        if same:  # only a comment or the layout changed: what moved, the clock moved
            for p in step.points:
                p.clock = p.moved and p.state == "planned"
        else:
            _explain(step, prev, ws, this, plan, day)
    return step, _Version(ws, this, day, points)


def same_records(a: Workspace, b: Workspace) -> bool:
    """Whether two versions hold equal records (files that differ only in comments or layout)."""
    if a.config != b.config or len(a.campaigns) != len(b.campaigns):
        return False
    return all(x.id == y.id and x.campaign == y.campaign and x.tasks == y.tasks and x.goals == y.goals
               and x.risks == y.risks for x, y in zip(a.campaigns, b.campaigns, strict=True))


def _explain(step: Step, prev: _Version, ws: Workspace, this: Plan, plan: Planner, day: date) -> None:
    """Diff the campaigns whose dates moved with the version before, both planned as of `day`."""
    moved = [p for p in step.points if p.moved and p.state != "removed"]
    if not moved:
        return
    before = prev.plan if prev.as_of == day else plan(prev.ws, day)
    ids = [p.campaign for p in moved]
    report = diff_workspaces(prev.ws, ws, before, this, ("", ""), day, campaigns=ids, team=False)
    diffs = {c.id: c for c in report.campaigns}
    step.workspace = report.workspace
    for p in moved:
        p.cause = diffs.get(p.campaign)
        row = p.launch_shift if p.launch_shift is not None else p.finish_shift
        p.clock = p.state == "planned" and (row or 0) != ((p.cause.slip if p.cause else 0) or 0)
