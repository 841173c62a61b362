"""What needs attention as of a day: findings about the plan, for people and CI.

Each finding has a stable code, a severity, the campaign and item it is
about, a message, and the file and line of that item. Findings come from a
plain list of small functions, like the checks; `--fail-on` decides which
of them fail a build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.read.load import CampaignData, Workspace
from mpm.views.content import CONTENT_CODES, occurrence_due, status_findings, task_line

# code -> (severity, short name); the README's table comes from here.
CODES: dict[str, tuple[str, str]] = {
    "S101": ("error", "overdue"),
    "S102": ("error", "forecast past its due date"),
    "S103": ("error", "campaign forecast past its launch or end"),
    "S201": ("warning", "blocked"),
    "S202": ("warning", "should have started"),
    "S203": ("warning", "approval rejected"),
    "S204": ("warning", "approval pending, work starts soon"),
    "S205": ("warning", "over budget"),
    "S206": ("warning", "goal behind its checkpoint"),
    "S207": ("warning", "high risk without mitigation"),
    "S208": ("warning", "person over capacity"),
    "S209": ("warning", "levelling moves a launch or end past its date"),
    "S301": ("info", "due soon"),
    "S302": ("info", "risk review overdue"),
}
CODES.update(CONTENT_CODES)
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

# --fail-on level -> the codes that fail the build
FAIL_ON = {
    "overdue": {"S101"},
    "at-risk": {"S101", "S102", "S103"},
    "warning": {c for c, (sev, _) in CODES.items() if sev in ("error", "warning")},
    "never": set(),
}


@dataclass
class Finding:
    code: str
    campaign: str | None
    item: str
    message: str
    file: str
    line: int
    slip_days: int | None = None  # working days late, where that applies
    owner: str | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        return CODES[self.code][1]


@dataclass
class StatusOptions:
    horizon: int = 5  # working days ahead for "soon"
    campaigns: list[str] = field(default_factory=list)
    owner: str | None = None


@dataclass
class Context:
    ws: Workspace
    plan: Plan
    as_of: date
    options: StatusOptions

    def __post_init__(self) -> None:
        cal = self.plan.calendar
        self.today = cal.offset(self.as_of)
        self.horizon_end = cal.date_at(self.today + self.options.horizon)

    def campaigns(self) -> Iterator[tuple[CampaignData, CampaignPlan]]:
        """The campaigns in view: chosen ones, and never closed ones (done or cancelled)."""
        for cp in self.plan.campaigns:
            meta = cp.data.campaign
            if meta is not None and meta.status in ("done", "cancelled"):
                continue
            if not self.options.campaigns or cp.id in self.options.campaigns:
                yield cp.data, cp

    def open_tasks(self) -> list[tuple[CampaignData, ScheduledTask]]:
        """Work not done in the campaigns in view (computed once: every finder walks it)."""
        found = self.__dict__.get("_open")
        if found is None:
            found = self.__dict__["_open"] = [(camp, t) for camp, cp in self.campaigns() for t in cp.tasks
                                              if t.status != "done" and self.mine(t.owner)]
        return found

    def mine(self, owner: str | None) -> bool:
        return self.options.owner is None or owner == self.options.owner

    def task_finding(self, code: str, camp: CampaignData, t: ScheduledTask, message: str,
                     slip: int | None = None) -> Finding:
        src = camp.sources["tasks.yaml"]
        return Finding(code, camp.id, t.id, message, src.rel, task_line(camp, t), slip, t.owner)

    @staticmethod
    def _rows(camp: CampaignData, kind: str) -> int | None:
        """Items in the file when every one of them is valid (then none is missing)."""
        rows = getattr(camp, f"{kind[:-1]}_rows")
        return len(rows) if not camp.broken_ids and rows == list(range(len(rows))) else None

    def working_days(self, a: date, b: date) -> int:
        return self.plan.calendar.offset(b) - self.plan.calendar.offset(a)


def _days(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")


def overdue_and_at_risk(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if (due := occurrence_due(t, ctx.plan.calendar)) is None:
            continue
        if due < ctx.as_of:
            late = ctx.working_days(due, ctx.as_of)
            yield ctx.task_finding("S101", camp, t,
                                   f"was due {due} ({_days(late)} ago) and is {t.status}; "
                                   f"forecast to finish {t.finish}", late)
        elif t.total_float < 0:
            yield ctx.task_finding("S102", camp, t,
                                   f"forecast to finish {t.finish}, {_days(-t.total_float)} after "
                                   f"its due date {t.due}", -t.total_float)


def campaign_late(ctx: Context) -> Iterator[Finding]:
    for camp, cp in ctx.campaigns():
        meta = camp.campaign
        if meta is None or cp.finish is None or not ctx.mine(meta.owner):
            continue
        src = camp.sources["campaign.yaml"]
        launch = cp.launch_task()
        if meta.launch and launch is not None and launch.finish > meta.launch:
            slip = ctx.working_days(meta.launch, launch.finish)
            yield Finding("S103", camp.id, camp.id,
                          f"launch forecast {launch.finish}, {_days(slip)} after the planned "
                          f"launch {meta.launch} (driven by {', '.join(cp.critical_path[:3])})",
                          src.rel, src.line_of(("launch",)), slip, meta.owner)
        if meta.end and cp.finish > meta.end:
            slip = ctx.working_days(meta.end, cp.finish)
            yield Finding("S103", camp.id, camp.id,
                          f"forecast to finish {cp.finish}, {_days(slip)} after its end date {meta.end}",
                          src.rel, src.line_of(("end",)), slip, meta.owner)


def blocked(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if t.status == "blocked":
            yield ctx.task_finding("S201", camp, t, f"is blocked; planned to start {t.start}")


def should_have_started(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if (due := occurrence_due(t, ctx.plan.calendar)) is not None and due < ctx.as_of:
            continue  # already reported as overdue
        if t.status == "todo" and t.why is not None and t.why.kind == "as-of":
            planned = _planned_start(ctx, t)
            if planned is not None and planned < ctx.as_of:
                late = ctx.working_days(planned, ctx.as_of)
                yield ctx.task_finding("S202", camp, t,
                                       f"could have started {planned} ({_days(late)} ago) "
                                       "and has not", late)


def _planned_start(ctx: Context, t: ScheduledTask) -> date | None:
    """When the task could start if today did not hold it: its other lower bounds."""
    cal = ctx.plan.calendar
    net, r = ctx.plan.network, ctx.plan.result
    start = None
    meta = ctx.ws.campaign(t.campaign)
    bounds = []
    if meta and meta.campaign and meta.campaign.start:
        bounds.append(cal.offset(meta.campaign.start))
    own = t.occurrence or t.task.start
    if own:
        bounds.append(cal.offset(own))
    for a, kind, lag in net.preds[t.node]:
        d = net.duration[t.node]
        bounds.append({0: r.ef[a] + lag, 1: r.es[a] + lag, 2: r.ef[a] + lag - d,
                       3: r.es[a] + lag - d}[kind])
    if bounds:
        start = cal.date_at(max(bounds))
    return start


def approvals(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if t.occurrence is not None and t.start > ctx.horizon_end:
            continue
        soon = t.start <= ctx.horizon_end
        for a in t.task.approvals:
            note = f": {a.note}" if a.note else ""
            if a.status == "rejected" and soon:
                yield ctx.task_finding("S203", camp, t, f"approval by {a.by} was rejected{note}")
            elif a.status == "pending" and soon:
                yield ctx.task_finding("S204", camp, t,
                                       f"starts {t.start} and still waits for approval by {a.by}")


def over_budget(ctx: Context) -> Iterator[Finding]:
    from mpm.views.budget import budget_view

    in_view = {cp.id for _, cp in ctx.campaigns()}
    view = budget_view(ctx.ws)
    for b in view.campaigns:
        if b.campaign not in in_view:
            continue
        camp = ctx.ws.campaign(b.campaign)
        meta = camp.campaign if camp else None
        if camp is None or meta is None or not ctx.mine(meta.owner):
            continue
        src = camp.sources["campaign.yaml"]
        for i, line in enumerate(b.lines):
            m = line.money
            if m.over:
                yield Finding("S205", camp.id, f"budget: {line.category}",
                              f"{line.category} spent {m.actual:,.0f} of {m.planned:,.0f} "
                              f"{view.currency} planned ({-m.remaining:,.0f} over, "
                              f"{(m.used or 0) * 100:.0f}%)",
                              src.rel, src.line_of(("budget", "lines", i)), None, meta.owner)
        total = b.against_total
        if b.total is not None and total.over:
            yield Finding("S205", camp.id, "budget: total",
                          f"spent {total.actual:,.0f} of the {total.planned:,.0f} {view.currency} total",
                          src.rel, src.line_of(("budget", "total")), None, meta.owner)


def goals_behind(ctx: Context) -> Iterator[Finding]:
    from mpm.views.goals import standing

    fy = ctx.ws.config.fiscal_year_start if ctx.ws.config else 1
    for camp, _ in ctx.campaigns():
        src = camp.sources.get("goals.yaml")
        for i, goal in enumerate(camp.goals):
            if not ctx.mine(goal.owner) or src is None:
                continue
            s = standing(goal, ctx.as_of, fy)
            if s.state not in ("behind", "missed"):
                continue
            line = src.item_line(camp.goal_rows[i], ctx._rows(camp, "goals"))
            unit = f" {goal.unit}" if goal.unit else ""
            if s.state == "behind" and s.actual is not None:
                message = (f"{s.actual.value:,.0f}{unit} on {s.actual.date}, expected "
                           f"{s.expected:,.0f} by then"
                           + (f" on the way to {s.checkpoint.value:,.0f} by the end of "
                              f"{s.checkpoint.quarter}" if s.checkpoint else ""))
            else:
                message = f"missed: the deadline {goal.deadline} has passed short of {goal.target:g}{unit}"
            yield Finding("S206", camp.id, goal.id, message, src.rel, line, None, goal.owner)


def risks(ctx: Context) -> Iterator[Finding]:
    for camp, _ in ctx.campaigns():
        src = camp.sources.get("risks.yaml")
        for i, risk in enumerate(camp.risks):
            if risk.status not in ("open", "mitigating") or not ctx.mine(risk.owner) or src is None:
                continue
            line = src.item_line(camp.risk_rows[i], ctx._rows(camp, "risks"))
            if risk.score >= 15 and not risk.mitigation:
                yield Finding("S207", camp.id, risk.id,
                              f"scores {risk.score} ({risk.likelihood}×{risk.impact}) and has no mitigation",
                              src.rel, line, None, risk.owner)
            if risk.review_by and risk.review_by < ctx.as_of:
                late = ctx.working_days(risk.review_by, ctx.as_of)
                yield Finding("S302", camp.id, risk.id,
                              f"review was due {risk.review_by} ({_days(late)} ago)",
                              src.rel, line, late, risk.owner)


def levelling_slips(ctx: Context) -> Iterator[Finding]:
    """A launch or end that people's hours push past its date (§3b), and whose hours."""
    from mpm.views.levelling import shifts

    for shift in shifts(ctx.plan, [cp for _, cp in ctx.campaigns()]):
        camp = shift.campaign.data
        meta = camp.campaign
        if meta is None or not ctx.mine(meta.owner):
            continue
        src = camp.sources["campaign.yaml"]
        chain = " → ".join(t.id for t in shift.waits[:3])
        by = f"{shift.people_text()}'s hours" + (f" ({chain})" if chain else "")
        for what, key, target, before, after, moved in (
                ("launch", "launch", meta.launch, shift.launch_before, shift.launch_after, shift.launch_shift),
                ("finish", "end", meta.end, shift.finish_before, shift.finish_after, shift.finish_shift)):
            if target is None or after is None or before is None or moved <= 0 or after <= target:
                continue
            yield Finding("S209", camp.id, camp.id,
                          f"levelling moves the {what} to {after}, {_days(moved)} later than the "
                          f"dependencies allow ({before}) and past its date {target}: driven by {by}",
                          src.rel, src.line_of((key,)), ctx.working_days(target, after), meta.owner)


