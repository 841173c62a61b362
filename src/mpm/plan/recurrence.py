"""Recurring tasks: RFC 5545 RRULEs expanded into dated occurrences.

The scheduler, the quarter view and the content calendar all expand a
recurring task through `occurrences`, so they always agree. Whether a rule is
usable at all is the reader's business (`mpm.read.rrule`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

# More occurrences than this is almost certainly a missing COUNT or UNTIL.
MAX_OCCURRENCES = 1000


@lru_cache(maxsize=4096)
def occurrences(text: str, first: date, until: date | None = None) -> tuple[date, ...]:
    """The dates of `text` counted from `first`, at most up to `until`."""
    from mpm.read.rrule import first_occurrence, parse

    if first_occurrence(text, first) is None:  # else dateutil would search to the year 9999
        return ()
    rule = parse(text, first)
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
