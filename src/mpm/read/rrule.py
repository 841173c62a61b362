"""RFC 5545 RRULEs as written in `repeat`: is the text a rule mpm can expand?

Validation only; `mpm.plan.recurrence` expands rules into dates.
"""

from __future__ import annotations

from datetime import datetime


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
