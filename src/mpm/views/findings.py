"""Status findings as data: the catalogue of codes, one Finding, the options
and the context every finder reads. `status` holds the finders; a topic's
own finders may live beside it (levelling's in `views/levelling`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask, is_forecast
from mpm.read.load import CampaignData, Workspace
from mpm.views.lines import task_line

CODES: dict[str, tuple[str, str]] = {
    "S101": ("error", "overdue"),
    "S102": ("error", "forecast past its due date"),
    "S103": ("error", "campaign forecast past its launch or end"),
    "S201": ("warning", "blocked"),
    "S202": ("warning", "should have started"),
    "S203": ("warning", "approval rejected"),
    "S204": ("warning", "approval pending, work starts soon"),
    "S205": ("warning", "over budget"),
    "S206": ("warning", "goal behind its checkpoint"),
    "S207": ("warning", "high risk without mitigation"),
    "S208": ("warning", "person over capacity"),
    "S209": ("warning", "levelling moves a launch or end past its date"),
    "S301": ("info", "due soon"),
    "S302": ("info", "risk review overdue"),
    "S210": ("warning", "two items on one channel the same day"),
    "S304": ("info", "asset refresh overdue"),
    "S305": ("info", "cadence gap"),
    "S303": ("info", "launch at risk in the forecast"),
}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

# --fail-on level -> the codes that fail the build
FAIL_ON = {
    "overdue": {"S101"},
    "at-risk": {"S101", "S102", "S103"},
    "warning": {c for c, (sev, _) in CODES.items() if sev in ("error", "warning")},
    "never": set(),
}


@dataclass
class Finding:
    code: str
    campaign: str | None
    item: str
    message: str
    file: str
    line: int
    slip_days: int | None = None  # working days late, where that applies
    owner: str | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        return CODES[self.code][1]


@dataclass
class StatusOptions:
    horizon: int = 5  # working days ahead for "soon"
    campaigns: list[str] = field(default_factory=list)
    owner: str | None = None


@dataclass
class Context:
    ws: Workspace
    plan: Plan
    as_of: date
    options: StatusOptions

    def __post_init__(self) -> None:
        cal = self.plan.calendar
        self.today = cal.offset(self.as_of)
        self.horizon_end = cal.date_at(self.today + self.options.horizon)

    def campaigns(self) -> Iterator[tuple[CampaignData, CampaignPlan]]:
        """The campaigns in view: chosen ones that are forecast (not on hold, done or cancelled)."""
        for cp in self.plan.campaigns:
            if not is_forecast(cp.data):
                continue
            if not self.options.campaigns or cp.id in self.options.campaigns:
                yield cp.data, cp

    def open_tasks(self) -> list[tuple[CampaignData, ScheduledTask]]:
        """Work not done in the campaigns in view (computed once: every finder walks it)."""
        found = self.__dict__.get("_open")
        if found is None:
            found = self.__dict__["_open"] = [(camp, t) for camp, cp in self.campaigns() for t in cp.tasks
                                              if t.status != "done" and self.mine(t.owner)]
        return found

    def mine(self, owner: str | None) -> bool:
        return self.options.owner is None or owner == self.options.owner

    def task_finding(self, code: str, camp: CampaignData, t: ScheduledTask, message: str,
                     slip: int | None = None) -> Finding:
        src = camp.sources["tasks.yaml"]
        return Finding(code, camp.id, t.id, message, src.rel, task_line(camp, t), slip, t.owner)

    @staticmethod
    def _rows(camp: CampaignData, kind: str) -> int | None:
        """Items in the file when every one of them is valid (then none is missing)."""
        rows = getattr(camp, f"{kind[:-1]}_rows")
        return len(rows) if not camp.broken_ids and rows == list(range(len(rows))) else None

    def working_days(self, a: date, b: date) -> int:
        return self.plan.calendar.offset(b) - self.plan.calendar.offset(a)


def days_text(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")
