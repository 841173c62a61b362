"""What needs attention as of a day: findings about the plan, for people and CI.

Each finding has a stable code, a severity, the campaign and item it is
about, a message, and the file and line of that item. Findings come from a
plain list of small functions, like the checks; `--fail-on` decides which
of them fail a build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from mpm.plan import engine
from mpm.plan.dates import Plan, ScheduledTask
from mpm.read.beside import Beside, second_core
from mpm.read.load import Workspace
from mpm.views.chain import chain_text, driving_chain, late_successor
from mpm.views.content import occurrence_due, status_findings
from mpm.views.findings import (  # noqa: F401  (the status API: codes, findings, options)
    CODES,
    FAIL_ON,
    SEVERITY_RANK,
    Context,
    Finding,
    StatusOptions,
    days_text,
)
from mpm.views.levelling import levelling_slips, lone_tasks


def overdue_and_at_risk(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if (due := occurrence_due(t, ctx.plan.calendar)) is None:
            continue
        if due < ctx.as_of:
            late = ctx.working_days(due, ctx.as_of)
            yield ctx.task_finding("S101", camp, t,
                                   f"was due {due} ({days_text(late)} ago) and is {t.status}; "
                                   f"forecast to finish {t.finish}", late)
        elif t.total_float < 0 and t.finish > due:
            yield ctx.task_finding("S102", camp, t,
                                   f"forecast to finish {t.finish}, {days_text(-t.total_float)} after "
                                   f"its due date {due}", -t.total_float)
        elif t.total_float < 0:
            # It meets its own date; the float comes from a later task's deadline.
            late = late_successor(t)
            what = (f"{late.id if late.campaign == t.campaign else late.ref} (due {late.due}, "
                    f"forecast {late.finish})" if late is not None else "the campaign's finish")
            yield ctx.task_finding("S102", camp, t,
                                   f"forecast to finish {t.finish}, by its due date {due}, but "
                                   f"{days_text(-t.total_float)} too late for {what}", -t.total_float)


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
                          f"launch forecast {launch.finish}, {days_text(slip)} after the planned "
                          f"launch {meta.launch} (driven by {chain_text(driving_chain(launch), launch)})",
                          src.rel, src.line_of(("launch",)), slip, meta.owner)
        if meta.end and cp.finish > meta.end:
            slip = ctx.working_days(meta.end, cp.finish)
            yield Finding("S103", camp.id, camp.id,
                          f"forecast to finish {cp.finish}, {days_text(slip)} after its end date {meta.end}",
                          src.rel, src.line_of(("end",)), slip, meta.owner)


def launch_forecast(ctx: Context) -> Iterator[Finding]:
    """The plan makes the launch, but the forecast's P80 does not (estimates and risks, §3c)."""
    on_plan = []
    for camp, cp in ctx.campaigns():
        meta = camp.campaign
        launch = cp.launch_task()
        if meta and meta.launch and launch is not None and launch.finish <= meta.launch and ctx.mine(meta.owner):
            on_plan.append(cp.id)
    if not on_plan:
        return
    from mpm.views.forecast import launch_forecasts  # numpy: only when there is a launch to test
    from mpm.views.forecast_data import DEFAULT_RUNS

    for cid, f in launch_forecasts(ctx.ws, ctx.plan, on_plan).items():
        if f.dates.p80 <= f.planned:
            continue
        camp = ctx.ws.campaign(cid)
        if camp is None:
            continue
        src = camp.sources["campaign.yaml"]
        slip = ctx.working_days(f.planned, f.dates.p80)
        yield Finding("S303", cid, cid,
                      f"the plan makes the launch {f.planned}, but the forecast's P80 is {f.dates.p80}, "
                      f"{days_text(slip)} later: {f.on_time:.0%} chance of launching on time "
                      f"({DEFAULT_RUNS:,} runs; see mpm forecast)",
                      src.rel, src.line_of(("launch",)), slip, camp.campaign.owner if camp.campaign else None)


def blocked(ctx: Context) -> Iterator[Finding]:
    for camp, t in ctx.open_tasks():
        if t.status == "blocked":
            yield ctx.task_finding("S201", camp, t, f"is blocked; planned to start {t.start}")


def should_have_started(ctx: Context) -> Iterator[Finding]:
    bound_by = ctx.plan.result.why_kind  # what bound each start, read without a Binding a task
    for camp, t in ctx.open_tasks():
        if t.status != "todo" or bound_by[t.node] != engine.BY_AS_OF:
            continue  # only todo work that as-of alone holds back
        if (due := occurrence_due(t, ctx.plan.calendar)) is not None and due < ctx.as_of:
            continue  # already reported as overdue
        planned = _planned_start(ctx, t)
        if planned is not None and planned < ctx.as_of:
            late = ctx.working_days(planned, ctx.as_of)
            yield ctx.task_finding("S202", camp, t,
                                   f"could have started {planned} ({days_text(late)} ago) "
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
                              f"review was due {risk.review_by} ({days_text(late)} ago)",
                              src.rel, line, late, risk.owner)


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
        when = "today" if left == 0 else f"in {days_text(left)}"
        yield ctx.task_finding("S301", camp, t, f"due {t.due} ({when}); {t.status}, "
                               f"forecast to finish {t.finish}")


FINDERS: list[Callable[[Context], Iterator[Finding]]] = [
    overdue_and_at_risk, campaign_late, blocked, should_have_started, approvals, over_budget,
    goals_behind, risks, over_capacity, levelling_slips, due_soon, launch_forecast, status_findings,
]


# On a large workspace these finders run in a forked child while the others run here: about
# half the time each at 100,000 tasks. The findings come out the same, in the same order.
BESIDE = (should_have_started, over_capacity, status_findings)
MIN_TASKS = 10_000  # below this the finders take a few tens of milliseconds


def findings(ws: Workspace, plan: Plan, as_of: date, options: StatusOptions) -> list[Finding]:
    ctx = Context(ws, plan, as_of, options)
    theirs = [f for f in FINDERS if f in BESIDE]
    beside = len(plan.by_ref) >= MIN_TASKS and second_core()
    if beside:
        ctx.open_tasks()  # walked by finders on both sides: made once, before the fork
    child = Beside(lambda: [list(f(ctx)) for f in theirs]) if beside else None
    done: dict[Callable, list[Finding]] = {}
    for finder in FINDERS:
        if child is None or finder not in BESIDE:
            done[finder] = list(finder(ctx))
    if child is not None:
        lists = child.result_or(lambda: [list(f(ctx)) for f in theirs])
        done.update(zip(theirs, lists, strict=True))
    found = [f for finder in FINDERS for f in done[finder]]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.code, -(f.slip_days or 0),
                              f.campaign or "", f.item))
    return found


def exit_code(found: list[Finding], fail_on: str) -> int:
    failing = FAIL_ON[fail_on]
    return 1 if any(f.code in failing for f in found) else 0


def summary(found: list[Finding]) -> dict[str, int]:
    return {sev: sum(1 for f in found if f.severity == sev) for sev in ("error", "warning", "info")}
