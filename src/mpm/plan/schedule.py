"""From a valid Workspace to a dated Plan: build the network, run the engine.

This is where the records meet the rules of DESIGN §3: statuses become
actual dates or lower bounds, recurring tasks become occurrences, `due`
becomes a deadline, and engine offsets become the dates people read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from mpm.check.graph import task_graph
from mpm.plan import engine, level
from mpm.plan.calendar import WorkCalendar
from mpm.plan.dates import Plan, assemble, carries_load, shown
from mpm.plan.occurrences import occurrence_hours, occurrence_states
from mpm.plan.recurrence import occurrence_id
from mpm.plan.staffing import TeamDays
from mpm.read.content_model import Occurrence
from mpm.read.load import CampaignData, Workspace
from mpm.read.model import Task


def workspace_calendar(ws: Workspace) -> WorkCalendar:
    cfg = ws.config
    if cfg is None:
        return WorkCalendar()
    return WorkCalendar(cfg.calendar.workdays, [h.date for h in cfg.calendar.holidays])


@dataclass(slots=True)
class _Unit:
    """One schedulable unit before the engine runs: a task or an occurrence."""

    camp: CampaignData
    group: int
    task: Task
    index: int
    id: str
    occurrence: date | None
    status: str
    due: date | None
    entry: Occurrence | None = None
    starts: date | None = None  # an occurrence's own lower bound (its date, or moved_to)
    node: int = -1  # in the engine's network
    record: int = -1  # in the workspace's task graph

    @property
    def campaign(self) -> str:
        return self.camp.id


@dataclass
class Draft:
    """A §3 plan's network before the engine dates it, and its units (a task or an occurrence
    each, with its `node`): what a forecast of the plan needs, known before the plan is."""

    calendar: WorkCalendar
    network: engine.Network
    units: list[_Unit]


def levelling_on(ws: Workspace, level: bool | None = None) -> bool:
    """`--level/--no-level` when given, else `planning.level` in mpm.yaml."""
    if level is not None:
        return level
    return bool(ws.config and ws.config.planning.level)


def build_plan(ws: Workspace, as_of: date, *, level: bool | None = None,
               on_network: Callable[[Workspace, Draft], None] | None = None) -> Plan:
    """The plan as of a day; levelled within people's hours when `level`
    (default: the workspace's `planning.level`). `on_network(ws, draft)`: called with a §3
    plan's network once it is built, before the engine runs (never for a levelled plan, whose
    network is made by levelling): what the plan's forecast will run on."""
    cal = workspace_calendar(ws)
    hours_per_day = ws.config.hours_per_day if ws.config else 8.0
    graph = task_graph(ws)
    net = engine.Network()
    units: list[_Unit] = []
    # graph node of a task id's first record -> engine nodes (one per occurrence)
    nodes_of: list[list[int]] = [[] for _ in graph.records]
    asof_off = cal.offset(as_of)

    base = 0
    for g, camp in enumerate(ws.campaigns):
        meta = camp.campaign
        start = meta.start if meta else None
        camp_low = cal.offset(start) if start else engine.NO_BOUND
        tasks = camp.tasks
        order = sorted(range(len(tasks)), key=[t.id for t in tasks].__getitem__)
        for i in order:
            task = tasks[i]
            if task.status == "cancelled":
                continue
            record = base + i
            into = nodes_of[graph.first[(camp.id, task.id)]]
            for unit in _units(camp, g, task, i, as_of, cal):
                unit.node = _add_node(net, cal, unit, camp_low, asof_off)
                unit.record = record
                units.append(unit)
                into.append(unit.node)
        base += len(tasks)

    dep_types = engine.DEP_TYPES
    graph_preds = graph.preds
    for unit in units:
        links = graph_preds[unit.record]
        if not links:
            continue
        depends_on = unit.task.depends_on
        preds: list[tuple[int, int, int]] = []
        for target, j in links:
            dep = depends_on[j]
            kind, lag = dep_types[dep.type], dep.lag
            into = nodes_of[target]
            if len(into) == 1:  # a task, not a series of occurrences
                preds.append((into[0], kind, lag))
            else:
                preds.extend((a, kind, lag) for a in into)
        if len(preds) > 1:
            preds.sort()
        net.preds[unit.node] = preds

    levelled = levelling_on(ws, level)
    if on_network is not None and not levelled:
        on_network(ws, Draft(cal, net, units))
    result = engine.schedule(net)
    if not levelled:
        return assemble(ws, cal, as_of, net, result, units, hours_per_day)
    return _levelled(ws, cal, as_of, net, result, units, hours_per_day, asof_off)


