"""The forecast as people read it (DESIGN §3c): plain data, and how many runs a view makes.

`views.forecast` computes it with numpy; what it returns is made of dates,
floats and lists alone, so a report that has the forecast made in a forked
child (`views.report`) reads the child's answer without importing numpy.
The runs a forecast of dates alone makes are asked for as a `Request` and
answered as `Summary`s of working-day offsets, both plain data: a report can
hand the request to a child that imported numpy while the plan was made, and
turn the answer into dates here (`campaign_forecast`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask, is_forecast
from mpm.plan.engine import Network
from mpm.plan.uncertainty import Uncertainty, uncertainty
from mpm.read.load import Workspace

DEFAULT_RUNS = 2000
# What a forecast inside another view (the report) may spend, in nodes × runs: all the runs up
# to about 2,500 tasks, fewer for larger workspaces (at least MIN_VIEW_RUNS; 500 at 10,000
# tasks), so a report stays a matter of seconds. The view says how many it made; `mpm forecast`
# always makes --runs.
VIEW_BUDGET = 5_500_000
MIN_VIEW_RUNS = 200


def view_runs(nodes: int) -> int:
    """The runs a forecast shown inside another view makes for a network of `nodes` nodes."""
    return max(MIN_VIEW_RUNS, min(DEFAULT_RUNS, VIEW_BUDGET // max(nodes, 1) // 100 * 100))


@dataclass
class Dates:
    p50: date
    p80: date
    p95: date


@dataclass
class Launch:
    task: str  # the milestone that stands for the launch
    planned: date  # the campaign's `launch`
    forecast: date  # the plan's date of the milestone
    dates: Dates
    on_time: float  # share of runs launching by `launch`
    histogram: list[tuple[date, int]] = field(default_factory=list)


@dataclass
class Driver:
    kind: str  # task | risk
    id: str
    correlation: float


@dataclass
class Input:
    """One thing drawn (or left out) for the campaign, for `--why`."""

    kind: str  # estimate | risk
    id: str
    detail: str
    drawn: bool = True


@dataclass
class CampaignForecast:
    id: str
    name: str
    planned_finish: date | None
    end: date | None
    finish: Dates | None
    on_time: float | None  # share of runs finishing by `end`; None without one
    launch: Launch | None
    criticality: list[tuple[str, float]]  # (task id, share of runs), in plan order
    drivers: list[Driver]
    histogram: list[tuple[date, int]]  # finish date -> runs, every working day in the range
    inputs: list[Input] = field(default_factory=list)

    @property
    def most_critical(self) -> list[tuple[str, float]]:
        ranked = sorted(((c, i, t) for i, (t, c) in enumerate(self.criticality) if c > 0),
                        key=lambda x: (-x[0], x[1]))
        return [(t, c) for c, _, t in ranked]

    @property
    def not_drawn(self) -> list[Input]:
        return [i for i in self.inputs if not i.drawn]


@dataclass
class Forecast:
    as_of: date
    runs: int
    seed: int
    campaigns: list[CampaignForecast]


# Where a campaign's (or a launch's) runs ended, in working-day offsets of the plan's calendar:
# the offsets by which 50, 80 and 95 % of the runs are done, how many runs were done before the
# offset it is due by (None: nothing is due), the lowest offset, and the runs ending on each
# offset from the lowest on.
Summary = tuple[tuple[int, ...], int | None, int, list[int]]


@dataclass
class Request:
    """The runs of a forecast and what is wanted of them, as plain data (it may be pickled to
    another process): the network and its extra FS links, what varies, the campaigns' groups
    and launch milestones' nodes wanted, and the offsets each is due by."""

    net: Network
    links: list[tuple[int, int]]
    order: list[int] | None  # a topological order of `net`, when the plan's is one
    unc: Uncertainty
    runs: int
    seed: int
    group: dict[str, int]  # each campaign forecast -> its group in the network
    due: dict[int, int | None]  # group -> offset its campaign's `end` falls on (None: no end); empty: launches alone
    launch_due: dict[int, int]  # launch milestone's node -> offset its campaign's `launch` falls on
    criticality: bool = False


def chosen_campaigns(plan: Plan, campaigns: list[str] | None) -> list[CampaignPlan]:
    """The campaigns a forecast covers: those named, else all but those on hold or cancelled
    (which are not forecast; a done campaign shows its actuals)."""
    return [cp for cp in plan.campaigns
            if (cp.id in campaigns if campaigns else is_forecast(cp.data) or cp.data.campaign.status == "done")]


