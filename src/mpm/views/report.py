"""The stakeholder report: what leadership and clients read, as plain data.

Per campaign: a headline (on track, at risk, late, done), forecast launch and
finish against the plan, the P80 dates of the Monte Carlo forecast (§3c),
what was done since the last report and what comes next, milestones, the schedule for a Gantt chart, goals against their
checkpoints, budget, top risks, open approvals and, for closed campaigns, the
lessons learned. Renderers turn it into Markdown or an HTML page.

The audience decides what is internal: a `client` report leaves out the
notes on approvals (a rejection's reason is for the team), and renderers
show people by name, never by id or load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.read.beside import Beside
from mpm.read.load import Workspace
from mpm.read.model import Approval
from mpm.views.budget import CampaignBudget, budget_view
from mpm.views.capacity import PersonWeek
from mpm.views.content import AssetEntry, CalendarItem, ContentFilter, content_pieces, most_reused
from mpm.views.forecast_data import DEFAULT_RUNS, CampaignForecast, view_runs
from mpm.views.goals import GoalReport, goal_reports
from mpm.views.report_forecast import ForecastStandby, forecast_beside
from mpm.views.risks import RiskEntry, register
from mpm.views.rows import Row, plan_rows

LOOK_AHEAD_DAYS = 14


@dataclass
class CampaignReport:
    id: str
    name: str
    client: str | None
    owner: str | None
    status: str
    objective: str | None
    audience: str | None
    headline: str  # on track | at risk | late | done | cancelled | on hold | not started
    reasons: list[str]
    start: date | None
    launch_planned: date | None
    launch_forecast: date | None
    end: date | None
    finish_forecast: date | None
    critical_path: list[str]
    done_since: list[ScheduledTask]
    next_up: list[ScheduledTask]
    milestones: list[ScheduledTask]
    tasks: list[ScheduledTask]  # every task of the campaign, for its chart (`rows`)
    goals: list[GoalReport]
    budget: CampaignBudget | None
    risks: list[RiskEntry]
    approvals: list[tuple[ScheduledTask, Approval]]
    lessons: list[str] = field(default_factory=list)
    forecast: CampaignForecast | None = None  # P80 dates and the S-curve (§3c)

    @cached_property
    def rows(self) -> list[Row]:
        """The campaign's chart rows, made when a renderer first asks (a report rendered on two
        cores makes each half's rows in the process that draws them), or while the report's
        forecast is made in a child (`build_report`)."""
        return plan_rows(self.tasks)


AUDIENCES = ("team", "client")


@dataclass
class ContentSummary:
    published: list[AssetEntry]  # published_on since the last report
    coming: list[CalendarItem]  # pieces of content that go out in the next two weeks
    top_reused: list[AssetEntry]


@dataclass
class Report:
    title: str
    as_of: date
    since: date
    currency: str
    campaigns: list[CampaignReport]
    forecast_runs: int = DEFAULT_RUNS
    people: dict[str, str] = field(default_factory=dict)  # person id -> name
    audience: str = "team"

    def person(self, pid: str | None) -> str | None:
        """A person's name for a reader (the id when the team does not know it)."""
        return self.people.get(pid, pid) if pid else None
    content: ContentSummary | None = None

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.campaigns:
            out[c.headline] = out.get(c.headline, 0) + 1
        return out


def _headline(cp: CampaignPlan, as_of: date, cal, audience: str = "team") -> tuple[str, list[str]]:
    meta = cp.data.campaign
    if meta and meta.status in ("done", "cancelled"):
        return meta.status, []
    if meta and meta.status == "on-hold":
        return "on hold", ["not forecast while on hold"]
    reasons: list[str] = []
    late = False

    def named(tasks: list[ScheduledTask]) -> str:  # the team knows ids; a client knows names
        return ", ".join(t.name if audience == "client" else t.id for t in tasks[:4])

    launch = cp.launch_task()
    if meta and meta.launch and launch and launch.finish > meta.launch:
        slip = cal.offset(launch.finish) - cal.offset(meta.launch)
        reasons.append(f"launch forecast {launch.finish}, {slip} working day{'s' if slip != 1 else ''} "
                       f"after the planned {meta.launch}")
        late = True
    if meta and meta.end and cp.finish and cp.finish > meta.end:
        slip = cal.offset(cp.finish) - cal.offset(meta.end)
        reasons.append(f"finish forecast {cp.finish}, {slip} working day{'s' if slip != 1 else ''} "
                       f"after the planned end {meta.end}")
        late = True
    open_tasks = [t for t in cp.tasks if t.status != "done"]
    overdue = [t for t in open_tasks if t.due and t.due < as_of]
    if overdue:
        reasons.append("overdue: " + named(overdue))
        late = True
    if late:
        return "late", reasons
    at_risk = [t for t in open_tasks if t.total_float < 0]
    blocked = [t for t in open_tasks if t.status == "blocked"]
    if at_risk:
        reasons.append("forecast past a due date: " + named(at_risk))
    if blocked:
        reasons.append("blocked: " + named(blocked))
    if at_risk or blocked:
        return "at risk", reasons
    if meta and meta.status == "proposed":
        return "not started", ["proposed"]
    return "on track", reasons


