"""The vectorised forecast runs against the scalar engine, run by run (hypothesis).

On random networks with every dependency type, lags, deadlines, actual
dates, in-progress work and extra FS links, every run of `simulate` must
give exactly what `engine.schedule` gives on that run's drawn durations:
each node's shown date, each campaign's finish, each node's criticality.
Without anything uncertain, the forecast is the plan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule_properties import build, networks

from mpm.plan import engine
from mpm.plan.forecast import chunk_size, simulate
from mpm.plan.uncertainty import Estimate, RiskEvent, Uncertainty


def shown(r: engine.Schedule, net: engine.Network, n: int) -> int:
    """The offset of the day a node shows as its finish (DESIGN §3)."""
    es, ef = r.es[n], r.ef[n]
    if ef > es:
        return ef - 1
    return es - 1 if r.end_of_day[n] and net.duration[n] == 0 else es


@st.composite
def uncertain_networks(draw, milestone_risks: bool = False):
    durations, group, edges, due = draw(networks(max_nodes=18, groups=2, deadlines=True))
    net, _ = build(durations, group, edges, due)
    n = net.size
    for i in range(n):
        kind = draw(st.sampled_from(["todo", "todo", "todo", "done", "in-progress"]))
        net.lower[i] = draw(st.integers(0, 6))
        if kind == "done":
            net.fixed_start[i] = draw(st.integers(0, 4))
            net.fixed_finish[i] = net.fixed_start[i] + net.duration[i]
            net.done[i] = True
        elif kind == "in-progress":
            net.fixed_start[i] = draw(st.integers(0, 4))
            net.min_finish[i] = draw(st.integers(1, 8))
    live = [i for i in range(n) if not net.done[i] and net.duration[i] > 0]
    estimates = []
    for i in draw(st.lists(st.sampled_from(live), unique=True, max_size=6)) if live else []:
        a = draw(st.integers(1, 4))
        m = a + draw(st.integers(0, 3))
        b = m + draw(st.integers(0, 4))
        estimates.append(Estimate(i, a, m, b))
    estimates.sort(key=lambda e: e.node)
    risks = []
    # a risk may also delay a milestone, one not yet reached or one under way
    pool = [i for i in range(n) if not net.done[i]] if milestone_risks else live
    for k in range(draw(st.integers(0, 3))):
        if not pool:
            break
        nodes = sorted(draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=3)))
        risks.append(RiskEvent("c", f"r{k}", draw(st.sampled_from([0.1, 0.5, 0.9])), draw(st.integers(1, 4)),
                               nodes))
    links = []
    if n > 1:
        for _ in range(draw(st.integers(0, 3))):
            b = draw(st.integers(1, n - 1))
            links.append((draw(st.integers(0, b - 1)), b))
    return net, Uncertainty(estimates, risks), links


@settings(max_examples=120, deadline=None)
@given(uncertain_networks(), st.integers(0, 3))
def test_every_run_is_the_engine_on_its_draws(case, seed):
    net, unc, links = case
    nodes = list(range(net.size))
    _runs_are_the_engines(case, simulate(net, unc, runs=4, seed=seed, extra_links=links, points=nodes), 4)


@settings(max_examples=40, deadline=None)
@given(uncertain_networks(), st.integers(0, 3))
def test_runs_drawn_and_swept_a_slice_at_a_time_are_the_engine_on_their_draws(case, seed):
    """With a memory budget for 64 runs at a time, 150 runs are drawn from three generators and
    each cluster sweeps them in three slices, each slice's different draws once: every run is
    still the engine on its draws."""
    from mpm.plan import forecast

    net, unc, links = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(forecast, "_CHUNK_BUDGET", 1)
        assert forecast.chunk_size(net.size) == 64
        samples = simulate(net, unc, runs=150, seed=seed, extra_links=links, points=list(range(net.size)))
    _runs_are_the_engines(case, samples, 150)


def _runs_are_the_engines(case, samples, runs: int) -> None:
    """Each run's dates, finishes and critical set are the engine's on that run's draws."""
    net, unc, links = case
    nodes = list(range(net.size))
    critical = [0] * net.size
    for r in range(runs):
        durations = list(net.duration)
        for k, e in enumerate(unc.estimates):
            durations[e.node] = int(samples.durations[k][r])
            assert e.optimistic <= durations[e.node] <= e.pessimistic
        for k, risk in enumerate(unc.drawn_risks):
            if samples.occurred[k][r]:
                for node in risk.nodes:
                    durations[node] += risk.delay
        preds = [list(p) for p in net.preds]
        for a, b in links:
            preds[b].append((a, engine.FS, 0))
        one = replace(net, duration=durations, preds=preds)
        result = engine.schedule(one)
        for n in nodes:
            assert samples.points[n][r] == shown(result, one, n), (r, n)
        for g in set(net.group):
            assert samples.finish[g][r] == max(shown(result, one, n) for n in nodes if net.group[n] == g)
        for n in nodes:
            critical[n] += result.critical[n]
    assert samples.critical is not None and samples.critical.tolist() == critical


