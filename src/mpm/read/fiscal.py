"""Fiscal quarters. A fiscal year is named for the calendar year it ends in.

With `fiscal_year_start: 4`, FY2027 runs from 2026-04-01 to 2027-03-31 and
"2027-Q1" is April–June 2026. With the default start (January) fiscal and
calendar years are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the fiscal year
    q: int  # 1..4
    start_month: int = 1  # the fiscal year's first month

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.q}"

    @property
    def start(self) -> date:
        return _first_day(self.year, self.q, self.start_month)

    @property
    def end(self) -> date:
        """The last day of the quarter (inclusive)."""
        return _last_day(self.year, self.q, self.start_month)

    def next(self) -> Quarter:
        return Quarter(self.year + (self.q == 4), self.q % 4 + 1, self.start_month)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.q == 1), (self.q - 2) % 4 + 1, self.start_month)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label


# A quarter's first and last day, worked out once: every goal's checkpoints ask for them again
# and again, for a few dozen quarters in all.
@cache
def _first_day(year: int, q: int, start_month: int) -> date:
    months = (start_month - 1) + 3 * (q - 1)
    first_year = year - (1 if start_month > 1 else 0)
    return date(first_year + months // 12, months % 12 + 1, 1)


@cache
def _last_day(year: int, q: int, start_month: int) -> date:
    return _first_day(year + (q == 4), q % 4 + 1, start_month) - timedelta(days=1)


def quarter_of(d: date, start_month: int = 1) -> Quarter:
    shifted = (d.month - start_month) % 12
    fiscal_year = d.year + (1 if start_month > 1 and d.month >= start_month else 0)
    return Quarter(fiscal_year, shifted // 3 + 1, start_month)


def parse_quarter(text: str, start_month: int = 1) -> Quarter:
    m = _LABEL.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a quarter; write it as YYYY-Qn, e.g. 2027-Q1")
    from mpm.read.fields import EARLIEST, LATEST

    year = int(m.group(1))
    if not EARLIEST.year < year <= LATEST.year:  # a fiscal year may end a year after its start
        raise ValueError(f"'{text}' is outside the years mpm plans ({EARLIEST.year + 1} to {LATEST.year})")
    return Quarter(year, int(m.group(2)), start_month)