def lone_tasks(ctx: Context) -> list[Finding]:
    """Levelled: a task needing more than a person's day runs alone — the only overload left."""
    cfg = ctx.ws.config
    out: list[Finding] = []
    if cfg is None or ctx.ws.config_source is None:
        return out
    from mpm.plan.staffing import hours_per_workday

    index = {p.id: i for i, p in enumerate(cfg.team)}
    for camp, t in ctx.open_tasks():
        if not t.lone or t.finish < ctx.as_of:
            continue
        per_day = len(t.work_offsets()) or 1
        for person, hours in t.load:
            if person not in index or not ctx.mine(person):
                continue
            have = hours_per_workday(cfg.team[index[person]], ctx.plan.calendar)
            need = hours / per_day
            if need > have + 1e-9:
                out.append(Finding(
                    "S208", camp.id, t.ref,
                    f"needs {need:.0f} h a day of {person}, who has {have:.0f}: it runs alone "
                    f"({t.start} to {t.finish})", ctx.ws.config_source.rel,
                    ctx.ws.config_source.line_of(("team", index[person])), None, person))
    return out


def over_capacity(ctx: Context) -> Iterator[Finding]:
    from mpm.views.capacity import holiday_names, person_weeks

    cfg = ctx.ws.config
    if cfg is None or ctx.ws.config_source is None:
        return
    if ctx.plan.levelled:
        yield from lone_tasks(ctx)
        return
    people = [p for p in cfg.team if ctx.mine(p.id)]
    weeks = person_weeks(ctx.plan, people, ctx.as_of, ctx.horizon_end,
                         holiday_names(cfg.calendar.holidays))
    index = {p.id: i for i, p in enumerate(cfg.team)}
    chosen = set(ctx.options.campaigns)
    for w in weeks:
        if not w.over:
            continue
        tasks = [(t, h) for t, h in w.tasks if not chosen or t.campaign in chosen]
        if chosen and not tasks:
            continue
        top = ", ".join(f"{t.ref} {h:.0f} h" for t, h in tasks[:3])
        line = ctx.ws.config_source.line_of(("team", index[w.person]))
        cut_start = w.week < ctx.as_of
        cut_end = w.week + timedelta(days=4) > ctx.horizon_end
        when = f"week of {w.week}"
        if cut_start or cut_end:
            span = [f"from {ctx.as_of}"] if cut_start else []
            span += [f"to {ctx.horizon_end}"] if cut_end else []
            when += f" ({' '.join(span)})"
        yield Finding("S208", None, w.person,
                      f"{when}: {w.planned:.0f} h planned, {w.available:.0f} h available "
                      f"({w.overload:.0f} h over): {top}", ctx.ws.config_source.rel, line, None, w.person)


