"""From a valid Workspace to a dated Plan: build the network, run the engine.

This is where the records meet the rules of DESIGN §3: statuses become
actual dates or lower bounds, recurring tasks become occurrences, `due`
becomes a deadline, and engine offsets become the dates people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mpm.check.graph import task_graph
from mpm.plan import engine
from mpm.plan.calendar import WorkCalendar
from mpm.plan.occurrences import occurrence_states
from mpm.plan.recurrence import occurrence_id
from mpm.read.content_model import Occurrence
from mpm.read.load import CampaignData, Workspace
from mpm.read.model import Task


@dataclass
class Binding:
    """What decided a date: a kind, and the other task when there is one."""

    kind: str  # campaign-start | start | as-of | actual | predecessor | none
    # ... or for late dates: campaign-finish | due | successor
    other: ScheduledTask | None = None
    dep_type: str | None = None
    lag: int = 0


@dataclass(slots=True)
class ScheduledTask:
    campaign: str
    id: str  # as written, or "<id>@<date>" for an occurrence
    task: Task
    index: int  # position in its campaign's task list (for file:line)
    node: int
    occurrence: date | None
    status: str
    due: date | None
    es: int
    ef: int
    ls: int
    lf: int
    start: date
    finish: date
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    milestone: bool
    end_of_day: bool
    effort: float  # hours of the owner's time
    days: int  # working days the task spans in the plan
    links: _Links = field(repr=False, compare=False)
    entry: Occurrence | None = None  # an occurrence's own entry under `occurrences:`

    @property
    def why(self) -> Binding:
        """What decided the early start."""
        return self.links.early(self.node)

    @property
    def why_late(self) -> Binding:
        """What decided the late finish."""
        return self.links.late(self.node)

    @property
    def ref(self) -> str:
        return f"{self.campaign}/{self.id}"

    @property
    def name(self) -> str:
        e = self.entry
        return e.title if e is not None and e.title else self.task.name

    @property
    def owner(self) -> str | None:
        e = self.entry
        return e.owner if e is not None and e.owner else self.task.owner

    @property
    def asset(self) -> str | None:
        e = self.entry
        return e.asset if e is not None and e.asset else self.task.asset


@dataclass
class CampaignPlan:
    id: str
    data: CampaignData
    start: date | None
    finish: date | None
    finish_offset: int | None
    critical_path: list[str]
    tasks: list[ScheduledTask]


    def launch_task(self) -> ScheduledTask | None:
        """The milestone that stands for the launch: due on the launch date, or named so."""
        meta = self.data.campaign
        if meta is None or meta.launch is None:
            return None
        milestones = [t for t in self.tasks if t.milestone]
        return (next((t for t in milestones if t.due == meta.launch), None)
                or next((t for t in milestones if "launch" in t.id), None))


@dataclass
class Plan:
    as_of: date
    calendar: WorkCalendar
    campaigns: list[CampaignPlan]
    network: engine.Network
    result: engine.Schedule
    by_ref: dict[str, ScheduledTask]

    def campaign(self, cid: str) -> CampaignPlan | None:
        return next((c for c in self.campaigns if c.id == cid), None)

    def find(self, ref: str, home: str | None = None) -> ScheduledTask | None:
        if "/" not in ref and home:
            ref = f"{home}/{ref}"
        if ref in self.by_ref:
            return self.by_ref[ref]
        if "/" not in ref:
            hits = [t for r, t in self.by_ref.items() if r.split("/", 1)[1] == ref]
            return hits[0] if len(hits) == 1 else None
        return None


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


def build_plan(ws: Workspace, as_of: date) -> Plan:
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
        order = sorted(range(len(tasks)), key=lambda i: tasks[i].id)
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
    for unit in units:
        depends_on = unit.task.depends_on
        preds: list[tuple[int, int, int]] = []
        for target, j in graph.preds[unit.record]:
            dep = depends_on[j]
            kind, lag = dep_types[dep.type], dep.lag
            preds.extend((a, kind, lag) for a in nodes_of[target])
        preds.sort()
        net.preds[unit.node] = preds

    result = engine.schedule(net)
    return _assemble(ws, cal, as_of, net, result, units, hours_per_day)


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
    return net.add(duration=d, group=u.group, lower=low, lower_kind=low_kind, fixed_start=fixed_start,
                   fixed_finish=fixed_finish, min_finish=min_finish, deadline=deadline, done=done)


_WHY = {engine.BY_NOTHING: "none", engine.BY_CAMPAIGN_START: "campaign-start", engine.BY_START: "start",
        engine.BY_AS_OF: "as-of", engine.BY_ACTUAL: "actual"}


@dataclass(slots=True)
class _Links:
    """The engine's record of what bound each node, read as Bindings on demand.

    A plan of 100,000 tasks would otherwise carry 200,000 Binding objects
    that only `--why`, the JSON plan and one status rule ever look at.
    """

    net: engine.Network
    result: engine.Schedule
    by_node: list[ScheduledTask]

    def early(self, n: int) -> Binding:
        r = self.result
        kind = r.why_kind[n]
        if kind == engine.BY_EDGE:
            a, t, lag = self.net.preds[n][r.why_edge[n]]
            return Binding("predecessor", self.by_node[a], engine.DEP_NAMES[t], lag)
        return Binding(_WHY[kind])

    def late(self, n: int) -> Binding:
        r = self.result
        kind = r.late_kind[n]
        edge = r.late_edge[n]
        if kind == engine.LATE_EDGE and edge is not None:
            b, t, lag = edge
            return Binding("successor", self.by_node[b], engine.DEP_NAMES[t], lag)
        return Binding("due" if kind == engine.LATE_DUE else "campaign-finish")


def _assemble(ws: Workspace, cal: WorkCalendar, as_of: date, net: engine.Network, r: engine.Schedule,
              units: list[_Unit], hours_per_day: float) -> Plan:
    date_at = cal.date_at
    es_, ef_, ls_, lf_, tf_, free_ = r.es, r.ef, r.ls, r.lf, r.total_float, r.free_float
    eod_, critical_ = r.end_of_day, r.critical
    by_node: list[ScheduledTask] = [None] * net.size  # type: ignore[list-item]
    links = _Links(net, r, by_node)
    per_campaign: dict[str, list[ScheduledTask]] = {c.id: [] for c in ws.campaigns}
    for u in units:
        n = u.node
        task = u.task
        es, ef, ls, lf, tf = es_[n], ef_[n], ls_[n], lf_[n], tf_[n]
        milestone = ef == es and task.is_milestone
        if milestone:
            shown = es - 1 if eod_[n] else es
            start = finish = date_at(shown)
            late_start = late_finish = date_at(shown + tf)
        else:
            start, finish = date_at(es), date_at((ef if ef > es else es + 1) - 1)
            late_start, late_finish = date_at(ls), date_at((lf if lf > ls else ls + 1) - 1)
        if milestone:
            effort = 0.0
        elif task.effort is not None:
            effort = float(task.effort)
        else:
            effort = (task.duration or 0) * hours_per_day
        st = ScheduledTask(
            campaign=u.camp.id, id=u.id, task=task, index=u.index, node=n, occurrence=u.occurrence,
            status=u.status, due=u.due, es=es, ef=ef, ls=ls, lf=lf, start=start, finish=finish,
            early_start=start, early_finish=finish, late_start=late_start, late_finish=late_finish,
            total_float=tf, free_float=free_[n], critical=critical_[n], milestone=milestone,
            end_of_day=eod_[n], effort=effort, days=ef - es, links=links)
        st.entry = u.entry
        by_node[n] = st
        per_campaign[u.camp.id].append(st)

    campaigns = []
    for g, camp in enumerate(ws.campaigns):
        tasks = per_campaign[camp.id]
        tasks.sort(key=lambda t: (t.es, 0 if t.end_of_day else 1, t.id))
        finish_off = r.group_finish.get(g)
        start = min((t.start for t in tasks), default=camp.campaign.start if camp.campaign else None)
        finish = max((t.finish for t in tasks), default=None)
        critical = [t for t in tasks if t.critical]
        critical.sort(key=lambda t: (t.es, t.id))
        campaigns.append(CampaignPlan(camp.id, camp, start, finish, finish_off,
                                      [t.id for t in critical], tasks))
    by_ref = {st.ref: st for st in by_node if st is not None}
    return Plan(as_of, cal, campaigns, net, r, by_ref)
