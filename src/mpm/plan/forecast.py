"""Schedule risk (DESIGN §3c): the §3 forward pass run thousands of times at once.

What varies between runs comes from `plan.uncertainty`: each not-done task
with an `estimate` draws its duration from the PERT distribution, rounded up
to whole working days; each risk that can occur does so with the probability
of its likelihood and then delays every not-done task it affects (a
milestone: its date moves by the delay). `simulate` makes one
topological sweep over the engine's network in which each node's
work is an array operation over all runs of a chunk (a node no run changes
is dated once, by `plan.fixed_nodes`), and the same for the backward pass
when criticality is wanted. Runs are chunked so memory stays
bounded at 100,000 tasks (and on two cores, independent campaigns are swept
in two halves: `plan.forecast_halves`); the draws of a chunk come from its own generator,
seeded with (seed, chunk number), and the chunk size depends only on the
network, so the same files and seed give the same numbers whichever
campaigns a command looks at.

An instant's kind (start or end of a working day, §3) travels with it: a
start is kept as the key `2·offset + 1` for a start-of-day instant and
`2·offset` for an end-of-day one, so the latest constraint, start-of-day
winning ties, is one `max` over keys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from mpm.plan import engine, forecast_halves
from mpm.plan.fixed_nodes import GENERAL, LOW, MILESTONE, WORK, FixedNodes
from mpm.plan.forecast_halves import Half, chunks, halves
from mpm.plan.uncertainty import Uncertainty
from mpm.read.beside import Beside, second_core

# bytes of chunk arrays per node and run: two keys (then late dates), total float, float checks
_BYTES_PER_NODE_RUN = 16
_CHUNK_BUDGET = 640 * 1024 * 1024


@dataclass
class Samples:
    """What the runs gave, run by run (arrays of shape [..., runs])."""

    runs: int
    finish: dict[int, np.ndarray]  # campaign group -> shown finish offset
    points: dict[int, np.ndarray]  # node -> shown date offset (launch milestones)
    critical: np.ndarray | None  # node -> runs in which it is critical (None: not asked)
    durations: np.ndarray  # [estimates, runs]: each estimate's drawn working days
    occurred: np.ndarray  # [drawn risks, runs]: whether each risk occurred


def chunk_size(nodes: int) -> int:
    """Runs per chunk: memory stays under the budget; a function of the network alone."""
    fit = _CHUNK_BUDGET // (_BYTES_PER_NODE_RUN * max(nodes, 1))
    return int(max(64, min(2048, fit // 64 * 64)))


def simulate(net: engine.Network, unc: Uncertainty, *, runs: int, seed: int,
             extra_links: list[tuple[int, int]] | None = None, groups: list[int] | None = None,
             points: list[int] | None = None, criticality: bool = True,
             order: list[int] | None = None, split: bool = True) -> Samples:
    """Run the forecast: `runs` forward passes (and backward passes for criticality).

    `extra_links`: more FS links (lag 0) as (predecessor node, successor node),
    on top of the network's dependencies: a levelled plan passes its resource
    links here, so each run keeps people's order of work. `groups`: the
    campaigns whose finish is wanted (default all); `points`: nodes whose
    shown date is wanted (launch milestones). Without criticality only the
    ancestors of what is wanted are swept. `order`: a topological order of `net` when the
    caller has one (the plan's, when there are no extra links). `split`: whether a large
    sweep may take the second core (not when something else has it).
    """
    if runs < 1:
        raise ValueError("a forecast needs at least one run")
    if extra_links:
        preds = [list(p) for p in net.preds]
        for a, b in extra_links:
            preds[b].append((a, engine.FS, 0))
        net = replace(net, preds=preds)
        order = None
    if order is None:
        order, _ = engine.topological_order(net)
    all_groups = sorted(set(net.group))
    groups = all_groups if groups is None else sorted(set(groups))
    points = sorted(set(points or []))
    if not criticality:
        order = forecast_halves.ancestors(net, order, groups, points)
    elif len(groups) < len(all_groups):  # some campaigns: the clusters they are in (no more is read)
        order = forecast_halves.joined(net, order, groups, points)

    def sweep(half: Half) -> list[tuple]:
        return chunks(_Sweep(net, unc, half.order, half.groups, half.points, criticality), runs, seed,
                      chunk_size(net.size))

    worth_it = split and runs * len(order) >= forecast_halves.SPLIT_WORK and second_core()
    split = halves(net, order, groups, points) if worth_it else None
    if split is None:
        results = sweep(Half(order, groups, points))
    else:  # one half in a child, the other here; the child's runs, if it gives none
        child = Beside(lambda: sweep(split[1]))
        mine = sweep(split[0])
        theirs = child.result_or(lambda: sweep(split[1]))
        results = [({**a[0], **b[0]}, {**a[1], **b[1]}, a[2] + b[2] if criticality else None, a[3], a[4])
                   for a, b in zip(mine, theirs, strict=True)]
    cat = np.concatenate
    return Samples(
        runs=runs,
        finish={g: cat([r[0][g] for r in results]) for g in groups},
        points={n: cat([r[1][n] for r in results]) for n in points},
        critical=sum(r[2] for r in results) if criticality else None,  # type: ignore[arg-type]
        durations=cat([r[3] for r in results], axis=1),
        occurred=cat([r[4] for r in results], axis=1),
    )


class _Sweep:
    """The static part of the runs, prepared once: per node, what its work is."""

    def __init__(self, net: engine.Network, unc: Uncertainty, order: list[int], groups: list[int],
                 points: list[int], criticality: bool) -> None:
        self.net, self.unc, self.criticality = net, unc, criticality
        members = sorted(order, key=lambda n: (net.group[n], n))  # rows grouped by campaign
        self.row = row = {n: i for i, n in enumerate(members)}
        self.n = len(members)
        self.order = [row[n] for n in order]
        self.group_rows: dict[int, list[int]] = {}
        for i, n in enumerate(members):
            self.group_rows.setdefault(net.group[n], []).append(i)
        self.groups = groups
        self.points = [row[n] for n in points]
        self.point_nodes = points
        self.est_rows = [row.get(e.node, -1) for e in unc.estimates]
        drawn = unc.drawn_risks
        # which nodes vary between runs: estimates, and tasks a risk can delay
        milestone = [net.duration[n] == 0 and net.fixed_start[n] is None for n in range(net.size)]
        self.random: dict[int, int] = {}  # row -> index into the chunk's duration matrix
        self.shifted: dict[int, int] = {}  # row -> index into the chunk's milestone shifts
        for r in self.est_rows:
            if r >= 0:
                self.random.setdefault(r, len(self.random))
        for risk in drawn:
            for n in risk.nodes:
                r = row.get(n)
                if r is None:
                    continue
                if milestone[n] and r not in self.random:
                    self.shifted.setdefault(r, len(self.shifted))
                else:
                    self.random.setdefault(r, len(self.random))
        self.nodes_by_row = members
        self.steps: list[tuple] | None = None
        self.buffers: list[np.ndarray] | None = None  # reused by every chunk: memory is touched once
        self.is_ms = [net.duration[n] == 0 for n in members]

    def _durations(self, rng: np.random.Generator, runs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                         np.ndarray]:
        """This chunk's draws: random durations, milestone shifts, estimate draws, occurrences."""
        net, unc = self.net, self.unc
        ests = unc.estimates
        draws = np.empty((len(ests), runs), dtype=np.int32)
        fixed = [i for i, e in enumerate(ests) if e.pessimistic <= e.optimistic]
        varied = [i for i, e in enumerate(ests) if e.pessimistic > e.optimistic]
        if varied:
            shape = np.array([ests[i].shape for i in varied])
            days = rng.beta(shape[:, 0:1], shape[:, 1:2], size=(len(varied), runs))
            low = np.array([[ests[i].optimistic] for i in varied])
            high = np.array([[ests[i].pessimistic] for i in varied])
            days *= high - low
            days += low
            np.ceil(days, out=days)
            np.clip(days, np.maximum(np.ceil(low), 1), np.ceil(high), out=days)
            draws[varied] = days
        for i in fixed:
            draws[i] = math.ceil(ests[i].optimistic)
        drawn = unc.drawn_risks
        occurred = rng.random((len(drawn), runs)) < np.array([[r.probability] for r in drawn]).reshape(-1, 1)
        dur = np.empty((len(self.random), runs), dtype=np.int32)
        for r, i in self.random.items():
            dur[i] = net.duration[self.nodes_by_row[r]]
        for k, r in enumerate(self.est_rows):
            if r >= 0:
                dur[self.random[r]] = draws[k]
        shift = np.zeros((len(self.shifted), runs), dtype=np.int32)
        for k, risk in enumerate(drawn):
            add = occurred[k].astype(np.int32) * risk.delay
            for n in risk.nodes:
                r = self.row.get(n)
                if r is None:
                    continue
                if r in self.shifted:
                    shift[self.shifted[r]] += add
                else:
                    dur[self.random[r]] += add
        return dur, shift, draws, occurred

    def _steps(self) -> list[tuple]:
        """Per node in topological order, what its work is (built once, used by every chunk)."""
        net, row = self.net, self.row
        duration, fixed_start, fixed_finish, lower = net.duration, net.fixed_start, net.fixed_finish, net.lower
        min_finish, preds, group, nodes_by_row = net.min_finish, net.preds, net.group, self.nodes_by_row
        random, shifted, is_ms = self.random, self.shifted, self.is_ms
        # per dependency type: whether it reads the predecessor's finish, and whether it is less
        # the node's duration; an edge is (row, reads finish, 2·lag, lag > 0, less duration)
        reads = {engine.FS: (True, False), engine.SS: (False, False), engine.FF: (True, True),
                 engine.SF: (False, True)}
        unlagged = {t: (finish, 0, False, minus) for t, (finish, minus) in reads.items()}
        no_bound = engine.NO_BOUND
        steps = []
        for b in self.order:
            node = nodes_by_row[b]
            d = duration[node]
            varies = b in random
            fs = fixed_start[node]
            mf = min_finish[node]
            if fs is not None:
                ff = fixed_finish[node]
                low_key = 2 * fs + (0 if ff is not None and d == 0 else 1)
                edges = []
            else:
                ff = None
                edges = [(row[a], *unlagged[t]) if not lag else (row[a], reads[t][0], 2 * lag, lag > 0, reads[t][1])
                         for a, t, lag in preds[node]]
                low = lower[node]
                low_key = (None if edges else 1) if low == no_bound else 2 * low + 1
            if varies or mf is not None or ff is not None:
                kind = GENERAL
            elif d > 0:
                kind = WORK
            else:
                kind = MILESTONE
            steps.append((b, kind, edges, low_key, random.get(b), d, shifted.get(b), mf, ff, is_ms[b], group[node]))
        return steps

    def chunk(self, rng: np.random.Generator, runs: int):
        """This chunk's (finish per wanted group, date per point, runs each node is critical in,
        estimate draws, risk occurrences). Where no draw reaches a swept node, every run is the
        same: one is swept and stands for all."""
        dur, shift, draws, occurred = self._durations(rng, runs)
        if self.random or self.shifted:
            return (*self._sweep(dur, shift, runs), draws, occurred)
        shown, points, critical = self._sweep(dur, shift, 1)
        return ([np.repeat(s, runs) for s in shown], [np.repeat(p, runs) for p in points],
                None if critical is None else critical * runs, draws, occurred)

    def _sweep(self, dur: np.ndarray, shift: np.ndarray, runs: int) -> tuple[list, list, np.ndarray | None]:
        shown = {g: np.full(runs, LOW, dtype=np.int32) for g in self.groups}
        work_end = {g: np.full(runs, 2 * LOW, dtype=np.int32) for g in self.groups}  # finish keys
        reached = {g: np.full(runs, 2 * LOW, dtype=np.int32) for g in self.groups}  # milestone keys
        point_at = {r: i for i, r in enumerate(self.points)}
        points: list[np.ndarray] = [np.empty(0)] * len(self.points)
        maximum, where = np.maximum, np.where
        if self.steps is None:
            self.steps = self._steps()
            self.fixed = FixedNodes(self.steps)
        fixed = self.fixed
        if self.criticality:  # every node's start and finish keys as a row: the backward pass
            # then keeps its late start and finish there, and its total float in the third buffer
            if self.buffers is None or self.buffers[0].shape[1] < runs:
                self.buffers = [np.empty((self.n, runs), dtype=np.int32) for _ in range(3)]
            skey, fkey = (buf[:, :runs] for buf in self.buffers[:2])
            if fixed.rows:  # what no run changes, written for every run at once
                skey[fixed.rows] = np.array(fixed.start, dtype=np.int32)[:, None]
                fkey[fixed.rows] = np.array(fixed.finish, dtype=np.int32)[:, None]
        else:  # rows for the varying nodes alone, constants for the fixed ones they read
            skey, fkey = fixed.key_rows(self.n, runs)  # type: ignore[assignment]
        for g in self.groups:
            if g in fixed.shown:
                maximum(shown[g], fixed.shown[g], out=shown[g])
        for r, at in fixed.points.items():
            if r in point_at:
                points[point_at[r]] = np.full(runs, at, dtype=np.int32)
        for b, kind, edges, low_key, drow, d, srow, mf, ff, milestone, g in fixed.varying:
            if drow is not None:
                d = dur[drow]
            key = None
            owned = False  # whether `key` is this node's own array (else a view of a predecessor's row)
            for ra, finish_based, lag2, positive, minus in edges:
                c = fkey[ra] if finish_based else skey[ra]
                if lag2 or positive or minus:
                    c = c + lag2
                    if positive:
                        c &= -2  # a positive lag ends on an end-of-day instant
                    if minus:
                        c -= 2 * d
                    if key is None:
                        key, owned = c, True
                        continue
                if key is None:
                    key = c
                elif owned:
                    maximum(key, c, out=key)
                else:
                    key, owned = maximum(key, c), True
            if key is None:
                key = np.full(runs, low_key, dtype=np.int32)
            elif low_key is not None:
                if owned:
                    maximum(key, low_key, out=key)
                else:
                    key = maximum(key, low_key)
            if srow is not None:
                key = key + 2 * shift[srow]
            if kind == WORK:  # a fixed duration > 0: starts start-of-day, ends end-of-day
                np.bitwise_or(key, 1, out=skey[b])  # 2·start + 1
                np.add(skey[b], 2 * d - 1, out=fkey[b])  # 2·finish
                if g in shown:
                    maximum(work_end[g], fkey[b], out=work_end[g])
                if b in point_at:
                    points[point_at[b]] = (fkey[b] >> 1) - 1
            elif kind == MILESTONE:  # reached at the instant that bounds it
                skey[b][...] = key
                fkey[b][...] = key
                if g in shown:
                    maximum(reached[g], key, out=reached[g])
                if b in point_at:
                    points[point_at[b]] = ((key + 1) >> 1) - 1
            else:
                start = key >> 1
                finish = np.full(runs, ff, dtype=np.int32) if ff is not None else start + d
                if mf is not None:
                    np.maximum(finish, mf, out=finish)
                eod = ((key & 1) == 0) & (finish == start)
                positive = np.asarray(d) > 0
                fkey[b][...] = 2 * finish + 1 - (positive | eod)
                skey[b][...] = 2 * start + 1 - (~positive & eod)
                if milestone:
                    at = where(finish > start, finish - 1, start - eod)
                else:
                    at = where(finish > start, finish - 1, start)
                if g in shown:
                    maximum(shown[g], at, out=shown[g])
                if b in point_at:
                    points[point_at[b]] = at.astype(np.int32)
        for g in self.groups:  # a task shows the day before its end; a milestone its instant's day
            maximum(shown[g], (work_end[g] >> 1) - 1, out=shown[g])
            maximum(shown[g], ((reached[g] + 1) >> 1) - 1, out=shown[g])
        critical = self._critical(skey, fkey, self.buffers[2][:, :runs], dur) if self.criticality else None
        return [shown[g] for g in self.groups], points, critical

    def _critical(self, skey: np.ndarray, fkey: np.ndarray, total: np.ndarray, dur: np.ndarray) -> np.ndarray:
        """Runs in which each node is critical (§3): the backward pass, then least float per campaign.

        A node's late start and finish overwrite its keys (nothing reads them after its visit);
        its total float goes to `total`.
        """
        net, row, nodes_by_row = self.net, self.row, self.nodes_by_row
        rows_of = list(self.group_rows.items())
        # rows are grouped by campaign: a campaign's latest finish is the max over a slice
        finish = {g: fkey[rows[0]:rows[-1] + 1].max(axis=0) >> 1 for g, rows in rows_of}
        succs: list[list[tuple[int, int, int]]] = [[] for _ in range(self.n)]
        for b in self.order:
            for a, t, lag in net.preds[nodes_by_row[b]]:
                succs[row[a]].append((b, t, lag))
        ls, lf = skey, fkey
        deadline = net.deadline
        minimum = np.minimum
        for step in reversed(self.steps or []):
            a, kind, drow, d, g = step[0], step[1], step[4], step[5], step[10]
            node = nodes_by_row[a]
            ef = fkey[a] >> 1
            if kind == WORK:
                span = dur[drow] if drow is not None else d
            elif kind == MILESTONE:
                span = 0
            else:
                span = ef - (skey[a] >> 1)
            limit = finish[g].copy()
            dl = deadline[node]
            if dl is not None:
                minimum(limit, dl, out=limit)
            for b, t, lag in succs[a]:
                if t == engine.FS:
                    c = ls[b] - lag if lag else ls[b]
                elif t == engine.SS:
                    c = ls[b] - lag + span
                elif t == engine.FF:
                    c = lf[b] - lag if lag else lf[b]
                else:
                    c = lf[b] - lag + span
                minimum(limit, c, out=limit)
            np.subtract(limit, ef, out=total[a])
            lf[a] = limit
            np.subtract(limit, span, out=ls[a])
        counts = np.zeros(net.size, dtype=np.int64)
        for _, rows in rows_of:
            live = [r for r in rows if not net.done[nodes_by_row[r]]]
            if not live:
                continue
            tf = total[live]
            on = tf == tf.min(axis=0)
            for r, k in zip(live, on.sum(axis=1).tolist(), strict=True):
                counts[nodes_by_row[r]] = k
        return counts

