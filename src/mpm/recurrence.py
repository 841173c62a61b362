"""Recurring tasks: RFC 5545 RRULEs expanded into dated occurrences.

The scheduler, the quarter view and the content calendar all expand a
recurring task through `occurrences`, so they always agree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

# More occurrences than this is almost certainly a missing COUNT or UNTIL.
MAX_OCCURRENCES = 1000


def rrule_problem(text: str) -> str | None:
    """Why `text` is not a usable RRULE, in a user's words; None when it is."""
    from dateutil.rrule import rrulestr

    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        return "repeat is empty; write an RRULE such as FREQ=WEEKLY;BYDAY=TU;COUNT=12"
    if "DTSTART" in body.upper():
        return "repeat must not set DTSTART: occurrences count from the task's start"
    try:
        rrulestr(body, dtstart=datetime(2000, 1, 3))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        return f"repeat is not a valid RRULE: {exc}"
    return None


def is_bounded(text: str) -> bool:
    upper = text.upper()
    return "COUNT=" in upper or "UNTIL=" in upper


@lru_cache(maxsize=4096)
def occurrences(text: str, first: date, until: date | None = None) -> tuple[date, ...]:
    """The dates of `text` counted from `first`, at most up to `until`."""
    from dateutil.rrule import rrulestr

    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    rule = rrulestr(body, dtstart=datetime(first.year, first.month, first.day))
    out: list[date] = []
    limit = datetime(until.year, until.month, until.day) if until else None
    for moment in rule:
        if limit is not None and moment > limit:
            break
        out.append(moment.date())
        if len(out) >= MAX_OCCURRENCES:
            break
    return tuple(out)


def occurrence_id(task_id: str, day: date) -> str:
    return f"{task_id}@{day.isoformat()}"


def day_after(d: date) -> date:
    return d + timedelta(days=1)
