"""What changed between two versions of a workspace, in plan terms.

Records are compared field by field (lists of things by their natural key:
budget lines by category, dependencies by task, measurements by date), and
both versions are scheduled with the same as-of date so the report can say
what the change does to each campaign's finish, its critical path and its
deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mpm.plan.dates import CampaignPlan, Plan
from mpm.read.fields import dump
from mpm.read.load import CampaignData, Workspace

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

    @property
    def has_news(self) -> bool:
        return bool(self.status != "unchanged" or self.fields or self.records or self.finish_slip
                    or self.newly_critical or self.no_longer_critical or self.newly_late or self.back_on_time)


@dataclass
class DiffReport:
    before: str
    after: str
    as_of: date
    campaigns: list[CampaignDiff]
    workspace: list[Change]  # mpm.yaml


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
        else:
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


def _campaign(cid: str, a: CampaignData | None, b: CampaignData | None,
              pa: Plan, pb: Plan) -> CampaignDiff:
    status = "added" if a is None else ("removed" if b is None else "unchanged")
    d = CampaignDiff(cid, status)
    if a is not None and b is not None:
        d.fields = compare(a.campaign, b.campaign)
        d.records = (_records("task", a.tasks, b.tasks) + _records("goal", a.goals, b.goals)
                     + _records("risk", a.risks, b.risks))
        if d.fields or d.records:
            d.status = "changed"
    elif b is not None:
        d.records = [RecordDiff("task", t.id, "added") for t in b.tasks]
    ca, cb = pa.campaign(cid), pb.campaign(cid)
    d.finish_before = ca.finish if ca else None
    d.finish_after = cb.finish if cb else None
    if d.finish_before and d.finish_after:
        d.finish_slip = pb.calendar.offset(d.finish_after) - pb.calendar.offset(d.finish_before)
    crit_a, crit_b = _critical(ca), _critical(cb)
    d.newly_critical = sorted(crit_b - crit_a)
    d.no_longer_critical = sorted(crit_a - crit_b)
    fa, fb = _floats(ca), _floats(cb)
    for tid in sorted(fb):
        before = fa.get(tid)
        if fb[tid] < 0 and (before is None or before >= 0):
            d.newly_late.append((tid, before if before is not None else 0, fb[tid]))
    for tid in sorted(fa):
        if fa[tid] < 0 and tid in fb and fb[tid] >= 0:
            d.back_on_time.append((tid, fa[tid], fb[tid]))
    return d


def diff_workspaces(before: Workspace, after: Workspace, plan_before: Plan, plan_after: Plan,
                    labels: tuple[str, str], as_of: date) -> DiffReport:
    ids = sorted({c.id for c in before.campaigns} | {c.id for c in after.campaigns})
    campaigns = [_campaign(cid, before.campaign(cid), after.campaign(cid), plan_before, plan_after)
                 for cid in ids]
    return DiffReport(labels[0], labels[1], as_of, [c for c in campaigns if c.has_news],
                      compare(before.config, after.config))
