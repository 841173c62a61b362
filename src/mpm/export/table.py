"""The schedule as CSV (RFC 4180), one row per scheduled task, for spreadsheets."""

from __future__ import annotations

import csv
import io

from mpm.plan.dates import Plan

COLUMNS = ["campaign", "id", "name", "owner", "phase", "channel", "status", "start", "finish",
           "late_start", "late_finish", "total_float", "free_float", "critical", "milestone", "due",
           "effort_hours"]


def plan_csv(plan: Plan, campaigns: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # \r\n line ends, as RFC 4180 asks
    writer.writerow(COLUMNS)
    for c in plan.campaigns:
        if campaigns and c.id not in campaigns:
            continue
        for t in c.tasks:
            writer.writerow([c.id, t.id, t.name, t.owner or "", t.task.phase or "", t.task.channel or "",
                             t.status, t.start, t.finish, t.late_start, t.late_finish, t.total_float,
                             t.free_float, "yes" if t.critical else "no", "yes" if t.milestone else "no",
                             t.due or "", f"{t.effort:g}"])
    return out.getvalue()
