"""What varies between forecast runs (DESIGN §3c), gathered from a workspace and its plan.

Each not-done task with an `estimate` is drawn from its PERT distribution;
each open or mitigating risk with `delay_days` and `affects` occurs with
the probability of its likelihood. A risk that cannot be drawn keeps the
reason, in a user's words, so the forecast can say why it left it out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mpm.plan.dates import Plan
from mpm.read.load import Workspace, split_ref

# chance that a risk occurs in a run, by likelihood 1–5 (§3c)
PROBABILITY = {1: 0.1, 2: 0.3, 3: 0.5, 4: 0.7, 5: 0.9}
DRAWN_STATUSES = ("open", "mitigating")


@dataclass
class Estimate:
    node: int
    optimistic: float
    likely: float
    pessimistic: float

    @property
    def shape(self) -> tuple[float, float]:
        """The PERT Beta's α and β (§3c)."""
        a, m, b = self.optimistic, self.likely, self.pessimistic
        return 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)


@dataclass
class RiskEvent:
    campaign: str
    id: str
    probability: float
    delay: int  # working days added to each affected task when it occurs
    nodes: list[int]  # not-done nodes it affects; empty: the risk is not drawn
    skipped: str | None = None  # why it is not drawn, in a user's words


@dataclass
class Uncertainty:
    estimates: list[Estimate] = field(default_factory=list)
    risks: list[RiskEvent] = field(default_factory=list)  # drawn or not: `skipped` says

    @property
    def drawn_risks(self) -> list[RiskEvent]:
        return [r for r in self.risks if r.skipped is None]


def uncertainty(ws: Workspace, plan: Plan) -> Uncertainty:
    """What varies between runs: estimates of work not done, and risks that can occur."""
    return uncertainty_of(ws, (t for cp in plan.campaigns for t in cp.tasks))


def uncertainty_of(ws: Workspace, tasks: Iterable[Any]) -> Uncertainty:
    """`uncertainty` from the plan's tasks, or from its units before the engine dated them
    (`plan.schedule.Draft`): anything with the task's `campaign` id, `task`, `status` and `node`."""
    out = Uncertainty()
    affected: dict[str, set[str]] = {}  # campaign -> ids of its tasks some risk affects
    for camp in ws.campaigns:
        for risk in camp.risks:
            for ref in risk.affects:
                where, task_id = split_ref(ref, camp.id)
                affected.setdefault(where, set()).add(task_id)
    nodes_of: dict[tuple[str, str], list[int]] = {}
    for t in tasks:
        if t.status == "done":
            continue
        task = t.task
        if task.id in affected.get(t.campaign, ()):
            nodes_of.setdefault((t.campaign, task.id), []).append(t.node)
        est = task.estimate
        if est is not None and not task.is_milestone:
            out.estimates.append(Estimate(t.node, float(est.optimistic), float(est.likely),
                                          float(est.pessimistic)))
    out.estimates.sort(key=lambda e: e.node)
    for camp in ws.campaigns:
        for risk in camp.risks:
            nodes = sorted(n for ref in risk.affects for n in nodes_of.get(split_ref(ref, camp.id), []))
            delay = math.ceil(risk.delay_days)
            reason = None
            if risk.status not in DRAWN_STATUSES:
                reason = f"it is {risk.status}"
            elif not risk.affects:
                reason = "it has no `affects`"
            elif delay <= 0:
                reason = "it has no `delay_days`"
            elif not nodes:
                reason = "every task it affects is done or cancelled"
            out.risks.append(RiskEvent(camp.id, risk.id, PROBABILITY[risk.likelihood], delay,
                                       nodes if reason is None else [], reason))
    return out
