"""The risk register: a table by score, the 5×5 matrix, reviews due."""

from __future__ import annotations

from typing import Any

from mpm.render.escape import markdown_cell
from mpm.render.jsonout import document
from mpm.views.risks import RiskRegister, zone

ZONE_STYLE = {"high": "bold red", "medium": "yellow", "low": "green"}


def _float(x: int) -> str:
    return f"{x:+d}" if x else "0"


def risks_json(reg: RiskRegister) -> str:
    return document("risks", {
        "as_of": reg.as_of,
        "risks": [{
            "campaign": e.campaign, "id": e.risk.id, "title": e.risk.title, "category": e.risk.category,
            "likelihood": e.risk.likelihood, "impact": e.risk.impact, "score": e.score,
            "zone": zone(e.risk.likelihood, e.risk.impact), "status": e.risk.status,
            "owner": e.risk.owner, "mitigation": e.risk.mitigation, "contingency": e.risk.contingency,
            "review_by": e.risk.review_by, "review_overdue": e.review_overdue,
            "delay_days": e.risk.delay_days, "on_critical_work": e.on_critical_work,
            "affects": [{"task": a.ref, "name": a.name, "total_float": a.total_float, "status": a.status}
                        for a in e.affects],
        } for e in reg.entries],
        # rows: likelihood 5 (top) to 1; columns: impact 1 to 5
        "matrix": {"rows": "likelihood 5..1", "columns": "impact 1..5",
                   "counts": [reg.matrix[lk - 1] for lk in range(5, 0, -1)]},
        "overdue_reviews": [f"{e.campaign}/{e.risk.id}" for e in reg.overdue_reviews],
    })


def matrix_lines(reg: RiskRegister) -> list[tuple[str, list[tuple[str, str]]]]:
    """(row label, [(cell text, zone)]) from likelihood 5 down to 1."""
    rows = []
    for lk in range(5, 0, -1):
        cells = [(str(reg.matrix[lk - 1][im - 1] or "·"), zone(lk, im)) for im in range(1, 6)]
        rows.append((f"likelihood {lk}", cells))
    return rows


def risks_text(reg: RiskRegister):  # -> rich Group
    from rich.table import Table
    from rich.text import Text

    from mpm.render.lines import Lines

    parts: list[Any] = [Text(f"Risk register as of {reg.as_of}, highest score first", style="bold"),
                        Text("")]
    for e in reg.entries:
        r = e.risk
        closed = r.status == "closed"
        style = "dim" if closed else ZONE_STYLE[zone(r.likelihood, r.impact)]
        head = Text.assemble((f"{e.score:>3} ", style), (f"{r.id}", "dim" if closed else "bold"),
                             (" ⚠" if e.on_critical_work else "", "bold red"),
                             (f"  {e.campaign} · {r.category} · {r.status} · {r.owner or '—'}", "dim"))
        if r.review_by and not closed:
            if e.review_overdue:
                head.append(f" · review overdue ({r.review_by})", style="bold red")
            else:
                head.append(f" · review {r.review_by}", style="dim")
        parts.append(head)
        parts.append(Text(f"    {r.title} ({r.likelihood}×{r.impact})", style="dim" if closed else ""))
        if e.affects:
            parts.append(Text("    affects: " + ", ".join(
                f"{a.ref} ({'done' if a.total_float is None else 'float ' + _float(a.total_float)})"
                for a in e.affects), style="dim"))
        if not closed and not r.mitigation:
            parts.append(Text("    no mitigation", style="bold red"))
    parts.append(Text("\n⚠ a high risk on work with no float left: if it happens, dates move", style="dim"))
    parts.append(Text("\nLikelihood × impact (open, mitigating and occurred risks)", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right")
    for _ in range(5):
        grid.add_column(justify="center")
    for label, cells in matrix_lines(reg):
        grid.add_row(label, *[Text(text, style=ZONE_STYLE[z]) for text, z in cells])
    grid.add_row("impact →", *[str(i) for i in range(1, 6)])
    parts.append(grid)
    if reg.overdue_reviews:
        parts.append(Text("\nReviews overdue", style="bold"))
        for e in reg.overdue_reviews:
            parts.append(Text(f"  {e.campaign}/{e.risk.id}: due {e.risk.review_by} ({e.risk.owner or '—'})",
                              style="red"))
    return Lines(*parts)


def risks_markdown(reg: RiskRegister) -> str:
    out = [f"# Risk register as of {reg.as_of}", "",
           "| score | risk | category | status | owner | review by | affects (float) |",
           "|---:|---|---|---|---|---|---|"]
    for e in reg.entries:
        r = e.risk
        affects = ", ".join(f"`{a.ref}` ({'—' if a.total_float is None else a.total_float})" for a in e.affects)
        flag = " ⚠" if e.on_critical_work else ""
        review = f"{r.review_by or '—'}{' **overdue**' if e.review_overdue else ''}"
        out.append(f"| {e.score} | {e.campaign}/{r.id}{flag}: {markdown_cell(r.title)} | {r.category} | {r.status} | "
                   f"{r.owner or '—'} | {review} | {affects} |")
    out += ["", "| likelihood \\ impact | 1 | 2 | 3 | 4 | 5 |", "|---|---:|---:|---:|---:|---:|"]
    for label, cells in matrix_lines(reg):
        out.append(f"| {label.split()[-1]} | " + " | ".join(text for text, _ in cells) + " |")
    return "\n".join(out) + "\n"
