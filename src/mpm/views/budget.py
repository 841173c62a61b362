"""Planned against actual spend, per budget line, per campaign and per category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mpm.read.load import Workspace

if TYPE_CHECKING:
    from mpm.plan.schedule import Plan


@dataclass
class Money:
    planned: float
    actual: float

    @property
    def remaining(self) -> float:
        return self.planned - self.actual

    @property
    def used(self) -> float | None:
        """Share of the plan spent (1.0 = all of it); None when nothing was planned."""
        return self.actual / self.planned if self.planned else None

    @property
    def over(self) -> bool:
        return self.actual > self.planned


@dataclass
class BudgetLine:
    category: str
    money: Money


@dataclass
class CampaignBudget:
    campaign: str
    name: str
    status: str
    total: float | None  # the budget as approved
    lines: list[BudgetLine]
    work_done: float | None = None  # share of the plan's working days done by as-of (spend vs progress)

    @property
    def lines_total(self) -> Money:
        return Money(sum(x.money.planned for x in self.lines), sum(x.money.actual for x in self.lines))

    @property
    def against_total(self) -> Money:
        """Spend against the approved total (the lines' plan when there is no total)."""
        lines = self.lines_total
        return Money(self.total if self.total is not None else lines.planned, lines.actual)


@dataclass
class BudgetView:
    currency: str
    campaigns: list[CampaignBudget]
    by_category: list[tuple[str, Money]]

    @property
    def total(self) -> Money:
        """Spend against the campaigns' approved totals (their lines' plan where they have none)."""
        return Money(sum(c.against_total.planned for c in self.campaigns),
                     sum(c.against_total.actual for c in self.campaigns))

    @property
    def lines_total(self) -> Money:
        """The sum of every budget line: what the category rows add up to."""
        return Money(sum(m.planned for _, m in self.by_category), sum(m.actual for _, m in self.by_category))


def work_done(plan: Plan, campaign: str) -> float | None:
    """Share of a campaign's planned working days that are done, or behind as-of, in the plan."""
    cp = plan.campaign(campaign)
    if cp is None:
        return None
    today = plan.calendar.offset(plan.as_of)
    total = done = 0
    for t in cp.tasks:
        total += t.days
        done += t.days if t.status == "done" else max(0, min(t.ef, today) - t.es)
    return done / total if total else None


CLOSED = ("done", "cancelled")  # their spend is final: no progress to read it against


def budget_view(ws: Workspace, campaigns: list[str] | None = None, plan: Plan | None = None) -> BudgetView:
    """Budgets per campaign and category; with a plan, how much of each campaign's work is done."""
    out = []
    categories: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for camp in ws.campaigns:
        meta = camp.campaign
        if meta is None or meta.budget is None or (campaigns and camp.id not in campaigns):
            continue
        lines = [BudgetLine(x.category, Money(x.planned, x.actual)) for x in meta.budget.lines]
        out.append(CampaignBudget(camp.id, meta.name, meta.status, meta.budget.total, lines,
                                  work_done(plan, camp.id) if plan is not None and meta.status not in CLOSED else None))
        for x in meta.budget.lines:
            key = x.category.strip().lower()
            names.setdefault(key, x.category)
            acc = categories.setdefault(key, [0.0, 0.0])
            acc[0] += x.planned
            acc[1] += x.actual
    by_category = sorted(((names[k], Money(p, a)) for k, (p, a) in categories.items()),
                         key=lambda kv: (-kv[1].planned, kv[0]))
    currency = ws.config.currency if ws.config else "USD"
    return BudgetView(currency, out, by_category)
