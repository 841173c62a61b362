"""People's hours on working days, and the hours each task asks of them (DESIGN §3b).

A person's hours on a day are `capacity_hours_per_week / len(their
workdays)` on a calendar working day that is one of their workdays and not
in their time off, and none otherwise. A task asks for its `effort` per
person — the owner's, or each person of an effort mapping — spread evenly
over its working days. Both the levelling engine and the capacity views
read people's hours from here, so they always agree.
"""

from __future__ import annotations

from datetime import date

from mpm.plan.calendar import WEEKDAYS, WorkCalendar
from mpm.read.model import Person, Task


def person_workdays(person: Person, cal: WorkCalendar) -> list[int]:
    """The weekdays (0 = Monday) a person works: their own, else the calendar's."""
    if person.workdays is None:
        return list(cal.workdays)
    return sorted(WEEKDAYS.index(d) for d in person.workdays if WEEKDAYS.index(d) in cal.workdays)


def hours_per_workday(person: Person, cal: WorkCalendar) -> float:
    days = person.workdays if person.workdays is not None else cal.workdays
    return person.capacity_hours_per_week / len(days) if days else 0.0


def off_on(person: Person, day: date) -> str | None:
    """Why the person is away that day (the time-off note), or None."""
    for leave in person.time_off:
        if leave.from_ <= day <= leave.to:
            return leave.note or "time off"
    return None


def task_hours(task: Task, hours_per_day: float) -> dict[str, float]:
    """Hours per person the task asks for; milestones and zero effort ask nothing."""
    if task.is_milestone:
        return {}
    if isinstance(task.effort, dict):
        return {p: float(h) for p, h in task.effort.items() if h > 0}
    if task.owner is None:
        return {}
    hours = float(task.effort) if task.effort is not None else (task.duration or 0) * hours_per_day
    return {task.owner: hours} if hours > 0 else {}


class TeamDays:
    """Each person's hours on working-day offsets, as the levelling engine reads them."""

    def __init__(self, team: list[Person], cal: WorkCalendar) -> None:
        self.cal = cal
        self.team = team
        self.index = {p.id: i for i, p in enumerate(team)}
        self._weekdays = [set(person_workdays(p, cal)) for p in team]
        self._hours = [hours_per_workday(p, cal) for p in team]

    def hours(self, p: int, offset: int) -> float | None:
        """Hours person `p` has on the working day at `offset`; None when they do not work."""
        day = self.cal.date_at(offset)
        if day.weekday() not in self._weekdays[p]:
            return None
        person = self.team[p]
        if person.time_off and off_on(person, day) is not None:
            return None
        return self._hours[p]
