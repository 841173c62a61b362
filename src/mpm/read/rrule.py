"""RFC 5545 RRULEs as written in `repeat`: is the text a rule mpm can expand, and its dates.

Validation, and `first_occurrence`, which the planner also uses: a rule
whose filters no day ever meets (`BYMONTH=2;BYMONTHDAY=30`) makes dateutil
search to the year 9999 without yielding, so emptiness is decided on a copy
of the rule moved by whole 400-year Gregorian cycles (which keeps every
weekday, leap day and interval step where it was) to just before year
9999, where dateutil's search ends within one cycle.
`expand` lives here too, so that checks (which sit below the planner) see the
same dates as `mpm.plan.recurrence`, the planner's and views' way in.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from mpm.read.fields import date_problem

_SUB_DAILY = ("BYHOUR", "BYMINUTE", "BYSECOND")
_DAILY = 3  # dateutil's frequencies: YEARLY 0 … DAILY 3, then HOURLY, MINUTELY, SECONDLY
_CYCLE = 400  # years: the Gregorian calendar repeats exactly
_SAMPLE = date(2000, 1, 3)

# More occurrences than this is almost certainly a missing COUNT or UNTIL.
MAX_OCCURRENCES = 1000


@lru_cache(maxsize=4096)
def expand(text: str, first: date, until: date | None = None) -> tuple[date, ...]:
    """The dates of `text` counted from `first`, at most up to `until`."""
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


def nearest_dates(day: date, dates: tuple[date, ...], n: int = 2) -> list[date]:
    """The dates of a rule closest to `day`, in date order (for a hint)."""
    return sorted(sorted(dates, key=lambda d: (abs((d - day).days), d))[:n])


def parse(text: str, start: date) -> Any:
    """The dateutil rule of `text` counted from `start` (raises ValueError and the like)."""
    from dateutil.rrule import rrulestr

    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    return rrulestr(body, dtstart=datetime(start.year, start.month, start.day))


@lru_cache(maxsize=4096)  # a workspace writes the same few rules on many tasks
def rrule_problem(text: str) -> str | None:
    """Why `text` is not a usable RRULE, in a user's words; None when it is."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    upper = body.upper()
    if not body:
        return "repeat is empty; write an RRULE such as FREQ=WEEKLY;BYDAY=TU;COUNT=12"
    if "DTSTART" in upper:
        return "repeat must not set DTSTART: occurrences count from the task's start"
    if any(part in upper for part in _SUB_DAILY):
        return "repeat must not set BYHOUR, BYMINUTE or BYSECOND: mpm schedules whole working days"
    parts = [x.strip() for x in body.split(";") if x.strip()]
    for part in parts:
        name, eq, value = part.partition("=")
        if not eq or not value.strip():
            return f"repeat is not a valid RRULE: '{part}' should be NAME=VALUE"
        if name.strip().upper() not in _PARTS:
            return f"repeat is not a valid RRULE: an RRULE has no part '{name.strip()}'"
    names = {x.partition("=")[0].strip().upper() for x in parts}
    if "FREQ" not in names:
        return "repeat is not a valid RRULE: it needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)"
    if "COUNT" in names and "UNTIL" in names:
        return "repeat is not a valid RRULE: give COUNT or UNTIL, not both"
    try:
        rule = parse(body, _SAMPLE)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        detail = str(exc).strip() or "it cannot be read"
        return f"repeat is not a valid RRULE: {detail}"
    if rule._freq > _DAILY:
        return "repeat must be DAILY, WEEKLY, MONTHLY or YEARLY: mpm schedules whole working days"
    if rule._until is not None and date_problem(rule._until.date()):
        return f"repeat's UNTIL {date_problem(rule._until.date())}"
    if rule._count is not None and rule._count < 1:
        return "repeat's COUNT must be at least 1"
    return None


def never_problem(text: str, start: date | None) -> str | None:
    """Why a valid rule gives no date from `start` (the task's, else a sample Monday), or None."""
    try:
        if first_occurrence(text, start or _SAMPLE) is None:
            return "repeat never gives a date: no day matches all of its BY… parts"
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        return f"repeat is not a valid RRULE: {exc}"
    return None


@lru_cache(maxsize=4096)
def first_occurrence(text: str, start: date) -> date | None:
    """The first date `text` gives from `start` ignoring COUNT and UNTIL, or None when it never gives one."""
    shift = ((9999 - start.year) // _CYCLE) * _CYCLE
    moved = start.replace(year=start.year + shift) if shift else start
    rule = parse(text, moved).replace(count=None, until=None)
    found = next(iter(rule), None)
    return None if found is None else found.date().replace(year=found.year - shift)


EXAMPLE = "FREQ=WEEKLY;BYDAY=TU;COUNT=12"
HINT = f"a valid rule: {EXAMPLE} (every Tuesday, 12 times)"
_PARTS = {"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
          "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"}


def is_bounded(text: str) -> bool:
    upper = text.upper()
    return "COUNT=" in upper or "UNTIL=" in upper
