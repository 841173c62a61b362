"""A Mermaid `gantt` chart of the plan, which GitHub and many wikis draw natively.

Bars are calendar spans from a task's first to last working day; `crit`
marks the critical path, `done` finished work, `active` work under way, and
milestones are `milestone` with no length.
"""

from __future__ import annotations

import re
from datetime import timedelta

from mpm.plan.dates import CampaignPlan

_UNSAFE = re.compile(r"[:;#\n\r]")


def _text(name: str) -> str:
    """Task text Mermaid reads as text: no ':' (the separator), ';' or '#'."""
    return _UNSAFE.sub(" -", name).strip() or "task"


def _id(campaign: str, task_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{campaign}__{task_id}")


def gantt(campaigns: list[CampaignPlan], title: str | None = None) -> str:
    lines = ["gantt"]
    if title:
        lines.append(f"    title {_text(title)}")
    lines += ["    dateFormat YYYY-MM-DD", "    axisFormat %b %d"]
    for c in campaigns:
        if not c.tasks:
            continue
        meta = c.data.campaign
        lines.append(f"    section {_text(meta.name if meta else c.id)}")
        for t in c.tasks:
            tags = []
            if t.critical:
                tags.append("crit")
            if t.status == "done":
                tags.append("done")
            elif t.status == "in-progress":
                tags.append("active")
            if t.milestone:
                tags.append("milestone")
                span = f"{t.start.isoformat()}, 0d"
            else:
                span = f"{t.start.isoformat()}, {(t.finish + timedelta(days=1)).isoformat()}"
            head = ", ".join([*tags, _id(c.id, t.id)])
            lines.append(f"    {_text(t.name)} :{head}, {span}")
    return "\n".join(lines) + "\n"
