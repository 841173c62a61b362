"""The working-day calendar: dates to working-day offsets and back.

An offset counts working days from a fixed epoch. `offset(d)` is the number
of working days before `d`, so for a working day it is that day's index and
for a weekend or holiday it is the index of the next working day: lower
bounds move forward by themselves. Both directions are arithmetic on whole
weeks plus a bisect over the holidays, never a day-by-day walk.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPOCH = date(2000, 1, 3)  # a Monday
_EPOCH_ORD = _EPOCH.toordinal()


class WorkCalendar:
    def __init__(self, workdays: Iterable[str] = WEEKDAYS[:5], holidays: Iterable[date] = ()) -> None:
        days = sorted({WEEKDAYS.index(w) for w in workdays})
        if not days:
            raise ValueError("a calendar needs at least one workday")
        self.workdays = days
        self._is_workday = [i in days for i in range(7)]
        self._per_week = len(days)
        # _before[r]: workdays among the first r days of a week (Monday first)
        self._before = [sum(1 for k in range(r) if self._is_workday[k]) for r in range(8)]
        self._holidays = sorted({h.toordinal() for h in holidays if self._is_workday[h.weekday()]})
        self._holiday_set = set(self._holidays)
        self._epoch_holidays = bisect_left(self._holidays, _EPOCH_ORD)
        self._dates: dict[int, date] = {}  # date_at memo: plans ask for the same days often
        self._offsets: dict[date, int] = {}  # and offset's

    # -- date -> offset -------------------------------------------------------
    def offset(self, d: date) -> int:
        """Working days before `d` (its index when `d` is a working day)."""
        found = self._offsets.get(d)
        if found is None:
            found = self._offsets[d] = self._offset(d)
        return found

    def _offset(self, d: date) -> int:
        o = d.toordinal()
        weeks, rest = divmod(o - _EPOCH_ORD, 7)
        plain = weeks * self._per_week + self._before[rest]
        return plain - (bisect_left(self._holidays, o) - self._epoch_holidays)

    def end_offset(self, d: date) -> int:
        """The offset just after `d`: an inclusive upper bound such as `due`."""
        return self.offset(d + timedelta(days=1))

    def is_workday(self, d: date) -> bool:
        return self._is_workday[d.weekday()] and d.toordinal() not in self._holiday_set

    # -- offset -> date -------------------------------------------------------
    def _plain_date(self, n: int) -> int:
        weeks, r = divmod(n, self._per_week)
        return _EPOCH_ORD + weeks * 7 + self.workdays[r]

    def date_at(self, k: int) -> date:
        """The working day whose offset is `k`."""
        found = self._dates.get(k)
        if found is None:
            found = self._dates[k] = self._date_at(k)
        return found

    def _date_at(self, k: int) -> date:
        # n counts workdays ignoring holidays. f(n) = n - holidays passed is
        # non-decreasing in steps of 0 or 1, so moving n by the gap never
        # overshoots; then step off a holiday onto the day that carries k.
        n = k
        while True:
            o = self._plain_date(n)
            gap = k - (n - (bisect_left(self._holidays, o) - self._epoch_holidays))
            if gap:
                n += gap
            elif o in self._holiday_set:
                n += 1
            else:
                return date.fromordinal(o)

    # -- conveniences ---------------------------------------------------------
    def next_workday(self, d: date) -> date:
        """`d` itself when it is a working day, else the next one."""
        return self.date_at(self.offset(d))

    def previous_workday(self, d: date) -> date:
        """`d` itself when it is a working day, else the one before."""
        return self.date_at(self.end_offset(d) - 1)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in [start, end)."""
        return self.offset(end) - self.offset(start)

    def shift(self, d: date, days: int) -> date:
        """The working day `days` working days after working day `d`."""
        return self.date_at(self.offset(d) + days)
