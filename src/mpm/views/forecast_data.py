"""The forecast as people read it (DESIGN §3c): plain data, and how many runs a view makes.

`views.forecast` computes it with numpy; what it returns is made of dates,
floats and lists alone, so a report that has the forecast made in a forked
child (`views.report`) reads the child's answer without importing numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
