"""The risk register: sorted by score, a 5×5 matrix, reviews due, and the float of what is at stake.

A high risk on a task with no float left is the worst kind: if it happens,
the campaign's dates move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mpm.plan.dates import Plan, ScheduledTask
from mpm.read.load import Workspace, split_ref
from mpm.read.model import Risk

LIVE = ("open", "mitigating", "occurred")
HIGH = 15


@dataclass
class AffectedTask:
    ref: str
    name: str
    total_float: int | None  # None: not in the plan (done or cancelled)
    status: str


@dataclass
class RiskEntry:
    campaign: str
    risk: Risk
    review_overdue: bool
    affects: list[AffectedTask]

    @property
    def score(self) -> int:
        return self.risk.score

    @property
    def on_critical_work(self) -> bool:
        """A live, high risk on work with no float left."""
        return (self.risk.status in LIVE and self.score >= HIGH
                and any(a.total_float is not None and a.total_float <= 0 and a.status != "done"
                        for a in self.affects))


@dataclass
class RiskRegister:
    as_of: date
    entries: list[RiskEntry]
    # matrix[likelihood-1][impact-1] = live risks in that cell
    matrix: list[list[int]]

    @property
    def overdue_reviews(self) -> list[RiskEntry]:
        return [e for e in self.entries if e.review_overdue]


def register(ws: Workspace, plan: Plan, as_of: date, campaigns: list[str] | None = None,
             person: str | None = None) -> RiskRegister:
    entries = []
    matrix = [[0] * 5 for _ in range(5)]
    tasks_of: dict[str, dict[str, list[ScheduledTask]]] = {}  # campaign -> task id -> its scheduled tasks

    def scheduled(cid: str, tid: str) -> list[ScheduledTask]:
        """A task's scheduled tasks: a task by its ref; a series, every occurrence, from one pass
        over its campaign."""
        one = plan.by_ref.get(f"{cid}/{tid}")
        if one is not None:
            return [one]
        found = tasks_of.get(cid)
        if found is None:
            found = tasks_of[cid] = {}
            cp = plan.campaign(cid)
            for t in cp.tasks if cp else []:
                found.setdefault(t.task.id, []).append(t)
        return found.get(tid, [])

    for camp in ws.campaigns:
        if campaigns and camp.id not in campaigns:
            continue
        for risk in camp.risks:
            if person is not None and risk.owner != person:
                continue
            affected = []
            for ref in risk.affects:
                cid, tid = split_ref(ref, camp.id)
                hits = scheduled(cid, tid)
                open_hits = [t for t in hits if t.status != "done"] or hits
                target = ws.campaign(cid)
                record = target.task(tid) if target else None
                name = record.name if record else tid
                status = record.status if record else "unknown"
                tf = min((t.total_float for t in open_hits), default=None)
                affected.append(AffectedTask(f"{cid}/{tid}" if cid != camp.id else tid, name, tf, status))
            live = risk.status in LIVE
            overdue = live and risk.review_by is not None and risk.review_by < as_of
            if live:
                matrix[risk.likelihood - 1][risk.impact - 1] += 1
            entries.append(RiskEntry(camp.id, risk, overdue, affected))
    entries.sort(key=lambda e: (e.risk.status not in LIVE, -e.score, -e.risk.impact, e.campaign, e.risk.id))
    return RiskRegister(as_of, entries, matrix)


def zone(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    return "high" if score >= HIGH else ("medium" if score >= 8 else "low")
