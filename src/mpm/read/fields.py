"""The vocabulary records are written in: strict scalar types, the
enumerations of DESIGN §2, and `@record`, which makes a class a strict,
slotted Pydantic dataclass. `mpm.read.model` declares the records with it.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
)
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from mpm.read.names import SLUG_PATTERN, TASK_REF_PATTERN

QUARTER_PATTERN = r"^(?:19|20|21)\d\d-Q[1-4]$"  # within the years of EARLIEST..LATEST
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The window of dates mpm plans in, and the largest amounts it takes. Beyond
# them a plan's arithmetic overflows the calendar (year 9999) or means
# nothing; `check` says so at the value instead of a later command crashing.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MAX_DAYS = 5000  # working days: about twenty years
MAX_HOURS = MAX_DAYS * 24
MAX_AMOUNT = 1e12  # money, KPI values


def date_problem(d: date) -> str | None:
    """Why `d` is outside the window mpm plans in, or None."""
    if EARLIEST <= d <= LATEST:
        return None
    return f"{d.isoformat()} is outside the dates mpm plans ({EARLIEST.isoformat()} to {LATEST.isoformat()})"


# Every date text found good, and its day: a workspace writes the same few thousand dates
# across hundreds of thousands of fields, and a look-up is a tenth of the checks.
_GOOD_DATES: dict[str, date] = {}


def _parse_date(value: Any) -> Any:
    if type(value) is str:
        day = _GOOD_DATES.get(value)
        if day is not None:
            return day
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_TEXT.match(value):
        raise PydanticCustomError(
            "mpm_date_format", "expected a date written YYYY-MM-DD, got {got}",
            {"got": repr(value), "hint": date_hint(value)}
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "mpm_date_real", "{got} is not a real date",
            {"got": value, "hint": "check the month (01-12) and the day of that month"}
        ) from None
    problem = date_problem(day)
    if problem:
        raise PydanticCustomError("mpm_date_range", problem, {"hint": "check the year"})
    if type(value) is str:
        _GOOD_DATES[value] = day
    return day


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")
_LOOSE_ISO = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?\S*)?\s*")
_MONTH_NAMED = re.compile(r"\s*(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                          r"[a-z]*\.?\s*(?:(\d{1,2})(?:st|nd|rd|th)?)?,?\s*(\d{4})?\s*", re.IGNORECASE)


def date_hint(value: Any) -> str:
    """How to write `value` as a date: both readings of 04/01/2027 when both are dates."""
    found = _DAY_MONTH_YEAR.fullmatch(value) if isinstance(value, str) else None
    if found:
        a, b, year = (int(x) for x in found.groups())
        readings = []
        for day, month in ((a, b), (b, a)):
            with contextlib.suppress(ValueError):
                d = date(year, month, day)
                if d not in (r for r, _ in readings):
                    readings.append((d, f"{d.day} {_MONTHS[d.month - 1]}"))
        if readings:
            return "write it as " + " or ".join(f"{d.isoformat()} ({said})" for d, said in readings)
    loose = _LOOSE_ISO.fullmatch(value) if isinstance(value, str) else None
    if loose:  # 2026-11-7, 2026/11/07, 2026-11-27T10:00
        with contextlib.suppress(ValueError):
            d = date(*(int(x) for x in loose.groups()))
            timed = "T" in value or ":" in value
            return f"write it as {d.isoformat()}" + (": mpm plans whole days, without a time" if timed else "")
    named = _MONTH_NAMED.fullmatch(value) if isinstance(value, str) else None
    if named and (named.group(1) or named.group(3)):  # Nov 27, 27 November 2026
        day = named.group(1) or named.group(3)
        month = next(i for i, m in enumerate(_MONTHS, 1) if m.lower().startswith(named.group(2).lower()[:3]))
        year = named.group(4)
        with contextlib.suppress(ValueError):
            shown = date(int(year) if year else 2000, month, int(day)).strftime("%m-%d")
            return f"write it as {year}-{shown}" if year else f"write it with its year, as YYYY-{shown}"
    return "write dates as year-month-day with a dash, e.g. 2027-03-31"


DONE_BEFORE_STARTED = "work is done on or after the day it started: fix the mistyped date"


def rule(kind: str, field: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A broken cross-field rule, pointing at `field`."""
    return PydanticCustomError(kind, message, {"field": field, **ctx})


