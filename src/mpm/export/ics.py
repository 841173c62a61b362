"""Deadlines, milestones and task spans as iCalendar (RFC 5545) events.

UIDs are built from the campaign, task and kind, with the workspace's name as
the domain part so two workspaces' calendars never collide; importing an
updated file moves the events instead of adding copies. DTSTAMP and
LAST-MODIFIED are the as-of date and SEQUENCE counts days up to it, so a
calendar app replaces an event from an older export by a later one, and the
same plan gives the same file. Text from plan files loses control characters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from mpm.plan.dates import Plan, ScheduledTask
from mpm.render.escape import clean, one_line

PRODID = "-//mpm//marketing project plan//EN"
_EPOCH = date(2000, 1, 1)


def domain(workspace_name: str) -> str:
    """The UID domain of a workspace: `acme-outdoor-co-marketing.mpm` for "Acme Outdoor Co. marketing"."""
    slug = re.sub(r"[^a-z0-9]+", "-", workspace_name.lower()).strip("-")
    return f"{slug or 'workspace'}.mpm"


def _uid(t: ScheduledTask, kind: str, where: str) -> str:
    return f"{kind}-{t.campaign}-{t.id.replace('@', '-')}@{where}"


def calendar(plan: Plan, *, person: str | None = None, campaigns: list[str] | None = None,
             name: str = "mpm plan") -> bytes:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", clean(name) + (f" — {person}" if person else ""))
    stamp = datetime.combine(plan.as_of, time(0, 0), tzinfo=UTC)
    sequence = (plan.as_of - _EPOCH).days
    where = domain(name)
    for c in plan.campaigns:
        if campaigns and c.id not in campaigns:
            continue
        for t in c.tasks:
            if person and t.owner != person:
                continue
            kind = "milestone" if t.milestone else "task"
            title = one_line(t.name)  # SUMMARY is one line in every calendar app
            events = [(kind, f"{'◆ ' if t.milestone else ''}{title}", t.start,
                       t.start + timedelta(days=1) if t.milestone else t.finish + timedelta(days=1))]
            # A milestone forecast off its due date (a late launch) keeps its deadline in view.
            if t.due and (not t.milestone or t.start != t.due):
                events.append(("due", f"Due: {title}", t.due, t.due + timedelta(days=1)))
            for k, summary, start, end in events:
                ev = Event()
                ev.add("uid", _uid(t, k, where))
                ev.add("dtstamp", stamp)
                ev.add("last-modified", stamp)
                ev.add("sequence", max(sequence, 0))
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