@settings(max_examples=40, deadline=None)
@given(uncertain_networks())
def test_the_forward_sweep_alone_gives_the_same_numbers(case):
    """`criticality=False` sweeps only what leads to the points asked for: same draws, same dates."""
    net, unc, links = case
    full = simulate(net, unc, runs=3, seed=1, extra_links=links, points=[net.size - 1])
    part = simulate(net, unc, runs=3, seed=1, extra_links=links, groups=[], points=[net.size - 1],
                    criticality=False)
    assert part.points[net.size - 1].tolist() == full.points[net.size - 1].tolist()
    assert part.critical is None and part.finish == {}


@settings(max_examples=40, deadline=None)
@given(uncertain_networks(), st.randoms(use_true_random=False))
def test_any_topological_order_given_gives_the_same_numbers(case, rnd):
    """A view passes the plan's topological order instead of having one worked out again:
    whichever order is given, the runs are the same."""
    net, unc, _ = case
    nodes = list(range(net.size))
    waiting = [len(p) for p in net.preds]
    succs: list[list[int]] = [[] for _ in nodes]
    for b in nodes:
        for a, _, _ in net.preds[b]:
            succs[a].append(b)
    ready, order = [n for n in nodes if not waiting[n]], []
    while ready:  # Kahn's, taking a random ready node each time
        n = ready.pop(rnd.randrange(len(ready)))
        order.append(n)
        for b in succs[n]:
            waiting[b] -= 1
            if not waiting[b]:
                ready.append(b)
    assert len(order) == net.size
    mine = simulate(net, unc, runs=3, seed=2, points=nodes)
    theirs = simulate(net, unc, runs=3, seed=2, points=nodes, order=order)
    assert all(theirs.points[n].tolist() == mine.points[n].tolist() for n in nodes)
    assert theirs.critical is not None and mine.critical is not None
    assert theirs.critical.tolist() == mine.critical.tolist()
    assert {g: v.tolist() for g, v in theirs.finish.items()} == {g: v.tolist() for g, v in mine.finish.items()}


def test_chunks_change_nothing_but_memory():
    assert chunk_size(10) == 2048 and chunk_size(110_000) < 512
    assert chunk_size(110_000) % 64 == 0


def test_without_uncertainty_the_forecast_is_the_plan():
    from conftest import ACME

    from mpm.plan.schedule import build_plan
    from mpm.read.load import load_workspace

    ws, _ = load_workspace(ACME)
    plan = build_plan(ws, date(2026, 11, 16))
    launches = {cp.id: cp.launch_task() for cp in plan.campaigns}
    samples = simulate(plan.network, Uncertainty(), runs=3, seed=0,
                       points=[t.node for t in launches.values() if t is not None])
    cal = plan.calendar
    for g, cp in enumerate(plan.campaigns):
        assert {cal.date_at(int(x)) for x in samples.finish[g]} == {cp.finish}
        launch = launches[cp.id]
        if launch is not None:
            assert {cal.date_at(int(x)) for x in samples.points[launch.node]} == {launch.finish}
        for t in cp.tasks:
            assert samples.critical[t.node] == (3 if t.critical else 0), t.ref


