"""The content programme as plain data: the inventory, reuse, refreshes and the channel calendar.

`mpm content` shows it; the report takes a summary of it; `status` turns
its cadence gaps, channel collisions and overdue refreshes into findings.
The calendar lists what goes out in a period on each channel, across
campaigns, on the day it is planned to finish: tasks and occurrences (with
their own titles and owners) that have a channel or produce an asset, and
skipped occurrences, which leave a gap in their series.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

from mpm.plan.dates import Plan, ScheduledTask, carries_load, is_forecast
from mpm.plan.occurrences import occurrence_states
from mpm.plan.recurrence import occurrence_id
from mpm.read.load import Workspace, split_ref
from mpm.read.model import Asset
from mpm.views.lines import entry_line, task_line

STATUSES = ("idea", "draft", "in-review", "approved", "published", "retired")
# the status findings of the content programme, joined into `mpm.views.status.CODES`


@dataclass
class AssetEntry:
    campaign: str
    asset: Asset
    file: str
    where: Callable[[], int] = field(repr=False, compare=False)  # finds `line`
    derived_from: list[str] = field(default_factory=list)  # refs, campaign/asset
    derivatives: list[str] = field(default_factory=list)  # refs of assets derived from this one
    fed: int = 0  # every asset derived from it, directly or through others
    made_by: list[str] = field(default_factory=list)  # task or occurrence refs that produce it
    ref: str = ""  # campaign/asset

    def __post_init__(self) -> None:
        self.ref = f"{self.campaign}/{self.asset.id}"

    @cached_property
    def line(self) -> int:
        """The line the asset starts on, found when first asked (a summary never asks)."""
        return self.where()


@dataclass
class CalendarItem:
    day: date  # the day it goes out: its planned finish
    channel: str | None
    campaign: str
    id: str  # task id, or task@date for an occurrence
    title: str
    owner: str | None
    status: str
    asset: str | None  # campaign/asset
    file: str
    where: Callable[[], int] = field(repr=False, compare=False)  # finds `line`
    piece: bool = False  # a piece of content: an occurrence of a series, or a task that makes an asset

    @cached_property
    def line(self) -> int:
        """The line of its task or occurrence entry, found when first asked (a summary never asks)."""
        return self.where()


@dataclass
class Gap:
    campaign: str
    series: str
    channel: str | None
    period: date  # Monday of the week, or the first of the month, that has nothing
    every: str  # week | month
    reason: str  # skipped | moved
    file: str
    line: int


@dataclass
class Collision:
    day: date
    channel: str
    items: list[CalendarItem]


@dataclass
class ContentView:
    as_of: date
    start: date
    end: date
    assets: list[AssetEntry]
    calendar: list[CalendarItem]
    gaps: list[Gap]
    collisions: list[Collision]

    @property
    def by_kind(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for e in self.assets:
            counts = out.setdefault(e.asset.kind, {})
            counts[e.asset.status] = counts.get(e.asset.status, 0) + 1
        order = {s: i for i, s in enumerate(STATUSES)}
        return {kind: dict(sorted(counts.items(), key=lambda kv: order[kv[0]]))
                for kind, counts in sorted(out.items())}

    @property
    def refresh(self) -> list[AssetEntry]:
        """Live assets whose review date falls before the period ends, earliest first."""
        due = [e for e in self.assets if e.asset.review_by and e.asset.status != "retired"
               and e.asset.review_by <= self.end]
        return sorted(due, key=lambda e: (e.asset.review_by, e.ref))

    @property
    def reused(self) -> list[AssetEntry]:
        return most_reused(self.assets)

    def roots(self) -> list[AssetEntry]:
        """Where reuse trees start: assets that feed others and derive from none in view."""
        refs = self._by_ref()
        return [e for e in self.reused if not any(r in refs for r in e.derived_from)]

    def entry(self, ref: str) -> AssetEntry | None:
        return self._by_ref().get(ref)

    def _by_ref(self) -> dict[str, AssetEntry]:
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {e.ref: e for e in self.assets}
        return index


@dataclass
class ContentFilter:
    campaigns: list[str] = field(default_factory=list)
    channel: str | None = None
    person: str | None = None

    def campaign(self, cid: str) -> bool:
        if not self.campaigns:
            return True
        named = self.__dict__.get("_named")
        if named is None:
            named = self.__dict__["_named"] = frozenset(self.campaigns)
        return cid in named


def content_view(ws: Workspace, plan: Plan, as_of: date, start: date, end: date,
                 chosen: ContentFilter | None = None, *, reuse: bool = True) -> ContentView:
    """The content calendar from `start` to `end` and the inventory; `reuse=False`: without
    what each asset feeds and which tasks make it (`AssetEntry.fed`, `made_by`), which the
    status findings never read and which take a walk of every task."""
    chosen = chosen or ContentFilter()
    assets, planned = content_pieces(ws, plan, start, end, chosen, reuse=reuse, makers=reuse)
    skipped = sorted(_skipped(ws, plan, as_of, start, end, chosen), key=_calendar_order)
    calendar = list(heapq.merge(planned, skipped, key=_calendar_order))
    gaps = _gaps(ws, plan, as_of, start, end, chosen)
    collisions = _collisions(calendar)
    return ContentView(as_of, start, end, assets, calendar, gaps, collisions)


def content_pieces(ws: Workspace, plan: Plan, start: date, end: date, chosen: ContentFilter, *,
                   reuse: bool = True, makers: bool = True) -> tuple[list[AssetEntry], list[CalendarItem]]:
    """The inventory and what is planned to go out from `start` to `end`, in calendar order:
    a summary's part of the view (no skipped occurrences, cadence gaps or collisions).
    `reuse=False`: without what each asset feeds; `makers=False`: without the tasks that make
    each asset (a walk of every task)."""
    assets = _inventory(ws, plan, chosen, reuse, makers)
    planned = _planned(plan, start, end, chosen, {e.ref: e for e in assets})
    planned.sort(key=_calendar_order)
    return assets, planned


def most_reused(assets: list[AssetEntry]) -> list[AssetEntry]:
    """The assets that fed others, most first."""
    return sorted((e for e in assets if e.fed), key=lambda e: (-e.fed, e.ref))


def _inventory(ws: Workspace, plan: Plan, chosen: ContentFilter, reuse: bool, makers: bool) -> list[AssetEntry]:
    everything: dict[str, AssetEntry] = {}
    for c in ws.campaigns:
        src = c.sources.get("assets.yaml")
        if src is None:
            continue
        count = len(c.asset_rows) if c.asset_rows == list(range(len(c.asset_rows))) else None
        for i, a in enumerate(c.assets):
            ref = f"{c.id}/{a.id}"
            if ref not in everything:
                everything[ref] = AssetEntry(c.id, a, src.rel, partial(src.item_line, c.asset_rows[i], count),
                                             ["/".join(split_ref(r, c.id)) for r in a.derived_from])
    if reuse:
        _link(everything)
    if makers:
        _makers(everything, plan)
    out = [e for e in everything.values() if chosen.campaign(e.campaign)
           and (chosen.channel is None or e.asset.channel == chosen.channel)
           and (chosen.person is None or e.asset.owner == chosen.person)]
    out.sort(key=lambda e: (e.campaign, e.asset.kind, e.asset.id))
    return out


def _link(everything: dict[str, AssetEntry]) -> None:
    """Each asset's derivatives, and how many assets it feeds."""
    for e in everything.values():
        for parent in e.derived_from:
            if parent in everything:
                everything[parent].derivatives.append(e.ref)
    for e in everything.values():
        e.fed = len(_descendants(e.ref, everything))