def request(ws: Workspace, plan: Plan, chosen: list[CampaignPlan], *, runs: int, seed: int,
            extra_links: list[tuple[int, int]] | None = None, criticality: bool = False,
            finishes: bool = True) -> Request:
    """The runs forecasting `chosen` ask for (`extra_links`: by default a levelled plan's
    resource links, §3b); without `finishes`, their launches alone."""
    cal = plan.calendar
    index = {cp.id: g for g, cp in enumerate(plan.campaigns)}
    group = {cp.id: index[cp.id] for cp in chosen}
    due: dict[int, int | None] = {}
    launch_due: dict[int, int] = {}
    for cp in chosen:
        meta = cp.data.campaign
        if finishes:
            due[group[cp.id]] = cal.end_offset(meta.end) if meta is not None and meta.end is not None else None
        launch = cp.launch_task()
        if launch is not None:
            launch_due[launch.node] = cal.end_offset(meta.launch)  # type: ignore[union-attr,arg-type]
    net, links = plan.forecast_network()
    links = links if extra_links is None else extra_links
    return Request(net, links, plan.result.order if net is plan.network else None, uncertainty(ws, plan),
                   runs, seed, group, due, launch_due, criticality)


Answer = tuple[dict[int, Summary], dict[int, Summary]]  # (group -> its finish, launch node -> its date)


def summarised(req: Request) -> Answer:
    """The runs `req` asks for, summarised (`views.forecast.summaries`): the job a report hands
    to a child that imported numpy while the plan was made; this module imports none."""
    from mpm.views.forecast import summaries

    return summaries(req)


def forecasts(plan: Plan, chosen: list[CampaignPlan], req: Request, answer: Answer,
              detail: Callable[[CampaignPlan, int], dict[str, Any]] | None = None) -> list[CampaignForecast]:
    """The forecast of each of `chosen` from the answer to `req`: dates alone, or with what
    `detail(campaign, group)` adds (`campaign_forecast`'s criticality, drivers, inputs)."""
    finish, launches = answer
    out = []
    for cp in chosen:
        g = req.group[cp.id]
        task = cp.launch_task()
        launch = launch_forecast(plan, cp, task, req.runs, launches[task.node]) if task is not None else None
        out.append(campaign_forecast(plan, cp, req.runs, finish[g] if cp.tasks else None, launch,
                                     **(detail(cp, g) if detail is not None else {})))
    return out


def campaign_forecast(plan: Plan, cp: CampaignPlan, runs: int, finish: Summary | None, launch: Launch | None,
                      *, criticality: list[tuple[str, float]] | None = None, drivers: list[Driver] | None = None,
                      inputs: list[Input] | None = None) -> CampaignForecast:
    """`cp`'s forecast from the summary of its finish (None: it has no tasks) and its launch's."""
    meta = cp.data.campaign
    return CampaignForecast(
        id=cp.id, name=meta.name if meta else cp.id, planned_finish=cp.finish, end=meta.end if meta else None,
        finish=_dates(plan, finish) if finish is not None else None,
        on_time=finish[1] / runs if finish is not None and finish[1] is not None else None, launch=launch,
        criticality=criticality or [], drivers=drivers or [],
        histogram=_histogram(plan, finish) if finish is not None else [], inputs=inputs or [])


def launch_forecast(plan: Plan, cp: CampaignPlan, task: ScheduledTask, runs: int, summary: Summary) -> Launch:
    """The forecast of `cp`'s launch (its milestone `task`) from the summary of that milestone's date."""
    planned = cp.data.campaign.launch  # type: ignore[union-attr] - a campaign with a launch task has one
    return Launch(task.id, planned, task.finish, _dates(plan, summary), (summary[1] or 0) / runs,  # type: ignore[arg-type]
                  _histogram(plan, summary))


def _dates(plan: Plan, summary: Summary) -> Dates:
    return Dates(*(plan.calendar.date_at(x) for x in summary[0]))


def _histogram(plan: Plan, summary: Summary) -> list[tuple[date, int]]:
    _, _, low, counts = summary
    return [(plan.calendar.date_at(low + i), k) for i, k in enumerate(counts)]
