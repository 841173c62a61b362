"""A KPI trend chart per goal for the HTML report: measurements against the checkpoint path.

The dashed line is the path the goal promised (baseline, checkpoints, target
at the deadline); dots joined by a solid line are the measurements up to the
as-of day; a dotted line runs from the latest measurement to the trend's
value at the deadline. Drawn by hand as inline SVG; every piece of text is
escaped.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from mpm.views.goals import GoalReport

WIDTH, HEIGHT = 460, 170
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 26


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:,.1f}"


def kpi_trend(g: GoalReport, as_of: date) -> Markup:
    goal = g.goal
    path: list[tuple[date, float]] = []
    if goal.baseline is not None and goal.baseline.date is not None:
        path.append((goal.baseline.date, goal.baseline.value))
    path += [(c.day, c.value) for c in g.checkpoints]
    if goal.deadline is not None and goal.target is not None and (not path or path[-1][0] < goal.deadline):
        path.append((goal.deadline, goal.target))
    seen = sorted((m.date, m.value) for m in goal.measurements if m.date <= as_of)
    ahead: list[tuple[date, float]] = []
    if seen and goal.deadline is not None and g.standing.forecast is not None and seen[-1][0] < goal.deadline:
        ahead = [seen[-1], (goal.deadline, g.standing.forecast)]
    points = path + seen + ahead
    if len({d for d, _ in points}) < 2:
        return Markup("")
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    low, high = min(v for _, v in points), max(v for _, v in points)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    span = max(1, (last - first).days)

    def x(d: date) -> float:
        return LEFT + (d - first).days / span * (WIDTH - LEFT - RIGHT)

    def y(v: float) -> float:
        return TOP + (high - v) / (high - low) * (HEIGHT - TOP - BOTTOM)

    def line(pts: list[tuple[date, float]], cls: str) -> str:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in pts)
        return f'<polyline points="{coords}" class="{cls}" fill="none"/>'

    label = escape(f"{goal.statement}: measurements against the checkpoint path")
    parts = [f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{label}">']
    for v in (low + pad, (low + high) / 2, high - pad):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y(v) + 3:.1f}" class="axis" text-anchor="end">'
                     f'{escape(_number(v))}</text>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 8}" class="axis">{first:%b %Y}</text>')
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" class="axis" text-anchor="end">{last:%b %Y}</text>')
    if first <= as_of <= last:
        parts.append(f'<line x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
                     f'class="today"/>')
    if len(path) > 1:
        parts.append(line(path, "path"))
    for c in g.checkpoints:
        parts.append(f'<circle cx="{x(c.day):.1f}" cy="{y(c.value):.1f}" r="2.5" class="checkpoint">'
                     f'<title>{escape(f"{c.quarter} checkpoint: {_number(c.value)}")}</title></circle>')
    if ahead:
        parts.append(line(ahead, "forecast"))
    if len(seen) > 1:
        parts.append(line(seen, "actual"))
    for d, v in seen:
        parts.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3.5" class="measured">'
                     f'<title>{escape(f"{d}: {_number(v)}")}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
