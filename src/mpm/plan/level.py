

"""Levelling (DESIGN §3b): place work within each person's hours. Pure: no I/O.

In: the §3 network (engine.Network), its unlevelled schedule, what each node
asks of people (hours a working day per person), and each person's hours on
each working-day offset. Out: a start, a finish and the working days of
every node, and for each delayed node the people and tasks it waited for.

Each pass (`mpm.plan.passes`) places nodes in the order of a key, the
highest `priority` first. Which of several equal-priority nodes goes first
decides how short the plan is, so several orders are tried — earliest
start, latest finish, latest start, most successors, greatest rank weight,
longest first, then a small genetic search over orders seeded by
regret-biased draws around latest finish — each improved by a
forward-backward pass (right-justify every node, then left-justify them
again in the order that gave), and the shortest plan wins. How many passes
run depends only on the size of the network, and the random draws are
seeded by it, so the same files always give the same plan.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from mpm.plan import engine
from mpm.plan.passes import Demand, Levelled, Load, People, backward, fixed_load, forward, waiting_counts

# Work for the improvement passes, in node placements: a small network gets
# up to MAX_PASSES passes, a large workspace one.
PASS_BUDGET = 6_000
MAX_PASSES = 200
# The genetic search: plans kept, and the chance that a child's neighbours swap.
POPULATION = 10
MUTATION = 0.05
# Every IMMIGRANT-th newcomer is a fresh regret-biased draw, not a child.
IMMIGRANT = 4
# Forward-backward rounds for the orders of the rules (the search's children get one).
RULE_ROUNDS = MAX_PASSES


def level(net: engine.Network, plain: engine.Schedule, demand: Sequence[Demand | None],
          people: People, fixed: Sequence[bool], priority: Sequence[int]) -> Levelled:
    """Level the network. `fixed` nodes (done, in progress) keep their §3
    dates and their load counts first; `priority` is 1–1000, higher first."""
    n = net.size
    succs: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    for b, plist in enumerate(net.preds):
        for a, t, lag in plist:
            succs[a].append((b, t, lag))
    order = plain.order
    base_used = fixed_load(net, plain, demand, people, fixed)
    free = [i for i in range(n) if not fixed[i]]
    if not free:
        return _from_plain(net, plain)
    work = sum(1 for i in free if demand[i] is not None) or 1

    priority = _contested(priority, demand, fixed)
    rules = _rules(net, plain, succs, order, priority)
    budget = max(1, min(MAX_PASSES, PASS_BUDGET // work))
    search = _Search(net, plain, demand, people, fixed, base_used, succs, order, priority, budget)
    for _, key in rules:
        if search.done:
            break
        search.try_order([k[1] for k in key], RULE_ROUNDS)
    search.sample()
    best_plan = search.best
    assert best_plan is not None
    best_plan.passes = search.spent
    best_plan.rules = [name for name, _ in rules]
    _explain(net, best_plan, demand, people, base_used)
    return best_plan


class _Search:
    """Orders tried one after another, each improved by a forward-backward
    pass, the best plan kept: first the priority rules, then the genetic
    search (`sample`). Stops at the budget,
    or when a plan reaches the bound no plan can beat (every campaign as
    short as its critical path)."""

    def __init__(self, net: engine.Network, plain: engine.Schedule, demand: Sequence[Demand | None],
                 people: People, fixed: Sequence[bool], base_used: list[list[float]], succs: list,
                 order: list[int], priority: Sequence[int], budget: int) -> None:
        self.net, self.plain, self.demand, self.people = net, plain, demand, people
        self.fixed, self.succs, self.order = fixed, succs, order
        self.booked = Load(people, base_used)  # copied by every pass
        self.counts = waiting_counts(net, fixed, succs)
        self.priority = priority
        self.budget = budget
        self.spent = 0
        self.best_score: tuple | None = None
        self.best: Levelled | None = None
        late = sum(max(0, plain.ef[i] - dl) for i, dl in enumerate(net.deadline) if dl is not None)
        self.bound = (late, sum(plain.group_finish.values()))

    @property
    def done(self) -> bool:
        return self.spent >= self.budget or (
            self.best_score is not None and self.best_score[:2] <= self.bound)

    def _pass(self, genes: Sequence[float]) -> Levelled:
        n = self.net.size
        prio = self.priority
        self.spent += 1
        return forward(self.net, self.plain, self.demand, self.people, self.fixed, self.booked,
                        self.succs, [(-prio[i], genes[i], i) for i in range(n)], self.counts)

    def try_order(self, genes: Sequence[float], rounds: int = 1) -> tuple[tuple, Levelled]:
        """Plan in the order of `genes` (smaller first, after priority), then
        up to `rounds` forward-backward improvements while they shorten it:
        right-justify every node, then left-justify again in the order of the
        right-justified starts."""
        plan = self._pass(genes)
        score = _score(self.net, plan)
        while rounds and self.spent + 2 <= self.budget:
            rounds -= 1
            back = backward(self.net, plan, self.demand, self.people, self.fixed, self.booked,
                             self.succs, self.order, self.counts)
            self.spent += 1
            again = self._pass(back)
            s2 = _score(self.net, again)
            if s2 >= score:
                break
            plan, score = again, s2
        if self.best_score is None or score < self.best_score:
            self.best_score, self.best = score, plan
        return score, plan

    def sample(self) -> None:
        """A small genetic search over activity lists (the nodes in the order
        of a plan's starts): a population seeded with the best plan so far and
        orders drawn around latest finish (regret-biased sampling), then
        children by two-point crossover of two parents and a few swapped
        neighbours, and now and then a fresh draw, each planned and improved
        as above; a newcomer better than the population's worst takes its
        place."""
        if self.done:
            return
        rng = random.Random(self.net.size)
        n = self.net.size
        pop: list[tuple[tuple, list[int]]] = []

        def add(score: tuple, plan: Levelled) -> None:
            genes = sorted(range(n), key=lambda i: (plan.start[i], i))
            if all(genes != g for _, g in pop):
                pop.append((score, genes))
                pop.sort(key=lambda e: e[0])
                del pop[POPULATION:]

        assert self.best is not None and self.best_score is not None
        add(self.best_score, self.best)
        while not self.done and len(pop) < POPULATION:
            add(*self.try_order(self._regret_order(rng)))
        tries = 0
        born = 0
        while not self.done and len(pop) >= 2:
            born += 1
            if born % IMMIGRANT == 0:
                add(*self.try_order(self._regret_order(rng)))
                continue
            mother = pop[min(rng.sample(range(len(pop)), 2))][1]
            father = pop[min(rng.sample(range(len(pop)), 2))][1]
            q1, q2 = sorted(rng.sample(range(n + 1), 2))
            child = mother[:q1]
            seen = set(child)
            for part in (father, mother):
                for x in part:
                    if x not in seen and (part is mother or len(child) < q2):
                        child.append(x)
                        seen.add(x)
            genes = [0.0] * n
            for pos, x in enumerate(child):
                genes[x] = pos
            for pos in range(n - 1):
                if rng.random() < MUTATION:
                    x, y = child[pos], child[pos + 1]
                    genes[x], genes[y] = genes[y], genes[x]
                    child[pos], child[pos + 1] = y, x
            if any(child == g for _, g in pop) and tries < 3 * POPULATION:
                tries += 1  # a plan the population holds: another child
                continue
            tries = 0
            add(*self.try_order(genes))

    def _regret_order(self, rng: random.Random) -> list[float]:
        """An order drawn node by node among the ready ones of the highest
        priority, each with a weight of 1 + how much earlier its latest
        finish is than the latest of them (regret-biased sampling)."""
        n = self.net.size
        lf, prio, fixed, succs = self.plain.lf, self.priority, self.fixed, self.succs
        waiting = [sum(1 for a, _, _ in self.net.preds[b] if not fixed[a]) for b in range(n)]
        ready = [b for b in range(n) if not fixed[b] and waiting[b] == 0]
        genes = [0.0] * n
        pos = 0
        while ready:
            top = max(prio[b] for b in ready)
            cand = [b for b in ready if prio[b] == top]
            latest = max(lf[b] for b in cand)
            weights = [latest - lf[b] + 1 for b in cand]
            r = rng.random() * sum(weights)
            pick = cand[-1]
            for b, w in zip(cand, weights, strict=True):
                r -= w
                if r <= 0:
                    pick = b
                    break
            ready.remove(pick)
            genes[pick] = pos
            pos += 1
            for s, _, _ in succs[pick]:
                if not fixed[s]:
                    waiting[s] -= 1
                    if waiting[s] == 0:
                        ready.append(s)
        return genes


# -- orders -------------------------------------------------------------------


def _contested(priority: Sequence[int], demand: Sequence[Demand | None],
               fixed: Sequence[bool]) -> list[int]:
    """The priorities the orders use. A node that needs no one another
    unplaced node needs (a milestone, or work of people only it asks for) is
    placed on the same day whatever its turn, so its own priority decides
    nothing but when its successors may go: it takes the highest priority of
    the contested work instead. Raising or lowering it then moves nothing."""
    users: dict[int, int] = {}
    for i, dem in enumerate(demand):
        if dem is not None and not fixed[i]:
            for p in dem.people:
                users[p] = users.get(p, 0) + 1
    lone = [dem is None or all(users.get(p, 0) <= 1 for p in dem.people) for dem in demand]
    top = max((p for p, alone in zip(priority, lone, strict=True) if not alone), default=0)
    return [top if alone else p for p, alone in zip(priority, lone, strict=True)]



def _rules(net: engine.Network, plain: engine.Schedule, succs: list, order: list[int],
           priority: Sequence[int]) -> list[tuple[str, list[tuple]]]:
    """Priority keys, best first; every key starts with -priority (higher first)."""
    n = net.size
    dur = net.duration
    # all successors (transitively) and rank weight, over a reverse topological order
    reach = [0] * n
    rank = [0.0] * n
    for a in reversed(order):
        total = 0
        weight = float(dur[a])
        for b, _, _ in succs[a]:
            total += 1 + reach[b]
            weight = max(weight, dur[a] + rank[b])
        reach[a] = total
        rank[a] = weight
    lf, ls, es = plain.lf, plain.ls, plain.es
    return [
        # work in the order it is ready: what people expect of a plan when it is no longer
        ("earliest start", [(-priority[i], es[i], lf[i], i) for i in range(n)]),
        ("latest finish", [(-priority[i], lf[i], ls[i], i) for i in range(n)]),
        ("latest start", [(-priority[i], ls[i], lf[i], i) for i in range(n)]),
        ("most successors", [(-priority[i], -reach[i], lf[i], i) for i in range(n)]),
        ("rank weight", [(-priority[i], -rank[i], lf[i], i) for i in range(n)]),
        ("longest first", [(-priority[i], lf[i] - dur[i] * 2, -dur[i], i) for i in range(n)]),
    ]


def _score(net: engine.Network, plan: Levelled) -> tuple[int, int, int]:
    """Smaller is better: days past deadlines, then the campaigns' finishes,
    then how long work waits past the day it is ready."""
    finish_of: dict[int, int] = {}
    late = 0
    waited = 0
    for i in range(net.size):
        f = plan.finish[i]
        g = net.group[i]
        if f > finish_of.get(g, engine.NO_BOUND):
            finish_of[g] = f
        dl = net.deadline[i]
        if dl is not None and f > dl:
            late += f - dl
        waited += plan.start[i] - plan.ready[i]
    return (late, sum(finish_of.values()), waited)


# -- load ---------------------------------------------------------------------


def relink(net: engine.Network, plain: engine.Schedule, plan: Levelled,
           fixed: Sequence[bool]) -> engine.Network:
    """The network whose §3 schedule is the levelled plan: each node lasts its
    levelled span, a delayed node starts no earlier than where levelling put
    it, and each node that held a delayed node's person is a predecessor of
    it (FS, lag 0), so floats and the critical path follow people as well as
    dependencies. Done and in-progress work keeps its §3 start."""
    out = engine.Network(duration=list(net.duration), group=net.group, lower=list(net.lower),
                         lower_kind=list(net.lower_kind), fixed_start=list(net.fixed_start),
                         fixed_finish=net.fixed_finish, min_finish=net.min_finish, deadline=net.deadline,
                         done=net.done, preds=list(net.preds))
    for i in range(net.size):
        if fixed[i]:
            if out.fixed_start[i] is None:
                out.fixed_start[i] = plain.es[i]
            continue
        out.duration[i] = plan.finish[i] - plan.start[i]
        if plan.start[i] > plan.ready[i]:
            out.lower[i], out.lower_kind[i] = plan.start[i], engine.BY_LEVEL
        if plan.waits_for[i]:
            own = set(net.preds[i])
            links = {(a, engine.FS, 0) for _, a in plan.waits_for[i]} - own
            out.preds[i] = [*net.preds[i], *sorted(links)]
    # A dependency with a lead (negative lag) can run backwards in time, so a
    # resource link could close a loop: such links are left out, loop by loop.
    while True:
        try:
            engine.topological_order(out)
            return out
        except engine.CycleError as err:
            looped = set(err.nodes)
            dropped = False
            for b in looped:
                own = set(net.preds[b])
                kept = [e for e in out.preds[b] if e in own or e[0] not in looped]
                dropped = dropped or len(kept) != len(out.preds[b])
                out.preds[b] = kept
                plan.waits_for[b] = [(p, a) for p, a in plan.waits_for[b] if a not in looped]
            if not dropped:
                raise


# -- explanations -------------------------------------------------------------


def _explain(net: engine.Network, plan: Levelled, demand: Sequence[Demand | None], people: People,
             fixed_used: list[list[float]]) -> None:
    """For each delayed node: which nodes held its people on their last
    working day before it started (DESIGN §3b's resource links). A holder
    ends after that day and no later than the start, so only nodes indexed
    by (person, finish) are looked at."""
    n = net.size
    delayed = [b for b in range(n) if demand[b] is not None and plan.start[b] > plan.ready[b]]
    if not delayed:
        return
    ending: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        dem = demand[i]
        if dem is not None and plan.finish[i] > plan.start[i]:
            for p in dem.people:
                ending.setdefault((p, plan.finish[i]), []).append(i)
    base = people.base
    for b in delayed:
        s = plan.start[b]
        held: set[tuple[int, int]] = set()
        for p in demand[b].people:  # type: ignore[union-attr]
            works = people.works[p]
            t = s - 1
            while t >= base and not works[t - base]:
                t -= 1
            for f in range(t + 1, s + 1):
                for a in ending.get((p, f), ()):
                    days = plan.days[a]
                    if a != b and plan.start[a] <= t and (days is None or t in days):
                        held.add((p, a))
        plan.waits_for[b] = sorted(held)


def _from_plain(net: engine.Network, plain: engine.Schedule) -> Levelled:
    n = net.size
    return Levelled(list(plain.es), list(plain.ef), [None] * n, list(plain.es),
                    [[] for _ in range(n)], [], [])
