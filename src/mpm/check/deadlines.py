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
    start: list[date | None] = [None] * n  # earliest start and finish dates, None: no bound
    finish: list[date | None] = [None] * n
    for node in order:
        c, i = graph.records[node]
        task = c.tasks[i]
        if task.status == "cancelled" or task.repeat:
            continue
        days = task.days
        if task.status == "done":
            start[node] = task.started_on or task.done_on
            finish[node] = task.done_on
            continue
        if task.status == "in-progress":
            start[node] = finish[node] = task.started_on
            continue
        meta = c.campaign
        low = max((d for d in (task.start, meta.start if meta else None) if d), default=None)
        by = -1
        for target, j in graph.preds[node]:
            dep = task.depends_on[j]
            if dep.lag < 0:
                continue
            bound = _bound(dep.type, dep.lag, start[target], finish[target], days,
                           graph.records[target][0].tasks[graph.records[target][1]].is_milestone,
                           task.is_milestone)
            if bound is not None and (low is None or bound > low):
                low, by = bound, target
        if low is None:
            continue
        start[node] = low
        finish[node] = low + (days - 1) * _DAY if days > 0 else low
        own = max((d for d in (task.start, meta.start if meta else None) if d), default=None)
        if own is not None and task.due is not None and task.due < own:
            continue  # check_campaign_dates says so already
        if task.due and finish[node] > task.due and by >= 0:
            pred = graph.key(by)
            name = pred[1] if pred[0] == c.id else f"{pred[0]}/{pred[1]}"
            yield c.where("tasks", i, "due", code="W307",
                          message=f"due ({task.due}) is before '{task.id}' can finish: after '{name}' it "
                                  f"cannot end before {finish[node]}; the plan shows it late",
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
    waiting = [len({t for t, _ in p}) for p in preds]
    succs: list[list[int]] = [[] for _ in range(n)]
    for node, p in enumerate(preds):
        for target in {t for t, _ in p}:
            succs[target].append(node)
    ready = [node for node in range(n) if waiting[node] == 0]
    out = []
    while ready:
        node = ready.pop()
        out.append(node)
        for nxt in succs[node]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    return out if len(out) == n else None
