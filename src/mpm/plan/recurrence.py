"""Recurring tasks: RFC 5545 RRULEs expanded into dated occurrences.

The scheduler, the quarter view and the content calendar all expand a
recurring task through `occurrences`, so they always agree. Whether a rule is
usable at all is the reader's business (`mpm.read.rrule`).
"""

from __future__ import annotations

from datetime import date, timedelta

from mpm.read.rrule import MAX_OCCURRENCES, expand

__all__ = ["MAX_OCCURRENCES", "day_after", "occurrence_id", "occurrences"]


def occurrences(text: str, first: date, until: date | None = None) -> tuple[date, ...]:
    """The dates of `text` counted from `first`, at most up to `until`."""
    return expand(text, first, until)


def occurrence_id(task_id: str, day: date) -> str:
    return f"{task_id}@{day.isoformat()}"


def day_after(d: date) -> date:
    return d + timedelta(days=1)