def _over_capacity(ws: Workspace, plan: Plan, as_of: date, until: date) -> list[PersonWeek]:
    from mpm.views.capacity import holiday_names, person_weeks

    cfg = ws.config
    if cfg is None:
        return []
    return [w for w in person_weeks(plan, cfg.team, as_of, until, holiday_names(cfg.calendar.holidays))
            if w.over]


def _other_worries(cp: CampaignPlan, budget: CampaignBudget | None, goals: list[GoalReport],
                   overloaded: set[str], audience: str = "team") -> list[str]:
    """Why a campaign whose dates hold is still not on track: spend, goals, people's hours
    (people's load is the team's own business: not in a client's report)."""
    out = []
    if budget is not None:
        over = [x.category for x in budget.lines if x.money.over]
        if over:
            out.append("over budget: " + ", ".join(over[:4]))
        elif budget.total is not None and budget.against_total.over:
            out.append("over its approved total")
    behind = [g.goal.id for g in goals if g.standing.state in ("behind", "missed")]
    if behind:
        out.append("goal behind: " + ", ".join(behind[:4]))
    people = sorted(overloaded)
    if people and audience != "client":
        out.append("over capacity: " + ", ".join(people[:4]))
    return out


def _recorded_done(t: ScheduledTask) -> bool:
    """An occurrence someone recorded as done: its own entry says so, or the whole series is done."""
    entry = t.entry
    return (entry is not None and entry.status == "done") or t.task.status == "done"


def build_report(ws: Workspace, plan: Plan, as_of: date, since: date | None = None,
                 campaigns: list[str] | None = None, title: str | None = None,
                 audience: str = "team", meanwhile: Callable[[Report, CampaignReport], None] | None = None,
                 standby: ForecastStandby | None = None) -> Report:
    """The report. `meanwhile(report, campaign)`: drawing a renderer may do for a campaign while
    the forecast is made beside (nothing of the forecast is there yet), a campaign at a time
    until the forecast is in. `standby`: a child from `forecast_standby`, handed the forecast's
    runs, maybe while the plan was made (else a large forecast is made in a child forked now)."""
    since = since or as_of - timedelta(days=LOOK_AHEAD_DAYS)
    ahead = as_of + timedelta(days=LOOK_AHEAD_DAYS)
    chosen = [cp for cp in plan.campaigns if not campaigns or cp.id in campaigns]
    ids = [cp.id for cp in chosen] if campaigns else None  # None: every campaign, no list to search
    runs = view_runs(plan.network.size)

    def forecast() -> dict[str, CampaignForecast]:
        from mpm.views.forecast import forecast_view  # numpy: in the child, when there is one

        return {f.id: f for f in forecast_view(ws, plan, campaigns=ids, runs=runs, detail=False).campaigns}

    child, made_beside = forecast_beside(ws, plan, ids, runs, standby, forecast)
    try:
        rep = _all_but_the_forecast(ws, plan, chosen, as_of, since, ahead, audience, ids, title, runs)
        if child is not None:
            _while_waiting(child, rep, meanwhile)
        got = made_beside() if made_beside is not None else None
        found = got if got is not None else forecast()
    finally:
        if child is not None:
            child.stop()
    for c in rep.campaigns:
        if c.headline not in ("done", "cancelled", "on hold"):
            c.forecast = found.get(c.id)
    return rep


def _all_but_the_forecast(ws: Workspace, plan: Plan, chosen: list[CampaignPlan], as_of: date, since: date,
                          ahead: date, audience: str, ids: list[str] | None, title: str | None, runs: int
                          ) -> Report:
    """The report without its forecast: each chosen campaign's report, most urgent first, and
    the content summary."""
    goals: dict[str, list] = {}
    for g in goal_reports(ws, as_of, ids):
        goals.setdefault(g.campaign, []).append(g)
    budgets = {b.campaign: b for b in budget_view(ws, ids).campaigns}
    live: dict[str, list] = {}  # each campaign's risks not closed, highest score first
    for e in register(ws, plan, as_of, ids).entries:
        if e.risk.status != "closed":
            live.setdefault(e.campaign, []).append(e)
    overloaded: dict[str, set[str]] = {}  # campaign: who is over capacity on its work
    for w in _over_capacity(ws, plan, as_of, ahead):
        for t, _ in w.tasks:
            overloaded.setdefault(t.campaign, set()).add(w.person)
    out = []
    for cp in chosen:
        c = _campaign_report(cp, plan, as_of, since, ahead, audience)
        if c.headline == "on track":
            c.reasons = _other_worries(cp, budgets.get(cp.id), goals.get(cp.id, []),
                                       overloaded.get(cp.id, set()), audience)
            c.headline = "at risk" if c.reasons else c.headline
        c.goals, c.budget, c.risks = goals.get(cp.id, []), budgets.get(cp.id), live.get(cp.id, [])[:5]
        out.append(c)
    urgency = {"late": 0, "at risk": 1, "on track": 2, "not started": 3, "on hold": 4, "done": 5,
               "cancelled": 6}
    out.sort(key=lambda c: (urgency.get(c.headline, 9), c.id))
    name = ws.config.name if ws.config else "mpm"
    currency = ws.config.currency if ws.config else "USD"
    if title is None:
        title = f"{out[0].name} — status report" if ids and len(out) == 1 else f"{name} — status report"
    people = {p.id: p.name for p in ws.config.team} if ws.config else {}
    return Report(title, as_of, since, currency, out, people=people, audience=audience,
                  content=_content(ws, plan, as_of, since, ahead, ids), forecast_runs=runs)