def due_soon(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if t.due is None or t.total_float < 0 or not (ctx.as_of <= t.due <= ctx.horizon_end):
            continue
        left = ctx.working_days(ctx.as_of, t.due)
        when = "today" if left == 0 else f"in {_days(left)}"
        yield ctx.task_finding("S301", camp, t, f"due {t.due} ({when}); {t.status}, "
                               f"forecast to finish {t.finish}")


FINDERS: list[Callable[[Context], Iterator[Finding]]] = [
    overdue_and_at_risk, campaign_late, blocked, should_have_started, approvals, over_budget,
    goals_behind, risks, over_capacity, levelling_slips, due_soon, status_findings,
]


def findings(ws: Workspace, plan: Plan, as_of: date, options: StatusOptions) -> list[Finding]:
    ctx = Context(ws, plan, as_of, options)
    found = [f for finder in FINDERS for f in finder(ctx)]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.code, -(f.slip_days or 0),
                              f.campaign or "", f.item))
    return found


def exit_code(found: list[Finding], fail_on: str) -> int:
    failing = FAIL_ON[fail_on]
    return 1 if any(f.code in failing for f in found) else 0


def summary(found: list[Finding]) -> dict[str, int]:
    return {sev: sum(1 for f in found if f.severity == sev) for sev in ("error", "warning", "info")}