@st.composite
def clustered_networks(draw):
    """Networks of four campaigns whose links may join some of them: clusters to split."""
    durations, group, edges, due = draw(networks(max_nodes=24, groups=4, deadlines=True))
    joined = draw(st.booleans())
    edges = [e for e in edges if joined or group[e[0]] == group[e[1]]]
    net, _ = build(durations, group, edges, due)
    live = [i for i in range(net.size) if net.duration[i] > 0]
    estimates = [Estimate(i, 1, 2, 2 + draw(st.integers(0, 4))) for i in
                 sorted(draw(st.lists(st.sampled_from(live), unique=True, max_size=6)) if live else [])]
    risks = [RiskEvent("c", "r0", 0.5, 2, sorted(draw(st.lists(st.sampled_from(live), unique=True,
                                                               min_size=1, max_size=4))))] if live else []
    return net, Uncertainty(estimates, risks)


def _numbers(s):
    return ({g: v.tolist() for g, v in s.finish.items()}, {n: v.tolist() for n, v in s.points.items()},
            None if s.critical is None else s.critical.tolist(), s.durations.tolist(), s.occurred.tolist())


@settings(max_examples=40, deadline=None)
@given(clustered_networks(), st.booleans(), st.booleans())
def test_the_runs_split_over_two_cores_are_the_runs_of_one(case, criticality, child_fails):
    """Independent clusters of campaigns swept in a child and here give the numbers of one sweep,
    and a child that gives nothing leaves its half to this process, with the same numbers."""
    import pytest

    from mpm.plan import forecast, forecast_halves
    from mpm.read import beside

    net, unc = case
    points = list(range(0, net.size, 3))
    groups = sorted(set(net.group))[:3]
    one = simulate(net, unc, runs=5, seed=3, groups=groups, points=points, criticality=criticality)
    split = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(forecast_halves, "SPLIT_WORK", 0)
        mp.setattr(forecast_halves, "MIN_SHARE", 0.0)
        mp.setattr(forecast, "second_core", lambda: True)
        real = forecast.halves
        mp.setattr(forecast, "halves", lambda *a: split.append(real(*a)) or split[-1])
        if child_fails:
            mp.setattr(beside.Beside, "result", lambda self: self.stop())
        two = simulate(net, unc, runs=5, seed=3, groups=groups, points=points, criticality=criticality)
    assert _numbers(two) == _numbers(one)
    if split[0] is not None:  # the halves hold every node once, and nothing joins them
        a, b = split[0]
        side = {n: 0 for n in a.order} | {n: 1 for n in b.order}
        assert len(side) == len(a.order) + len(b.order)
        assert all(side[p] == side[n] for n in side for p, _, _ in net.preds[n])


def test_one_cluster_is_not_split():
    from mpm.plan.forecast_halves import clusters, halves

    net, _ = build([2, 3, 1], [0, 1, 2], [(0, 1, engine.FS, 0), (1, 2, engine.FS, 0)], [None] * 3)
    assert halves(net, [0, 1, 2], [0, 1, 2], [], clusters(net, [0, 1, 2])) is None
    net, _ = build([2, 3, 1, 4], [0, 0, 1, 1], [(0, 1, engine.FS, 0), (2, 3, engine.SS, 1)], [None] * 4)
    a, b = halves(net, [0, 1, 2, 3], [0, 1], [3], clusters(net, [0, 1, 2, 3]))
    assert (a.order, a.groups, a.points, b.order, b.groups, b.points) in (
        ([0, 1], [0], [], [2, 3], [1], [3]), ([2, 3], [1], [3], [0, 1], [0], []))


