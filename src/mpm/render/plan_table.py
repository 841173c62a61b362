"""The plan in the terminal: a table per campaign, the legend, and `--why`."""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator, Sequence

from rich.console import Console
from rich.text import Text

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.render.grid import Column, write_grid, write_text
from mpm.render.plan import (
    criticality,
    fmt_day,
    reason,
    row_marker,
    short_name,
    short_reason,
    target_lines,
)
from mpm.render.two_cores import in_two
from mpm.views.chain import driving_chain
from mpm.views.rows import Row, plan_rows

STATUS_STYLE = {"done": "green", "in-progress": "cyan", "blocked": "bold red", "todo": "",
                "cancelled": "dim"}


# -- table --------------------------------------------------------------------


TWO_CORES_FROM = 2_000  # tasks: below it a fork costs more than drawing half of them saves


def print_plan_tables(con: Console, plan: Plan, campaigns: list[CampaignPlan], *,
                      critical_only: bool = False, expand: bool = False) -> None:
    """A header and a table per campaign; a long plan's later campaigns drawn on a second core."""
    if not campaigns:
        con.print(Text("No campaigns to plan.", style="dim"))
        return
    width = con.width

    def draw(part: Sequence[CampaignPlan]) -> None:
        for c in part:
            write_text(con, _campaign_header(plan, c), width)
            tasks = [t for t in c.tasks if t.critical] if critical_only else c.tasks
            if tasks:
                _print_task_table(con, plan_rows(tasks, expand=expand), plan.levelled, width)
            write_text(con)

    if sum(len(c.tasks) for c in campaigns) < TWO_CORES_FROM:
        draw(campaigns)
        return

    def drawn(part: Sequence[CampaignPlan]) -> Iterator[bytes]:
        yield _captured(con, lambda: draw(part)).encode()

    text = codecs.getincrementaldecoder("utf-8")()
    for chunk in in_two(campaigns, lambda c: len(c.tasks), TWO_CORES_FROM, drawn):
        con.file.write(text.decode(chunk))
    con.file.write(text.decode(b"", final=True))  # nothing, from whole characters; else an error
    con.file.flush()


class _Spool(io.StringIO):
    """What a console writes, kept; a terminal if the console's own file is one, so that the
    console lays out as it would there."""

    def __init__(self, like) -> None:
        super().__init__()
        self._tty = like.isatty()

    def isatty(self) -> bool:
        return self._tty


def _captured(con: Console, write: Callable[[], None]) -> str:
    """The text `write()` writes to `con`."""
    kept = con.file
    con.file = spool = _Spool(kept)
    try:
        write()
    finally:
        con.file = kept
    return spool.getvalue()


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


def _print_task_table(con: Console, rows: list[Row], levelled: bool = False, width: int = 0) -> None:
    wide = (width or con.width) >= 110
    # Ids are what people type into `--why` and `mpm task`: never cut; names give way.
    columns = [Column(""), Column("task")]
    if wide:
        columns.append(Column("name", max_width=44, shrinks=True))
    columns += [Column("owner", max_width=10, shrinks=True), Column("start"), Column("finish"),
                Column("float", right=True), Column("status", shrinks=True)]
    levelled = levelled and wide  # narrow terminals keep whole ids; --why tells who a task waits for
    if levelled:
        columns.append(Column("moved", max_width=14, shrinks=True))
    cells = []
    for r in rows:
        row = [(row_marker(r), "bold red" if r.critical else ""), (r.id, "bold" if r.critical else "")]
        if wide:
            row.append((r.name, ""))
        row += [(r.owner or "—", ""), (fmt_day(r.start), ""),
                ("" if r.milestone and not r.recurring else fmt_day(r.finish), ""),
                _float_cell(r), (r.status, STATUS_STYLE.get(r.status, "cyan" if r.recurring else ""))]
        if levelled:
            row.append((f"+{r.delay} {r.waits_for or ''}".rstrip() if r.delay else "", "yellow"))
        cells.append(row)
    write_grid(con, columns, cells, width or None)


def _float_cell(t: ScheduledTask | Row) -> tuple[str, str]:
    style = "bold red" if t.total_float < 0 else ("yellow" if t.critical else "")
    return (f"{t.total_float:+d}" if t.total_float else "0", style)


def plan_legend(levelled: bool = False) -> Text:
    text = ("● critical  ◆ milestone  ↻ repeats  float: working days to spare, "
            "negative = late")
    if levelled:
        text += ("\nlevelled within people's hours; moved: working days levelling moved it, "
                 "and whose hours it waits for")
    return Text(text, style="dim")


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
    heading = ("Why it is critical" if t.critical
               else "Why it is late" if t.total_float < 0 and t.status != "done" else "Why it is not critical")
    out.append(f"\n{heading}:\n", style="bold")
    out.append("  " + criticality(plan, t) + "\n")
    return out


