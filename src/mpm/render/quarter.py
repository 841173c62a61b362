"""The quarter view: hours by person and week, the content calendar, checkpoints due."""

from __future__ import annotations

from datetime import date
from typing import Any

from mpm.render.escape import markdown_cell
from mpm.render.jsonout import document
from mpm.views.quarter import QuarterView, week_of


def _h(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def quarter_json(v: QuarterView) -> str:
    q = v.quarter
    return document("quarter", {
        "as_of": v.as_of,
        "quarter": q.label,
        "start": q.start,
        "end": q.end,
        "fiscal_year_start": q.start_month,
        "people": [{
            "id": p.id,
            "name": p.name,
            "available_hours": p.available,
            "planned_hours": p.planned,
            "weeks": [{
                "week": w.week, "available_hours": w.available, "planned_hours": w.planned,
                "over": w.over, "days_off": [{"date": d, "why": why} for d, why in w.days_off],
                "tasks": [{"task": t.ref, "hours": h} for t, h in w.tasks],
            } for w in p.weeks],
        } for p in v.people],
        "calendar": [{
            "week": e.week, "date": e.day, "campaign": e.task.campaign, "task": e.task.id,
            "name": e.task.name, "channel": e.task.task.channel, "owner": e.task.owner,
            "status": e.task.status, "milestone": e.task.milestone,
        } for e in v.calendar],
        "checkpoints": [{
            "campaign": c.campaign, "goal": c.goal.id, "quarter": c.quarter, "date": c.day,
            "value": c.value, "written": c.written,
            "latest": ({"date": c.standing.actual.date, "value": c.standing.actual.value}
                       if c.standing.actual else None),
            "state": c.standing.state,
        } for c in v.checkpoints],
    })


def quarter_text(v: QuarterView, width: int):  # -> rich renderable
    from rich.text import Text

    from mpm.render.grid import Column
    from mpm.render.lines import Grid, Lines

    q = v.quarter
    parts: list[Any] = [Text.assemble((f"{q.label}", "bold"), f"  {q.start} to {q.end}",
                                      (f"  (fiscal year starts in month {q.start_month})"
                                       if q.start_month != 1 else ""))]
    parts.append(Text("\nPeople: hours available vs planned, by week", style="bold"))
    weeks = sorted({w.week for p in v.people for w in p.weeks})
    by_week = [{w.week: w for w in p.weeks} for p in v.people]
    rows: list = []
    for wk in weeks:
        cells = [(wk.strftime("%b %d"), "")]
        for weeks_of in by_week:
            w = weeks_of[wk]
            cell = f"{_h(w.planned)}/{_h(w.available)}"
            cells.append((cell + (" !" if w.over else "  "), "bold red" if w.over else ""))
        rows.append(cells)
    rows.append([("total", "bold"), *[(f"{_h(p.planned)}/{_h(p.available)}  ", "bold") for p in v.people]])
    parts.append(Grid([Column("week"), *(Column(p.id, right=True) for p in v.people)], rows))
    parts.append(Text("planned/available hours; ! over-allocated", style="dim"))
    over = [(p, w) for p in v.people for w in p.over_weeks]
    if over:
        parts.append(Text("\nOver-allocated weeks", style="bold"))
        for p, w in over:
            parts.append(Text(f"  {p.id}, week of {w.week}: {_h(w.planned)} h planned for "
                              f"{_h(w.available)} h (+{_h(w.overload)} h)", style="red"))
            for t, h in w.tasks[:4]:
                parts.append(Text(f"      {_h(h):>5} h  {t.ref}", style="dim"))
    parts.append(Text("\nContent calendar", style="bold"))
    if not v.calendar:
        parts.append(Text("  nothing starts in this quarter", style="dim"))
    else:
        rows = []
        days: dict[date, str] = {}  # a week's entries share their few days: each written once
        for entries in week_of(v.calendar).values():
            if rows:
                rows.append(None)  # a blank line between weeks
            for e in entries:
                t = e.task
                day = days.get(e.day) or days.setdefault(e.day, e.day.strftime("%a %Y-%m-%d"))
                rows.append([(day, ""), ("◆" if t.milestone else "•", ""),
                             (f"{t.campaign}/{t.id}", ""), (t.task.channel or "—", ""), (t.owner or "—", ""),
                             (t.status, "")])
        parts.append(Grid([Column("day"), Column(""), Column("campaign/task", shrinks=True),
                           Column("channel", shrinks=True, yields_first=True), Column("owner"),
                           Column("status")], rows))
    parts.append(Text("\nGoal checkpoints due", style="bold"))
    if not v.checkpoints:
        parts.append(Text("  none in this quarter", style="dim"))
    for c in v.checkpoints:
        latest = (f"latest {c.standing.actual.value:,.0f} on {c.standing.actual.date}"
                  if c.standing.actual else "no measurement yet")
        kind = "" if c.written else " (interpolated)"
        parts.append(Text(f"  {c.day}  {c.campaign}/{c.goal.id}: {c.value:,.0f} {c.goal.unit or ''}"
                          f"{kind} — {latest}, {c.standing.state}"))
    return Lines(*parts)


def quarter_markdown(v: QuarterView) -> str:
    q = v.quarter
    out = [f"# {q.label} ({q.start} to {q.end})", "", "## Hours by person and week", ""]
    weeks = sorted({w.week for p in v.people for w in p.weeks})
    out.append("| week | " + " | ".join(p.id for p in v.people) + " |")
    out.append("|---|" + "---:|" * len(v.people))
    for wk in weeks:
        cells = []
        for p in v.people:
            w = next(x for x in p.weeks if x.week == wk)
            cells.append(f"{_h(w.planned)}/{_h(w.available)}" + (" **over**" if w.over else ""))
        out.append(f"| {wk} | " + " | ".join(cells) + " |")
    out += ["", "## Content calendar", "", "| date | campaign | task | channel | owner | status |",
            "|---|---|---|---|---|---|"]
    for e in v.calendar:
        t = e.task
        out.append(f"| {e.day} | {t.campaign} | {t.id} | {markdown_cell(t.task.channel)} | {t.owner or ''} | "
                   f"{t.status} |")
    out += ["", "## Goal checkpoints", "", "| date | goal | checkpoint | latest | state |",
            "|---|---|---:|---|---|"]
    for c in v.checkpoints:
        latest = f"{c.standing.actual.value:,.0f} ({c.standing.actual.date})" if c.standing.actual else "—"
        out.append(f"| {c.day} | {c.campaign}/{c.goal.id} | {c.value:,.0f}"
                   f"{'' if c.written else ' (interpolated)'} | {latest} | {c.standing.state} |")
    return "\n".join(out) + "\n"
