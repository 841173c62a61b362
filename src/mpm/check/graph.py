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
