"""The state of each occurrence of a repeating task: its entry under `occurrences:` or the series'.

DESIGN §2: an entry may set an occurrence's status (`skipped` among them),
its actual dates, who does it and the date it moved to; an occurrence
without an entry takes the series' status. A running series (status
in-progress) reads as "the ones already over are done as planned, the one
under way is in progress, the rest are to do".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mpm.plan.calendar import WorkCalendar
from mpm.plan.recurrence import occurrences
from mpm.plan.staffing import task_hours
from mpm.read.content_model import Occurrence
from mpm.read.load import CampaignData
from mpm.read.model import Task


@dataclass(frozen=True, slots=True)
class OccurrenceState:
    day: date  # the date of the rule: the occurrence's name
    starts: date  # the date it starts no earlier than (moved_to, else day)
    status: str  # todo | in-progress | blocked | done | skipped
    entry: Occurrence | None


def rule_dates(task: Task, camp: CampaignData, as_of: date) -> tuple[date, ...]:
    """Every date of a repeating task's rule, counted as the planner counts it."""
    if not task.repeat:
        return ()
    meta = camp.campaign
    first = task.start or (meta.start if meta else None) or as_of
    return occurrences(task.repeat, first, meta.end if meta else None)


def occurrence_states(task: Task, camp: CampaignData, as_of: date, cal: WorkCalendar) -> list[OccurrenceState]:
    """Each occurrence of `task` with the state it is planned in."""
    entries = task.occurrences
    today = cal.offset(as_of)
    out = []
    for day in rule_dates(task, camp, as_of):
        entry = entries.get(day) if entries else None
        starts = entry.moved_to if entry is not None and entry.moved_to else day
        if entry is not None and entry.status is not None:
            status = entry.status
        elif task.status == "in-progress":
            begin = cal.offset(starts)
            if begin + task.days <= today:
                status = "done"
            elif begin < today:
                status = "in-progress"
            else:
                status = "todo"
        else:
            status = task.status
        out.append(OccurrenceState(day, starts, status, entry))
    return out


def occurrence_hours(task: Task, entry: Occurrence | None, hours_per_day: float) -> dict[str, float]:
    """Hours per person one unit asks for: an occurrence with its own owner moves the owner's hours to them."""
    hours = task_hours(task, hours_per_day)
    if entry is None or not entry.owner or isinstance(task.effort, dict) or task.owner not in hours:
        return hours
    return {entry.owner: hours[task.owner]}
