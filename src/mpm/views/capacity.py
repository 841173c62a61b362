"""People's hours: what each person has in a week, and what the plan asks of them.

Available hours: `capacity_hours_per_week` shared evenly over the calendar's
workdays, less holidays and the person's time off. Planned hours: each
task's effort spread evenly over its working days in the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from mpm.plan.calendar import WorkCalendar
from mpm.plan.dates import Plan, ScheduledTask
from mpm.plan.staffing import hours_per_workday, off_on, person_workdays
from mpm.read.model import Person


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weeks(first: date, last: date) -> list[date]:
    """Mondays of the weeks that touch [first, last]."""
    out = []
    monday = week_start(first)
    while monday <= last:
        out.append(monday)
        monday += timedelta(days=7)
    return out


@dataclass
class PersonWeek:
    person: str
    week: date  # Monday
    available: float
    planned: float
    days_off: list[tuple[date, str]] = field(default_factory=list)  # (day, why)
    tasks: list[tuple[ScheduledTask, float]] = field(default_factory=list)  # (task, hours)

    @property
    def over(self) -> bool:
        return self.planned > self.available + 1e-9

    @property
    def overload(self) -> float:
        return max(0.0, self.planned - self.available)


def available_days(person: Person, cal: WorkCalendar, monday: date, holidays: dict[date, str],
                   first: date | None = None, last: date | None = None) -> tuple[int, list[tuple[date, str]]]:
    """(working days the person has in the week within [first, last], [(day, why not)])."""
    have = 0
    off: list[tuple[date, str]] = []
    works = person_workdays(person, cal)
    for k in range(7):
        day = monday + timedelta(days=k)
        if day.weekday() not in works:
            continue
        if (first and day < first) or (last and day > last):
            continue
        if day in holidays:
            off.append((day, holidays[day] or "holiday"))
            continue
        away = off_on(person, day)
        if away is not None:
            off.append((day, away))
            continue
        have += 1
    return have, off


def person_weeks(plan: Plan, people: list[Person], first: date, last: date,
                 holidays: dict[date, str]) -> list[PersonWeek]:
    """Each person's available and planned hours for each week touching [first, last].

    Only days inside [first, last] count, so a week cut by a quarter's edge
    shows the part that belongs to it.
    """
    cal = plan.calendar
    mondays = weeks(first, last)
    if not mondays:
        return []
    lo = cal.offset(first)
    hi = cal.end_offset(last)
    ids = {p.id for p in people}
    # planned[(person, monday)] -> [(task, hours)]
    planned: dict[tuple[str, date], dict[str, list]] = defaultdict(dict)
    monday_of: dict[int, date] = {}  # working-day offset -> its week's Monday, worked out once
    for camp in plan.campaigns:
        for t in camp.tasks:
            if not t.load or t.days <= 0 or t.ef <= lo or t.es >= hi:
                continue
            work = t.work_offsets()
            days: dict[date, int] = {}  # Monday -> the task's working days that week, in [first, last]
            for off in work:
                if lo <= off < hi:
                    monday = monday_of.get(off)
                    if monday is None:
                        monday = monday_of[off] = week_start(cal.date_at(off))
                    days[monday] = days.get(monday, 0) + 1
            ref = t.ref
            for person, hours in t.load:
                if person not in ids:
                    continue
                per_day = hours / len(work)
                for monday, n in days.items():
                    entry = planned[(person, monday)].setdefault(ref, [t, 0.0])
                    for _ in range(n):  # a day at a time: the sum is the same to the last digit
                        entry[1] += per_day
    out: list[PersonWeek] = []
    per_workday = {p.id: hours_per_workday(p, cal) for p in people}
    for p in people:
        for monday in mondays:
            have, off = available_days(p, cal, monday, holidays, first, last)
            entries = sorted(planned.get((p.id, monday), {}).values(), key=lambda e: (-e[1], e[0].ref))
            tasks = [(e[0], round(e[1], 2)) for e in entries]
            out.append(PersonWeek(p.id, monday, round(per_workday[p.id] * have, 2),
                                  round(sum(h for _, h in tasks), 2), off, tasks))
    return out


def holiday_names(ws_holidays: list) -> dict[date, str]:
    return {h.date: (h.name or "holiday") for h in ws_holidays}
