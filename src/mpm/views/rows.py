"""Rows of a plan as people read them: a recurring series is one row.

A weekly post is 52 occurrences in the schedule; a table or a Gantt chart
shows it as one row ("weekly-blog ×52") whose bar marks every occurrence,
unless the reader asks for every occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mpm.plan.dates import ScheduledTask


@dataclass(slots=True)
class Row:
    id: str
    name: str
    owner: str | None
    start: date
    finish: date
    total_float: int
    critical: bool
    milestone: bool
    status: str
    recurring: bool = False
    # levelled (§3b): working days levelling moved it, and whose hours it waits for
    delay: int = 0
    waits_for: str | None = None
    # (start, finish, milestone, critical, done) of each bar on the row
    spans: list[tuple[date, date, bool, bool, bool]] = field(default_factory=list)


def plan_rows(tasks: list[ScheduledTask], *, expand: bool = False) -> list[Row]:
    rows: list[Row] = []
    series: dict[str, Row] = {}
    counts: dict[str, list[int]] = {}
    for t in tasks:
        span = (t.start, t.finish, t.milestone, t.critical, t.status == "done")
        waits = t.held_by[0][0] if t.held_by else None
        if t.occurrence is None or expand:
            rows.append(Row(t.id, t.name, t.owner, t.start, t.finish, t.total_float, t.critical,
                            t.milestone, t.status, t.occurrence is not None, t.level_delay, waits, [span]))
            continue
        key = t.task.id
        row = series.get(key)
        done = t.status == "done"
        if row is None:
            row = series[key] = Row(key, t.task.name, t.task.owner, t.start, t.finish, t.total_float, t.critical,
                                    t.milestone, t.task.status, True)
            counts[key] = [0, 0]
            rows.append(row)
        count = counts[key]
        count[0] += 1
        count[1] += done
        if t.level_delay > row.delay:
            row.delay, row.waits_for = t.level_delay, waits
        row.spans.append(span)
        row.finish = max(row.finish, t.finish)
        row.critical = row.critical or t.critical
        if not done:  # the least float of the open occurrences
            row.total_float = t.total_float if count[0] - count[1] == 1 else min(row.total_float, t.total_float)
    for key, row in series.items():
        total, done = counts[key]
        row.id = f"{key} ×{total}"
        row.status = "done" if done == total else f"{done}/{total} done"
    return rows