def _levelled(ws: Workspace, cal: WorkCalendar, as_of: date, net: engine.Network, plain: engine.Schedule,
              units: list[_Unit], hours_per_day: float, asof_off: int) -> Plan:
    """Level the §3 plan within people's hours, then plan again over the
    levelled spans and resource links (DESIGN §3b)."""
    team = TeamDays(ws.config.team if ws.config else [], cal)
    demand: list[level.Demand | None] = [None] * net.size
    fixed = [False] * net.size
    priority = [500] * net.size
    for u in units:
        n = u.node
        fixed[n] = u.status in ("done", "in-progress")
        priority[n] = u.task.priority
        days = u.task.days
        if not carries_load(u.camp, u.status):
            continue  # a campaign on hold or cancelled books no one's hours
        hours = {p: h for p, h in occurrence_hours(u.task, u.entry, hours_per_day).items() if p in team.index}
        if hours and days > 0:
            people = tuple(sorted(team.index[p] for p in hours))
            by_index = {team.index[p]: h for p, h in hours.items()}
            demand[n] = level.Demand(people, tuple(by_index[p] / days for p in people))
    people = level.People(asof_off, len(team.team), team.hours)
    placed = level.level(net, plain, demand, people, fixed, priority)
    relinked = level.relink(net, plain, placed, fixed)
    result = engine.schedule(relinked)
    plan = assemble(ws, cal, as_of, relinked, result, units, hours_per_day)
    plan.levelled = True
    plan.unlevelled_network, plan.unlevelled = net, plain
    ids = [p.id for p in team.team]
    lone = set(placed.lone)
    for camp in plan.campaigns:
        for t in camp.tasks:
            n = t.node
            t.unlevelled_start, t.unlevelled_finish = shown(cal, plain.es[n], plain.ef[n],
                                                             plain.end_of_day[n], t.task.is_milestone)
            t.level_delay = max(0, t.es - plain.es[n])
            t.wait = max(0, placed.start[n] - placed.ready[n]) if not fixed[n] else 0
            t.work = placed.days[n] if not fixed[n] else None
            t.held_by = tuple((ids[p], a) for p, a in placed.waits_for[n])
            t.lone = n in lone
    return plan


def _units(camp: CampaignData, g: int, task: Task, i: int, as_of: date,
           cal: WorkCalendar) -> list[_Unit]:
    if not task.repeat:
        return [_Unit(camp, g, task, i, task.id, None, task.status, task.due)]
    meta = camp.campaign
    first = task.start or (meta.start if meta else None) or as_of
    out = []
    for o in occurrence_states(task, camp, as_of, cal):
        if o.status == "skipped":  # like a cancelled task: no load, never late
            continue
        due = o.starts + (task.due - first) if task.due else None
        out.append(_Unit(camp, g, task, i, occurrence_id(task.id, o.day), o.day, o.status, due,
                         o.entry, o.starts))
    return out


def _add_node(net: engine.Network, cal: WorkCalendar, u: _Unit, camp_low: int, asof_off: int) -> int:
    task = u.task
    d = task.days
    low, low_kind = camp_low, engine.BY_CAMPAIGN_START if camp_low != engine.NO_BOUND else engine.BY_NOTHING
    own_start = u.starts or task.start
    if own_start is not None and cal.offset(own_start) >= low:
        low, low_kind = cal.offset(own_start), engine.BY_START
    fixed_start = fixed_finish = min_finish = None
    done = u.status == "done"
    started_on, done_on = task.started_on, task.done_on
    own_dates = u.entry is not None and (u.entry.done_on or u.entry.started_on)
    if own_dates:  # an occurrence with its own actual dates is dated like a task
        started_on, done_on = u.entry.started_on, u.entry.done_on  # type: ignore[union-attr]
    if not own_dates and u.occurrence is not None and u.status in ("done", "in-progress"):
        # occurrences of a running series keep their planned dates
        fixed_start = low
        if done:
            fixed_finish = low + d
        else:
            min_finish = asof_off + 1
    elif done:
        if done_on is not None:
            fixed_finish = cal.end_offset(done_on)
            if d == 0:
                fixed_start = fixed_finish
            elif started_on is not None:
                fixed_start = min(cal.offset(started_on), fixed_finish)
            else:
                fixed_start = fixed_finish - d
        elif started_on is not None:
            fixed_start = cal.offset(started_on)
    elif u.status == "in-progress":
        if started_on is not None:
            fixed_start = cal.offset(started_on)
        min_finish = asof_off + 1
    elif asof_off > low:  # todo, blocked: never before as-of
        low, low_kind = asof_off, engine.BY_AS_OF
    deadline = cal.end_offset(u.due) if u.due else None
    return net.add(d, u.group, low, low_kind, fixed_start, fixed_finish, min_finish, deadline, done)
