"""One levelling pass each way (DESIGN §3b), over working-day offsets. Pure.

`forward` is the serial schedule-generation scheme: nodes are taken in the
order of a priority key among those whose predecessors are placed, and each
goes to the earliest days on which all its people work and have its hours
left (or have no other load that day: a node too big for a person's day
runs alone). `backward` right-justifies a plan: the latest nodes first, each
as late as its successors and people allow. `mpm.plan.level` searches over
orders with these two passes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mpm.plan import engine

EPS = 1e-9
# A node whose people share no working day in this many days is placed as if
# it had no people (and reported): a guard, not a rule users meet.
MAX_SEARCH_DAYS = 20_000


@dataclass(slots=True)
class Demand:
    """What one node asks of people: hours per working day, per person index."""

    people: tuple[int, ...]
    per_day: tuple[float, ...]


class People:
    """Each person's hours on each working-day offset, computed as far as asked.

    `hours(p, t)` is 0 on a day the person does not work (not one of their
    workdays, or time off); `works(p, t)` tells the two zeros apart: a person
    who works a day but has 0 hours can still take a lone task.
    """

    def __init__(self, base: int, count: int, day_hours: Callable[[int, int], float | None]) -> None:
        self.base = base
        self.count = count
        self._day_hours = day_hours  # (person, offset) -> hours, None when not working
        self.cap: list[list[float]] = [[] for _ in range(count)]
        self.works: list[list[bool]] = [[] for _ in range(count)]
        self.end = base  # offsets below this are known

    def extend(self, t: int) -> None:
        """Know every person's hours up to and including offset `t`."""
        if t < self.end:
            return
        stop = max(t + 1, self.end + 128, self.base + 2 * (self.end - self.base))
        for p in range(self.count):
            cap, works = self.cap[p], self.works[p]
            for u in range(self.end, stop):
                h = self._day_hours(p, u)
                works.append(h is not None)
                cap.append(h or 0.0)
        self.end = stop


@dataclass
class Levelled:
    start: list[int]
    finish: list[int]
    # working days of a node whose work is paused (time off, a person's own
    # week); None where the node works every offset of [start, finish)
    days: list[tuple[int, ...] | None]
    # the §3 start the node would have had on the levelled dates of its
    # predecessors: levelling delayed it when start > ready
    ready: list[int]
    # (person index, node) that held each delayed node's start
    waits_for: list[list[tuple[int, int]]]
    # nodes placed alone because they need more than a person's day
    lone: list[int]
    # nodes whose people share no working day (placed without them)
    unplaceable: list[int]
    passes: int = 0
    rules: list[str] = field(default_factory=list)


def fixed_load(net: engine.Network, plain: engine.Schedule, demand: Sequence[Demand | None],
                people: People, fixed: Sequence[bool]) -> list[list[float]]:
    """Hours already taken on each day by done and in-progress work."""
    used: list[list[float]] = [[] for _ in range(people.count)]
    base = people.base
    for i in range(net.size):
        d = demand[i]
        if not fixed[i] or d is None:
            continue
        lo, hi = max(plain.es[i], base), plain.ef[i]
        if hi <= lo:
            continue
        people.extend(hi)
        for p, h in zip(d.people, d.per_day, strict=True):
            row = used[p]
            works = people.works[p]
            if len(row) < hi - base:
                row.extend([0.0] * (hi - base - len(row)))
            for t in range(lo, hi):
                if works[t - base]:
                    row[t - base] += h
    return used


class Load:
    """Hours in use per person and day during one pass (a copy of the fixed
    load, or of a Load made from it once for many passes), as long as the
    days People knows.

    `skip[p]` jumps over a person's fully booked days (a union-find with path
    halving): a search for free days crosses a busy month in a few steps.
    """

    __slots__ = ("base", "people", "rows", "skip")

    def __init__(self, people: People, fixed: list[list[float]] | Load) -> None:
        self.base = people.base
        self.people = people
        if isinstance(fixed, Load):
            self.rows = [list(r) for r in fixed.rows]
            self.skip = [list(r) for r in fixed.skip]
            self.grow()
            return
        self.rows = [list(r) for r in fixed]
        self.skip: list[list[int]] = [[] for _ in fixed]
        self.grow()
        for p, row in enumerate(self.rows):
            cap, nxt = people.cap[p], self.skip[p]
            for i, u in enumerate(row):
                if u > EPS and u >= cap[i] - EPS:
                    nxt[i] = i + 1

    def grow(self) -> None:
        size = self.people.end - self.base
        for r, nxt in zip(self.rows, self.skip, strict=True):
            if len(r) < size:
                r.extend([0.0] * (size - len(r)))
            if len(nxt) < size:
                nxt.extend(range(len(nxt), size))

    def free_from(self, p: int, i: int) -> int:
        """The first day at or after index i on which person p is not fully booked."""
        nxt = self.skip[p]
        end = len(nxt)
        while i < end and nxt[i] != i:
            j = nxt[i]
            if j < end:
                nxt[i] = nxt[j]
            i = j
        return i

    def upto(self, t: int) -> None:
        """Know hours and load up to offset t (lists grow in place)."""
        if t >= self.people.end:
            self.people.extend(t)
            self.grow()


