"""Budgets: planned against actual per line and campaign, and totals by category."""

from __future__ import annotations

from typing import Any

from mpm.render.escape import markdown, markdown_cell
from mpm.render.jsonout import document
from mpm.views.budget import BudgetView, Money


def _money(m: Money) -> dict[str, Any]:
    return {"planned": m.planned, "actual": m.actual, "remaining": m.remaining,
            "used": None if m.used is None else round(m.used, 4), "over": m.over}


def budget_json(v: BudgetView) -> str:
    return document("budget", {
        "currency": v.currency,
        "campaigns": [{
            "id": c.campaign, "name": c.name, "status": c.status, "total": c.total,
            "work_done": None if c.work_done is None else round(c.work_done, 4),
            "lines": [{"category": x.category, **_money(x.money)} for x in c.lines],
            "lines_total": _money(c.lines_total),
            "against_total": _money(c.against_total),
        } for c in v.campaigns],
        "by_category": [{"category": name, **_money(m)} for name, m in v.by_category],
        "total": _money(v.total),
        "lines_total": _money(v.lines_total),
    })


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _pct(m: Money) -> str:
    return "—" if m.used is None else f"{m.used * 100:.0f}%"


def budget_text(v: BudgetView):  # -> rich renderable
    from rich.text import Text

    from mpm.render.grid import Column
    from mpm.render.lines import Grid, Lines

    parts: list[Any] = [Text(f"Budgets ({v.currency})", style="bold")]

    def table(first: str, rows: list) -> Grid:
        return Grid([Column(first), *(Column(name, right=True) for name in
                                      ("planned", "actual", "remaining", "used"))], rows)

    def row(label: str, m: Money, *, bold: bool = False) -> list:
        base = "bold" if bold else ""
        return [(label + (" !" if m.over else ""), "bold red" if m.over else base), (_n(m.planned), base),
                (_n(m.actual), base), (_n(m.remaining), "bold red" if m.over and bold else
                                       "red" if m.over else base), (_pct(m), base)]

    for c in v.campaigns:
        progress = f", work {c.work_done * 100:.0f}% done" if c.work_done is not None else ""
        parts.append(Text(f"\n{c.name}  ({c.campaign}, {c.status}{progress})", style="bold"))
        rows = [row(x.category, x.money) for x in c.lines]
        rows.append(row("lines total", c.lines_total, bold=True))
        if c.total is not None:
            rows.append(row("against approved total", c.against_total, bold=True))
        parts.append(table("line", rows))
    parts.append(Text("\nBy category", style="bold"))
    rows = [row(name, m) for name, m in v.by_category]
    rows.append(row("workspace total", v.lines_total, bold=True))  # the sum of the rows above it
    if any(c.total is not None for c in v.campaigns):
        rows.append(row("against approved totals", v.total, bold=True))
    parts.append(table("category", rows))
    parts.append(Text("! spent more than planned", style="dim"))
    return Lines(*parts)


def budget_markdown(v: BudgetView) -> str:
    out = [f"# Budgets ({v.currency})", ""]
    for c in v.campaigns:
        progress = [f"Work done: {c.work_done * 100:.0f}%", ""] if c.work_done is not None else []
        out += [f"## {markdown(c.name)} (`{c.campaign}`)", "", *progress,
                "| line | planned | actual | remaining | used |",
                "|---|---:|---:|---:|---:|"]
        for x in c.lines:
            flag = " **over**" if x.money.over else ""
            out.append(f"| {markdown_cell(x.category)}{flag} | {_n(x.money.planned)} | {_n(x.money.actual)} | "
                       f"{_n(x.money.remaining)} | {_pct(x.money)} |")
        m = c.against_total
        label = "approved total" if c.total is not None else "total"
        out += [f"| **{label}** | {_n(m.planned)} | {_n(m.actual)} | {_n(m.remaining)} | {_pct(m)} |", ""]
    out += ["## By category", "", "| category | planned | actual | remaining | used |",
            "|---|---:|---:|---:|---:|"]
    for name, m in v.by_category:
        out.append(f"| {markdown_cell(name)} | {_n(m.planned)} | {_n(m.actual)} | {_n(m.remaining)} | {_pct(m)} |")
    m = v.lines_total
    out.append(f"| **workspace total** | {_n(m.planned)} | {_n(m.actual)} | {_n(m.remaining)} | {_pct(m)} |")
    if any(c.total is not None for c in v.campaigns):
        m = v.total
        out.append(f"| **against approved totals** | {_n(m.planned)} | {_n(m.actual)} | {_n(m.remaining)} | "
                   f"{_pct(m)} |")
    return "\n".join(out) + "\n"
