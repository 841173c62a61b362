"""The critical path method over working-day offsets (DESIGN §3). Pure: no I/O.

Nodes are integers; a task occupies the half-open range [ES, EF). The
forward pass takes the latest of each node's lower bound and what its
predecessors allow; the backward pass the earliest of its campaign's finish,
its deadline and what its successors allow. Both record the constraint that
bound them, so "why does this start then?" costs nothing extra. Work is
linear in nodes + edges: one topological order, one pass each way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FS, SS, FF, SF = 0, 1, 2, 3
DEP_TYPES = {"FS": FS, "SS": SS, "FF": FF, "SF": SF}
DEP_NAMES = ("FS", "SS", "FF", "SF")

# What bound a node's early start (why_kind; BY_LEVEL: a busy person, §3b) ...
BY_NOTHING, BY_CAMPAIGN_START, BY_START, BY_AS_OF, BY_ACTUAL, BY_EDGE, BY_LEVEL = range(7)
# ... and its late finish (late_kind).
LATE_FINISH, LATE_DUE, LATE_EDGE = range(3)

NO_BOUND = -(10**9)


class CycleError(Exception):
    def __init__(self, nodes: list[int]) -> None:
        super().__init__(f"dependency cycle among {len(nodes)} tasks")
        self.nodes = nodes


@dataclass
class Network:
    """What the engine needs, as parallel lists indexed by node."""

    duration: list[int] = field(default_factory=list)
    group: list[int] = field(default_factory=list)  # campaign of the node
    lower: list[int] = field(default_factory=list)  # lower bound on ES (NO_BOUND: none)
    lower_kind: list[int] = field(default_factory=list)  # BY_* of that bound
    fixed_start: list[int | None] = field(default_factory=list)  # actual start
    fixed_finish: list[int | None] = field(default_factory=list)  # actual finish
    min_finish: list[int | None] = field(default_factory=list)  # in progress: as-of + 1
    deadline: list[int | None] = field(default_factory=list)  # LF upper bound (due + 1)
    done: list[bool] = field(default_factory=list)  # never critical
    # preds[b] = [(a, type, lag), ...]: b depends on a
    preds: list[list[tuple[int, int, int]]] = field(default_factory=list)

    def add(self, duration: int, group: int, lower: int = NO_BOUND, lower_kind: int = BY_NOTHING,
            fixed_start: int | None = None, fixed_finish: int | None = None,
            min_finish: int | None = None, deadline: int | None = None, done: bool = False) -> int:
        """A node; its number. (The planner passes everything in this order: it adds one
        node per task, where keywords cost twice as much.)"""
        self.duration.append(duration)
        self.group.append(group)
        self.lower.append(lower)
        self.lower_kind.append(lower_kind)
        self.fixed_start.append(fixed_start)
        self.fixed_finish.append(fixed_finish)
        self.min_finish.append(min_finish)
        self.deadline.append(deadline)
        self.done.append(done)
        self.preds.append([])
        return len(self.duration) - 1

    @property
    def size(self) -> int:
        return len(self.duration)


@dataclass
class Schedule:
    es: list[int]
    ef: list[int]
    ls: list[int]
    lf: list[int]
    total_float: list[int]
    free_float: list[int]
    # end-of-day instant for milestones (duration 0); False: start-of-day
    end_of_day: list[bool]
    why_kind: list[int]
    why_edge: list[int]  # index into preds[node] when why_kind is BY_EDGE
    late_kind: list[int]
    late_edge: list[tuple[int, int, int] | None]  # (successor, type, lag)
    group_finish: dict[int, int]
    critical: list[bool]
    order: list[int]  # a topological order


def topological_order(net: Network) -> tuple[list[int], list[list[tuple[int, int, int]]]]:
    """Kahn's algorithm; also returns each node's successors."""
    n = net.size
    succs: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    indegree = [0] * n
    for b, plist in enumerate(net.preds):
        indegree[b] = len(plist)
        for a, t, lag in plist:
            succs[a].append((b, t, lag))
    ready = [i for i in range(n) if indegree[i] == 0]
    order: list[int] = []
    push = ready.append
    pop = ready.pop
    while ready:
        a = pop()
        order.append(a)
        for b, _, _ in succs[a]:
            indegree[b] -= 1
            if indegree[b] == 0:
                push(b)
    if len(order) != n:
        raise CycleError([i for i in range(n) if indegree[i] > 0])
    return order, succs


def schedule(net: Network) -> Schedule:
    order, succs = topological_order(net)
    n = net.size
    dur = net.duration
    es = [0] * n
    ef = [0] * n
    eod = [False] * n
    why_kind = [BY_NOTHING] * n
    why_edge = [-1] * n
    lower, lower_kind = net.lower, net.lower_kind
    fixed_start, fixed_finish, min_finish = net.fixed_start, net.fixed_finish, net.min_finish
    preds = net.preds

    # -- forward pass ---------------------------------------------------------
    for b in order:
        d = dur[b]
        fs = fixed_start[b]
        if fs is not None:
            start, kind, edge = fs, BY_ACTUAL, -1
            end_of_day = fixed_finish[b] is not None and d == 0
        else:
            start, kind, edge = lower[b], lower_kind[b], -1
            end_of_day = False
            for k, (a, t, lag) in enumerate(preds[b]):
                if t == FS:
                    c = ef[a] + lag
                    from_eod = True if dur[a] else eod[a]
                elif t == SS:
                    c = es[a] + lag
                    from_eod = False if dur[a] else eod[a]
                elif t == FF:
                    c = ef[a] + lag - d
                    from_eod = True if dur[a] else eod[a]
                else:
                    c = es[a] + lag - d
                    from_eod = False if dur[a] else eod[a]
                if c > start:
                    start, kind, edge = c, BY_EDGE, k
                    end_of_day = from_eod or lag > 0
                elif c == start and end_of_day and not (from_eod or lag > 0):
                    # same offset: a start-of-day instant wins
                    kind, edge, end_of_day = BY_EDGE, k, False
            if start == NO_BOUND:
                start = 0
        ff = fixed_finish[b]
        finish = ff if ff is not None else start + d
        mf = min_finish[b]
        if mf is not None and finish < mf:
            finish = mf
        es[b] = start
        ef[b] = finish
        eod[b] = end_of_day and finish == start
        why_kind[b] = kind
        why_edge[b] = edge

    group = net.group
    group_finish: dict[int, int] = {}
    for i in range(n):
        g = group[i]
        f = ef[i]
        if f > group_finish.get(g, NO_BOUND):
            group_finish[g] = f

    # -- backward pass --------------------------------------------------------
    ls = [0] * n
    lf = [0] * n
    late_kind = [LATE_FINISH] * n
    late_edge: list[tuple[int, int, int] | None] = [None] * n
    deadline = net.deadline
    for a in reversed(order):
        span = ef[a] - es[a]
        limit = group_finish[group[a]]
        kind = LATE_FINISH
        edge = None
        dl = deadline[a]
        if dl is not None and dl < limit:
            limit, kind = dl, LATE_DUE
        for s in succs[a]:
            b, t, lag = s
            if t == FS:
                c = ls[b] - lag
            elif t == SS:
                c = ls[b] - lag + span
            elif t == FF:
                c = lf[b] - lag
            else:
                c = lf[b] - lag + span
            if c < limit:
                limit, kind, edge = c, LATE_EDGE, s
        lf[a] = limit
        ls[a] = limit - span
        late_kind[a] = kind
        late_edge[a] = edge

    # -- floats and the critical set --------------------------------------------
    total = [ls[i] - es[i] for i in range(n)]
    free = [0] * n
    for a in range(n):
        slack = group_finish[group[a]] - ef[a]
        dl = deadline[a]
        if dl is not None and dl - ef[a] < slack:
            slack = dl - ef[a]
        for b, t, lag in succs[a]:
            if t == FS:
                c = es[b] - ef[a] - lag
            elif t == SS:
                c = es[b] - es[a] - lag
            elif t == FF:
                c = ef[b] - ef[a] - lag
            else:
                c = ef[b] - es[a] - lag
            if c < slack:
                slack = c
        free[a] = slack if slack > 0 else 0

    done = net.done
    least: dict[int, int] = {}
    for i in range(n):
        if not done[i]:
            g = group[i]
            if total[i] < least.get(g, -NO_BOUND):
                least[g] = total[i]
    critical = [not done[i] and total[i] == least.get(group[i]) for i in range(n)]
    return Schedule(es, ef, ls, lf, total, free, eod, why_kind, why_edge, late_kind, late_edge,
                    group_finish, critical, order)