def _makers(everything: dict[str, AssetEntry], plan: Plan) -> None:
    """The tasks that make each asset."""
    for cp in plan.campaigns:
        for t in cp.tasks:
            if t.asset:
                hit = everything.get("/".join(split_ref(t.asset, cp.id)))
                if hit is not None:
                    hit.made_by.append(t.ref)


def _descendants(ref: str, everything: dict[str, AssetEntry]) -> set[str]:
    seen: set[str] = set()
    todo = list(everything[ref].derivatives)
    while todo:
        r = todo.pop()
        if r not in seen and r != ref:  # a cycle is a check error; never loop on one
            seen.add(r)
            todo.extend(everything[r].derivatives)
    return seen


def _channel(t_channel: str | None, asset: AssetEntry | None) -> str | None:
    return t_channel or (asset.asset.channel if asset else None)


def _calendar_order(item: CalendarItem) -> tuple:
    return item.day, item.channel or "", item.campaign, item.id


def _planned(plan: Plan, start: date, end: date, chosen: ContentFilter,
             assets: dict[str, AssetEntry]) -> list[CalendarItem]:
    """Tasks and occurrences finishing in the period that have a channel or make an asset."""
    items: list[CalendarItem] = []
    for cp in plan.campaigns:
        if not chosen.campaign(cp.id):
            continue
        camp = cp.data
        src = camp.sources.get("tasks.yaml")
        for t in cp.tasks:
            if not (start <= t.finish <= end) or not carries_load(camp, t.status):
                continue  # a campaign on hold or cancelled publishes nothing
            asset_ref = "/".join(split_ref(t.asset, cp.id)) if t.asset else None
            channel = _channel(t.task.channel, assets.get(asset_ref or ""))
            if channel is None and asset_ref is None:
                continue  # not content: no channel, no asset
            if (chosen.channel and channel != chosen.channel) or (chosen.person and t.owner != chosen.person):
                continue
            items.append(CalendarItem(t.finish, channel, cp.id, t.id, t.name, t.owner, t.status, asset_ref,
                                      src.rel if src else camp.rel("tasks.yaml"), partial(task_line, camp, t),
                                      t.occurrence is not None or asset_ref is not None))
    return items


