"""What a change does, found by comparing the plans of both sides.

Each function takes the two workspaces (or their plans) and returns what got
worse or moved: dates of tasks and milestones, the launch, spend over plan,
weeks in which a person is asked for more hours than they have, goals whose
checkpoint path changed, risks that now sit on critical work. Shifts are
working days of the later side's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mpm.plan.calendar import WorkCalendar
from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.read.load import CampaignData, Workspace
from mpm.views.budget import CampaignBudget, budget_view
from mpm.views.capacity import holiday_names, person_weeks
from mpm.views.goals import checkpoints
from mpm.views.risks import LIVE, register


@dataclass
class Moved:
    task: str
    milestone: bool
    start_before: date
    start_after: date
    finish_before: date
    finish_after: date
    shift: int  # working days the finish moved, positive = later


@dataclass
class OverBudget:
    item: str  # "line <category>", "total" (spend against the approved total), "lines plan" (lines against it)
    planned: float
    actual: float
    over_before: float  # amount over plan before (0: within it)
    over_after: float


@dataclass
class Overload:
    person: str
    week: date  # Monday
    available: float
    planned_before: float
    planned_after: float


@dataclass
class PathChange:
    goal: str
    checkpoints: list[tuple[str, float | None, float | None]]  # (quarter, value before, after)


@dataclass
class RiskOnCritical:
    risk: str
    title: str
    score: int
    tasks: list[str]


def shift(cal: WorkCalendar, before: date, after: date) -> int:
    """Working days from `before` to `after`; a day that stopped being a working day counts as the next one."""
    return cal.end_offset(after) - cal.end_offset(before)


def moved_tasks(ca: CampaignPlan | None, cb: CampaignPlan | None, cal: WorkCalendar) -> list[Moved]:
    """Tasks and milestones on both sides whose start or finish moved: milestones first, biggest shift first."""
    if ca is None or cb is None:
        return []
    before = {t.id: t for t in ca.tasks}
    out = []
    for t in cb.tasks:
        old = before.get(t.id)
        if old is None or (old.start == t.start and old.finish == t.finish):
            continue
        out.append(Moved(t.id, t.milestone, old.start, t.start, old.finish, t.finish,
                         shift(cal, old.finish, t.finish)))
    out.sort(key=lambda m: (not m.milestone, -abs(m.shift), -m.shift, m.task))
    return out


def launch(cp: CampaignPlan | None) -> ScheduledTask | None:
    return cp.launch_task() if cp else None


def later_than_before(fa: dict[str, int], fb: dict[str, int]) -> list[tuple[str, int, int]]:
    """Tasks already late whose float got worse: (task, float before, after)."""
    return [(tid, fa[tid], fb[tid]) for tid in sorted(fb) if tid in fa and fa[tid] < 0 and fb[tid] < fa[tid]]


def _overs(cb: CampaignBudget | None) -> dict[str, tuple[float, float, float]]:
    """{item: (planned, actual, amount over)} of one campaign's budget."""
    if cb is None:
        return {}
    out = {f"line {x.category}": (x.money.planned, x.money.actual, max(0.0, x.money.actual - x.money.planned))
           for x in cb.lines}
    if cb.total is not None:
        lines = cb.lines_total
        out["total"] = (cb.total, lines.actual, max(0.0, lines.actual - cb.total))
        out["lines plan"] = (cb.total, lines.planned, max(0.0, lines.planned - cb.total))
    return out


def over_budget(before: Workspace, after: Workspace, cid: str) -> list[OverBudget]:
    """Budget lines and campaign totals now further over plan than before."""
    a = {c.campaign: c for c in budget_view(before, [cid]).campaigns}.get(cid)
    b = {c.campaign: c for c in budget_view(after, [cid]).campaigns}.get(cid)
    was, now = _overs(a), _overs(b)
    out = []
    for item, (planned, actual, over) in now.items():
        old = was.get(item, (0.0, 0.0, 0.0))[2]
        if over > old + 1e-9:
            out.append(OverBudget(item, planned, actual, old, over))
    return out


def overloads(before: Workspace, after: Workspace, pa: Plan, pb: Plan) -> list[Overload]:
    """Weeks in which a person is over capacity, or further over, on the later side."""
    cfg = after.config
    if cfg is None or not cfg.team or not pb.campaigns:
        return []
    days = [d for p in (pa, pb) for c in p.campaigns for d in (c.start, c.finish) if d is not None]
    if not days:
        return []
    first, last = min(days), max(days)
    people = {p.id: p for p in cfg.team}
    old_team = [p for p in (before.config.team if before.config else []) if p.id in people]
    was = {(w.person, w.week): w for w in person_weeks(pa, old_team, first, last,
                                                         holiday_names(before.config.calendar.holidays)
                                                         if before.config else {})}
    out = []
    for w in person_weeks(pb, cfg.team, first, last, holiday_names(cfg.calendar.holidays)):
        if not w.over:
            continue
        old = was.get((w.person, w.week))
        old_over = old.overload if old is not None else 0.0
        if w.overload > old_over + 0.01:
            out.append(Overload(w.person, w.week, w.available, old.planned if old else 0.0, w.planned))
    out.sort(key=lambda o: (o.week, o.person))
    return out


def goal_paths(a: CampaignData, b: CampaignData, fy_before: int, fy_after: int) -> list[PathChange]:
    """Goals on both sides whose checkpoint values (written or interpolated) changed."""
    old = {g.id: g for g in a.goals}
    out = []
    for g in b.goals:
        if g.id not in old:
            continue
        was = {c.quarter: c.value for c in checkpoints(old[g.id], fy_before)}
        now = {c.quarter: c.value for c in checkpoints(g, fy_after)}
        changed = [(q, was.get(q), now.get(q)) for q in sorted(set(was) | set(now))
                   if was.get(q) is None or now.get(q) is None or abs(was[q] - now[q]) > 1e-9]
        if changed:
            out.append(PathChange(g.id, changed))
    return out


def _on_critical(ws: Workspace, plan: Plan, cid: str) -> dict[str, tuple[str, int, list[str]]]:
    out = {}
    for e in register(ws, plan, plan.as_of, [cid]).entries:
        if e.risk.status not in LIVE:
            continue
        tasks = [a.ref for a in e.affects if a.total_float is not None and a.total_float <= 0 and a.status != "done"]
        if tasks:
            out[e.risk.id] = (e.risk.title, e.score, tasks)
    return out


def risks_on_critical(before: Workspace, after: Workspace, pa: Plan, pb: Plan, cid: str) -> list[RiskOnCritical]:
    """Live risks that affect critical work now and did not before, highest score first."""
    was = _on_critical(before, pa, cid) if before.campaign(cid) else {}
    now = _on_critical(after, pb, cid)
    out = [RiskOnCritical(rid, title, score, tasks) for rid, (title, score, tasks) in now.items()
           if rid not in was]
    out.sort(key=lambda r: (-r.score, r.risk))
    return out