def _while_waiting(child: Beside, rep: Report, meanwhile: Callable[[Report, CampaignReport], None] | None
                   ) -> None:
    """The chart rows the renderers will ask for, and `meanwhile`'s drawing, made campaign by
    campaign while `child` has not answered yet."""
    for c in rep.campaigns:
        if child.ready():
            return
        c.rows  # noqa: B018 - made and kept by the cached property
        if meanwhile is not None:
            meanwhile(rep, c)


def _campaign_report(cp: CampaignPlan, plan: Plan, as_of: date, since: date, ahead: date,
                     audience: str) -> CampaignReport:
    """A campaign's report from its plan alone: no goals, budget, risks or forecast yet."""
    meta = cp.data.campaign
    headline, reasons = _headline(cp, as_of, plan.calendar, audience)
    launch = cp.launch_task()
    # Only work recorded as done: a done_on in the period, or an occurrence
    # of a series recorded done (not one an in-progress series is assumed past).
    done_since = [t for t in cp.tasks if t.status == "done" and t.task.done_on
                  and since <= t.task.done_on <= as_of and t.occurrence is None]
    done_since += [t for t in cp.tasks if t.status == "done" and t.occurrence and _recorded_done(t)
                   and since <= t.finish <= as_of]
    next_up = [t for t in cp.tasks if t.status != "done" and as_of <= t.start <= ahead]
    approvals = [(t, a) for t in cp.tasks if t.status != "done" and t.occurrence is None
                 for a in t.task.approvals if a.status in ("pending", "rejected")]
    if audience == "client":
        approvals = [(t, replace(a, note=None)) for t, a in approvals]
    return CampaignReport(
        id=cp.id, name=meta.name if meta else cp.id, client=meta.client if meta else None,
        owner=meta.owner if meta else None, status=meta.status if meta else "active",
        objective=meta.objective if meta else None, audience=meta.audience if meta else None,
        headline=headline, reasons=reasons, start=cp.start,
        launch_planned=meta.launch if meta else None,
        launch_forecast=launch.finish if launch else None,
        end=meta.end if meta else None, finish_forecast=cp.finish,
        critical_path=cp.critical_path,
        done_since=sorted(done_since, key=lambda t: (t.finish, t.id)),
        next_up=sorted(next_up, key=lambda t: (t.start, t.id)),
        milestones=[t for t in cp.tasks if t.milestone and t.occurrence is None],
        tasks=cp.tasks, goals=[], budget=None, risks=[], approvals=approvals,
        lessons=list(meta.lessons) if meta and meta.status in ("done", "cancelled") else [],
    )


def _content(ws: Workspace, plan: Plan, as_of: date, since: date, ahead: date,
             ids: list[str] | None) -> ContentSummary | None:
    # the summary names the most reused assets, never the tasks that make them
    assets, planned = content_pieces(ws, plan, as_of, ahead, ContentFilter(ids or []), makers=False)
    published = sorted((e for e in assets if e.asset.published_on
                        and since <= e.asset.published_on <= as_of),
                       key=lambda e: (e.asset.published_on, e.ref))
    coming = [i for i in planned if i.piece and i.status != "done"]
    if not assets and not coming:
        return None
    return ContentSummary(published, coming, most_reused(assets)[:3])


def for_person(rep: Report, person: str | None, plan: Plan) -> Report:
    """The report narrowed to one person's work (`--person`): the campaigns they have tasks in,
    and of those only their done work, next work and approvals; headlines stay the campaigns'."""
    if person is None:
        return rep
    theirs = {cp.id for cp in plan.campaigns if any(t.owner == person for t in cp.tasks)}
    kept = [replace(c, done_since=[t for t in c.done_since if t.owner == person],
                    next_up=[t for t in c.next_up if t.owner == person],
                    approvals=[(t, a) for t, a in c.approvals if t.owner == person])
            for c in rep.campaigns if c.id in theirs]
    return replace(rep, campaigns=kept)
