"""`mpm plan --compare-levelling`: per campaign, the dates without and with
levelling, the shift, and whose hours drive it — as a table, JSON or Markdown."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.text import Text

from mpm.plan.dates import Plan
from mpm.render.grid import Column, write_grid
from mpm.render.jsonout import document
from mpm.render.plan import fmt_day
from mpm.views.levelling import CampaignShift


def _shift(days: int) -> str:
    return f"+{days}" if days > 0 else ("0" if days == 0 else str(days))


def _cells(s: CampaignShift) -> list[str]:
    meta = s.campaign.data.campaign
    return [s.id, fmt_day(meta.launch if meta else None), fmt_day(s.launch_before), fmt_day(s.launch_after),
            _shift(s.launch_shift) if s.launch_after else "", fmt_day(s.finish_before), fmt_day(s.finish_after),
            _shift(s.finish_shift), ", ".join(f"{p} ({d} d)" for p, d in s.people[:3]) if s.moved else ""]


HEAD = ["campaign", "launch date", "launch §3", "levelled", "shift", "finish §3", "levelled", "shift", "whose hours"]


def compare_text(con: Console, plan: Plan, rows: list[CampaignShift]) -> None:
    con.print(Text(f"Levelling as of {plan.as_of.isoformat()}: dates from dependencies alone (§3) "
                   "against dates within people's hours", style="bold"))
    con.print()
    columns = [Column(h, right=h == "shift", shrinks=h == "whose hours") for h in HEAD]
    cells = [[(c, "bold red" if i in (4, 7) and c not in ("0", "") else "") for i, c in enumerate(_cells(s))]
             for s in rows]
    write_grid(con, columns, cells)
    con.print()
    con.print(Text("shift: working days; whose hours: the people whose time the moved dates wait for, "
                   "with the working days they hold up", style="dim"))


def compare_json(plan: Plan, rows: list[CampaignShift]) -> str:
    def day(d: date | None) -> date | None:
        return d

    return document("levelling", {
        "as_of": plan.as_of,
        "campaigns": [{
            "id": s.id,
            "launch": {"planned": s.campaign.data.campaign.launch if s.campaign.data.campaign else None,
                       "unlevelled": day(s.launch_before), "levelled": day(s.launch_after),
                       "shift": s.launch_shift} if s.launch_after else None,
            "finish": {"unlevelled": s.finish_before, "levelled": s.finish_after, "shift": s.finish_shift},
            "people": [{"person": p, "days": d} for p, d in s.people],
            "waiting": [t.id for t in s.waits],
        } for s in rows],
    })


def compare_markdown(plan: Plan, rows: list[CampaignShift]) -> str:
    lines = [f"# Levelling as of {plan.as_of.isoformat()}", "",
             "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(c or " " for c in _cells(s)) + " |" for s in rows]
    return "\n".join(lines) + "\n"