# Every scalar is strict: YAML's 3 is not the text "3", "3" is not a number,
# and "yes" is not true.
Day = Annotated[date, BeforeValidator(_parse_date)]
Text = Annotated[str, Strict()]
Slug = Annotated[str, Strict(), Field(pattern=SLUG_PATTERN)]
TaskRef = Annotated[str, Strict(), Field(pattern=TASK_REF_PATTERN)]
Float = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=MAX_AMOUNT)]
Days = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=MAX_DAYS)]
Hours = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=MAX_HOURS)]
Lag = Annotated[int, Strict(), Field(ge=-MAX_DAYS, le=MAX_DAYS)]
Whole = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CampaignStatus = Literal["proposed", "active", "on-hold", "done", "cancelled"]
TaskStatus = Literal["todo", "in-progress", "blocked", "done", "cancelled"]
Phase = Literal["strategy", "initiation", "planning", "execution", "monitoring", "closure"]
DependencyType = Literal["FS", "SS", "FF", "SF"]
ApprovalStatus = Literal["pending", "approved", "rejected"]
RiskCategory = Literal["technical", "market", "organizational", "legal", "vendor", "other"]
RiskStatus = Literal["open", "mitigating", "occurred", "closed"]
StakeholderKind = Literal["internal", "external"]
OccurrenceStatus = Literal["todo", "in-progress", "blocked", "done", "skipped"]
AssetKind = Literal["blog-post", "guide", "ebook", "whitepaper", "case-study", "video", "webinar", "podcast",
                    "email", "newsletter", "social-post", "landing-page", "press-release", "infographic",
                    "deck", "other"]
AssetStatus = Literal["idea", "draft", "in-review", "approved", "published", "retired"]


_CONFIG = ConfigDict(extra="forbid", defer_build=True, json_schema_extra={"patternProperties": {"^x-": {}}})


def record(cls: type) -> Any:
    """A strict record: unknown keys are errors, `x-…` keys are the team's own.

    Records are slotted Pydantic dataclasses: a workspace holds hundreds of
    thousands of them, and a slotted instance is a quarter of the size of a
    model's. `x-…` keys are taken out by `validate.without_extensions` before
    validation: cheaper than a validator on every record.
    """
    return dataclass(config=_CONFIG, slots=True, kw_only=True)(cls)


Record = Any  # any class made by @record


def is_record(t: Any) -> bool:
    return isinstance(t, type) and "__pydantic_fields__" in t.__dict__ and hasattr(t, "__dataclass_fields__")


def record_fields(t: type) -> dict[str, FieldInfo]:
    """The keys a record takes as written in files (aliases), with their fields."""
    return {(f.alias or n): f for n, f in t.__pydantic_fields__.items()}  # type: ignore[attr-defined]


def dump(rec: Any, mode: str = "json", **options: Any) -> dict[str, Any]:
    """A record as data keyed as in files (JSON-ready unless mode="python")."""
    return adapter(type(rec)).dump_python(rec, mode=mode, by_alias=True, **options)


def dump_all(recs: list[Any], **options: Any) -> list[dict[str, Any]]:
    """Records of one type as JSON-ready data keyed as in files, in one call (a list of a
    thousand tasks is dumped a fifth faster than record by record)."""
    if not recs:
        return []
    return adapter(list[type(recs[0])]).dump_python(recs, mode="json", by_alias=True, **options)


@cache
def adapter(t: Any) -> TypeAdapter[Any]:
    """The one TypeAdapter of a record type (or `list[Record]`), built on first use."""
    return TypeAdapter(t)
