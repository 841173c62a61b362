"""The plan as people read it: dated tasks, campaigns, and what bound each date.

`schedule` builds the engine's network from the records and runs it;
`assemble` turns the engine's offsets into the dates of DESIGN §3 ("shown
dates") and keeps, per task, what decided its start and finish so `--why`,
the JSON plan and status can tell the story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mpm.plan import engine
from mpm.plan.calendar import WorkCalendar
from mpm.plan.occurrences import occurrence_hours
from mpm.read.content_model import Occurrence
from mpm.read.load import CampaignData, Workspace
from mpm.read.model import Task

# Campaigns whose work is not going ahead: they carry no planned load and
# are not forecast (their done work stays as recorded).
NOT_FORECAST = ("on-hold", "done", "cancelled")


def is_forecast(camp: CampaignData) -> bool:
    """Whether the campaign's open work is forecast: proposed and active ones are."""
    meta = camp.campaign
    return meta is None or meta.status not in NOT_FORECAST


def carries_load(camp: CampaignData, status: str) -> bool:
    """Whether a task (of this status) books its people's hours, in the §3
    load and in levelling alike.

    Done work keeps its actuals in every campaign; open work books hours only
    in a campaign that is going ahead (not on hold, done or cancelled).
    """
    return status == "done" or is_forecast(camp)


@dataclass
class Binding:
    """What decided a date: a kind, and the other task when there is one."""

    kind: str  # campaign-start | start | as-of | actual | predecessor | person | none
    # ... or for late dates: campaign-finish | due | successor
    other: ScheduledTask | None = None
    dep_type: str | None = None
    lag: int = 0
    person: str | None = None  # kind "person": whose hours held the start (§3b)


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
    effort: float  # hours in all, of every person the task asks for
    days: int  # working days the task spans in the plan
    links: _Links = field(repr=False, compare=False)
    # hours per person: the owner's effort, or the effort mapping (§2)
    load: tuple[tuple[str, float], ...] = ()
    # levelled (§3b): the working days it works when paused, else None
    work: tuple[int, ...] | None = None
    # levelled: the §3 dates, and how many working days levelling moved it
    unlevelled_start: date | None = None
    unlevelled_finish: date | None = None
    level_delay: int = 0
    wait: int = 0  # levelled: working days it waited for people's hours itself (the rest it inherits)
    # levelled: (person, engine node of the task that held them; -1: away)
    held_by: tuple[tuple[str, int], ...] = ()
    lone: bool = False  # needs more than a person's day, so it runs alone
    entry: Occurrence | None = None  # an occurrence's own entry under `occurrences:`

    def work_offsets(self) -> range | tuple[int, ...]:
        """The working-day offsets on which the task carries its load."""
        return self.work if self.work is not None else range(self.es, self.ef)

    @property
    def waits_for(self) -> list[tuple[str, ScheduledTask | None]]:
        """(person, task that held them — None when they were away) for a delayed task."""
        return [(p, self.links.by_node[a] if a >= 0 else None) for p, a in self.held_by]

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

    def of_person(self, person: str) -> CampaignPlan:
        """This campaign's plan narrowed to `person`'s tasks (and their part of the critical path)."""
        from dataclasses import replace

        return replace(self, tasks=[t for t in self.tasks if t.owner == person],
                       critical_path=[t.id for t in self.tasks if t.critical and t.owner == person])

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
    network: engine.Network  # the network `result` is the schedule of (levelled: with resource links)
    result: engine.Schedule
    by_ref: dict[str, ScheduledTask]
    levelled: bool = False
    # levelled: the §3 network and schedule, before people's hours were applied
    unlevelled_network: engine.Network | None = None
    unlevelled: engine.Schedule | None = None

    def forecast_network(self) -> tuple[engine.Network, list[tuple[int, int]]]:
        """The network a forecast runs on (DESIGN §3c) and its extra FS links:
        levelled, the §3 network plus the resource links (who held a person a
        task waited for), so every run keeps people's order of work."""
        if not self.levelled or self.unlevelled_network is None:
            return self.network, []
        links = {(a, t.node) for t in self.by_ref.values() for _, a in t.held_by if a >= 0}
        return self.unlevelled_network, sorted(links)

    def campaign(self, cid: str) -> CampaignPlan | None:
        index = self.__dict__.get("_campaign_index")
        if index is None or len(index) != len(self.campaigns):
            index = self.__dict__["_campaign_index"] = {c.id: c for c in self.campaigns}
        return index.get(cid)

    def find(self, ref: str, home: str | None = None) -> ScheduledTask | None:
        if "/" not in ref and home:
            ref = f"{home}/{ref}"
        if ref in self.by_ref:
            return self.by_ref[ref]
        if "/" not in ref:
            hits = [t for r, t in self.by_ref.items() if r.split("/", 1)[1] == ref]
            return hits[0] if len(hits) == 1 else None
        return None


_WHY = {engine.BY_NOTHING: "none", engine.BY_CAMPAIGN_START: "campaign-start", engine.BY_START: "start",
        engine.BY_AS_OF: "as-of", engine.BY_ACTUAL: "actual"}


def shown(cal: WorkCalendar, es: int, ef: int, eod: bool, is_milestone: bool) -> tuple[date, date]:
    """The start and finish people read for [es, ef) (DESIGN §3, shown dates)."""
    if ef == es and is_milestone:
        day = cal.date_at(es - 1 if eod else es)
        return day, day
    return cal.date_at(es), cal.date_at((ef if ef > es else es + 1) - 1)


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
        if kind == engine.BY_LEVEL:
            held = self.by_node[n].held_by
            if held:
                person, a = held[0]
                return Binding("person", self.by_node[a] if a >= 0 else None, person=person)
            return Binding("person", None, person=self.by_node[n].owner)
        return Binding(_WHY[kind])

    def late(self, n: int) -> Binding:
        r = self.result
        kind = r.late_kind[n]
        edge = r.late_edge[n]
        if kind == engine.LATE_EDGE and edge is not None:
            b, t, lag = edge
            return Binding("successor", self.by_node[b], engine.DEP_NAMES[t], lag)
        return Binding("due" if kind == engine.LATE_DUE else "campaign-finish")


def assemble(ws: Workspace, cal: WorkCalendar, as_of: date, net: engine.Network, r: engine.Schedule,
              units: Sequence[Any], hours_per_day: float) -> Plan:
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
        entry = getattr(u, "entry", None)
        camp = u.camp
        load = (tuple(sorted(occurrence_hours(task, entry, hours_per_day).items()))
                if not milestone and carries_load(camp, u.status) else ())
        if milestone:
            effort = 0.0
        elif isinstance(task.effort, dict):
            effort = float(sum(task.effort.values()))
        else:
            effort = float(task.effort) if task.effort is not None else (task.duration or 0) * hours_per_day
        # positional, in ScheduledTask's field order: a plan makes one per task, and keywords
        # cost three times as much
        st = ScheduledTask(camp.id, u.id, task, u.index, n, u.occurrence, u.status, u.due, es, ef, ls, lf,
                           start, finish, start, finish, late_start, late_finish, tf, free_[n], critical_[n],
                           milestone, eod_[n], effort, ef - es, links, load)
        st.entry = entry
        by_node[n] = st
        per_campaign[camp.id].append(st)

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
