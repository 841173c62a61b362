"""What part of the network a forecast sweeps, and its runs on two cores.

A sweep without the backward pass needs only the `ancestors` of what is
wanted; one with it needs the whole clusters of the wanted campaigns
(`joined`): campaigns that dependencies join, directly or through others.

Campaigns that no dependency joins, directly or through other campaigns
(or, in a levelled plan, no resource link), never change each other's dates
in any run. `halves` gathers the campaigns into such clusters and deals
them into two halves of about the same number of nodes; `plan.forecast`
sweeps one half in a forked child (`read.beside`) while it sweeps the other.
Both read the same draws (`plan.forecast_draws`), made before the fork, so
the merged samples are a single sweep's, number for number. A network that does not split (one
cluster holds nearly everything), or too little work for a fork to pay, is
swept on one core.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpm.plan import engine

SPLIT_WORK = 2_000_000  # nodes × runs below which one core is done before a fork pays
MIN_SHARE = 0.1  # the smaller half's least share of the nodes


@dataclass
class Half:
    order: list[int]  # the half's nodes, in the whole sweep's topological order
    groups: list[int]  # the wanted campaign groups it holds
    points: list[int]  # the wanted nodes it holds


def clusters(net: engine.Network, order: list[int]) -> dict[int, int]:
    """Each campaign group of `order`'s nodes -> its cluster (a group standing for it): groups
    that dependencies join, directly or through others, share one."""
    group = net.group
    parent: dict[int, int] = {}

    def root(g: int) -> int:
        parent.setdefault(g, g)
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for n in order:
        g = group[n]
        for a, _, _ in net.preds[n]:
            ga = group[a]
            if ga != g:  # most links stay inside their campaign and join nothing
                ra, rg = root(ga), root(g)
                if ra != rg:
                    parent[ra] = rg
    # each campaign's cluster, found once: a campaign has tens of nodes
    return {g: root(g) for g in set(group)}


def ancestors(net: engine.Network, order: list[int], groups: list[int], points: list[int]) -> list[int]:
    """The nodes of `order` (in its order) that the finishes of `groups` and the dates of
    `points` depend on: all a sweep without the backward pass needs."""
    wanted = set(groups)
    need = [n for n in range(net.size) if net.group[n] in wanted] + points
    seen = set(need)
    stack = list(need)
    preds = net.preds
    while stack:
        for a, _, _ in preds[stack.pop()]:
            if a not in seen:
                seen.add(a)
                stack.append(a)
    return [n for n in order if n in seen]


def joined(net: engine.Network, order: list[int], groups: list[int], points: list[int]) -> list[int]:
    """The nodes of `order` (in its order) in the clusters of `groups` and `points`: all that a
    sweep with the backward pass needs to date and rank them, no dependency leading out of it."""
    cluster = clusters(net, order)
    group = net.group
    wanted = {cluster[g] for g in groups if g in cluster} | {cluster[group[n]] for n in points}
    return [n for n in order if cluster[group[n]] in wanted]


def halves(net: engine.Network, order: list[int], groups: list[int], points: list[int], cluster: dict[int, int]
           ) -> tuple[Half, Half] | None:
    """The sweep of `order` as two independent halves, or None when it does not split
    (`cluster`: the `clusters` of `order`)."""
    group = net.group
    size: dict[int, int] = {}
    for n in order:
        r = cluster[group[n]]
        size[r] = size.get(r, 0) + 1
    weight = [0, 0]
    side: dict[int, int] = {}
    for r, count in sorted(size.items(), key=lambda item: (-item[1], item[0])):
        k = 0 if weight[0] <= weight[1] else 1
        side[r] = k
        weight[k] += count
    if min(weight) < MIN_SHARE * len(order):
        return None
    parts = (Half([], [], []), Half([], [], []))
    for n in order:
        parts[side[cluster[group[n]]]].order.append(n)
    for g in groups:  # a wanted campaign without nodes here stays with the first half
        parts[side.get(cluster.get(g, g), 0)].groups.append(g)
    for n in points:
        parts[side[cluster[group[n]]]].points.append(n)
    return parts
