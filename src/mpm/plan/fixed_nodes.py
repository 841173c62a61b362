"""The nodes of a forecast whose dates no run changes, worked out once (DESIGN §3c).

Most tasks have no estimate and no risk that can delay them; when nothing
before them varies either, every run gives them the same dates. The forecast's
sweep (`plan.forecast`) asks this module for those nodes' start and finish
keys, writes them for all runs at once, and sweeps only the others; a sweep
without a backward pass keeps rows for the others alone (`key_rows`), with a
constant row for each fixed node one of them reads.
"""

from __future__ import annotations

import numpy as np

LOW = -(2**29)  # "no lower bound" as an offset whose key still fits int32
WORK, MILESTONE, GENERAL = range(3)  # a node's kind of work, for the fast paths


class FixedNodes:
    """The nodes whose dates are the same in every run, worked out once with plain integers.

    A node is fixed when nothing about it is drawn (no estimate, no risk moves it) and every
    predecessor is fixed. Its start and finish keys are what the array sweep would compute,
    by the same rules; only the other nodes (`varying`) are swept run by run.
    """

    def __init__(self, steps: list[tuple]) -> None:
        self.varying: list[tuple] = []
        self.rows: list[int] = []
        self.start: list[int] = []
        self.finish: list[int] = []
        self.shown: dict[int, int] = {}  # campaign group -> latest shown day of its fixed nodes
        self.points: dict[int, int] = {}  # row -> shown day
        keys: dict[int, tuple[int, int]] = {}  # fixed row -> (start key, finish key)
        for step in steps:
            b, kind, edges, low_key, drow, d, srow, mf, ff, milestone, g = step
            key = low_key
            known = None  # the dates of the predecessor last read; None: this node varies
            if drow is None and srow is None:
                for ra, finish_based, lag2, positive, minus in edges:
                    known = keys.get(ra)
                    if known is None:  # a predecessor varies: so does this node
                        break
                    c = known[finish_based] + lag2  # (start, finish)[reads the finish]
                    if positive:
                        c &= -2  # a positive lag ends on an end-of-day instant
                    if minus:
                        c -= 2 * d
                    key = c if key is None or c > key else key
                else:
                    known = ()
            if known is None:
                self.varying.append(step)
                continue
            if kind == WORK:
                start = key | 1
                finish = start + 2 * d - 1
                at = (finish >> 1) - 1
            elif kind == MILESTONE:
                start = finish = key
                at = ((key + 1) >> 1) - 1
            else:
                day = key >> 1
                end = ff if ff is not None else day + d
                if mf is not None and end < mf:
                    end = mf
                eod = (key & 1) == 0 and end == day
                finish = 2 * end + 1 - (d > 0 or eod)
                start = 2 * day + 1 - (d <= 0 and eod)
                at = end - 1 if end > day else day - (eod if milestone else 0)
            keys[b] = (start, finish)
            self.rows.append(b)
            self.start.append(start)
            self.finish.append(finish)
            if at > self.shown.get(g, LOW):
                self.shown[g] = at
            self.points[b] = at
        # the fixed rows some varying node reads: all a sweep without a backward pass needs of them
        self.keys = keys
        self.read = sorted({e[0] for step in self.varying for e in step[2] if e[0] in keys})

    def key_rows(self, rows: int, runs: int) -> tuple[list, list]:
        """Each row's start and finish keys over `runs` runs for a forward sweep alone: a buffer
        row for each varying node, a constant row for each fixed node a varying node reads, None
        for the others (nothing reads them). The buffers hold the varying nodes only."""
        starts: list = [None] * rows
        finishes: list = [None] * rows
        varying = [step[0] for step in self.varying]
        skey = np.empty((len(varying), runs), dtype=np.int32)
        fkey = np.empty((len(varying), runs), dtype=np.int32)
        for i, b in enumerate(varying):
            starts[b], finishes[b] = skey[i], fkey[i]
        for r in self.read:
            start, finish = self.keys[r]
            starts[r], finishes[r] = np.full(runs, start, dtype=np.int32), np.full(runs, finish, dtype=np.int32)
        return starts, finishes
