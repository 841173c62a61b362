"""The plan in the terminal: Rich tables per campaign, the legend, and `--why`."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from mpm.render.plan import (
    criticality,
    driving_chain,
    fmt_day,
    reason,
    row_marker,
    short_name,
    short_reason,
    target_lines,
)
from mpm.rows import Row, plan_rows
from mpm.schedule import CampaignPlan, Plan, ScheduledTask

STATUS_STYLE = {"done": "green", "in-progress": "cyan", "blocked": "bold red", "todo": "",
                "cancelled": "dim"}


def float_text(t: ScheduledTask | Row) -> Text:
    style = "bold red" if t.total_float < 0 else ("yellow" if t.critical else "")
    return Text(f"{t.total_float:+d}" if t.total_float else "0", style=style)


# -- table --------------------------------------------------------------------


def plan_tables(plan: Plan, campaigns: list[CampaignPlan], *, width: int,
                critical_only: bool = False, expand: bool = False) -> Group:
    parts: list[Any] = []
    for c in campaigns:
        parts.append(_campaign_header(plan, c))
        tasks = [t for t in c.tasks if t.critical] if critical_only else c.tasks
        if tasks:
            parts.append(_task_table(plan_rows(tasks, expand=expand), width=width))
        parts.append(Text(""))
    if not campaigns:
        parts.append(Text("No campaigns to plan.", style="dim"))
    return Group(*parts)


def _campaign_header(plan: Plan, c: CampaignPlan) -> Text:
    meta = c.data.campaign
    head = Text()
    head.append(meta.name if meta else c.id, style="bold")
    head.append(f"  ({c.id})", style="dim")
    for line, style in target_lines(plan, c):
        head.append("\n")
        head.append(line, style=style)
    if c.critical_path:
        head.append("\ncritical path: ", style="dim")
        head.append(" → ".join(c.critical_path))
    return head


def _task_table(rows: list[Row], *, width: int) -> Table:
    wide = width >= 110
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False,
                  header_style="bold")
    table.add_column("", width=1, no_wrap=True)
    table.add_column("task", no_wrap=True, overflow="ellipsis", max_width=30 if wide else 22)
    if wide:
        table.add_column("name", overflow="ellipsis", no_wrap=True, max_width=44)
    table.add_column("owner", no_wrap=True, max_width=10)
    table.add_column("start", no_wrap=True)
    table.add_column("finish", no_wrap=True)
    table.add_column("float", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for r in rows:
        marker = Text(row_marker(r), style="bold red" if r.critical else "")
        cells: list[Any] = [marker, Text(r.id, style="bold" if r.critical else "")]
        if wide:
            cells.append(r.name)
        status_style = STATUS_STYLE.get(r.status, "cyan" if r.recurring else "")
        cells += [r.owner or "—", fmt_day(r.start), "" if r.milestone and not r.recurring else fmt_day(r.finish),
                  float_text(r), Text(r.status, style=status_style)]
        table.add_row(*cells)
    return table


def plan_legend() -> Text:
    return Text("● critical  ◆ milestone  ↻ repeats  float: working days to spare, "
                "negative = late", style="dim")


def why_text(plan: Plan, t: ScheduledTask) -> Text:
    out = Text()
    out.append(f"{t.ref}", style="bold")
    when = fmt_day(t.start)
    if t.milestone:
        out.append(f" is reached on {when}" + (" (end of day)" if t.end_of_day else "") + "\n")
    else:
        out.append(f" starts {when} and finishes {fmt_day(t.finish)} ({t.days} working days)\n")
    out.append("\nWhy it starts then:\n", style="bold")
    out.append("  " + reason(plan, t) + "\n")
    chain = driving_chain(t)
    if len(chain) > 1:
        out.append("\nDriving chain (earliest first):\n", style="bold")
        wide = max(len(short_name(step, t)) for step in chain)
        for step in chain:
            out.append(f"  {fmt_day(step.start)}  {short_name(step, t):<{wide}}  ")
            out.append(f"{short_reason(plan, step)}\n", style="dim")
    out.append("\nWhy it is " + ("" if t.critical else "not ") + "critical:\n", style="bold")
    out.append("  " + criticality(plan, t) + "\n")
    return out


