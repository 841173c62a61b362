"""Deadlines, milestones and task spans as iCalendar (RFC 5545) events.

UIDs are built from the campaign, task and kind, so importing an updated file
moves the events instead of adding copies; DTSTAMP is the as-of date, so the
same plan gives the same file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from mpm.plan.dates import Plan, ScheduledTask

PRODID = "-//mpm//marketing project plan//EN"


def _uid(t: ScheduledTask, kind: str) -> str:
    return f"{kind}-{t.campaign}-{t.id.replace('@', '-')}@mpm"


def calendar(plan: Plan, *, person: str | None = None, campaigns: list[str] | None = None,
             name: str = "mpm plan") -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name + (f" — {person}" if person else ""))
    stamp = datetime.combine(plan.as_of, time(0, 0), tzinfo=UTC)
    for c in plan.campaigns:
        if campaigns and c.id not in campaigns:
            continue
        for t in c.tasks:
            if person and t.owner != person:
                continue
            kind = "milestone" if t.milestone else "task"
            events = [(kind, f"{'◆ ' if t.milestone else ''}{t.name}", t.start,
                       t.start + timedelta(days=1) if t.milestone else t.finish + timedelta(days=1))]
            if t.due and not t.milestone:
                events.append(("due", f"Due: {t.name}", t.due, t.due + timedelta(days=1)))
            for k, summary, start, end in events:
                ev = Event()
                ev.add("uid", _uid(t, k))
                ev.add("dtstamp", stamp)
                ev.add("summary", f"{summary} [{c.id}]")
                ev.add("dtstart", start)
                ev.add("dtend", end)
                ev.add("description", _description(t))
                ev.add("categories", [c.id, k])
                ev.add("transp", "TRANSPARENT")
                cal.add_component(ev)
    return cal.to_ical()


def _description(t: ScheduledTask) -> str:
    parts = [f"{t.ref}", f"owner: {t.owner or '—'}", f"status: {t.status}",
             f"float: {t.total_float} working days"]
    if t.critical:
        parts.append("on the critical path")
    if t.due:
        parts.append(f"due {t.due}")
    return "\n".join(parts)


def people(plan: Plan) -> list[str]:
    return sorted({t.owner for c in plan.campaigns for t in c.tasks if t.owner})


def first_day(plan: Plan) -> date | None:
    return min((c.start for c in plan.campaigns if c.start), default=None)