# -- one pass each way ----------------------------------------------------------


def _ready(net: engine.Network, b: int, start: list[int], finish: list[int]) -> int:
    """The §3 earliest start of `b` on the placed dates of its predecessors."""
    d = net.duration[b]
    est = net.lower[b]
    for a, t, lag in net.preds[b]:
        if t == engine.FS:
            c = finish[a] + lag
        elif t == engine.SS:
            c = start[a] + lag
        elif t == engine.FF:
            c = finish[a] + lag - d
        else:
            c = start[a] + lag - d
        if c > est:
            est = c
    return 0 if est == engine.NO_BOUND else est


def waiting_counts(net: engine.Network, fixed: Sequence[bool], succs: list) -> tuple[list[int], list[int]]:
    """Per node, its not-fixed predecessors and successors: what a pass counts down."""
    before = [0 if fixed[b] else sum(1 for a, _, _ in net.preds[b] if not fixed[a]) for b in range(net.size)]
    after = [0 if fixed[a] else sum(1 for b, _, _ in succs[a] if not fixed[b]) for a in range(net.size)]
    return before, after


def forward(net: engine.Network, plain: engine.Schedule, demand: Sequence[Demand | None],
             people: People, fixed: Sequence[bool], fixed_used: list[list[float]] | Load,
             succs: list, key: list[tuple], counts: tuple[list[int], list[int]] | None = None) -> Levelled:
    n = net.size
    start = list(plain.es)
    finish = list(plain.ef)
    days: list[tuple[int, ...] | None] = [None] * n
    ready = list(plain.es)
    lone: list[int] = []
    unplaceable: list[int] = []
    load = Load(people, fixed_used)
    waiting = list((counts or waiting_counts(net, fixed, succs))[0])
    heap = [key[b] for b in range(n) if not fixed[b] and waiting[b] == 0]
    heapq.heapify(heap)
    dur = net.duration
    while heap:
        b = heapq.heappop(heap)[-1]
        est = _ready(net, b, start, finish)
        if est < people.base:
            est = people.base
        ready[b] = est
        dem = demand[b]
        d = dur[b]
        if dem is None or d == 0:
            start[b], finish[b] = est, est + d
        else:
            placed = _place_forward(est, d, dem, people, load)
            if placed is None:
                unplaceable.append(b)
                start[b], finish[b] = est, est + d
            else:
                run, alone = placed
                start[b], finish[b] = run[0], run[-1] + 1
                if len(run) != run[-1] + 1 - run[0]:
                    days[b] = tuple(run)
                if alone:
                    lone.append(b)
                _book(dem, run, load)
        for s, _, _ in succs[b]:
            if not fixed[s]:
                waiting[s] -= 1
                if waiting[s] == 0:
                    heapq.heappush(heap, key[s])
    return Levelled(start, finish, days, ready, [[] for _ in range(n)], lone, unplaceable)


def _book(dem: Demand, run: Sequence[int], load: Load) -> None:
    base = load.base
    load.upto(run[-1])
    lo, hi = run[0] - base, run[-1] + 1 - base
    days = range(lo, hi) if len(run) == hi - lo else [t - base for t in run]
    for p, h in zip(dem.people, dem.per_day, strict=True):
        row, cap, nxt = load.rows[p], load.people.cap[p], load.skip[p]
        for i in days:
            u = row[i] + h
            row[i] = u
            if u >= cap[i] - EPS:
                nxt[i] = i + 1


