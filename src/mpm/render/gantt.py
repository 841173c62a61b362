"""A terminal Gantt chart: one row per task, by day or by week to fit the width.

█ critical work, ▒ other work, ░ done work, ◆ milestone, │ today (as-of);
by day, weekends and holidays show as ·.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text

from mpm.plan.calendar import WorkCalendar
from mpm.views.rows import Row

LABEL = 24


def gantt(rows: list[Row], cal: WorkCalendar, as_of: date, width: int) -> Text:
    if not rows:
        return Text("")
    first = min(r.start for r in rows)
    last = max(r.finish for r in rows)
    room = max(10, width - LABEL - 2)
    span = (last - first).days + 1
    step = -(-span // room)  # days per column, rounded up
    if step > 7:
        step = -(-step // 7) * 7  # whole weeks, starting on Mondays
        first = first - timedelta(days=first.weekday())
        while (last - first).days // step + 1 > room:
            step += 7
    columns = (last - first).days // step + 1
    starts = [first + timedelta(days=k * step) for k in range(columns)]

    out = Text()
    out.append(_header(starts, step) + "\n", style="dim")
    today_col = (as_of - first).days // step if first <= as_of <= last + timedelta(days=step) else None
    for r in rows:
        label = r.id if len(r.id) <= LABEL - 1 else r.id[: LABEL - 2] + "…"
        out.append(f"{label:<{LABEL}}", style="bold" if r.critical else "")
        out.append_text(_row(r, starts, step, cal, today_col))
        out.append("\n")
    scale = ("1 day" if step == 1 else f"{step} days" if step < 7 else
             "1 week" if step == 7 else f"{step // 7} weeks")
    out.append(f"█ critical ▒ work ░ done ◆ milestone │ as-of {as_of.isoformat()} · "
               f"1 column = {scale}", style="dim")
    return out


def _header(starts: list[date], step: int) -> str:
    months = [" "] * (LABEL + len(starts))
    days = [" "] * (LABEL + len(starts))
    last_month = None
    free_from = 0
    for k, d in enumerate(starts):
        col = LABEL + k
        if d.month != last_month and col >= free_from:
            label = d.strftime("%b %Y") if d.month == 1 or last_month is None else d.strftime("%b")
            for j, ch in enumerate(label):
                if col + j < len(months):
                    months[col + j] = ch
            free_from = col + len(label) + 1
            last_month = d.month
    free_from = 0
    for k, d in enumerate(starts):
        col = LABEL + k
        mark = d.weekday() == 0 if step == 1 else True
        if mark and col >= free_from:
            label = str(d.day)
            for j, ch in enumerate(label):
                if col + j < len(days):
                    days[col + j] = ch
            free_from = col + len(label) + (1 if step == 1 else 2)
    return "".join(months).rstrip() + "\n" + "".join(days).rstrip()


def _row(r: Row, starts: list[date], step: int, cal: WorkCalendar, today_col: int | None) -> Text:
    row = Text()
    for k, d in enumerate(starts):
        end = d + timedelta(days=step - 1)
        cell = _cell(r, d, end, step, cal)
        if cell is not None:
            row.append(*cell)
        elif k == today_col:
            row.append("│", style="bold magenta")
        elif step == 1 and not cal.is_workday(d):
            row.append("·", style="dim")
        else:
            row.append(" ")
    return row


def _cell(r: Row, d: date, end: date, step: int, cal: WorkCalendar) -> tuple[str, str] | None:
    """What row `r` shows in the column [d, end]: a milestone beats a bar."""
    bar: tuple[str, str] | None = None
    for start, finish, milestone, critical, done in r.spans:
        if milestone:
            if d <= start <= end:
                return ("◆", "bold red" if critical else "bold")
        elif start <= end and d <= finish and (step > 1 or cal.is_workday(d)):
            if critical:
                bar = ("█", "bold red")
            elif bar is None or bar[0] == "░":
                bar = ("░", "green") if done else ("▒", "cyan")
    return bar
