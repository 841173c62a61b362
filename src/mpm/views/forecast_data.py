"""The forecast as people read it (DESIGN §3c): plain data, and how many runs a view makes.

`views.forecast` computes it with numpy; what it returns is made of dates,
floats and lists alone, so a report that has the forecast made in a forked
child (`views.report`) reads the child's answer without importing numpy.
The runs a forecast of dates alone makes are asked for as a `Request` and
answered as `Summary`s of working-day offsets, both plain data: a report can
hand the request to a child that imported numpy while the plan was made, and
turn the answer into dates and chances here (`campaign_forecast`). A §3
plan's request can be made from its network before the engine dates it
(`early_request`): the runs do not depend on the plan's dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask, is_forecast
from mpm.plan.engine import Network
from mpm.plan.uncertainty import Uncertainty, uncertainty, uncertainty_of
from mpm.read.load import CampaignData, Workspace

if TYPE_CHECKING:
    from mpm.plan.schedule import Draft

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
# the offsets by which 50, 80 and 95 % of the runs are done, the lowest offset, and the runs
# ending on each offset from the lowest on.
Summary = tuple[tuple[int, ...], int, list[int]]


def runs_before(summary: Summary, offset: int) -> int:
    """How many of the summarised runs ended before `offset` (done by the day before it)."""
    _, low, counts = summary
    return sum(counts[:max(0, offset - low)])


@dataclass
class Request:
    """The runs of a forecast and what is wanted of them, as plain data (it may be pickled to
    another process): the network and its extra FS links, what varies, and the campaigns'
    groups and launch milestones' nodes whose dates are wanted."""

    net: Network
    links: list[tuple[int, int]]
    order: list[int] | None  # a topological order of `net`, when the plan's is one
    unc: Uncertainty
    runs: int
    seed: int
    group: dict[str, int]  # each campaign forecast -> its group in the network
    groups: list[int]  # the groups whose finish is wanted (empty: launches alone)
    points: list[int]  # the launch milestones' nodes whose date is wanted
    criticality: bool = False
    split: bool = True  # a large sweep may take the second core (`plan.forecast.simulate`)


def chosen_campaigns(plan: Plan, campaigns: list[str] | None) -> list[CampaignPlan]:
    """The campaigns a forecast covers: those named, else all but those on hold or cancelled
    (which are not forecast; a done campaign shows its actuals)."""
    return [cp for cp in plan.campaigns if _chosen(cp.data, campaigns)]


def _chosen(camp: CampaignData, campaigns: list[str] | None) -> bool:
    return camp.id in campaigns if campaigns else is_forecast(camp) or camp.campaign.status == "done"  # type: ignore[union-attr]


def request(ws: Workspace, plan: Plan, chosen: list[CampaignPlan], *, runs: int, seed: int,
            extra_links: list[tuple[int, int]] | None = None, criticality: bool = False,
            finishes: bool = True) -> Request:
    """The runs forecasting `chosen` ask for (`extra_links`: by default a levelled plan's
    resource links, §3b); without `finishes`, their launches alone."""
    index = {cp.id: g for g, cp in enumerate(plan.campaigns)}
    group = {cp.id: index[cp.id] for cp in chosen}
    launches = [t.node for t in (cp.launch_task() for cp in chosen) if t is not None]
    net, links = plan.forecast_network()
    links = links if extra_links is None else extra_links
    return Request(net, links, plan.result.order if net is plan.network else None, uncertainty(ws, plan),
                   runs, seed, group, sorted(group.values()) if finishes else [], sorted(launches), criticality)


def early_request(ws: Workspace, draft: Draft, campaigns: list[str] | None, *, runs: int, seed: int,
                  criticality: bool = False, split: bool = False) -> Request:
    """`request(…)` of the plan of `draft` for `chosen_campaigns(plan, campaigns)`, made before
    the engine dates it: the same runs, with the date of every milestone that may turn out to be
    a launch (`CampaignPlan.launch_task` picks among them by the plan's dates). `split`: whether
    its sweep may fork again (not while the plan is made on the other core)."""
    group: dict[str, int] = {}
    launches: dict[str, date] = {}
    for g, camp in enumerate(ws.campaigns):
        if _chosen(camp, campaigns):
            group[camp.id] = g
            if camp.campaign is not None and camp.campaign.launch is not None:
                launches[camp.id] = camp.campaign.launch
    points = [u.node for u in draft.units if u.task.is_milestone and u.campaign in launches
              and (u.due == launches[u.campaign] or "launch" in u.id)]
    return Request(draft.network, [], None, uncertainty_of(ws, draft.units), runs, seed, group,
                   sorted(group.values()), sorted(points), criticality, split)


def answers_plan(req: Request, plan: Plan, chosen: list[CampaignPlan], runs: int, seed: int = 0,
                 criticality: bool = False) -> bool:
    """Whether the runs of `req` (an `early_request`) are those `plan`'s forecast of `chosen` asks for."""
    launches = (t for t in (cp.launch_task() for cp in chosen) if t is not None)
    return (req.net is plan.network and not plan.levelled and req.runs == runs and req.seed == seed
            and req.criticality == criticality and list(req.group) == [cp.id for cp in chosen]
            and set(req.points).issuperset(t.node for t in launches))


Answer = tuple[dict[int, Summary], dict[int, Summary]]  # (group -> its finish, launch node -> its date)


def summarised(req: Request) -> Answer:
    """The runs `req` asks for, summarised (`views.forecast.summaries`): the job a report hands
    to a child that imported numpy while the plan was made; this module imports none."""
    from mpm.views.forecast import summaries

    return summaries(req)


def sampled(req: Request):  # -> plan.forecast.Samples
    """Every run `req` asks for (`views.forecast`'s samples): the job `mpm forecast` hands to a
    child that imported numpy while the plan was made."""
    from mpm.views.forecast import samples_of

    return samples_of(req)


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
    end = meta.end if meta else None
    return CampaignForecast(
        id=cp.id, name=meta.name if meta else cp.id, planned_finish=cp.finish, end=end,
        finish=_dates(plan, finish) if finish is not None else None,
        on_time=(runs_before(finish, plan.calendar.end_offset(end)) / runs
                 if finish is not None and end is not None else None), launch=launch,
        criticality=criticality or [], drivers=drivers or [],
        histogram=_histogram(plan, finish) if finish is not None else [], inputs=inputs or [])


def launch_forecast(plan: Plan, cp: CampaignPlan, task: ScheduledTask, runs: int, summary: Summary) -> Launch:
    """The forecast of `cp`'s launch (its milestone `task`) from the summary of that milestone's date."""
    planned = cp.data.campaign.launch  # type: ignore[union-attr] - a campaign with a launch task has one
    return Launch(task.id, planned, task.finish, _dates(plan, summary),  # type: ignore[arg-type]
                  runs_before(summary, plan.calendar.end_offset(planned)) / runs, _histogram(plan, summary))


def _dates(plan: Plan, summary: Summary) -> Dates:
    return Dates(*(plan.calendar.date_at(x) for x in summary[0]))


def _histogram(plan: Plan, summary: Summary) -> list[tuple[date, int]]:
    _, low, counts = summary
    return [(plan.calendar.date_at(low + i), k) for i, k in enumerate(counts)]
