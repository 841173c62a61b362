"""What changed between two versions of a workspace, in plan terms.

Records are compared field by field (lists of things by their natural key:
budget lines by category, dependencies by task, measurements by date), and
both versions are scheduled with the same as-of date so the report can say
what the change does, most important first: each campaign's launch and
finish, the tasks and milestones whose dates moved, deadlines newly missed
or missed by more, the critical path, spend over plan, goals' checkpoint
paths, risks on critical work, and each person's weeks over capacity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mpm.change import consequences as cq
from mpm.plan.dates import CampaignPlan, Plan
from mpm.read.fields import dump
from mpm.read.load import Workspace

# list fields whose items are mappings, and the key that identifies an item
_KEYED = {"lines": "category", "approvals": "by", "measurements": "date", "stakeholders": "name",
          "time_off": "from", "holidays": "date", "team": "id"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class RecordDiff:
    kind: str  # task, goal, risk
    id: str
    status: str  # added, removed, changed
    changes: list[Change] = field(default_factory=list)


@dataclass
class CampaignDiff:
    id: str
    status: str  # added, removed, changed, unchanged
    fields: list[Change] = field(default_factory=list)
    records: list[RecordDiff] = field(default_factory=list)
    finish_before: date | None = None
    finish_after: date | None = None
    finish_slip: int | None = None  # working days, positive = later
    newly_critical: list[str] = field(default_factory=list)
    no_longer_critical: list[str] = field(default_factory=list)
    newly_late: list[tuple[str, int, int]] = field(default_factory=list)  # (task, float before, after)
    back_on_time: list[tuple[str, int, int]] = field(default_factory=list)
    launch_task: str | None = None  # the launch milestone (on the later side)
    launch_before: date | None = None
    launch_after: date | None = None
    launch_slip: int | None = None
    moved: list[cq.Moved] = field(default_factory=list)
    later_than_before: list[tuple[str, int, int]] = field(default_factory=list)
    over_budget: list[cq.OverBudget] = field(default_factory=list)
    goal_paths: list[cq.PathChange] = field(default_factory=list)
    risks_on_critical: list[cq.RiskOnCritical] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return bool(self.status != "unchanged" or self.fields or self.records or self.finish_slip
                    or self.newly_critical or self.no_longer_critical or self.newly_late or self.back_on_time
                    or self.launch_slip or self.moved or self.later_than_before or self.over_budget
                    or self.goal_paths or self.risks_on_critical)

    @property
    def slip(self) -> int | None:
        """The headline shift: the launch's when the campaign has one, else the finish's."""
        return self.launch_slip if self.launch_slip is not None else self.finish_slip


@dataclass
class DiffReport:
    before: str
    after: str
    as_of: date
    campaigns: list[CampaignDiff]
    workspace: list[Change]  # mpm.yaml
    overloads: list[cq.Overload] = field(default_factory=list)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{dotted path: scalar or tuple} for comparing two records."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        name = prefix.rsplit(".", 1)[-1]
        key = _KEYED.get(name)
        for i, item in enumerate(value):
            label = str(item.get(key)) if key and key in item else str(i)
            out.update(flatten({k: v for k, v in item.items() if k != key}, f"{prefix}[{label}]"))
            if key:
                out[f"{prefix}[{label}]"] = "present"
    elif isinstance(value, list):
        out[prefix] = tuple(value)
    else:
        out[prefix] = value
    return out


def _record_view(record: Any) -> dict[str, Any]:
    data = dump(record, exclude_defaults=True)
    deps = data.pop("depends_on", None)
    if deps:  # a dependency reads as "brief" or "brief (SS +2)"
        data["depends_on"] = [d["task"] + (f" ({d.get('type', 'FS')} {d.get('lag', 0):+d})"
                                           if d.get("type", "FS") != "FS" or d.get("lag") else "")
                              for d in deps]
    return data


def compare(old: Any, new: Any) -> list[Change]:
    a = flatten(_record_view(old)) if old is not None else {}
    b = flatten(_record_view(new)) if new is not None else {}
    changes = []
    for key in sorted(set(a) | set(b), key=lambda k: (k.split("[")[0], k)):
        if a.get(key) != b.get(key):
            changes.append(Change(key, a.get(key), b.get(key)))
    return changes


def _records(kind: str, old: list, new: list) -> list[RecordDiff]:
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    out = []
    for rid in sorted(set(before) | set(after)):
        if rid not in before:
            out.append(RecordDiff(kind, rid, "added", compare(None, after[rid])))
        elif rid not in after:
            out.append(RecordDiff(kind, rid, "removed"))
        elif before[rid] != after[rid]:  # the same bytes give the very same records: no need to look
            changes = compare(before[rid], after[rid])
            if changes:
                out.append(RecordDiff(kind, rid, "changed", changes))
    return out


def _critical(cp: CampaignPlan | None) -> set[str]:
    return {t.task.id for t in cp.tasks if t.critical} if cp else set()


def _floats(cp: CampaignPlan | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in cp.tasks if cp else []:
        out[t.task.id] = min(out.get(t.task.id, t.total_float), t.total_float)
    return out


def _campaign(cid: str, before: Workspace, after: Workspace, pa: Plan, pb: Plan) -> CampaignDiff:
    a, b = before.campaign(cid), after.campaign(cid)
    status = "added" if a is None else ("removed" if b is None else "unchanged")
    d = CampaignDiff(cid, status)
    same = a is not None and a is b  # the very same records: nothing in the files changed
    if a is not None and b is not None and not same:
        d.fields = compare(a.campaign, b.campaign) if a.campaign != b.campaign else []
        d.records = (_records("task", a.tasks, b.tasks) + _records("goal", a.goals, b.goals)
                     + _records("risk", a.risks, b.risks))
        if d.fields or d.records:
            d.status = "changed"
    elif b is not None and a is None:
        d.records = [RecordDiff("task", t.id, "added") for t in b.tasks]
    ca, cb = pa.campaign(cid), pb.campaign(cid)
    cal = pb.calendar
    d.finish_before = ca.finish if ca else None
    d.finish_after = cb.finish if cb else None
    if d.finish_before and d.finish_after:
        d.finish_slip = cq.shift(cal, d.finish_before, d.finish_after)
    la, lb = cq.launch(ca), cq.launch(cb)
    if lb is not None:
        d.launch_task = lb.id
        d.launch_after = lb.finish
    if la is not None:
        d.launch_before = la.finish
    if d.launch_before and d.launch_after:
        d.launch_slip = cq.shift(cal, d.launch_before, d.launch_after)
    d.moved = cq.moved_tasks(ca, cb, cal)
    crit_a, crit_b = _critical(ca), _critical(cb)
    d.newly_critical = sorted(crit_b - crit_a)
    d.no_longer_critical = sorted(crit_a - crit_b)
    fa, fb = _floats(ca), _floats(cb)
    for tid in sorted(fb):
        was = fa.get(tid)
        if fb[tid] < 0 and (was is None or was >= 0):
            d.newly_late.append((tid, was if was is not None else 0, fb[tid]))
    for tid in sorted(fa):
        if fa[tid] < 0 and tid in fb and fb[tid] >= 0:
            d.back_on_time.append((tid, fa[tid], fb[tid]))
    d.later_than_before = cq.later_than_before(fa, fb)
    if b is not None:
        d.over_budget = cq.over_budget(before, after, cid)
        d.risks_on_critical = cq.risks_on_critical(before, after, pa, pb, cid)
        if a is not None and not same:
            d.goal_paths = cq.goal_paths(a, b, _fy(before), _fy(after))
    return d


def _importance(c: CampaignDiff) -> tuple:
    """Campaigns whose launch or finish slipped first (the most first), then those with other consequences."""
    slip = max(c.slip or 0, c.finish_slip or 0)
    news = (c.moved or c.newly_late or c.later_than_before or c.newly_critical or c.over_budget
            or c.goal_paths or c.risks_on_critical)
    return (0 if slip > 0 else (1 if news else 2), -slip, c.id)


def _fy(ws: Workspace) -> int:
    return ws.config.fiscal_year_start if ws.config else 1


def diff_workspaces(before: Workspace, after: Workspace, plan_before: Plan, plan_after: Plan,
                    labels: tuple[str, str], as_of: date, *, campaigns: list[str] | None = None,
                    team: bool = True) -> DiffReport:
    """The diff of every campaign (or of `campaigns`), and with `team` each person's weeks over capacity."""
    ids = sorted({c.id for c in before.campaigns} | {c.id for c in after.campaigns})
    found = [_campaign(cid, before, after, plan_before, plan_after) for cid in ids
             if not campaigns or cid in campaigns]
    found = sorted((c for c in found if c.has_news), key=_importance)
    return DiffReport(labels[0], labels[1], as_of, found,
                      compare(before.config, after.config) if before.config != after.config else [],
                      cq.overloads(before, after, plan_before, plan_after) if team else [])


def gate(report: DiffReport) -> set[str]:
    """What `--fail-on` can catch in this diff: slip (a launch or finish later), late, budget."""
    found = set()
    for c in report.campaigns:
        if (c.slip or 0) > 0 or (c.finish_slip or 0) > 0:
            found.add("slip")
        if c.newly_late or c.later_than_before:
            found.add("late")
        if c.over_budget:
            found.add("budget")
    return found
