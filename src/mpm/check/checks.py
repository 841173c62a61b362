"""Checks across records and files: a plain list of small functions.

Each check takes the loaded Workspace and returns diagnostics; `run_checks`
runs them all. Shape errors of single records were found by `validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from mpm.check.content import CONTENT_CHECKS
from mpm.check.deadlines import check_reachable_dues
from mpm.check.graph import TaskGraph, named_cycles, task_graph
from mpm.read.diagnostics import Diagnostic, did_you_mean
from mpm.read.load import CampaignData, Workspace, split_ref
from mpm.read.rrule import is_bounded


def check_owners(ws: Workspace) -> Iterator[Diagnostic]:
    if ws.config is None:
        return
    team = ws.team_ids

    def unknown(person: str) -> tuple[str, str]:
        hint = did_you_mean(person, team) or (
            "add them to team in mpm.yaml" if team else "mpm.yaml has no team yet: add one")
        return f"'{person}' is not on the team in mpm.yaml", hint

    for role, person in ws.config.assign.items():
        if person not in team and ws.config_source is not None:
            msg, hint = unknown(person)
            yield ws.config_source.diagnostic(("assign", role), "E200", msg, hint)
    for c in ws.campaigns:
        if c.campaign and c.campaign.owner and c.campaign.owner not in team:
            msg, hint = unknown(c.campaign.owner)
            yield c.at_campaign("owner", code="E200", message=msg, hint=hint)
        for kind in ("tasks", "goals", "risks"):
            for i, rec in enumerate(getattr(c, kind)):
                if rec.owner and rec.owner not in team:
                    msg, hint = unknown(rec.owner)
                    yield c.where(kind, i, "owner", code="E200", message=msg, hint=hint)
        for i, task in enumerate(c.tasks):
            if isinstance(task.effort, dict):
                for person in task.effort:
                    if person not in team:
                        _, hint = unknown(person)
                        yield c.where("tasks", i, "effort", person, key=True, code="E200",
                                      message=f"'{person}' in the effort mapping is not on the team in mpm.yaml",
                                      hint=hint)


def check_shared_days(ws: Workspace) -> Iterator[Diagnostic]:
    """The people of an effort mapping must share a working day, or levelling can never place the task."""
    if ws.config is None:
        return
    calendar = set(ws.config.calendar.workdays)
    weeks = {p.id: set(p.workdays or calendar) & calendar for p in ws.config.team}
    for c in ws.campaigns:
        for i, task in enumerate(c.tasks):
            if not isinstance(task.effort, dict):
                continue
            people = [p for p, h in task.effort.items() if h and p in weeks]
            if len(people) > 1 and not set.intersection(*(weeks[p] for p in people)):
                yield c.where("tasks", i, "effort", code="W304",
                              message=f"{', '.join(people)} share no working day, so they can never work "
                                      "on this task together; a levelled plan places it without their hours",
                              hint="name people who share a working day, or split the task")


def check_person_workdays(ws: Workspace) -> Iterator[Diagnostic]:
    """A person works only on days the calendar works: hours per day come from their own week."""
    if ws.config is None or ws.config_source is None:
        return
    calendar = ws.config.calendar.workdays
    for i, person in enumerate(ws.config.team):
        for j, day in enumerate(person.workdays or []):
            if day not in calendar:
                yield ws.config_source.diagnostic(
                    ("team", i, "workdays", j), "E206",
                    f"{person.id} works on {day}, which is not a working day of the calendar",
                    f"remove {day} from {person.id}'s workdays, or add it to calendar.workdays")


def check_unique_ids(ws: Workspace) -> Iterator[Diagnostic]:
    if ws.config is not None:
        seen: dict[str, int] = {}
        for i, person in enumerate(ws.config.team):
            if person.id in seen and ws.config_source:
                first = ws.config_source.locate(("team", seen[person.id]))[0]
                yield ws.config_source.diagnostic(("team", i, "id"), "E202",
                                                  f"person id '{person.id}' is used twice (first at line {first})",
                                                  "give each person a unique id")
            seen.setdefault(person.id, i)
    for c in ws.campaigns:
        for kind in ("tasks", "goals", "risks"):
            first_index: dict[str, int] = {}
            for i, rec in enumerate(getattr(c, kind)):
                if rec.id in first_index:
                    line = c.line_of(kind, first_index[rec.id])
                    yield c.where(kind, i, "id", code="E202",
                                  message=f"{kind[:-1]} id '{rec.id}' is used twice in this campaign "
                                          f"(first at line {line})",
                                  hint="ids must be unique within a campaign")
                first_index.setdefault(rec.id, i)


def _ref_problem(ws: Workspace, c: CampaignData, ref: str) -> tuple[str, str, str | None] | None:
    """(code, message, hint) when `ref` names no task, seen from campaign c."""
    camp_id, task_id = split_ref(ref, c.id)
    target = ws.campaign(camp_id)
    if target is None:
        return ("E205", f"no campaign '{camp_id}' (in '{ref}')",
                did_you_mean(camp_id, [x.id for x in ws.campaigns])
                or "another campaign's task is 'campaign-id/task-id', the campaign id being its folder's name")
    if (target.task(task_id) is not None or task_id in target.broken_ids
            or "tasks.yaml" in target.unreadable):
        return None
    where = "this campaign" if target is c else f"campaign '{camp_id}'"
    hint = did_you_mean(task_id, [t.id for t in target.tasks] + sorted(target.broken_ids))
    if hint is None and target is c and "/" not in ref:
        elsewhere = [x.id for x in ws.campaigns if x is not c and x.task(task_id)]
        if elsewhere:
            hint = f"a task in another campaign is named '{elsewhere[0]}/{task_id}'"
    if hint is None:
        hint = (f"name a task id of {where}, or 'campaign-id/task-id' for another campaign's task"
                if target is c else f"name a task id of {where}")
    return ("E201", f"no task '{task_id}' in {where}", hint)


def check_references(ws: Workspace) -> Iterator[Diagnostic]:
    graph = task_graph(ws)
    for node, j in graph.unresolved:
        c, i = graph.records[node]
        problem = _ref_problem(ws, c, c.tasks[i].depends_on[j].task)
        if problem:
            code, msg, hint = problem
            yield c.where("tasks", i, "depends_on", j, code=code,
                          message=f"depends_on names an unknown task: {msg}", hint=hint)
    for c in ws.campaigns:
        for i, risk in enumerate(c.risks):
            for j, ref in enumerate(risk.affects):
                problem = _ref_problem(ws, c, ref)
                if problem:
                    code, msg, hint = problem
                    yield c.where("risks", i, "affects", j, code=code,
                                  message=f"affects names an unknown task: {msg}", hint=hint)


def check_cycles(ws: Workspace) -> Iterator[Diagnostic]:
    """Each dependency cycle once, named in order, at its first link."""
    graph = task_graph(ws)
    stuck = _not_orderable(graph)
    if not stuck:
        return
    Node = tuple[str, str]
    edges: dict[Node, list[tuple[Node, int]]] = {
        graph.key(n): [(graph.key(m), j) for m, j in graph.preds[n] if m in stuck] for n in stuck}
    for cycle, j, chain in named_cycles(edges):
        first_c, first_i = graph.records[graph.first[cycle[0]]]
        if len(cycle) == 1:  # a task that waits for itself
            task = cycle[0][1]
            yield first_c.where("tasks", first_i, "depends_on", j, code="E203",
                                message=f"dependency cycle: task '{task}' depends on itself",
                                hint=f"a task cannot wait for itself: remove '{task}' from its depends_on")
            continue
        yield first_c.where("tasks", first_i, "depends_on", j, code="E203",
                            message=f"dependency cycle: {chain}",
                            hint="each task here waits for the next: remove one of these dependencies")


def _not_orderable(graph: TaskGraph) -> set[int]:
    """Nodes that no topological order reaches: on or behind a cycle (Kahn).

    A second record with an id already used is left out: its duplicate id is
    reported on its own, and references resolve to the first record.
    """
    preds = graph.preds
    counted = [graph.is_first(n) for n in range(len(preds))] if len(graph.first) != len(preds) else None
    waiting = [len(p) for p in preds]
    dependents: list[list[int]] = [[] for _ in preds]
    for n, out in enumerate(preds):
        if counted is not None and not counted[n]:
            waiting[n] = 0
            continue
        for m, _ in out:
            dependents[m].append(n)
    ready = [n for n, k in enumerate(waiting) if k == 0]
    pop, push = ready.pop, ready.append
    while ready:
        for m in dependents[pop()]:
            waiting[m] -= 1
            if waiting[m] == 0:
                push(m)
    return {n for n, k in enumerate(waiting) if k > 0}


def check_campaign_dates(ws: Workspace) -> Iterator[Diagnostic]:
    for c in ws.campaigns:
        meta = c.campaign
        if meta is None:
            continue
        if c.tasks and meta.start is None:
            yield c.at_campaign(code="E101", message=f"campaign '{c.id}' has tasks but no start date",
                                hint="add `start: YYYY-MM-DD`: the schedule counts from it")
            continue
        for i, task in enumerate(c.tasks):
            # One impossible date must not stop the workspace from being planned:
            # a warning, and the plan shows the negative float (DESIGN §3).
            if task.due and task.start and task.due < task.start:
                yield c.where("tasks", i, "due", code="W307",
                              message=f"due ({task.due}) is before the task may start ({task.start}); "
                                      "the plan shows it late",
                              hint="move the due date or the start, or drop one of them")
            elif task.due and meta.start and task.due < meta.start:
                yield c.where("tasks", i, "due", code="W307",
                              message=f"due ({task.due}) is before the campaign starts ({meta.start}); "
                                      "the plan shows it late",
                              hint="move the due date or the campaign start")
            if task.repeat and not is_bounded(task.repeat) and meta.end is None:
                yield c.where("tasks", i, "repeat", code="E204",
                              message=f"'{task.repeat}' never ends",
                              hint="add COUNT=n or UNTIL=YYYYMMDD, or give the campaign an end date")


def check_status_fields(ws: Workspace) -> Iterator[Diagnostic]:
    for c in ws.campaigns:
        cancelled = {t.id for t in c.tasks if t.status == "cancelled"}
        for i, task in enumerate(c.tasks):
            if task.status == "done" and task.done_on is None:
                yield c.where("tasks", i, "status", code="W300",
                              message=f"task '{task.id}' is done but has no done_on; it keeps its planned dates",
                              hint="add `done_on: YYYY-MM-DD`, or use `mpm task done`")
            if task.status == "in-progress" and task.started_on is None:
                yield c.where("tasks", i, "status", code="W302",
                              message=f"task '{task.id}' is in progress but has no started_on",
                              hint="add `started_on: YYYY-MM-DD`, or use `mpm task start`")
            if task.status in ("done", "cancelled"):
                continue
            for j, dep in enumerate(task.depends_on):
                camp, tid = split_ref(dep.task, c.id)
                other = c if camp == c.id else ws.campaign(camp)
                target = other.task(tid) if other else None
                if (target and target.status == "cancelled") or (camp == c.id and tid in cancelled):
                    yield c.where("tasks", i, "depends_on", j, code="W301",
                                  message=f"'{task.id}' depends on cancelled task '{dep.task}'; "
                                          "the dependency is left out of the plan",
                                  hint="remove the dependency, or depend on the task that replaced it")


def check_closed_campaigns(ws: Workspace) -> Iterator[Diagnostic]:
    for c in ws.campaigns:
        if c.campaign is None or c.campaign.status != "done":
            continue
        still_open = [t.id for t in c.tasks if t.status not in ("done", "cancelled")]
        if still_open:
            more = f" and {len(still_open) - 3} more" if len(still_open) > 3 else ""
            yield c.at_campaign("status", code="W308",
                                message=f"campaign '{c.id}' is done but has open tasks: "
                                        f"{', '.join(still_open[:3])}{more}",
                                hint="mark them done or cancelled, or set the campaign back to active")


def check_checkpoints(ws: Workspace) -> Iterator[Diagnostic]:
    """A checkpoint is a quarter of the fiscal year: it must fall between the baseline and the deadline.

    Quarters follow `fiscal_year_start`, so changing it re-dates every written
    checkpoint; one that then lands outside the goal's span is an error.
    """
    from mpm.read.fiscal import parse_quarter

    fy = ws.config.fiscal_year_start if ws.config else 1
    fiscal = f" (with fiscal_year_start: {fy})" if fy != 1 else ""
    for c in ws.campaigns:
        for i, goal in enumerate(c.goals):
            base = goal.baseline.date if goal.baseline else None
            for label in goal.checkpoints:
                q = parse_quarter(label, fy)
                span = f"{label} is {q.start} to {q.end}{fiscal}"
                if base is not None and q.end <= base:
                    yield c.where("goals", i, "checkpoints", label, key=True, code="E107",
                                  message=f"checkpoint {label} ends before the goal's baseline ({base}): {span}",
                                  hint="use a quarter after the baseline, or check fiscal_year_start in mpm.yaml")
                elif goal.deadline is not None and q.start > goal.deadline:
                    yield c.where("goals", i, "checkpoints", label, key=True, code="E107",
                                  message=f"checkpoint {label} starts after the goal's deadline "
                                          f"({goal.deadline}): {span}",
                                  hint="use a quarter up to the deadline, or check fiscal_year_start in mpm.yaml")


def check_budget(ws: Workspace) -> Iterator[Diagnostic]:
    for c in ws.campaigns:
        budget = c.campaign.budget if c.campaign else None
        if budget is None or budget.total is None or not budget.lines:
            continue
        planned = sum(line.planned for line in budget.lines)
        if planned > budget.total:
            yield c.at_campaign("budget", "total", code="W303",
                                message=f"budget lines plan {planned:,.0f}, more than the total {budget.total:,.0f}",
                                hint="raise the total or trim the lines")


CHECKS: list[Callable[[Workspace], Iterator[Diagnostic]]] = [
    check_owners,
    check_person_workdays,
    check_shared_days,
    check_unique_ids,
    check_references,
    check_cycles,
    check_campaign_dates,
    check_status_fields,
    check_closed_campaigns,
    check_checkpoints,
    check_budget,
    check_reachable_dues,
    *CONTENT_CHECKS,
]


# The checks that only ever warn: a command that needs just the errors (every command that
# plans) leaves them out; `mpm check` runs them all.
WARNING_ONLY = frozenset({check_shared_days, check_status_fields, check_closed_campaigns, check_budget,
                          check_reachable_dues})


def run_checks(ws: Workspace, *, warnings: bool = True) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in CHECKS:
        if warnings or check not in WARNING_ONLY:
            out.extend(check(ws))
    return out


def check_workspace(root, *, fast: bool = True, cache=None, files=None, memo=None,
                    warnings: bool = True) -> tuple[Workspace, list[Diagnostic]]:
    """Load and check the workspace at `root`: every problem (or, without `warnings`, every
    error and the warnings the reading finds), sorted by place."""
    from mpm.read.load import load_workspace

    ws, diagnostics = load_workspace(root, fast=fast, cache=cache, files=files, memo=memo)
    return ws, with_checks(ws, diagnostics, warnings=warnings)


def with_checks(ws: Workspace, diagnostics: list[Diagnostic], *, warnings: bool = True) -> list[Diagnostic]:
    """The reading's `diagnostics` and the checks' of `ws`, sorted by place."""
    diagnostics = diagnostics + run_checks(ws, warnings=warnings)
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics
