"""Properties of the CPM engine on random networks (hypothesis).

Random DAGs with every dependency type, lags and leads, in one or more
campaigns: the early schedule meets every constraint, late dates respect
every successor, without deadlines each campaign has a zero-float chain from
its start to its finish, and node order does not change the answer.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mpm.plan import engine

TYPES = [engine.FS, engine.SS, engine.FF, engine.SF]


@st.composite
def networks(draw, max_nodes: int = 25, groups: int = 1, deadlines: bool = False):
    n = draw(st.integers(1, max_nodes))
    durations = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    group = draw(st.lists(st.integers(0, groups - 1), min_size=n, max_size=n))
    edges = []
    for b in range(1, n):
        preds = draw(st.lists(st.integers(0, b - 1), max_size=3, unique=True))
        for a in preds:
            if groups > 1 or group[a] == group[b]:
                edges.append((a, b, draw(st.sampled_from(TYPES)), draw(st.integers(-3, 4))))
    due = [draw(st.one_of(st.none(), st.integers(0, 30))) if deadlines else None for _ in range(n)]
    return durations, group, edges, due


def build(durations, group, edges, due, order=None):
    order = order or list(range(len(durations)))
    where = {old: new for new, old in enumerate(order)}
    net = engine.Network()
    for old in order:
        net.add(duration=durations[old], group=group[old], lower=0, lower_kind=engine.BY_CAMPAIGN_START,
                deadline=due[old])
    for a, b, t, lag in edges:
        net.preds[where[b]].append((where[a], t, lag))
    for plist in net.preds:
        plist.sort()
    return net, where


def early_holds(a_es, a_ef, b_es, b_ef, t, lag) -> bool:
    if t == engine.FS:
        return b_es >= a_ef + lag
    if t == engine.SS:
        return b_es >= a_es + lag
    if t == engine.FF:
        return b_ef >= a_ef + lag
    return b_ef >= a_es + lag


@settings(max_examples=150, deadline=None)
@given(networks(groups=3, deadlines=True))
def test_early_dates_meet_every_constraint_and_late_dates_every_successor(net_spec):
    durations, group, edges, due = net_spec
    net, _ = build(durations, group, edges, due)
    s = engine.schedule(net)
    for b, plist in enumerate(net.preds):
        assert s.es[b] >= 0
        assert s.ef[b] - s.es[b] == durations[b]
        for a, t, lag in plist:
            assert early_holds(s.es[a], s.ef[a], s.es[b], s.ef[b], t, lag)
            # the same constraint holds between the late dates
            assert early_holds(s.ls[a], s.lf[a], s.ls[b], s.lf[b], t, lag)
    for i in range(net.size):
        assert s.lf[i] <= s.group_finish[group[i]]
        if due[i] is not None:
            assert s.lf[i] <= due[i]
        assert s.total_float[i] == s.ls[i] - s.es[i]
        assert s.free_float[i] >= 0


@settings(max_examples=150, deadline=None)
@given(networks(groups=2))
def test_without_deadlines_a_zero_float_chain_runs_from_start_to_finish(net_spec):
    durations, group, edges, due = net_spec
    net, _ = build(durations, group, edges, due)
    s = engine.schedule(net)
    for g in set(group):
        members = [i for i in range(net.size) if group[i] == g]
        assert min(s.total_float[i] for i in members) == 0
        critical = {i for i in members if s.critical[i]}
        assert critical == {i for i in members if s.total_float[i] == 0}
        for i in members:
            assert s.free_float[i] <= s.total_float[i]
        # walk back from a critical task that ends the campaign along tight
        # links between critical tasks until a task bound by the start
        finish = s.group_finish[g]
        ends = [i for i in critical if s.ef[i] == finish]
        assert ends
        node, seen = ends[0], set()
        while s.es[node] != 0:
            seen.add(node)
            # the chain may pass through another campaign's task (a cross-
            # campaign link), which then has no float either
            tight = [a for a, t, lag in net.preds[node] if s.total_float[a] == 0 and a not in seen
                     and _tight(s, a, node, t, lag)]
            assert tight, f"critical task {node} has no critical, tight predecessor"
            node = tight[0]


def _tight(s, a, b, t, lag) -> bool:
    if t == engine.FS:
        return s.es[b] == s.ef[a] + lag
    if t == engine.SS:
        return s.es[b] == s.es[a] + lag
    if t == engine.FF:
        return s.ef[b] == s.ef[a] + lag
    return s.ef[b] == s.es[a] + lag


@settings(max_examples=100, deadline=None)
@given(networks(groups=3, deadlines=True), st.randoms(use_true_random=False))
def test_node_order_does_not_change_the_schedule(net_spec, rnd: random.Random):
    durations, group, edges, due = net_spec
    one, _ = build(durations, group, edges, due)
    order = list(range(len(durations)))
    rnd.shuffle(order)
    two, where = build(durations, group, edges, due, order)
    a, b = engine.schedule(one), engine.schedule(two)
    for i in range(len(durations)):
        j = where[i]
        assert (a.es[i], a.ef[i], a.ls[i], a.lf[i], a.free_float[i], a.critical[i], a.end_of_day[i]) == (
            b.es[j], b.ef[j], b.ls[j], b.lf[j], b.free_float[j], b.critical[j], b.end_of_day[j])


def test_a_cycle_is_refused():
    net = engine.Network()
    for _ in range(3):
        net.add(duration=1, group=0, lower=0)
    net.preds[0].append((2, engine.FS, 0))
    net.preds[1].append((0, engine.FS, 0))
    net.preds[2].append((1, engine.FS, 0))
    try:
        engine.schedule(net)
    except engine.CycleError as err:
        assert sorted(err.nodes) == [0, 1, 2]
    else:
        raise AssertionError("a cycle must be refused")
