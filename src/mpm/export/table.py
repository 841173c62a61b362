"""The schedule as CSV (RFC 4180), one row per scheduled task, for spreadsheets.

A spreadsheet runs a cell that starts with `= + - @` as a formula, so such a
cell from a plan file is written with a leading `'` (`escape.csv_cell`;
`raw=True` writes cells as they are, for scripts). The file starts with a
UTF-8 byte-order mark so that Excel and LibreOffice read "—" and "é" as
written instead of guessing a legacy code page (`bom=False` leaves it out).
"""

from __future__ import annotations

import csv
import io

from mpm.plan.dates import Plan
from mpm.render.escape import csv_cell

BOM = "\ufeff"

COLUMNS = ["campaign", "id", "name", "owner", "phase", "channel", "status", "start", "finish",
           "late_start", "late_finish", "total_float", "free_float", "critical", "milestone", "due",
           "effort_hours"]


def plan_csv(plan: Plan, campaigns: list[str] | None = None, *, bom: bool = True, raw: bool = False) -> str:
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out)  # \r\n line ends, as RFC 4180 asks
    writer.writerow(COLUMNS)
    cell = (lambda v: v) if raw else csv_cell
    for c in plan.campaigns:
        if campaigns and c.id not in campaigns:
            continue
        for t in c.tasks:
            writer.writerow([c.id, t.id, cell(t.name), t.owner or "", cell(t.task.phase or ""),
                             cell(t.task.channel or ""),
                             t.status, t.start, t.finish, t.late_start, t.late_finish, t.total_float,
                             t.free_float, "yes" if t.critical else "no", "yes" if t.milestone else "no",
                             t.due or "", f"{t.effort:g}"])
    return out.getvalue()
