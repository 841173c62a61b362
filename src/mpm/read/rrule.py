"""RFC 5545 RRULEs as written in `repeat`: is the text a rule mpm can expand, and its dates.

`mpm.plan.recurrence` is how the planner and views expand rules; `expand`
lives here so that checks (which sit below the planner) see the same dates.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

# More occurrences than this is almost certainly a missing COUNT or UNTIL.
MAX_OCCURRENCES = 1000


@lru_cache(maxsize=4096)
def expand(text: str, first: date, until: date | None = None) -> tuple[date, ...]:
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


def nearest_dates(day: date, dates: tuple[date, ...], n: int = 2) -> list[date]:
    """The dates of a rule closest to `day`, in date order (for a hint)."""
    return sorted(sorted(dates, key=lambda d: (abs((d - day).days), d))[:n])


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
