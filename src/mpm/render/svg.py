"""Small SVG charts for the HTML report, drawn by hand: a Gantt chart, progress bars, S-curves.

Rows are labelled with the task's name (cut to fit, in full with its id in
the tooltip). Every piece of text placed in the SVG is escaped; the result is
safe to inline in the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup

from mpm.render.escape import html as escape
from mpm.render.escape import one_line
from mpm.views.rows import Row

COLOURS = {"critical": "#c8372d", "done": "#7aa874", "in-progress": "#3b7dd8", "todo": "#8fb3e6",
           "blocked": "#e0a030"}


LABEL_CHARS = 36  # what fits in the label column at 11px
MONTH_LABEL = 48  # px a "Nov 2026" label needs


def _label(r: Row, name: str) -> str:
    """The row's label: its name on one line (`name`), cut to fit the label column."""
    if r.recurring:
        name += r.id[r.id.rfind(" ×"):] if " ×" in r.id else ""
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "…"


def gantt_svg(rows: list[Row], as_of: date, *, people: dict[str, str] | None = None, ids: bool = True,
              width: int = 960, label: int = 230) -> Markup:
    if not rows:
        return Markup("")
    first = min(r.start for r in rows) - timedelta(days=1)
    last = max(r.finish for r in rows) + timedelta(days=2)
    days = max(1, (last - first).days)
    scale = (width - label - 10) / days
    row_h, top = 22, 30
    height = top + row_h * len(rows) + 10

    origin = first.toordinal()

    def x(d: date) -> float:
        return label + (d.toordinal() - origin) * scale

    # rows share their days: each day's x and each span length's width are formatted once
    lefts: dict[date, str] = {}  # day -> x="…"
    widths: dict[int, str] = {}  # days a bar spans -> width="…"
    diamonds: dict[date, tuple[str, str, str, str]] = {}
    owners: dict[str, str | None] = {}  # owner -> their name as shown, escaped (None: not shown)

    parts = [f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="Gantt chart">']
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            mx = x(month)
            parts.append(f'<line x1="{mx:.1f}" y1="{top - 8}" x2="{mx:.1f}" y2="{height - 6}" class="grid"/>')
            # the last month's label ends at the edge instead of running past it
            at = (f'x="{mx + 3:.1f}"' if mx + 3 + MONTH_LABEL <= width
                  else f'x="{width - 2}" text-anchor="end"')
            parts.append(f'<text {at} y="{top - 12}" class="axis">{month.strftime("%b %Y")}</text>')
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for i, r in enumerate(rows):
        y = top + i * row_h
        if i % 2:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" class="stripe"/>')
        # the row's text is cleaned and escaped once, not once per bar, and each person's name
        # once per chart (escaping is per character, so escaped pieces join into the escaped whole)
        name = one_line(r.name)
        safe = escape(name)
        shown = [escape(r.id)] if ids else []
        if r.owner:
            if r.owner not in owners:
                owner = (people or {}).get(r.owner, r.owner)
                owners[r.owner] = escape(one_line(owner)) if owner else None
            if owners[r.owner] is not None:
                shown.append(owners[r.owner])
        tip = safe + (f" ({', '.join(shown)})" if shown else "")
        cut = _label(r, name)
        parts.append(f'<text x="4" y="{y + 15}" class="label{" crit" if r.critical else ""}">'
                     f'<title>{tip}</title>{safe if cut == name else escape(cut)}</text>')
        named = safe + (f" ({shown[0]}): " if ids else ": ")
        plain = COLOURS.get(r.status if not r.recurring else "todo", COLOURS["todo"])
        for start, finish, milestone, critical, done in r.spans:
            colour = COLOURS["critical"] if critical else (COLOURS["done"] if done else plain)
            if milestone:
                shape = diamonds.get(start)
                if shape is None:  # the same for every milestone of a day but its height
                    cx = x(start) + scale / 2
                    shape = diamonds[start] = (f"{cx:.1f}", f"{cx + 7:.1f}", f"{cx - 7:.1f}", str(start))
                at, right, left, day = shape
                cy = y + row_h / 2
                parts.append(f'<polygon points="{at},{cy - 7} {right},{cy} {at},{cy + 7} {left},{cy}" '
                             f'fill="{colour}"><title>{named}{day}</title></polygon>')
            else:
                left = lefts.get(start) or lefts.setdefault(start, f'x="{x(start):.1f}"')
                span = finish.toordinal() - start.toordinal() + 1
                wide = widths.get(span) or widths.setdefault(span, f'width="{max(2.0, span * scale):.1f}"')
                parts.append(f'<rect {left} y="{y + 5}" {wide} height="{row_h - 10}" rx="3" fill="{colour}">'
                             f'<title>{named}{start.isoformat()} – {finish.isoformat()}</title></rect>')
    if first <= as_of <= last:
        tx = x(as_of)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{height - 6}" class="today"/>')
        anchor = f'x="{tx + 3:.1f}"' if tx + 80 <= width else f'x="{tx - 3:.1f}" text-anchor="end"'
        parts.append(f'<text {anchor} y="{height - 8}" class="axis today-label">as of {as_of}</text>')
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


def forecast_svg(points: list[tuple[str, str, date | None, date | None, str]], *, width: int = 960,
                 height: int = 220) -> Markup:
    """Forecast over time: the launch and finish as planned at each commit.

    `points` are (short commit id, commit date, launch, finish, subject), oldest first.
    """
    dated = [p for p in points if p[2] or p[3]]
    if len(dated) < 2:
        return Markup("")
    days = [d for p in dated for d in (p[2], p[3]) if d]
    low, high = min(days), max(days)
    span = max(1, (high - low).days)
    left, right, top, bottom = 90, 50, 20, 40
    step = (width - left - right) / (len(dated) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(d: date) -> float:
        return top + (height - top - bottom) * (1 - (d - low).days / span)

    parts = [f'<svg class="forecast" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="Forecast over time">']
    for d in sorted({low, high, low + timedelta(days=span // 2)}):
        parts.append(f'<line x1="{left}" y1="{y(d):.1f}" x2="{width - right}" y2="{y(d):.1f}" class="grid"/>')
        parts.append(f'<text x="4" y="{y(d) + 4:.1f}" class="axis">{d}</text>')
    for kind, col, colour in (("launch", 2, "#c8372d"), ("finish", 3, "#3b7dd8")):
        pts = [(i, p) for i, p in enumerate(dated) if p[col]]
        if not pts:
            continue
        line = " ".join(f"{x(i):.1f},{y(p[col]):.1f}" for i, p in pts)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, p in pts:
            title = escape(f"{p[0]} {p[1]}: {kind} {p[col]} — {p[4]}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p[col]):.1f}" r="3.5" fill="{colour}">'
                         f'<title>{title}</title></circle>')
    labels = max(1, len(dated) // 8)
    for i, p in enumerate(dated):
        if i % labels == 0 or i == len(dated) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 22}" class="axis" text-anchor="middle">'
                         f'{escape(p[1])}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}" class="axis"><tspan fill="#c8372d">● launch</tspan> '
                 f'<tspan fill="#3b7dd8">● finish</tspan> · one point per commit</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
