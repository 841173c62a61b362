"""Small SVG charts for the HTML report, drawn by hand: a Gantt chart, progress bars, S-curves.

Every piece of text placed in the SVG is escaped; the result is safe to
inline in the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup, escape

from mpm.views.rows import Row

COLOURS = {"critical": "#c8372d", "done": "#7aa874", "in-progress": "#3b7dd8", "todo": "#8fb3e6",
           "blocked": "#e0a030"}


def gantt_svg(rows: list[Row], as_of: date, *, width: int = 960, label: int = 230) -> Markup:
    if not rows:
        return Markup("")
    first = min(r.start for r in rows) - timedelta(days=1)
    last = max(r.finish for r in rows) + timedelta(days=2)
    days = max(1, (last - first).days)
    scale = (width - label - 10) / days
    row_h, top = 22, 30
    height = top + row_h * len(rows) + 10

    def x(d: date) -> float:
        return label + (d - first).days * scale

    parts = [f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="Gantt chart">']
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            mx = x(month)
            parts.append(f'<line x1="{mx:.1f}" y1="{top - 8}" x2="{mx:.1f}" y2="{height - 6}" class="grid"/>')
            parts.append(f'<text x="{mx + 3:.1f}" y="{top - 12}" class="axis">{month.strftime("%b %Y")}</text>')
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for i, r in enumerate(rows):
        y = top + i * row_h
        if i % 2:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" class="stripe"/>')
        name = escape(r.id)
        parts.append(f'<text x="4" y="{y + 15}" class="label{" crit" if r.critical else ""}">{name}</text>')
        for start, finish, milestone, critical, done in r.spans:
            colour = COLOURS["critical"] if critical else (
                COLOURS["done"] if done else COLOURS.get(r.status if not r.recurring else "todo", COLOURS["todo"]))
            title = escape(f"{r.id}: {start}" + ("" if milestone else f" – {finish}"))
            if milestone:
                cx, cy = x(start) + scale / 2, y + row_h / 2
                parts.append(f'<polygon points="{cx:.1f},{cy - 7} {cx + 7:.1f},{cy} {cx:.1f},{cy + 7} '
                             f'{cx - 7:.1f},{cy}" fill="{colour}"><title>{title}</title></polygon>')
            else:
                w = max(2.0, ((finish - start).days + 1) * scale)
                parts.append(f'<rect x="{x(start):.1f}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" '
                             f'rx="3" fill="{colour}"><title>{title}</title></rect>')
    if first <= as_of <= last:
        tx = x(as_of)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 6}" class="today"/>')
        parts.append(f'<text x="{tx + 3:.1f}" y="{height - 8}" class="axis today-label">today</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar(share: float | None, *, marker: float | None = None, over: bool = False, width: int = 160) -> Markup:
    """A progress bar: `share` filled (1.0 = full), an optional tick at `marker`."""
    if share is None:
        return Markup("")
    fill = max(0.0, min(share, 1.0)) * width
    colour = "#c8372d" if over else "#3b7dd8"
    parts = [f'<svg class="bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 12" width="{width}" '
             f'height="12"><rect width="{width}" height="12" rx="3" fill="#e6e9ef"/>'
             f'<rect width="{fill:.1f}" height="12" rx="3" fill="{colour}"/>']
    if marker is not None:
        mx = max(0.0, min(marker, 1.0)) * width
        parts.append(f'<line x1="{mx:.1f}" y1="0" x2="{mx:.1f}" y2="12" stroke="#222" stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def s_curve_svg(finish: list[tuple[date, int]], launch: list[tuple[date, int]] | None = None, *,
                marks: list[tuple[str, date]] | None = None, width: int = 640, height: int = 200) -> Markup:
    """The forecast's S-curves: the share of runs done by each date (finish solid, launch dashed).

    `marks`: labelled dates drawn as vertical lines (the planned launch and end).
    """
    curves = [c for c in (finish, launch or []) if c]
    if not curves:
        return Markup("")
    marks = marks or []
    first = min([c[0][0] for c in curves] + [d for _, d in marks]) - timedelta(days=1)
    last = max([c[-1][0] for c in curves] + [d for _, d in marks]) + timedelta(days=1)
    days = max(1, (last - first).days)
    left, right, top, bottom = 44, 12, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(d: date) -> float:
        return left + (d - first).days * plot_w / days

    def y(share: float) -> float:
        return top + (1 - share) * plot_h

    parts = [f'<svg class="s-curve" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="Forecast S-curve: share of runs done by each date">']
    for share in (0, 0.5, 0.8, 1):
        parts.append(f'<line x1="{left}" y1="{y(share):.1f}" x2="{width - right}" y2="{y(share):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{y(share) + 3:.1f}" class="axis" text-anchor="end">'
                     f'{share * 100:.0f}%</text>')
    for label, d in marks:
        mx = x(d)
        parts.append(f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{top + plot_h}" class="mark"/>')
        parts.append(f'<text x="{mx + 3:.1f}" y="{top + 10}" class="axis">{escape(label)} {d}</text>')
    for curve, style in ((finish, "finish"), (launch or [], "launch")):
        if not curve:
            continue
        total = sum(k for _, k in curve) or 1
        done = 0
        points = [f"{x(curve[0][0]):.1f},{y(0):.1f}"]
        for d, k in curve:
            points.append(f"{x(d):.1f},{y(done / total):.1f}")
            done += k
            points.append(f"{x(d):.1f},{y(done / total):.1f}")
        points.append(f"{width - right:.1f},{y(done / total):.1f}")
        parts.append(f'<polyline points="{" ".join(points)}" class="curve {style}"><title>{style}</title></polyline>')
    parts.append(f'<text x="{left}" y="{height - 8}" class="axis">{first + timedelta(days=1)}</text>')
    parts.append(f'<text x="{width - right}" y="{height - 8}" class="axis" text-anchor="end">'
                 f'{last - timedelta(days=1)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
