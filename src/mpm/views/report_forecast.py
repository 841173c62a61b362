"""The report's forecast, made by a forked child while the report's own process makes the rest.

For a large cold workspace `mpm report` forks a `ForecastStandby` before
loading, from a process of a few tens of megabytes: it imports numpy while
the workspace loads, and is handed the forecast's runs as plain data
(`forecast_data.Request`) as soon as a §3 plan's network is built
(`build_plan(on_network=…)`), the runs then overlapping the rest of the plan,
or once a levelled plan is made. It answers with `Summary`s of offsets, which
this process turns into dates (`forecasts`) without importing numpy. Without
a standby, a large forecast is made by a child forked once the plan is made.

`mpm forecast` forks the same standby, handed its runs with criticality as
soon as a §3 plan's network is built; it answers with every run's samples
(`forecast_data.sampled`), from which this process works out the drivers.
"""

from __future__ import annotations

from collections.abc import Callable

from mpm.plan.dates import Plan
from mpm.plan.schedule import Draft
from mpm.read.beside import Beside, Standby, second_core
from mpm.read.load import Workspace
from mpm.views.forecast_data import (
    CampaignForecast,
    Request,
    answers_plan,
    chosen_campaigns,
    early_request,
    forecasts,
    request,
    sampled,
    summarised,
    view_runs,
)

# nodes × runs from which the report's forecast is made in a forked child while this process
# makes the rest of the report (goals, risks, people's weeks, content): about a second each at
# 100,000 tasks, a few tens of milliseconds below this
FORECAST_BESIDE = 2_000_000


def forecast_beside(ws: Workspace, plan: Plan, ids: list[str] | None, runs: int, standby: ForecastStandby | None,
                     forecast: Callable[[], dict[str, CampaignForecast]]
                     ) -> tuple[Beside | None, Callable[[], dict[str, CampaignForecast] | None] | None]:
    """The child making the report's forecast while this process makes the rest, and how its
    forecast is read (None when it gave none); (None, None): it is made here, after the rest.
    A standby is handed the runs (unless it was while the plan was made) and answers with
    offsets, turned into dates here; a large forecast without one is made by a child forked now."""
    if standby is not None:
        chosen = chosen_campaigns(plan, ids)
        req = standby.handed
        if req is None:
            req = request(ws, plan, chosen, runs=runs, seed=0)
            if not standby.hand(req):
                return None, None
        elif not answers_plan(req, plan, chosen, runs):
            return None, None  # not this plan's runs: stopped unread, and made here

        def read() -> dict[str, CampaignForecast] | None:
            answer = standby.child.result()
            return None if answer is None else {f.id: f for f in forecasts(plan, chosen, req, answer)}

        return standby.child, read
    if runs * plan.network.size >= FORECAST_BESIDE and second_core():
        child = Beside(forecast)
        return child, child.result
    return None, None


class ForecastStandby:
    """A child that imports the forecast's numpy while the workspace loads, to hand the
    forecast's runs to: as soon as a §3 plan's network is built (`on_network`, given to
    `build_plan`), the runs then overlapping the rest of the plan; else once the plan is made.
    The report's answers with summaries of the view's runs; with `runs`, `mpm forecast`'s
    answers with every run (`forecast_data.sampled`), criticality included."""

    def __init__(self, campaigns: list[str] | None, runs: int | None = None, seed: int = 0) -> None:
        self.campaigns = campaigns or None
        self.runs, self.seed = runs, seed
        self.child = Standby(_forecast_imports)
        self.asked = False  # one job: a standby that refused it is gone
        self.handed: Request | None = None  # the runs it took

    def on_network(self, ws: Workspace, draft: Draft) -> None:
        if self.runs is None:
            self.hand(early_request(ws, draft, self.campaigns, runs=view_runs(draft.network.size), seed=0))
        else:  # once the plan is made this process only waits: the sweep may take both cores
            self.hand(early_request(ws, draft, self.campaigns, runs=self.runs, seed=self.seed, criticality=True,
                                    split=True), sampled)

    def hand(self, req: Request, job: Callable[[Request], object] = summarised) -> bool:
        """Whether the child took the runs of `req` (it is asked once)."""
        if self.asked:
            return False
        self.asked = True
        if self.child.hand(job, req):
            self.handed = req
        return self.handed is not None

    def stop(self) -> None:
        self.child.stop()


def forecast_standby(campaigns: list[str] | None = None, runs: int | None = None, seed: int = 0
                     ) -> ForecastStandby | None:
    """A `ForecastStandby` for `campaigns` (None: every campaign forecast): the report's, or with
    `runs` `mpm forecast`'s; None without a second core."""
    return ForecastStandby(campaigns, runs, seed) if second_core() else None


def _forecast_imports() -> None:
    import mpm.views.forecast  # noqa: F401 - numpy and the runs, ready for the job
