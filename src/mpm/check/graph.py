"""The dependency graph of a workspace's tasks, resolved once.

Checks (unknown references, cycles) and the scheduler all walk
`depends_on`; resolving each reference to an integer node here, once per
workspace, keeps that work linear and out of their loops.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpm.read.load import CampaignData, Workspace, split_ref

Key = tuple[str, str]  # (campaign id, task id)


@dataclass
class TaskGraph:
    """One node per task record, numbered campaign by campaign in file order."""

    records: list[tuple[CampaignData, int]]  # node -> (campaign, index in its tasks)
    first: dict[Key, int]  # (campaign, task id) -> node of the first record with that id
    # preds[node] = [(node of the task it depends on, position in depends_on), ...]
    preds: list[list[tuple[int, int]]]
    unresolved: list[tuple[int, int]]  # (node, position) of references that name no task

    def key(self, node: int) -> Key:
        c, i = self.records[node]
        return c.id, c.tasks[i].id

    def is_first(self, node: int) -> bool:
        """False for a second record with an id already used in its campaign."""
        return self.first[self.key(node)] == node


def task_graph(ws: Workspace) -> TaskGraph:
    """The graph of `ws`, built on first use and kept with it."""
    found = ws.__dict__.get("_graph")  # a loaded Workspace is never changed
    if found is None:
        found = ws.__dict__["_graph"] = _build(ws)
    return found


def _build(ws: Workspace) -> TaskGraph:
    records: list[tuple[CampaignData, int]] = []
    first: dict[Key, int] = {}
    for c in ws.campaigns:
        cid = c.id
        for i, task in enumerate(c.tasks):
            first.setdefault((cid, task.id), len(records))
            records.append((c, i))
    preds: list[list[tuple[int, int]]] = []
    unresolved: list[tuple[int, int]] = []
    lookup = first.get
    for node, (c, i) in enumerate(records):
        cid = c.id
        out: list[tuple[int, int]] = []
        for j, dep in enumerate(c.tasks[i].depends_on):
            target = lookup(split_ref(dep.task, cid))
            if target is None:
                unresolved.append((node, j))
            else:
                out.append((target, j))
        preds.append(out)
    return TaskGraph(records, first, preds, unresolved)


def find_cycles(edges: dict) -> list[list]:
    """One cycle per strongly connected component that has one (iterative Tarjan).

    `edges` maps a node to [(successor-or-predecessor, payload), ...]; the
    cycle follows the edges' direction.
    """
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    counter = 0
    cycles: list[list] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt, _ in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(edges.get(nxt, ()))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                members = set(component)
                if len(component) > 1 or any(n == node for n, _ in edges.get(node, ())):
                    cycles.append(cycle_in(min(members), members, edges))
    return cycles


def named_cycles(edges: dict) -> list[tuple[list, int, str]]:
    """Each cycle of `edges` (nodes are (campaign, id) pairs) from its smallest node, with the
    position of that node's first link in the cycle (its payload) and the cycle in words,
    `a → b → a` (ids of another campaign than the first node's as campaign/id)."""
    out = []
    for cycle in find_cycles(edges):
        start = min(range(len(cycle)), key=lambda k: cycle[k])
        cycle = cycle[start:] + cycle[:start]
        nxt = cycle[1] if len(cycle) > 1 else cycle[0]
        j = next(j for n, j in edges[cycle[0]] if n == nxt)
        home = cycle[0][0]
        chain = " → ".join(n[1] if n[0] == home else f"{n[0]}/{n[1]}" for n in [*cycle, cycle[0]])
        out.append((cycle, j, chain))
    return out


def cycle_in(start, members: set, edges: dict) -> list:
    """A simple cycle through `start` inside one strongly connected component."""
    from collections import deque

    parent = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt, _ in sorted(edges.get(node, ())):
            if nxt == start:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1]
            if nxt in members and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [start]  # pragma: no cover - a component always closes
