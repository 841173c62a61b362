"""The SMART check of a goal: which of the five the file supports, in words."""

from __future__ import annotations

from dataclasses import dataclass

from mpm.read.model import Goal


@dataclass(frozen=True)
class SmartPoint:
    letter: str  # S, M, A, R, T
    name: str  # Specific, Measurable, …
    ok: bool
    text: str  # what supports it, or what is missing


def smart_check(goal: Goal) -> list[SmartPoint]:
    points = []
    words = len(goal.statement.split())
    if words < 4:
        points.append(SmartPoint("S", "Specific", False,
                                 f"the statement has {words} word{'s' if words != 1 else ''}; "
                                 "say what changes, for whom"))
    else:
        points.append(SmartPoint("S", "Specific", True, goal.statement))

    missing = [label for label, value in (("metric", goal.metric), ("unit", goal.unit),
                                          ("baseline", goal.baseline), ("target", goal.target))
               if value is None]
    if missing:
        points.append(SmartPoint("M", "Measurable", False, "no " + ", no ".join(missing)))
    else:
        base = goal.baseline
        points.append(SmartPoint("M", "Measurable", True,
                                 f"{goal.metric}: {base.value:,.0f} → {goal.target:,.0f} {goal.unit}"))  # type: ignore[union-attr]

    points.append(SmartPoint("A", "Attainable", bool(goal.rationale),
                             goal.rationale or "no rationale: say why it is reachable "
                                               "(resources, past results)"))
    points.append(SmartPoint("R", "Relevant", bool(goal.supports),
                             f"supports: {goal.supports}" if goal.supports
                             else "does not say which business objective it supports"))
    points.append(SmartPoint("T", "Time-bound", goal.deadline is not None,
                             f"deadline {goal.deadline}" if goal.deadline else "no deadline"))
    return points


def smart_score(points: list[SmartPoint]) -> str:
    """'SMART' with a dash for each letter the goal lacks, e.g. 'SM-R-'."""
    return "".join(p.letter if p.ok else "-" for p in points)
