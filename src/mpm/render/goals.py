"""Goals: the SMART check, progress and forecast, and a small chart of each goal's path."""

from __future__ import annotations

from datetime import date
from typing import Any

from mpm.render.escape import markdown
from mpm.render.jsonout import document
from mpm.views.goals import GoalReport
from mpm.views.smart import smart_check, smart_score

STATE_STYLE = {"achieved": "bold green", "on-track": "green", "behind": "bold yellow",
               "missed": "bold red", "no-data": "dim"}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def goals_json(reports: list[GoalReport], as_of: date) -> str:
    return document("goals", {
        "as_of": as_of,
        "goals": [{
            "campaign": r.campaign,
            "id": r.goal.id,
            "statement": r.goal.statement,
            "smart": {p.name.lower(): {"ok": p.ok, "text": p.text} for p in smart_check(r.goal)},
            "baseline": r.goal.baseline.value if r.goal.baseline else None,
            "target": r.goal.target,
            "unit": r.goal.unit,
            "deadline": r.goal.deadline,
            "latest": ({"date": r.standing.actual.date, "value": r.standing.actual.value}
                       if r.standing.actual else None),
            "progress": r.standing.progress,
            "expected_now": r.expected_today,
            "state": r.standing.state,
            "forecast": r.standing.forecast,
            "checkpoints": [{"quarter": c.quarter, "date": c.day, "value": c.value, "written": c.written}
                            for c in r.checkpoints],
        } for r in reports],
    })


def chart(r: GoalReport, width: int = 44, height: int = 6) -> list[str]:
    """Measurements (●) against the checkpoint path (·), baseline to deadline."""
    from mpm.views.goals import path, value_on

    g = r.goal
    start = g.baseline.date if g.baseline and g.baseline.date else None
    end = g.deadline
    points = [(m.date, m.value) for m in g.measurements]
    if start is None or end is None or end <= start:
        return []
    values = [v for _, v in points] + [c.value for c in r.checkpoints] + [g.baseline.value]  # type: ignore[union-attr]
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1
    span = (end - start).days
    grid = [[" "] * width for _ in range(height)]
    line = path(g, r.checkpoints)  # the checkpoints as the workspace's fiscal year dates them

    def row(v: float) -> int:
        return height - 1 - round((v - lo) / (hi - lo) * (height - 1))

    for x in range(width):
        day = date.fromordinal(start.toordinal() + round(x * span / (width - 1)))
        v = value_on(line, day)
        if v is not None:
            grid[row(v)][x] = "·"
    for d, v in points:
        if start <= d <= end:
            grid[row(v)][round((d - start).days / span * (width - 1))] = "●"
    label_w = max(len(f"{hi:,.0f}"), len(f"{lo:,.0f}"))
    lines = []
    for i, cells in enumerate(grid):
        label = f"{hi:,.0f}" if i == 0 else (f"{lo:,.0f}" if i == height - 1 else "")
        lines.append(f"{label:>{label_w}} ┤{''.join(cells)}")
    lines.append(" " * label_w + " └" + "─" * width)
    lines.append(" " * (label_w + 2) + f"{start}{' ' * max(1, width - 20)}{end}")
    return lines


def goals_text(reports: list[GoalReport], as_of: date):  # -> rich Group
    from rich.text import Text

    from mpm.render.lines import Lines

    if not reports:
        return Text("No goals in this workspace.", style="dim")
    parts: list[Any] = [Text(f"Goals as of {as_of}", style="bold"), Text("")]
    for r in reports:
        g, s = r.goal, r.standing
        points = smart_check(g)
        head = Text.assemble((f"{r.campaign}/{g.id}", "bold"), "  ", (smart_score(points), "cyan"),
                             "  ", (s.state, STATE_STYLE.get(s.state, "")))
        parts.append(head)
        parts.append(Text(f"  {g.statement}"))
        for p in points:
            parts.append(Text.assemble("  ", ("✓" if p.ok else "✗", "green" if p.ok else "red"),
                                       f" {p.name}: ", (p.text, "" if p.ok else "yellow")))
        unit = f" {g.unit}" if g.unit else ""
        if s.actual is not None:
            line = f"  latest {s.actual.value:,.0f}{unit} on {s.actual.date}"
            if s.progress is not None:
                line += f" — {_pct(s.progress)} of the way from baseline to target"
            parts.append(Text(line))
        if r.expected_today is not None:
            parts.append(Text(f"  expected by {as_of}: {r.expected_today:,.0f}{unit}"))
        if s.forecast is not None and g.deadline:
            parts.append(Text(f"  trend forecast at the deadline {g.deadline}: {s.forecast:,.0f}{unit}"
                              + (f" (target {g.target:,.0f})" if g.target is not None else "")))
        for line in chart(r):
            parts.append(Text("  " + line, style="dim"))
        parts.append(Text(""))
    parts.append(Text("SMART letters: a dash marks what the goal lacks · path = checkpoints, "
                      "● = measurements", style="dim"))
    return Lines(*parts)


def goals_markdown(reports: list[GoalReport], as_of: date) -> str:
    out = [f"# Goals as of {as_of}", "", "| goal | SMART | latest | expected now | target | state | forecast |",
           "|---|---|---:|---:|---:|---|---:|"]
    for r in reports:
        s = r.standing
        latest = f"{s.actual.value:,.0f} ({s.actual.date})" if s.actual else "—"
        expected = f"{r.expected_today:,.0f}" if r.expected_today is not None else "—"
        target = f"{r.goal.target:,.0f}" if r.goal.target is not None else "—"
        forecast = f"{s.forecast:,.0f}" if s.forecast is not None else "—"
        out.append(f"| {r.campaign}/{r.goal.id} | {smart_score(smart_check(r.goal))} | {latest} | "
                   f"{expected} | {target} | {s.state} | {forecast} |")
    lacking = [(r, p) for r in reports for p in smart_check(r.goal) if not p.ok]
    if lacking:
        out += ["", "What the goals lack:", ""]
        out += [f"- `{r.campaign}/{r.goal.id}` — {p.name}: {markdown(p.text)}" for r, p in lacking]
    return "\n".join(out) + "\n"
