"""The records of a workspace (DESIGN §2) as Pydantic models.

Shapes, enumerations, ranges and the rules between fields of one record live
here; rules that need more than one record live in `mpm.check`. A rule that
breaks raises a PydanticCustomError whose context names the field it is
about, so `validate` can point at that field's line. The types and `@record`
come from `mpm.read.fields`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from mpm.read.content_model import Asset, Occurrence
from mpm.read.fields import (
    DONE_BEFORE_STARTED,
    QUARTER_PATTERN,
    ApprovalStatus,
    CampaignStatus,
    Day,
    Days,
    DependencyType,
    Flag,
    Float,
    Hours,
    Lag,
    Number,
    Phase,
    Record,
    RiskCategory,
    RiskStatus,
    Slug,
    StakeholderKind,
    TaskRef,
    TaskStatus,
    Text,
    Weekday,
    record,
    rule,
)
from mpm.read.playbook_model import PlaybookInfo

# -- mpm.yaml -----------------------------------------------------------------


@record
class Holiday:
    date: Day
    name: Text | None = None


def _holiday_entry(value: Any) -> Any:
    return {"date": value} if isinstance(value, (str, date)) else value


@record
class TimeOff:
    from_: Day = Field(alias="from")
    to: Day
    note: Text | None = None

    @model_validator(mode="after")
    def _order(self) -> TimeOff:
        if self.to < self.from_:
            raise rule("mpm_order", "to", "time off ends ({to}) before it starts ({start})",
                       to=str(self.to), start=str(self.from_),
                       hint="`from` is the first day off and `to` the last: swap them, or fix the mistyped one")
        return self


@record
class Person:
    id: Slug
    name: Text
    role: Text | None = None
    capacity_hours_per_week: Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=168)] = 40
    # the days this person works; None: the calendar's (a 4-day week: [mon, tue, wed, thu])
    workdays: list[Weekday] | None = None
    time_off: list[TimeOff] = Field(default_factory=list)

    @field_validator("workdays")
    @classmethod
    def _works_some_day(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and not v:
            raise PydanticCustomError("mpm_inconsistent", "a person's workdays cannot be empty",
                                      {"hint": "leave `workdays` out to use the calendar's, or list the days "
                                               "this person works, e.g. [mon, tue, wed]"})
        return v


@record
class Calendar:
    workdays: list[Weekday] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    holidays: list[Annotated[Holiday, BeforeValidator(_holiday_entry, json_schema_input_type=Day | Holiday)]] = (
        Field(default_factory=list))

    @field_validator("workdays")
    @classmethod
    def _some_workdays(cls, v: list[str]) -> list[str]:
        if not v:
            raise PydanticCustomError("mpm_inconsistent", "a calendar needs at least one workday",
                                      {"hint": "list the days the team works, e.g. [mon, tue, wed, thu, fri], "
                                               "or leave `workdays` out for Monday to Friday"})
        return v


@record
class Planning:
    # plan within people's hours (DESIGN §3b)
    level: Flag = False


@record
class WorkspaceConfig:
    name: Text
    fiscal_year_start: Annotated[int, Strict(), Field(ge=1, le=12)] = 1
    currency: Annotated[str, Strict(), Field(pattern=r"^[A-Z]{3}$")] = "USD"
    hours_per_day: Annotated[float, Strict(), Field(allow_inf_nan=False, gt=0, le=24)] = 8
    calendar: Calendar = Field(default_factory=Calendar)
    team: list[Person] = Field(default_factory=list)
    planning: Planning = Field(default_factory=Planning)
    # playbook role -> the person who plays it (`mpm new campaign --playbook`)
    assign: dict[Slug, Slug] = Field(default_factory=dict)


# -- campaign.yaml ------------------------------------------------------------


@record
class Scope:
    in_: list[Text] = Field(default_factory=list, alias="in")
    out: list[Text] = Field(default_factory=list)


@record
class BudgetLine:
    category: Text
    planned: Number = 0
    actual: Number = 0


@record
class Budget:
    total: Number | None = None
    lines: list[BudgetLine] = Field(default_factory=list)


@record
class Stakeholder:
    name: Text
    role: Text | None = None
    kind: StakeholderKind = "internal"
    interest: Text | None = None


@record
class Campaign:
    name: Text
    type: Text | None = None
    client: Text | None = None
    owner: Slug | None = None
    status: CampaignStatus = "active"
    objective: Text | None = None
    audience: Text | None = None
    message: Text | None = None
    cta: Text | None = None
    channels: list[Text] = Field(default_factory=list)
    scope: Scope | None = None
    start: Day | None = None
    launch: Day | None = None
    end: Day | None = None
    budget: Budget | None = None
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    lessons: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Campaign:
        if self.start and self.end and self.end < self.start:
            raise rule("mpm_order", "end", "the campaign ends ({end}) before it starts ({start})",
                       end=str(self.end), start=str(self.start),
                       hint="`end` is the campaign's last day, on or after `start`: fix the mistyped one")
        if self.start and self.launch and self.launch < self.start:
            raise rule("mpm_order", "launch", "launch ({launch}) is before the campaign start ({start})",
                       launch=str(self.launch), start=str(self.start),
                       hint="the launch falls within the campaign: move `start` earlier or `launch` later")
        if self.launch and self.end and self.launch > self.end:
            raise rule("mpm_order", "launch", "launch ({launch}) is after the campaign end ({end})",
                       launch=str(self.launch), end=str(self.end),
                       hint="the launch falls within the campaign: move `end` later or `launch` earlier")
        return self


# -- goals.yaml ---------------------------------------------------------------


@record
class Baseline:
    value: Float
    date: Day | None = None


@record
class Measurement:
    date: Day
    value: Float
    note: Text | None = None


@record
class Goal:
    id: Slug
    statement: Text
    metric: Text | None = None
    unit: Text | None = None
    baseline: Baseline | None = None
    target: Float | None = None
    deadline: Day | None = None
    owner: Slug | None = None
    supports: Text | None = None
    rationale: Text | None = None
    checkpoints: dict[Annotated[str, Strict(), Field(pattern=QUARTER_PATTERN)], Float] = Field(default_factory=dict)
    measurements: list[Measurement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _deadline_after_baseline(self) -> Goal:
        if self.deadline and self.baseline and self.baseline.date and self.deadline <= self.baseline.date:
            raise rule("mpm_order", "deadline", "the deadline ({deadline}) is not after the baseline date ({base})",
                       deadline=str(self.deadline), base=str(self.baseline.date),
                       hint="the baseline is where the metric stood before the work; the deadline is when "
                            "the target is due, after it")
        return self


# -- tasks.yaml ---------------------------------------------------------------


@record
class Dependency:
    task: TaskRef
    type: DependencyType = "FS"
    lag: Lag = 0


def _dependency_entry(value: Any) -> Any:
    return {"task": value} if isinstance(value, str) else value


@record
class Approval:
    by: Text
    status: ApprovalStatus = "pending"
    note: Text | None = None


@record
class Estimate:
    optimistic: Days
    likely: Days
    pessimistic: Days

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if not self.optimistic <= self.likely <= self.pessimistic:
            raise rule("mpm_order", "likely", "an estimate needs optimistic ≤ likely ≤ pessimistic "
                       "(got {o} / {l} / {p})", o=f"{self.optimistic:g}", l=f"{self.likely:g}",
                       p=f"{self.pessimistic:g}",
                       hint="optimistic is the fewest working days it could take, pessimistic the most, "
                            "likely in between")
        return self


@record
class Task:
    id: Slug
    name: Text
    owner: Slug | None = None
    phase: Phase | None = None
    channel: Text | None = None
    deliverable: Text | None = None
    duration: Days | None = None
    milestone: Flag = False
    # hours of the owner's time, or {person: hours} when several people share the work
    effort: Hours | dict[Slug, Hours] | None = None
    # who gets a busy person's hours first when plans are levelled (DESIGN §3b)
    priority: Annotated[int, Strict(), Field(ge=1, le=1000)] = 500
    estimate: Estimate | None = None
    depends_on: list[Annotated[Dependency, BeforeValidator(
        _dependency_entry, json_schema_input_type=TaskRef | Dependency)]] = Field(default_factory=list)
    start: Day | None = None
    due: Day | None = None
    status: TaskStatus = "todo"
    started_on: Day | None = None
    done_on: Day | None = None
    approvals: list[Approval] = Field(default_factory=list)
    repeat: Text | None = None
    occurrences: dict[Day, Occurrence] = Field(default_factory=dict)
    asset: TaskRef | None = None
    tags: list[Text] = Field(default_factory=list)

    @field_validator("repeat")
    @classmethod
    def _rrule_parses(cls, v: str | None) -> str | None:
        if v is not None:
            from mpm.read.rrule import HINT, rrule_problem

            problem = rrule_problem(v)
            if problem:
                raise PydanticCustomError("mpm_rrule", "{problem}", {"problem": problem, "hint": HINT})
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Task:
        if self.duration is None and not self.milestone:
            raise rule("mpm_missing", "duration", "task '{id}' has no duration",
                       id=self.id, hint="give working days (`duration: 3`), or `milestone: true`")
        if self.milestone and self.duration:
            raise rule("mpm_inconsistent", "duration",
                       "a milestone takes no time, but task '{id}' has duration {d}",
                       id=self.id, d=f"{self.duration:g}",
                       hint="remove `duration` to keep it a milestone, or remove `milestone: true` to make it "
                            "work that takes days")
        if self.is_milestone and self.effort:
            raise rule("mpm_inconsistent", "effort",
                       "milestone '{id}' has effort {e}; a milestone has no effort",
                       id=self.id, e=(f"{self.effort:g} h" if not isinstance(self.effort, dict)
                                      else "for " + ", ".join(self.effort)),
                       hint="remove `effort`, and give the hours to the task that leads up to the milestone")
        if self.started_on and self.done_on and self.done_on < self.started_on:
            raise rule("mpm_order", "done_on", "done_on ({done}) is before started_on ({started})",
                       done=str(self.done_on), started=str(self.started_on), hint=DONE_BEFORE_STARTED)
        if self.repeat:
            from mpm.read.rrule import never_problem

            problem = never_problem(self.repeat, self.start)
            if problem:
                raise rule("mpm_rrule", "repeat", problem)
        if self.occurrences and not self.repeat:
            raise rule("mpm_inconsistent", "occurrences", "task '{id}' has occurrences but does not repeat",
                       id=self.id, hint="occurrences belong to a task with `repeat:`")
        return self

    @property
    def is_milestone(self) -> bool:
        return self.milestone or self.duration == 0

    @property
    def days(self) -> int:
        """Working days the task occupies (fractions round up to a whole day)."""
        d = self.duration or 0
        whole = int(d)
        return whole if whole == d else whole + 1


# -- risks.yaml ---------------------------------------------------------------


@record
class Risk:
    id: Slug
    title: Text
    category: RiskCategory = "other"
    likelihood: Annotated[int, Strict(), Field(ge=1, le=5)]
    impact: Annotated[int, Strict(), Field(ge=1, le=5)]
    owner: Slug | None = None
    mitigation: Text | None = None
    contingency: Text | None = None
    status: RiskStatus = "open"
    review_by: Day | None = None
    affects: list[TaskRef] = Field(default_factory=list)
    delay_days: Days = 0

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


# The file kinds: file name -> (what the root holds, the record type).
FILE_KINDS: dict[str, tuple[str, type[Record]]] = {
    "mpm.yaml": ("mapping", WorkspaceConfig),
    "campaign.yaml": ("mapping", Campaign),
    "goals.yaml": ("list", Goal),
    "tasks.yaml": ("list", Task),
    "risks.yaml": ("list", Risk),
    "assets.yaml": ("list", Asset),
    "playbook.yaml": ("mapping", PlaybookInfo),
}

SCHEMA_KINDS = {"workspace": "mpm.yaml", "campaign": "campaign.yaml", "goals": "goals.yaml",
                "tasks": "tasks.yaml", "risks": "risks.yaml", "assets": "assets.yaml", "playbook": "playbook.yaml"}
