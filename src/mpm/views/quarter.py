"""One fiscal quarter: people's hours week by week, the content calendar, goal checkpoints.

Plan from available time first: each person's weekly hours (capacity less
holidays and time off) against the hours the plan asks of them; then what
goes out each week; then the goal checkpoints that fall due.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from mpm.plan.dates import Plan, ScheduledTask, carries_load
from mpm.read.fiscal import Quarter
from mpm.read.load import Workspace
from mpm.read.model import Goal
from mpm.views.capacity import PersonWeek, holiday_names, person_weeks, week_start
from mpm.views.goals import GoalStanding, checkpoints, standing


@dataclass
class PersonQuarter:
    id: str
    name: str
    weeks: list[PersonWeek]

    @property
    def available(self) -> float:
        return round(sum(w.available for w in self.weeks), 2)

    @property
    def planned(self) -> float:
        return round(sum(w.planned for w in self.weeks), 2)

    @property
    def over_weeks(self) -> list[PersonWeek]:
        return [w for w in self.weeks if w.over]


@dataclass
class CalendarEntry:
    week: date  # Monday of the week it starts in
    day: date
    task: ScheduledTask


@dataclass
class CheckpointDue:
    campaign: str
    goal: Goal
    quarter: str
    day: date
    value: float
    written: bool
    standing: GoalStanding


@dataclass
class QuarterView:
    quarter: Quarter
    as_of: date
    people: list[PersonQuarter]
    calendar: list[CalendarEntry]
    checkpoints: list[CheckpointDue]


def quarter_view(ws: Workspace, plan: Plan, quarter: Quarter, as_of: date,
                 person: str | None = None, campaigns: list[str] | None = None) -> QuarterView:
    """The quarter; with `campaigns`, only their hours, content and checkpoints."""
    cfg = ws.config
    team = [p for p in (cfg.team if cfg else []) if person is None or p.id == person]
    holidays = holiday_names(cfg.calendar.holidays) if cfg else {}
    if campaigns:
        plan = replace(plan, campaigns=[c for c in plan.campaigns if c.id in campaigns])
    weeks_of: dict[str, list[PersonWeek]] = {p.id: [] for p in team}
    for w in person_weeks(plan, team, quarter.start, quarter.end, holidays):
        weeks_of[w.person].append(w)
    people = [PersonQuarter(p.id, p.name, weeks_of[p.id]) for p in team]

    entries = []
    first, last = quarter.start, quarter.end  # worked out on each use: once here, not per task
    mondays: dict[date, date] = {}
    for camp in plan.campaigns:
        for t in camp.tasks:  # the quarter's bounds first: few tasks are left to ask whether they
            # carry load (a campaign on hold or cancelled publishes nothing)
            if first <= t.start <= last and carries_load(camp.data, t.status) and (person is None or t.owner == person):
                day = t.start
                monday = mondays.get(day) or mondays.setdefault(day, week_start(day))
                entries.append(CalendarEntry(monday, day, t))
    entries.sort(key=lambda e: (e.day, e.task.campaign, e.task.task.channel or "", e.task.id))

    fy = cfg.fiscal_year_start if cfg else 1
    due = []
    for camp in ws.campaigns:
        if campaigns and camp.id not in campaigns:
            continue
        for goal in camp.goals:
            if person is not None and goal.owner != person:
                continue
            for c in checkpoints(goal, fy):
                if c.quarter == quarter.label:
                    due.append(CheckpointDue(camp.id, goal, c.quarter, c.day, c.value, c.written,
                                             standing(goal, min(as_of, c.day), fy)))
    due.sort(key=lambda d: (d.day, d.campaign, d.goal.id))
    return QuarterView(quarter, as_of, people, entries, due)


def week_of(entries: list[CalendarEntry]) -> dict[date, list[CalendarEntry]]:
    out: dict[date, list[CalendarEntry]] = {}
    for e in entries:
        out.setdefault(e.week, []).append(e)
    return out
