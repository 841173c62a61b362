"""Schedule risk (DESIGN §3c): the §3 forward pass run thousands of times at once.

What varies between runs comes from `plan.uncertainty`: each not-done task
with an `estimate` draws its duration from the PERT distribution, rounded up
to whole working days; each risk that can occur does so with the probability
of its likelihood and then delays every not-done task it affects (a
milestone: its date moves by the delay). Every run's draws are made first
(`plan.forecast_draws`: chunk by chunk, each chunk from its own generator
seeded with (seed, chunk number), the chunk size a function of the network
alone, so the same files and seed give the same numbers whichever campaigns
a command looks at). `simulate` then sweeps one cluster of campaigns at a
time (campaigns that dependencies join never change each other's dates;
on two cores the clusters go in two halves, `plan.forecast_halves`): a
topological sweep in which each node's work is an array operation over the
cluster's runs (a node no run changes is dated once, by `plan.fixed_nodes`),
and the same for the backward pass when criticality is wanted. Runs that
draw the same for a cluster's nodes give it the same dates, so each
different draw is swept once and stands for its runs: a cluster whose only
uncertainty is two risks has at most four.

An instant's kind (start or end of a working day, §3) travels with it: a
start is kept as the key `2·offset + 1` for a start-of-day instant and
`2·offset` for an end-of-day one, so the latest constraint, start-of-day
winning ties, is one `max` over keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mpm.plan import engine, forecast_draws, forecast_halves
from mpm.plan.fixed_nodes import GENERAL, LOW, MILESTONE, WORK, FixedNodes
from mpm.plan.forecast_halves import Half, halves
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

    days, occurred = forecast_draws.draws(unc, runs, seed, chunk_size(net.size))
    landing = forecast_draws.Landing(net.duration, net.fixed_start, unc)

    cluster = forecast_halves.clusters(net, order)

    def sweep(half: Half) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray], np.ndarray | None]:
        return _by_cluster(net, landing, half, cluster, criticality, days, occurred)

    worth_it = split and runs * len(order) >= forecast_halves.SPLIT_WORK and second_core()
    split = halves(net, order, groups, points, cluster) if worth_it else None
    if split is None:
        finish, at, critical = sweep(Half(order, groups, points))
    else:  # one half in a child, the other here; the child's runs, if it gives none
        child = Beside(lambda: sweep(split[1]))
        mine = sweep(split[0])
        theirs = child.result_or(lambda: sweep(split[1]))
        finish, at = {**mine[0], **theirs[0]}, {**mine[1], **theirs[1]}
        critical = mine[2] + theirs[2] if criticality else None  # type: ignore[operator]
    return Samples(runs=runs, finish={g: finish[g] for g in groups}, points={n: at[n] for n in points},
                   critical=critical, durations=days, occurred=occurred)


def _by_cluster(net: engine.Network, landing: forecast_draws.Landing, half: Half, cluster: dict[int, int],
                criticality: bool, days: np.ndarray, occurred: np.ndarray
                ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray], np.ndarray | None]:
    """The runs of `half`, swept a cluster of campaigns at a time (`cluster`: each campaign's, as
    `forecast_halves.clusters` finds them): each cluster's runs that draw the same for its nodes
    are swept once. (finish per wanted group, date per wanted point, runs each node is critical in.)"""
    runs = days.shape[1]
    group = net.group
    parts: dict[int, Half] = {}
    for n in half.order:
        parts.setdefault(cluster[group[n]], Half([], [], [])).order.append(n)
    finish: dict[int, np.ndarray] = {}
    for g in half.groups:
        if cluster.get(g) in parts:
            parts[cluster[g]].groups.append(g)
        else:  # a wanted campaign with nothing to sweep
            finish[g] = np.full(runs, LOW, dtype=np.int32)
    for n in half.points:
        parts[cluster[group[n]]].points.append(n)
    at: dict[int, np.ndarray] = {}
    critical = np.zeros(net.size, dtype=np.int64) if criticality else None
    for part in parts.values():
        mine, points = _Sweep(net, landing, part.order, part.groups, part.points, criticality).runs(
            days, occurred, runs, critical)
        finish.update(mine)
        at.update(points)
    return finish, at, critical


class _Sweep:
    """The static part of the runs, prepared once: per node, what its work is."""

    def __init__(self, net: engine.Network, landing: forecast_draws.Landing, order: list[int], groups: list[int],
                 points: list[int], criticality: bool) -> None:
        self.net, self.criticality = net, criticality
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
        self.varying = forecast_draws.Varying(net.duration, landing, members, row)
        self.random, self.shifted = self.varying.random, self.varying.shifted
        self.nodes_by_row = members
        self.steps: list[tuple] | None = None
        self.buffers: list[np.ndarray] | None = None  # reused by every batch: memory is touched once
        self.is_ms = [net.duration[n] == 0 for n in members]

    def runs(self, days: np.ndarray, occurred: np.ndarray, runs: int, critical: np.ndarray | None
             ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        """(finish per wanted group, date per wanted point) of every run, adding the runs in which
        each node is critical to `critical`. Runs go as many at a time as the memory budget holds
        for these nodes (all of them for a cluster of a few campaigns)."""
        shown = {g: np.empty(runs, dtype=np.int32) for g in self.groups}
        points = [np.empty(runs, dtype=np.int32) for _ in self.points]
        step = chunk_size(self.n)
        for begin in range(0, runs, step):
            end = min(runs, begin + step)
            got_shown, got_points = self._distinct(days[:, begin:end], occurred[:, begin:end], end - begin, critical)
            for g, values in zip(self.groups, got_shown, strict=True):
                shown[g][begin:end] = values
            for i, values in enumerate(got_points):
                points[i][begin:end] = values
        return shown, dict(zip(self.point_nodes, points, strict=True))

    def _distinct(self, days: np.ndarray, occurred: np.ndarray, runs: int, critical: np.ndarray | None
                  ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """`runs` runs' finishes and points: runs that draw the same for these nodes give the same
        dates, so each different draw is swept once and stands for its runs."""
        dur, shift = self.varying.inputs(days, occurred, runs)
        drawn = np.concatenate([dur, shift])
        if len(drawn):
            columns = np.ascontiguousarray(drawn.T)
            whole = columns.view(np.dtype((np.void, columns.itemsize * columns.shape[1]))).ravel()
            _, first, inverse, weight = np.unique(whole, return_index=True, return_inverse=True, return_counts=True)
            dur, shift = dur[:, first], shift[:, first]
        else:  # nothing varies: one run stands for all
            inverse, weight = np.zeros(runs, dtype=np.intp), np.array([runs])
            dur, shift = dur[:, :1], shift[:, :1]
        shown, points = self._sweep(dur, shift, len(weight), weight, critical)
        return [values[inverse] for values in shown], [values[inverse] for values in points]

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

    def _sweep(self, dur: np.ndarray, shift: np.ndarray, runs: int, weight: np.ndarray,
               critical: np.ndarray | None) -> tuple[list, list]:
        """One batch of runs (`weight`: how many runs each stands for): each wanted group's finish
        and point's date; the runs in which each node is critical added to `critical`."""
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
        if critical is not None:
            self._critical(skey, fkey, self.buffers[2][:, :runs], dur, weight, critical)  # type: ignore[index]
        return [shown[g] for g in self.groups], points

    def _critical(self, skey: np.ndarray, fkey: np.ndarray, total: np.ndarray, dur: np.ndarray,
                  weight: np.ndarray, counts: np.ndarray) -> None:
        """Runs in which each node is critical (§3), added to `counts`: the backward pass, then
        least float per campaign (`weight`: how many runs each column stands for).

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
        for _, rows in rows_of:
            live = [r for r in rows if not net.done[nodes_by_row[r]]]
            if not live:
                continue
            tf = total[live]
            on = tf == tf.min(axis=0)
            for r, k in zip(live, (on @ weight).tolist(), strict=True):
                counts[nodes_by_row[r]] += k

