"""Goal progress: checkpoints, the value expected by a date, and where a goal stands.

A goal's path runs from its baseline through one checkpoint per fiscal
quarter (at the quarter's last day) to its target at the deadline. Written
checkpoints are used as they are; missing ones are interpolated linearly
from baseline to target. Between two points the expected value is linear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from mpm.read.fiscal import parse_quarter, quarter_of
from mpm.read.model import Goal, Measurement


@dataclass(frozen=True)
class Checkpoint:
    quarter: str
    day: date  # the day the value is due: the quarter's end, or the deadline
    value: float
    written: bool  # False: interpolated


@dataclass(frozen=True)
class GoalStanding:
    state: str  # achieved | missed | behind | on-track | no-data
    actual: Measurement | None
    expected: float | None  # expected value at the actual measurement's date
    progress: float | None  # share of the way from baseline to target (1.0 = done)
    forecast: float | None  # trend of the measurements, at the deadline
    checkpoint: Checkpoint | None  # the checkpoint of the as-of quarter


def increasing(goal: Goal) -> bool:
    base = goal.baseline.value if goal.baseline else None
    return goal.target is None or base is None or goal.target >= base


def checkpoints(goal: Goal, fy_start: int = 1) -> list[Checkpoint]:
    written = {}
    for label, value in goal.checkpoints.items():
        q = parse_quarter(label, fy_start)
        day = min(q.end, goal.deadline) if goal.deadline else q.end
        written[label] = Checkpoint(label, day, value, True)
    base = goal.baseline
    if base is None or base.date is None or goal.target is None or goal.deadline is None:
        return sorted(written.values(), key=lambda c: c.day)
    span = (goal.deadline - base.date).days
    out = dict(written)
    q = quarter_of(base.date, fy_start)
    if q.end <= base.date:
        q = q.next()
    last = quarter_of(goal.deadline, fy_start)
    while q <= last:
        if q.label not in out:
            day = min(q.end, goal.deadline)
            share = (day - base.date).days / span if span > 0 else 1.0
            value = base.value + (goal.target - base.value) * share
            out[q.label] = Checkpoint(q.label, day, round(value, 4), False)
        q = q.next()
    return sorted(out.values(), key=lambda c: c.day)


def expected_at(goal: Goal, day: date, fy_start: int = 1, points: list[Checkpoint] | None = None) -> float | None:
    """The value the goal's path expects on `day` (None before it is defined); `points`: the
    goal's `checkpoints`, when the caller has them."""
    return value_on(path(goal, checkpoints(goal, fy_start) if points is None else points), day)


def path(goal: Goal, points: list[Checkpoint]) -> list[tuple[date, float]]:
    """The goal's path: the baseline, then its checkpoints, by date."""
    out: list[tuple[date, float]] = []
    if goal.baseline is not None and goal.baseline.date is not None:
        out.append((goal.baseline.date, goal.baseline.value))
    out += [(c.day, c.value) for c in points]
    out.sort()
    return out


def value_on(points: list[tuple[date, float]], day: date) -> float | None:
    """The value of a path on `day`, in a straight line between its points."""
    if not points:
        return None
    if day <= points[0][0]:
        return points[0][1] if len(points) == 1 or day == points[0][0] else None
    for (d0, v0), (d1, v1) in pairwise(points):
        if d0 <= day <= d1:
            if d1 == d0:
                return v1
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return points[-1][1]


def latest(goal: Goal, as_of: date) -> Measurement | None:
    seen = [m for m in goal.measurements if m.date <= as_of]
    return max(seen, key=lambda m: m.date) if seen else None


def forecast(goal: Goal, as_of: date) -> float | None:
    """Least-squares trend of baseline and measurements, read at the deadline."""
    if goal.deadline is None:
        return None
    points = [(m.date.toordinal(), m.value) for m in goal.measurements if m.date <= as_of]
    if goal.baseline is not None and goal.baseline.date is not None:
        points.append((goal.baseline.date.toordinal(), goal.baseline.value))
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    slope = sxy / sxx
    return round(my + slope * (goal.deadline.toordinal() - mx), 2)


def standing(goal: Goal, as_of: date, fy_start: int = 1, points: list[Checkpoint] | None = None) -> GoalStanding:
    """Where the goal stands on `as_of`; `points`: its `checkpoints`, when the caller has them."""
    points = checkpoints(goal, fy_start) if points is None else points
    actual = latest(goal, as_of)
    up = increasing(goal)
    current = quarter_of(as_of, fy_start).label
    checkpoint = next((c for c in points if c.quarter == current), None)
    trend = forecast(goal, as_of)
    base = goal.baseline.value if goal.baseline else None
    progress = None
    if actual is not None and base is not None and goal.target is not None and goal.target != base:
        progress = round((actual.value - base) / (goal.target - base), 4)

    def reached(value: float, bar: float) -> bool:
        return value >= bar if up else value <= bar

    if actual is None:
        state = "missed" if goal.deadline and as_of > goal.deadline else "no-data"
        return GoalStanding(state, None, None, progress, trend, checkpoint)
    expected = expected_at(goal, actual.date, fy_start, points)
    if goal.target is not None and reached(actual.value, goal.target):
        state = "achieved"
    elif goal.deadline is not None and as_of > goal.deadline:
        state = "missed"
    elif expected is not None and not reached(actual.value, expected):
        state = "behind"
    else:
        state = "on-track"
    return GoalStanding(state, actual, None if expected is None else round(expected, 2),
                        progress, trend, checkpoint)


@dataclass(frozen=True)
class GoalReport:
    campaign: str
    goal: Goal
    standing: GoalStanding
    checkpoints: list[Checkpoint]
    expected_today: float | None


def goal_reports(ws, as_of: date, campaigns: list[str] | None = None,
                 person: str | None = None) -> list[GoalReport]:
    """Every goal of the workspace (or of `campaigns`, or owned by `person`) with where it stands on `as_of`."""
    fy = ws.config.fiscal_year_start if ws.config else 1
    out = []
    for camp in ws.campaigns:
        if campaigns and camp.id not in campaigns:
            continue
        for goal in camp.goals:
            if person is not None and goal.owner != person:
                continue
            points = checkpoints(goal, fy)
            expected = expected_at(goal, as_of, fy, points)
            out.append(GoalReport(camp.id, goal, standing(goal, as_of, fy, points), points,
                                  None if expected is None else round(expected, 2)))
    return out