@settings(max_examples=80, deadline=None)
@given(uncertain_networks(), st.integers(0, 3))
def test_a_forward_sweep_alone_dates_every_run_as_the_whole_sweep(case, seed):
    """Without criticality the sweep keeps rows for the varying nodes only (and constants for
    the fixed ones they read): every point and every campaign's finish is the whole sweep's,
    which the test above holds against the engine."""
    net, unc, links = case
    nodes = list(range(net.size))
    whole = simulate(net, unc, runs=4, seed=seed, extra_links=links, points=nodes)
    alone = simulate(net, unc, runs=4, seed=seed, extra_links=links, points=nodes, criticality=False)
    assert {n: v.tolist() for n, v in alone.points.items()} == {n: v.tolist() for n, v in whole.points.items()}
    assert {g: v.tolist() for g, v in alone.finish.items()} == {g: v.tolist() for g, v in whole.finish.items()}


def _delayed_milestones_pinned(net: engine.Network, shifts: dict[int, int]) -> engine.Network:
    """The network with each delayed milestone pinned where §3 puts it, moved by its delay in
    working days and keeping the kind of its instant, in topological order: what the forecast
    does to a milestone a risk delays (a milestone under way takes the days as duration)."""
    order, _ = engine.topological_order(net)
    for m in order:
        if m in shifts:
            at = engine.schedule(net)
            moved = at.es[m] + shifts[m]
            fixed_start, fixed_finish = list(net.fixed_start), list(net.fixed_finish)
            fixed_start[m] = moved
            fixed_finish[m] = moved if at.end_of_day[m] else None
            net = replace(net, fixed_start=fixed_start, fixed_finish=fixed_finish)
    return net


@settings(max_examples=120, deadline=None)
@given(uncertain_networks(milestone_risks=True), st.integers(0, 3), st.booleans())
def test_a_risk_moves_a_milestone_by_its_delay_keeping_its_instant(case, seed, criticality):
    """Risks on milestones too: a milestone not yet reached moves by the delay in working days,
    an end-of-day instant staying end-of-day and a start-of-day one start-of-day; a milestone
    under way takes the delay as duration. Every shown date and every campaign's finish of
    every run is the engine's on the network so pinned."""
    net, unc, links = case
    runs = 4
    nodes = list(range(net.size))
    samples = simulate(net, unc, runs=runs, seed=seed, extra_links=links, points=nodes, criticality=criticality)
    preds = [list(p) for p in net.preds]
    for a, b in links:
        preds[b].append((a, engine.FS, 0))
    for r in range(runs):
        durations = list(net.duration)
        for k, e in enumerate(unc.estimates):
            durations[e.node] = int(samples.durations[k][r])
        shifts: dict[int, int] = {}
        for k, risk in enumerate(unc.drawn_risks):
            if samples.occurred[k][r]:
                for node in risk.nodes:
                    if net.duration[node] == 0 and net.fixed_start[node] is None:
                        shifts[node] = shifts.get(node, 0) + risk.delay
                    else:
                        durations[node] += risk.delay
        one = _delayed_milestones_pinned(replace(net, duration=durations, preds=preds), shifts)
        result = engine.schedule(one)
        for n in nodes:
            assert samples.points[n][r] == shown(result, one, n), (r, n, shifts)
        for g in set(net.group):
            assert samples.finish[g][r] == max(shown(result, one, n) for n in nodes if net.group[n] == g)


@settings(max_examples=120, deadline=None)
@given(uncertain_networks(milestone_risks=True), st.integers(0, 3))
def test_one_campaign_swept_alone_has_the_numbers_of_the_whole_sweep(case, seed):
    """A forecast of some campaigns sweeps only the clusters they are in (what dependencies
    join them to): their finishes, their tasks' criticality and every draw are the whole
    sweep's, number for number."""
    net, unc, links = case
    whole = simulate(net, unc, runs=5, seed=seed, extra_links=links)
    for g in sorted(set(net.group)):
        alone = simulate(net, unc, runs=5, seed=seed, extra_links=links, groups=[g])
        assert alone.finish[g].tolist() == whole.finish[g].tolist()
        mine = [n for n in range(net.size) if net.group[n] == g]
        assert alone.critical[mine].tolist() == whole.critical[mine].tolist()  # type: ignore[index]
        assert alone.durations.tolist() == whole.durations.tolist()
        assert alone.occurred.tolist() == whole.occurred.tolist()
