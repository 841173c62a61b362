"""An independent check of a levelled plan against DESIGN §3b, for the tests.

It recomputes each person's hours on each day from the records (not from
mpm's staffing module) and adds up what the plan books, so a mistake in the
engine cannot hide behind the same mistake in the check.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from mpm.check.checks import check_workspace
from mpm.plan.dates import Plan
from mpm.plan.schedule import build_plan
from mpm.read.diagnostics import Severity
from mpm.read.files import MemoryFiles
from mpm.read.load import Workspace

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def load(files: dict[str, str]) -> Workspace:
    ws, found = check_workspace(Path("/nonexistent-workspace"),
                                files=MemoryFiles({k: v.encode() for k, v in files.items()}))
    errors = [d for d in found if d.severity is Severity.ERROR]
    assert not errors, errors[:3]
    return ws


def plans(files: dict[str, str], as_of: date) -> tuple[Workspace, Plan, Plan]:
    ws = load(files)
    return ws, build_plan(ws, as_of, level=False), build_plan(ws, as_of, level=True)


def hours_on(ws: Workspace, person_id: str, day: date) -> float:
    """What DESIGN §3b says the person has that day."""
    cfg = ws.config
    person = next(p for p in cfg.team if p.id == person_id)
    works = person.workdays or cfg.calendar.workdays
    if DAYS[day.weekday()] not in works or DAYS[day.weekday()] not in cfg.calendar.workdays:
        return 0.0
    if day in {h.date for h in cfg.calendar.holidays}:
        return 0.0
    if any(t.from_ <= day <= t.to for t in person.time_off):
        return 0.0
    return person.capacity_hours_per_week / len(works)


def overloads(ws: Workspace, plan: Plan) -> list[str]:
    """Days on which levelling booked a person past their hours (other than a
    lone task alone), or on a day they do not work. Done and in-progress work
    keeps its §3 dates whatever it does to a day, so it only counts as load."""
    booked: dict[tuple[str, date], list[tuple[str, float, bool]]] = defaultdict(list)
    asof = plan.calendar.offset(plan.as_of)
    team = {p.id: p for p in ws.config.team}
    for c in plan.campaigns:
        for t in c.tasks:
            weeks = [set(team[p].workdays or ws.config.calendar.workdays) for p, _ in t.load if p in team]
            if len(weeks) > 1 and not set.intersection(*weeks):
                continue  # check warns (W304): levelling cannot place it within their hours
            work = list(t.work_offsets())
            for person, hours in t.load:
                for off in work:
                    if off >= asof:
                        placed = t.status not in ("done", "in-progress")
                        booked[(person, plan.calendar.date_at(off))].append((t.ref, hours / len(work), placed))
    out = []
    for (person, day), entries in sorted(booked.items()):
        total = sum(h for _, h, _ in entries)
        have = hours_on(ws, person, day)
        placed = [e for e in entries if e[2]]
        if have == 0 and placed:
            out.append(f"{person} works on {day}, a day off, for {placed}")
        elif total > have + 1e-6 and placed and len(entries) > 1:
            out.append(f"{person} has {total:g} h on {day} (of {have:g}): {entries}")
    return out


def broken_dependencies(plan: Plan) -> list[str]:
    out = []
    for c in plan.campaigns:
        for t in c.tasks:
            for dep in t.task.depends_on:
                ref = dep.task if "/" in dep.task else f"{t.campaign}/{dep.task}"
                preds = [p for r, p in plan.by_ref.items() if r == ref or r.startswith(ref + "@")]
                for p in preds:
                    need = {"FS": p.ef + dep.lag - t.es, "SS": p.es + dep.lag - t.es,
                            "FF": p.ef + dep.lag - t.ef, "SF": p.es + dep.lag - t.ef}[dep.type]
                    if need > 0 and t.status not in ("done", "in-progress"):
                        out.append(f"{t.ref} breaks {dep.type} {p.ref} by {need}")
    return out