def _place_forward(est: int, d: int, dem: Demand, people: People,
                   load: Load) -> tuple[list[int], bool] | None:
    """The earliest d consecutive working days of the node's people from est,
    each with the node's hours left (or no other load that day: alone)."""
    base = people.base
    cols = [(people.works[p], people.cap[p], load.rows[p], h, p)
            for p, h in zip(dem.people, dem.per_day, strict=True)]
    i = est - base
    limit = i + MAX_SEARCH_DAYS
    known = people.end - base
    first = -1
    count = 0
    alone = False
    gaps = False  # a day inside the run that the node's people do not work
    while count < d:
        if i >= known:
            if i >= limit:
                return None
            load.upto(i + base)
            known = people.end - base
        ok = True
        lone = False
        busy = -1
        for works, cap, used, h, p in cols:
            if not works[i]:
                ok = None  # not a common working day: neither fits nor breaks the run
                break
            u = used[i]
            if u + h > cap[i] + EPS:
                if u > EPS:
                    ok, busy = False, p
                    break
                lone = True
        if ok:
            if count == 0:
                first = i
                alone = gaps = False
            count += 1
            alone = alone or lone
            i += 1
        elif ok is False:
            count = 0
            i = load.free_from(busy, i + 1)  # the run starts again after the busy days
        else:
            if count:
                gaps = True
            i += 1
    if not gaps:
        return list(range(first + base, i + base)), alone
    return [t + base for t in range(first, i) if all(c[0][t] for c in cols)], alone


def common_day(dem: Demand, t: int, people: People) -> bool:
    i = t - people.base
    return all(people.works[p][i] for p in dem.people)


def backward(net: engine.Network, plan: Levelled, demand: Sequence[Demand | None], people: People,
              fixed: Sequence[bool], fixed_used: list[list[float]] | Load, succs: list,
              order: list[int], counts: tuple[list[int], list[int]] | None = None) -> list[int]:
    """Right-justify every free node against the plan's finish: latest nodes
    first, each as late as its successors and people allow. Returns the
    right-justified starts (only their order matters)."""
    n = net.size
    horizon = max(plan.finish[i] for i in range(n))
    start = list(plan.start)
    finish = list(plan.finish)
    load = Load(people, fixed_used)
    dur = net.duration
    remaining = list((counts or waiting_counts(net, fixed, succs))[1])
    heap = [(-finish[a], -start[a], -a) for a in range(n) if not fixed[a] and remaining[a] == 0]
    heapq.heapify(heap)
    while heap:
        a = -heapq.heappop(heap)[-1]
        d = dur[a]
        latest = horizon
        for b, t, lag in succs[a]:
            if t == engine.FS:
                c = start[b] - lag
            elif t == engine.SS:
                c = start[b] - lag + d
            elif t == engine.FF:
                c = finish[b] - lag
            else:
                c = finish[b] - lag + d
            if c < latest:
                latest = c
        dl = net.deadline[a]
        if dl is not None and dl < latest and dl - d >= plan.start[a]:
            latest = dl
        floor = plan.start[a]  # never earlier than the forward plan: keeps lower bounds
        dem = demand[a]
        if dem is None or d == 0:
            finish[a] = max(latest, floor + d)
            start[a] = finish[a] - d
        else:
            run = _place_backward(latest, floor, d, dem, people, load)
            if run is None:
                run = list(range(plan.start[a], plan.finish[a]))
                run = [t for t in run if common_day(dem, t, people)] or run
            start[a], finish[a] = run[0], run[-1] + 1
            _book(dem, run, load)
        for p, _, _ in net.preds[a]:
            if not fixed[p]:
                remaining[p] -= 1
                if remaining[p] == 0:
                    heapq.heappush(heap, (-finish[p], -start[p], -p))
    return start


def _place_backward(latest: int, floor: int, d: int, dem: Demand, people: People,
                    load: Load) -> list[int] | None:
    """The latest d consecutive working days of the node's people ending by `latest`."""
    base = people.base
    load.upto(latest)
    cols = [(people.works[p], people.cap[p], load.rows[p], h, p)
            for p, h in zip(dem.people, dem.per_day, strict=True)]
    i = latest - 1 - base
    stop = floor - base
    last = -1
    count = 0
    gaps = False
    while count < d:
        if i < stop or i < 0:
            return None
        ok = True
        for works, cap, used, h, _ in cols:
            if not works[i]:
                ok = None
                break
            u = used[i]
            if u + h > cap[i] + EPS and u > EPS:
                ok = False
                break
        if ok:
            if count == 0:
                last = i
                gaps = False
            count += 1
        elif ok is False:
            count = 0
        elif count:
            gaps = True
        i -= 1
    if not gaps:
        return list(range(i + 1 + base, last + 1 + base))
    return [t + base for t in range(i + 1, last + 1) if all(c[0][t] for c in cols)]


# -- back to a network --------------------------------------------------------
