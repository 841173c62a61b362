"""A Mermaid `gantt` chart of the plan, which GitHub and many wikis draw natively.

Bars are calendar spans from a task's first to last working day; `crit`
marks the critical path, `done` finished work, `active` work under way, and
milestones are `milestone` with no length. A repeating task is one row
(`weekly-post ×52`), as in the plan table. Every name goes through
`escape.mermaid`, so a task called "Title card" or "Email #2: the teaser" is
a task with exactly that name. The as-of day is drawn as a marker instead of
the viewer's today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from mpm.plan.dates import CampaignPlan
from mpm.render.escape import mermaid as text
from mpm.views.rows import Row, plan_rows

_DAY = timedelta(days=1)

# Mermaid refuses to draw a diagram whose source is longer than this (its `maxTextSize`).
MAX_TEXT = 50_000


_NOT_ID = re.compile(r"[^A-Za-z0-9_]")


def _id(campaign: str, task_id: str) -> str:
    return _name(f"{campaign}__{task_id}")


def _name(text: str) -> str:
    """`text` with every character but ASCII letters, digits and `_` made `_`."""
    plain = text.replace("-", "_")  # a slug's only other character: no search for the rest
    return plain if plain.isascii() and plain.replace("_", "").isalnum() else _NOT_ID.sub("_", text)


def gantt(campaigns: list[CampaignPlan], title: str | None = None, as_of: date | None = None,
          rows: dict[str, list[Row]] | None = None) -> str:
    """The chart of `campaigns`; `rows`: their plan rows by campaign id, when the caller has them."""
    lines = ["gantt"]
    if title:
        lines.append(f"    title {text(title, 'plan')}")
    lines += ["    dateFormat YYYY-MM-DD", "    axisFormat %b %d"]
    if as_of is not None:
        lines.append("    todayMarker off")
    # a chart of thousands of bars has a few hundred days: each day's text is made once
    days: dict[date, str] = {}
    day_after: dict[date, str] = {}
    for c in campaigns:
        if not c.tasks:
            continue
        meta = c.data.campaign
        lines.append(f"    section {text(meta.name if meta else c.id, c.id)}")
        prefix = _id(c.id, "")
        for r in rows[c.id] if rows is not None and c.id in rows else plan_rows(c.tasks):
            tags = []
            if r.critical:
                tags.append("crit")
            if r.status == "done":
                tags.append("done")
            elif r.status == "in-progress":
                tags.append("active")
            instant = r.milestone and not r.recurring
            if instant:
                tags.append("milestone")
            start = days.get(r.start) or days.setdefault(r.start, r.start.isoformat())
            end = "0d" if instant else (day_after.get(r.finish) or day_after.setdefault(
                r.finish, (r.finish + _DAY).isoformat()))
            name = f"{r.name} ×{len(r.spans)}" if r.recurring else r.name
            tags.append(prefix + _name(r.id.split(" ×")[0]))
            lines.append(f"    {text(name)} :{', '.join(tags)}, {start}, {end}")
    if as_of is not None:
        lines.append(f"    as of {as_of.isoformat()} :vert, mpm_as_of, {as_of.isoformat()}, 0d")
    return "\n".join(lines) + "\n"


def too_big(chart: str) -> bool:
    """Whether Mermaid would draw only "Maximum text size in diagram exceeded"."""
    return len(chart) > MAX_TEXT
