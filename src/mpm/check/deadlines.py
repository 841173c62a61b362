"""Due dates the predecessors already rule out, found before anything is planned (DESIGN §3).

`check` knows no working-day calendar (that is the planner's), but every
working day is a calendar day of its own: a task of d working days that
starts on day s ends on s + d − 1 at the earliest, and a lag of L working
days is at least L calendar days. Pushing such earliest dates along the
dependencies gives dates no plan can beat; a `due` before the earliest
finish found so is a warning (W307) naming the predecessor that rules it
out, and the plan is still made and shows the negative float. Weekends and
holidays only make the plan later, so the warning is never wrong, only
sometimes missing (the plan's negative float and status S102 then say it).
Leads (negative lags), series and work without actual dates bound nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from mpm.check.graph import task_graph
from mpm.read.diagnostics import Diagnostic
from mpm.read.load import Workspace

_DAY = timedelta(days=1)


def check_reachable_dues(ws: Workspace) -> Iterator[Diagnostic]:
    graph = task_graph(ws)
    n = len(graph.records)
    order = _order(graph.preds, n)
    if order is None:
        return  # a cycle: check_cycles reports it
    tasks = [c.tasks[i] for c, i in graph.records]
    milestone = [t.is_milestone for t in tasks]
    start: list[date | None] = [None] * n  # earliest start and finish dates, None: no bound
    finish: list[date | None] = [None] * n
    for node in order:
        task = tasks[node]
        status = task.status
        if status == "cancelled" or task.repeat:
            continue
        if status == "done":
            start[node] = task.started_on or task.done_on
            finish[node] = task.done_on
            continue
        if status == "in-progress":
            start[node] = finish[node] = task.started_on
            continue
        preds = graph.preds[node]
        c, i = graph.records[node]
        meta = c.campaign
        own = task.start
        if meta is not None and meta.start is not None and (own is None or meta.start > own):
            own = meta.start
        low, by = own, -1
        days = task.days
        for target, j in preds:
            dep = task.depends_on[j]
            if dep.lag < 0:
                continue
            bound = _bound(dep.type, dep.lag, start[target], finish[target], days, milestone[target],
                           milestone[node])
            if bound is not None and (low is None or bound > low):
                low, by = bound, target
        if low is None:
            continue
        start[node] = low
        finish[node] = end = low + (days - 1) * _DAY if days > 0 else low
        due = task.due
        if due is None or by < 0 or end <= due or (own is not None and due < own):
            continue  # met, set by its own start, or said already by check_campaign_dates
        pred = graph.key(by)
        name = pred[1] if pred[0] == c.id else f"{pred[0]}/{pred[1]}"
        yield c.where("tasks", i, "due", code="W307",
                      message=f"due ({due}) is before '{task.id}' can finish: after '{name}' it "
                              f"cannot end before {end}; the plan shows it late",
                      hint=f"move the due date, shorten the work before it, or start '{name}' sooner")


def _bound(kind: str, lag: int, p_start: date | None, p_finish: date | None, days: int,
           p_milestone: bool, milestone: bool) -> date | None:
    """The earliest start a dependency allows, in calendar days, or None."""
    if kind == "FS" and p_finish is not None:
        # a task starts the day after its predecessor ends; a milestone may share that day
        after = 0 if (p_milestone or milestone) else 1
        return p_finish + (after + lag) * _DAY
    if kind == "SS" and p_start is not None:
        return p_start + lag * _DAY
    if kind == "FF" and p_finish is not None and days > 0:
        return p_finish + (lag - days + 1) * _DAY
    return None  # SF, and what bounds nothing


def _order(preds: list[list[tuple[int, int]]], n: int) -> list[int] | None:
    """Nodes with every predecessor first, or None when the graph has a cycle."""
    waiting = [len(p) for p in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for node, p in enumerate(preds):
        for target, _ in p:
            succs[target].append(node)
    ready = [node for node in range(n) if not waiting[node]]
    out = []
    while ready:
        node = ready.pop()
        out.append(node)
        for nxt in succs[node]:
            waiting[nxt] -= 1
            if not waiting[nxt]:
                ready.append(nxt)
    return out if len(out) == n else None