def _skipped(ws: Workspace, plan: Plan, as_of: date, start: date, end: date,
             chosen: ContentFilter) -> list[CalendarItem]:
    """Skipped occurrences starting in the period (they are not in the plan): gaps in a series."""
    items: list[CalendarItem] = []
    for cp in plan.campaigns:
        if not chosen.campaign(cp.id):
            continue
        camp = cp.data
        for i, task in enumerate(camp.tasks):
            if not task.occurrences or task.status == "cancelled" or not is_forecast(camp):
                continue
            if (chosen.channel and task.channel != chosen.channel):
                continue
            for o in occurrence_states(task, camp, as_of, plan.calendar):
                owner = (o.entry.owner if o.entry else None) or task.owner
                if o.status != "skipped" or not (start <= o.starts <= end) \
                        or (chosen.person and owner != chosen.person):
                    continue
                items.append(CalendarItem(o.starts, task.channel, cp.id, occurrence_id(task.id, o.day),
                                          (o.entry.title if o.entry else None) or task.name, owner, "skipped",
                                          None, camp.rel("tasks.yaml"), partial(entry_line, camp, i, o.day)))
    return items


def _every(rule: str) -> str | None:
    upper = rule.upper()
    if "FREQ=WEEKLY" in upper:
        return "week"
    if "FREQ=MONTHLY" in upper:
        return "month"
    return None


def _bucket(d: date, every: str) -> date:
    from datetime import timedelta

    return d - timedelta(days=d.weekday()) if every == "week" else d.replace(day=1)


def _gaps(ws: Workspace, plan: Plan, as_of: date, start: date, end: date, chosen: ContentFilter) -> list[Gap]:
    """Weeks (or months) of a weekly (or monthly) series left with nothing: skipped, or moved away."""
    out: list[Gap] = []
    for camp in ws.campaigns:
        if not chosen.campaign(camp.id) or not is_forecast(camp):  # not on hold, done or cancelled
            continue
        for i, task in enumerate(camp.tasks):
            every = _every(task.repeat) if task.repeat and task.status != "cancelled" else None
            if every is None or (chosen.channel and task.channel != chosen.channel):
                continue
            states = occurrence_states(task, camp, as_of, plan.calendar)
            live = {_bucket(o.starts, every) for o in states if o.status != "skipped"}
            seen: set[date] = set()
            for o in states:
                period = _bucket(o.day, every)
                owner = (o.entry.owner if o.entry else None) or task.owner
                if period in live or period in seen or not (start <= period <= end or start <= o.day <= end):
                    continue
                if chosen.person and owner != chosen.person:
                    continue
                seen.add(period)
                reason = "skipped" if o.status == "skipped" else "moved"
                out.append(Gap(camp.id, task.id, task.channel, period, every, reason, camp.rel("tasks.yaml"),
                               entry_line(camp, i, o.day)))
    out.sort(key=lambda g: (g.period, g.campaign, g.series))
    return out


def _collisions(calendar: list[CalendarItem]) -> list[Collision]:
    """Two or more pieces of content on one channel on the same day (work that makes none is not counted)."""
    groups: dict[tuple[date, str], list[CalendarItem]] = {}
    for item in calendar:
        if item.channel and item.piece and item.status != "skipped":
            groups.setdefault((item.day, item.channel), []).append(item)
    return [Collision(day, channel, items) for (day, channel), items in sorted(groups.items()) if len(items) > 1]


def occurrence_due(t: ScheduledTask, cal) -> date | None:  # cal: WorkCalendar
    """The due date; an occurrence without one is due on the last day it is planned for."""
    if t.due is not None or t.occurrence is None:
        return t.due
    planned = t.entry.moved_to if t.entry is not None and t.entry.moved_to else t.occurrence
    return cal.date_at(cal.offset(planned) + max(t.task.days, 1) - 1)


def status_findings(ctx) -> Iterator:  # ctx: mpm.views.findings.Context
    """Cadence gaps and collisions from as-of to the horizon, and refreshes overdue, as findings."""
    from mpm.views.findings import Finding

    in_view = [cp.id for _, cp in ctx.campaigns()]
    chosen = ContentFilter(in_view, None, ctx.options.owner)
    view = content_view(ctx.ws, ctx.plan, ctx.as_of, ctx.as_of, ctx.horizon_end, chosen, reuse=False)
    for g in view.gaps:
        what = f"the {g.every} of {g.period}" if g.every == "week" else f"{g.period:%B %Y}"
        yield Finding("S305", g.campaign, g.series,
                      f"{g.channel or 'its channel'} has nothing from {g.series} in {what}: "
                      f"the occurrence is {g.reason}", g.file, g.line)
    for col in view.collisions:
        first, *others = col.items
        for item in others:
            yield Finding("S210", item.campaign, item.id,
                          f"{col.channel} on {col.day}: also {first.campaign}/{first.id} ({first.title})",
                          item.file, item.line, None, item.owner)
    for e in view.refresh:
        review = e.asset.review_by
        if review is not None and review < ctx.as_of:
            late = ctx.working_days(review, ctx.as_of)
            yield Finding("S304", e.campaign, e.asset.id,
                          f"'{e.asset.title}' was due for a refresh on {review} "
                          f"({late} working day{'' if late == 1 else 's'} ago)",
                          e.file, e.line, late, e.asset.owner)
