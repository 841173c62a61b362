"""Playbooks in the terminal and as JSON: the list, one playbook, and what a new campaign adds to people's load."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from mpm.change.playbook import Playbook
from mpm.change.playbook_new import PersonLoad
from mpm.render.grid import Column, write_grid
from mpm.render.jsonout import document


def summary(pb: Playbook) -> dict[str, Any]:
    tasks = _count(pb.texts.get("tasks.yaml", ""))
    return {"name": pb.name, "origin": pb.origin, "where": pb.where, "tasks": tasks,
            "roles": list(pb.roles), "variables": list(pb.info.variables),
            "description": pb.info.description}


def _cells(rows: list[list[str]]) -> list[list[tuple[str, str]]]:
    return [[(text, "") for text in row] for row in rows]


def _count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("- "))


def list_text(con: Console, playbooks: list[Playbook]) -> None:
    rows = [[pb.name, pb.origin, str(_count(pb.texts.get("tasks.yaml", ""))), str(len(pb.roles)),
             pb.info.description or ""] for pb in playbooks]
    write_grid(con, [Column("playbook", max_width=26), Column("from"), Column("tasks", right=True),
                     Column("roles", right=True), Column("what it is", max_width=80, shrinks=True)], _cells(rows))


def list_json(playbooks: list[Playbook]) -> str:
    return document("playbooks", {"playbooks": [summary(pb) for pb in playbooks]})


def show_rows(tasks: list[dict[str, Any]]) -> list[list[str]]:
    return [[t["id"], t["phase"] or "", t["owner"] or "", t["start"], t["finish"],
             ", ".join(t["depends_on"]), t["approvals"]] for t in tasks]


def show_text(con: Console, pb: Playbook, tasks: list[dict[str, Any]], launch_note: str) -> None:
    head = Text()
    head.append(pb.name, style="bold")
    head.append(f"  ({pb.origin}, {pb.where})", style="dim")
    if pb.info.description:
        head.append(f"\n{pb.info.description}")
    con.print(head, soft_wrap=True)
    for role, about in pb.roles.items():
        con.print(Text("role ", style="dim") + Text(role, style="bold") + Text(f": {about}" if about else ""),
                  soft_wrap=True)
    for k, v in pb.info.variables.items():
        con.print(Text("--set ", style="dim") + Text(k, style="bold") + Text(
            (f": {v.about}" if v.about else "")
            + (f" (default: {v.default})" if v.default is not None else " (required)")), soft_wrap=True)
    con.print(Text(launch_note, style="dim"), soft_wrap=True)
    con.print()
    write_grid(con, [Column("task", max_width=24), Column("phase"),
                     Column("owner", max_width=18), Column("start"), Column("finish"),
                     Column("after", max_width=30, shrinks=True), Column("approvals", max_width=24, shrinks=True)],
               _cells(show_rows(tasks)))
    for note in pb.info.notes:
        con.print(Text("note: ", style="bold cyan") + Text(note), soft_wrap=True)


def show_json(pb: Playbook, tasks: list[dict[str, Any]]) -> str:
    return document("playbook", {**summary(pb), "notes": list(pb.info.notes), "tasks": tasks})


def load_text(con: Console, loads: list[PersonLoad]) -> None:
    if not loads:
        con.print(Text("The new campaign asks no one for hours.", style="dim"))
        return
    rows = []
    for p in loads:
        busiest = p.busiest
        peak = f"{busiest[0]}: {busiest[1]:g} of {busiest[2]:g} h" if busiest else ""
        over = ", ".join(f"{w[0]}" for w in p.over)
        rows.append([p.person, f"{p.hours:g}", peak, over or "none"])
    con.print(Text("Load it adds", style="bold"))
    write_grid(con, [Column("person"), Column("hours", right=True), Column("busiest week (all work)"),
                     Column("weeks over capacity", max_width=50, shrinks=True)], _cells(rows))


def load_json(loads: list[PersonLoad]) -> list[dict[str, Any]]:
    return [{"person": p.person, "hours": p.hours,
             "weeks": [{"week": w.isoformat(), "planned": planned, "available": avail}
                       for w, planned, avail in p.weeks]} for p in loads]
