"""What every run of a forecast draws (DESIGN §3c), and where each draw lands.

The runs are drawn in chunks of `size`, each from its own generator seeded
with (seed, chunk number), so the same files and seed give the same draws
whichever part of the network a command sweeps: each not-done task's
estimate from the PERT distribution, rounded up to whole working days, and
whether each drawn risk occurs. `plan.forecast` sweeps one cluster of
campaigns at a time over these draws: `Landing` tells which estimates and
risks reach which nodes, `Varying` which of a cluster's nodes vary and
their values run by run.
"""

from __future__ import annotations

import math

import numpy as np

from mpm.plan.uncertainty import RiskEvent, Uncertainty


def draws(unc: Uncertainty, runs: int, seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """([estimates, runs] working days drawn, [drawn risks, runs] whether each occurs)."""
    ests, drawn = unc.estimates, unc.drawn_risks
    days = np.empty((len(ests), runs), dtype=np.int32)
    occurred = np.empty((len(drawn), runs), dtype=bool)
    chance = np.array([[r.probability] for r in drawn]).reshape(-1, 1)
    fixed = [i for i, e in enumerate(ests) if e.pessimistic <= e.optimistic]
    varied = [i for i, e in enumerate(ests) if e.pessimistic > e.optimistic]
    for k, begin in enumerate(range(0, runs, size)):
        n = min(size, runs - begin)
        rng = np.random.default_rng([seed, k])
        if varied:
            shape = np.array([ests[i].shape for i in varied])
            drawn_days = rng.beta(shape[:, 0:1], shape[:, 1:2], size=(len(varied), n))
            low = np.array([[ests[i].optimistic] for i in varied])
            high = np.array([[ests[i].pessimistic] for i in varied])
            drawn_days *= high - low
            drawn_days += low
            np.ceil(drawn_days, out=drawn_days)
            np.clip(drawn_days, np.maximum(np.ceil(low), 1), np.ceil(high), out=drawn_days)
            days[varied, begin:begin + n] = drawn_days
        for i in fixed:
            days[i, begin:begin + n] = math.ceil(ests[i].optimistic)
        occurred[:, begin:begin + n] = rng.random((len(drawn), n)) < chance
    return days, occurred


class Landing:
    """Which estimates and drawn risks reach each node, and which nodes are milestones a risk
    moves (not lengthens), worked out once for every cluster swept."""

    def __init__(self, duration: list[int], fixed_start: list[int | None], unc: Uncertainty) -> None:
        self.estimates = unc.estimates
        self.risks: list[RiskEvent] = unc.drawn_risks
        self.estimates_at: dict[int, list[int]] = {}  # node -> its estimates' indices
        for k, e in enumerate(self.estimates):
            self.estimates_at.setdefault(e.node, []).append(k)
        self.risks_at: dict[int, list[int]] = {}  # node -> the indices of the risks that reach it
        for k, risk in enumerate(self.risks):
            for n in risk.nodes:
                self.risks_at.setdefault(n, []).append(k)
        self.duration, self.fixed_start = duration, fixed_start

    def milestone(self, n: int) -> bool:
        return self.duration[n] == 0 and self.fixed_start[n] is None

    def on(self, nodes: list[int]) -> tuple[list[int], list[int]]:
        """(indices of the estimates, indices of the risks) that reach any of `nodes`."""
        ests = sorted({k for n in nodes for k in self.estimates_at.get(n, ())})
        risks = sorted({k for n in nodes for k in self.risks_at.get(n, ())})
        return ests, risks


class Varying:
    """Which of a sweep's nodes vary between runs (an estimate, or a risk that lengthens them;
    milestones a risk moves are shifted instead), and every run's values for them."""

    def __init__(self, duration: list[int], landing: Landing, members: list[int], row: dict[int, int]) -> None:
        self.duration, self.members, self.row = duration, members, row
        ests, risks = landing.on(members)
        self.estimates = [(k, row[landing.estimates[k].node]) for k in ests]
        self.risks = [(k, landing.risks[k]) for k in risks]
        self.random: dict[int, int] = {}  # row -> index into the runs' duration matrix
        self.shifted: dict[int, int] = {}  # row -> index into the runs' milestone shifts
        for _, r in self.estimates:
            self.random.setdefault(r, len(self.random))
        for _, risk in self.risks:
            for n in risk.nodes:
                r = row.get(n)
                if r is None:
                    continue
                if landing.milestone(n) and r not in self.random:
                    self.shifted.setdefault(r, len(self.shifted))
                else:
                    self.random.setdefault(r, len(self.random))

    def inputs(self, days: np.ndarray, occurred: np.ndarray, runs: int) -> tuple[np.ndarray, np.ndarray]:
        """Every run's durations of the nodes that vary, and shifts of the milestones a risk moves
        (`days`, `occurred`: the runs' `draws`)."""
        dur = np.empty((len(self.random), runs), dtype=np.int32)
        for r, i in self.random.items():
            dur[i] = self.duration[self.members[r]]
        for k, r in self.estimates:
            dur[self.random[r]] = days[k]
        shift = np.zeros((len(self.shifted), runs), dtype=np.int32)
        for k, risk in self.risks:
            add = occurred[k].astype(np.int32) * risk.delay
            for n in risk.nodes:
                r = self.row.get(n)
                if r is None:
                    continue
                if r in self.shifted:
                    shift[self.shifted[r]] += add
                else:
                    dur[self.random[r]] += add
        return dur, shift
