"""What levelling did to each campaign (DESIGN §3b), as plain data.

Per campaign: the finish and launch without levelling (§3) and with it, the
shift in working days, and the people whose hours drive the shift: those on
the chain of waits that leads to the launch (or the finish), else those
whose waits delayed the campaign's work most. The status finding, `mpm plan
--compare-levelling` and the report headline all read it from here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.views.findings import Context, Finding, days_text


@dataclass
class CampaignShift:
    campaign: CampaignPlan
    finish_before: date | None  # without levelling (§3)
    finish_after: date | None
    finish_shift: int  # working days
    launch_before: date | None
    launch_after: date | None
    launch_shift: int
    # (person, working days of waiting on the driving chain or in the campaign), most first
    people: list[tuple[str, int]] = field(default_factory=list)
    # the tasks whose waits for those people moved the date, earliest first
    waits: list[ScheduledTask] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.campaign.id

    @property
    def moved(self) -> bool:
        return self.finish_shift > 0 or self.launch_shift > 0

    def people_text(self) -> str:
        return ", ".join(p for p, _ in self.people) or "nobody"


def shifts(plan: Plan, campaigns: list[CampaignPlan] | None = None) -> list[CampaignShift]:
    """One entry per campaign with scheduled work; empty when the plan is not levelled."""
    if not plan.levelled:
        return []
    cal = plan.calendar
    out = []
    for cp in campaigns if campaigns is not None else plan.campaigns:
        if not cp.tasks or cp.finish is None:
            continue
        before = max((t.unlevelled_finish for t in cp.tasks if t.unlevelled_finish), default=None)
        launch = cp.launch_task()
        lb = launch.unlevelled_finish if launch else None
        la = launch.finish if launch else None
        end_task = launch if launch is not None else max(cp.tasks, key=lambda t: (t.ef, t.id))
        people, waits = _drivers(cp, end_task)
        out.append(CampaignShift(
            cp, before, cp.finish, _shift(cal, before, cp.finish), lb, la, _shift(cal, lb, la),
            people, waits))
    return out


def _shift(cal, before: date | None, after: date | None) -> int:
    if before is None or after is None:
        return 0
    return cal.offset(after) - cal.offset(before)


def _drivers(cp: CampaignPlan, end: ScheduledTask) -> tuple[list[tuple[str, int]], list[ScheduledTask]]:
    """Who moved `end`: the people on its chain of waits, else the campaign's biggest waits."""
    chain: list[ScheduledTask] = []
    seen = set()
    t: ScheduledTask | None = end
    while t is not None and t.ref not in seen:
        seen.add(t.ref)
        chain.append(t)
        why = t.why
        t = why.other if why.kind in ("predecessor", "person") else None
    def paused(x: ScheduledTask) -> int:  # days inside its span its people do not work
        return (x.ef - x.es - len(x.work)) if x.work is not None else 0

    waits = [x for x in chain if x.why.kind == "person" or paused(x)]
    if not waits:
        waits = [x for x in cp.tasks if x.wait > 0 or paused(x)]
    days: Counter[str] = Counter()
    for x in waits:
        if x.wait:
            for person, _ in x.held_by or ((x.why.person, -1),):
                if person:
                    days[person] += x.wait
        if paused(x):
            for person, _ in x.load:
                days[person] += paused(x)
    ranked = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked, sorted(waits, key=lambda x: (x.es, x.id))


# -- status findings (DESIGN §3b) ---------------------------------------------------


def levelling_slips(ctx: Context) -> Iterator[Finding]:
    """A launch or end that people's hours push past its date (§3b), and whose hours."""
    for shift in shifts(ctx.plan, [cp for _, cp in ctx.campaigns()]):
        camp = shift.campaign.data
        meta = camp.campaign
        if meta is None or not ctx.mine(meta.owner):
            continue
        src = camp.sources["campaign.yaml"]
        chain = " → ".join(t.id for t in shift.waits[:3])
        by = f"{shift.people_text()}'s hours" + (f" ({chain})" if chain else "")
        for what, key, target, before, after, moved in (
                ("launch", "launch", meta.launch, shift.launch_before, shift.launch_after, shift.launch_shift),
                ("finish", "end", meta.end, shift.finish_before, shift.finish_after, shift.finish_shift)):
            if target is None or after is None or before is None or moved <= 0 or after <= target:
                continue
            yield Finding("S209", camp.id, camp.id,
                          f"levelling moves the {what} to {after}, {days_text(moved)} later than the "
                          f"dependencies allow ({before}) and past its date {target}: driven by {by}",
                          src.rel, src.line_of((key,)), ctx.working_days(target, after), meta.owner)


def lone_tasks(ctx: Context) -> list[Finding]:
    """Levelled: a task needing more than a person's day runs alone — the only overload left."""
    cfg = ctx.ws.config
    out: list[Finding] = []
    if cfg is None or ctx.ws.config_source is None:
        return out
    from mpm.plan.staffing import hours_per_workday

    index = {p.id: i for i, p in enumerate(cfg.team)}
    for camp, t in ctx.open_tasks():
        if not t.lone or t.finish < ctx.as_of:
            continue
        per_day = len(t.work_offsets()) or 1
        for person, hours in t.load:
            if person not in index or not ctx.mine(person):
                continue
            have = hours_per_workday(cfg.team[index[person]], ctx.plan.calendar)
            need = hours / per_day
            if need > have + 1e-9:
                out.append(Finding(
                    "S208", camp.id, t.ref,
                    f"needs {need:.0f} h a day of {person}, who has {have:.0f}: it runs alone "
                    f"({t.start} to {t.finish})", ctx.ws.config_source.rel,
                    ctx.ws.config_source.line_of(("team", index[person])), None, person))
    return out
