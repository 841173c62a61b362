"""`mpm history` as a terminal table, Markdown, or JSON (mpm/history/1)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from mpm.change.diff import CampaignDiff
from mpm.change.history import History, Point, Step
from mpm.render.diff import change_text, consequence_lines, record_lines
from mpm.render.grid import Column, write_grid
from mpm.render.jsonout import document


def cause(step: Step, p: Point) -> tuple[str | None, str | None]:
    """(the change in the files, the diff's top consequence) that moved point `p`.

    When the diff of the two versions moves nothing, the clock alone moved the dates.
    """
    if p.state == "added":
        return "campaign added", None
    if p.state == "removed":
        return "campaign removed", None
    change = consequence = None
    explained = p.cause is not None and bool(p.cause.slip)
    if p.cause is not None and (explained or not p.clock):
        lines = _changes(p.cause) or [f"workspace {change_text(x)}" for x in step.workspace]
        if lines:
            change = lines[0] + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")
        found = consequence_lines(p.cause, limit=3)
        consequence = found[0] if found else None
    if p.clock:
        clock = f"the clock: work not done by {step.as_of} starts no earlier"
        consequence = f"{consequence}; {clock}" if consequence else clock
    return change, consequence


def _changes(c: CampaignDiff) -> list[str]:
    """The campaign's changes, those most likely to move dates first: tasks that moved, other tasks, the rest."""
    moved = {m.task for m in c.moved} | set(c.newly_critical)
    ordered = sorted(c.records, key=lambda r: (r.kind != "task", r.id not in moved))
    return record_lines(CampaignDiff(c.id, c.status, [], ordered)) + record_lines(CampaignDiff(c.id, c.status,
                                                                                              c.fields))


def _shift(n: int | None) -> str:
    if n is None:
        return ""
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")


def _dated(day, moved: int | None) -> str:
    return f"{day or '—'} {_shift(moved)}".rstrip() if moved else str(day or "—")


def _rows(h: History) -> list[tuple[Step, Point | None]]:
    out: list[tuple[Step, Point | None]] = []
    for step in h.steps:
        if step.problem or not step.points:
            out.append((step, None))
        out += [(step, p) for p in step.points]
    return out


def history_table(con: Console, h: History) -> None:
    if not h.steps:
        con.print("No commit touched the workspace.", markup=False)
        return
    # one campaign: its name above the table, not in every row; the subject gives way first, then the cause
    one = len(h.campaigns) == 1
    if one:
        con.print(h.campaigns[0], style="bold", markup=False, highlight=False)
    columns = [Column("commit"), Column("date"), Column("campaign", max_width=28), Column("launch"),
               Column("finish"), Column("cause", max_width=44, shrinks=True),
               Column("subject", max_width=40, shrinks=True, yields_first=True)]
    rows = []
    last = None
    for step, p in _rows(h):
        first = step is not last
        last = step
        c = step.commit
        head = [(c.id[:8], "dim"), (c.day, "")] if first else [("", ""), ("", "")]
        subject = (f"{c.subject} ({c.author})", "dim") if first else ("", "")
        if p is None:
            rows.append([*head, ("", ""), ("", ""), ("", ""), (step.problem or "no campaign", "yellow"), subject])
            continue
        change, _ = cause(step, p)
        text = change or ""
        if p.clock:
            text = f"{text} + the clock" if text else "the clock"
        late = (p.launch_shift or 0) > 0 or (p.finish_shift or 0) > 0
        style = "bold red" if late else ("green" if p.moved else "")
        rows.append([*head, (p.campaign, "bold"), (_dated(p.launch, p.launch_shift), style),
                     (_dated(p.finish, p.finish_shift), style), (text, ""), subject])
    if one:
        columns.pop(2)
        rows = [row[:2] + row[3:] for row in rows]
    write_grid(con, columns, rows)
    con.print(f"\nforecasts as of {h.as_of}" if h.as_of else "\neach commit planned as of its own date",
              style="dim", markup=False)


def history_markdown(h: History) -> str:
    out = ["### mpm history", ""]
    if not h.steps:
        return "\n".join([*out, "No commit touched the workspace."]) + "\n"
    out += ["| commit | date | campaign | launch | ± | finish | ± | cause | subject |",
            "|---|---|---|---|--:|---|--:|---|---|"]
    for step, p in _rows(h):
        c = step.commit
        head = f"| `{c.id[:8]}` | {c.day} "
        subject = f"{c.subject} ({c.author})".replace("|", "\\|")
        if p is None:
            out.append(f"{head}| | | | | | {step.problem or 'no campaign'} | {subject} |")
            continue
        change, consequence = cause(step, p)
        text = " → ".join(x for x in (change, consequence) if x).replace("|", "\\|")
        out.append(f"{head}| `{p.campaign}` | {p.launch or '—'} | {_shift(p.launch_shift)} | {p.finish or '—'} "
                   f"| {_shift(p.finish_shift)} | {text} | {subject} |")
    out += ["", f"_Forecasts as of {h.as_of}._" if h.as_of else "_Each commit planned as of its own date._"]
    return "\n".join(out) + "\n"


def history_json(h: History) -> str:
    def point(step: Step, p: Point) -> dict[str, Any]:
        change, consequence = cause(step, p)
        return {"id": p.campaign, "state": p.state, "launch": p.launch, "finish": p.finish,
                "launch_shift_days": p.launch_shift, "finish_shift_days": p.finish_shift,
                "cause": {"change": change, "consequence": consequence, "clock": p.clock}
                if (change or consequence) else None}

    return document("history", {
        "as_of": h.as_of,
        "campaigns": h.campaigns,
        "commits": [{"commit": s.commit.id, "date": s.commit.day, "author": s.commit.author,
                     "subject": s.commit.subject, "as_of": s.as_of, "problem": s.problem,
                     "campaigns": [point(s, p) for p in s.points]} for s in h.steps],
    })
