"""Checks of the content programme: occurrence entries and the asset inventory.

An occurrence entry must name a date of its task's rule; assets are unique,
owned by people on the team, derive from assets that exist without going in
a circle, and tasks name assets some campaign lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from mpm.read.diagnostics import Diagnostic, did_you_mean
from mpm.read.load import CampaignData, Workspace, split_ref
from mpm.read.rrule import expand, nearest_dates


def check_occurrence_keys(ws: Workspace) -> Iterator[Diagnostic]:
    team = ws.team_ids if ws.config else None
    for c in ws.campaigns:
        meta = c.campaign
        for i, task in enumerate(c.tasks):
            if not task.occurrences or not task.repeat:
                continue
            first = task.start or (meta.start if meta else None)
            dates = expand(task.repeat, first, meta.end if meta else None) if first else ()
            known = set(dates)
            for day, entry in task.occurrences.items():
                key = day.isoformat()
                if first is not None and day not in known:
                    near = nearest_dates(day, dates)
                    hint = ("the nearest dates of the rule are " + " and ".join(map(str, near))
                            if near else "the rule gives no dates in this campaign")
                    yield c.where("tasks", i, "occurrences", key, key=True, code="E209",
                                  message=f"{key} is not a date of '{task.id}' ({task.repeat})", hint=hint)
                if team is not None and entry.owner and entry.owner not in team:
                    yield c.where("tasks", i, "occurrences", key, "owner", code="E200",
                                  message=f"'{entry.owner}' is not on the team in mpm.yaml",
                                  hint=did_you_mean(entry.owner, team) or "add them to team in mpm.yaml")


def _asset_problem(ws: Workspace, c: CampaignData, ref: str) -> tuple[str, str | None] | None:
    """(message, hint) when `ref` names no asset, seen from campaign c."""
    camp_id, asset_id = split_ref(ref, c.id)
    target = ws.campaign(camp_id)
    if target is None:
        return f"no campaign '{camp_id}' (in '{ref}')", did_you_mean(camp_id, [x.id for x in ws.campaigns]) or (
            "another campaign's asset is 'campaign-id/asset-id', the campaign id being its folder's name")
    if "assets.yaml" in target.unreadable or any(a.id == asset_id for a in target.assets) \
            or asset_id in target.broken_assets:
        return None
    where = "this campaign" if target is c else f"campaign '{camp_id}'"
    hint = did_you_mean(asset_id, [a.id for a in target.assets])
    if hint is None and target is c and "/" not in ref:
        elsewhere = [x.id for x in ws.campaigns if x is not c and any(a.id == asset_id for a in x.assets)]
        if elsewhere:
            hint = f"an asset of another campaign is named '{elsewhere[0]}/{asset_id}'"
    if hint is None:
        hint = f"list it in {target.dir}/assets.yaml, or name an asset id listed there"
    return f"no asset '{asset_id}' in {where}", hint


def check_assets(ws: Workspace) -> Iterator[Diagnostic]:
    team = ws.team_ids if ws.config else None
    for c in ws.campaigns:
        first: dict[str, int] = {}
        for i, asset in enumerate(c.assets):
            if asset.id in first:
                yield c.where("assets", i, "id", code="E202",
                              message=f"asset id '{asset.id}' is used twice in this campaign "
                                      f"(first at line {c.line_of('assets', first[asset.id])})",
                              hint="ids must be unique within a campaign")
            first.setdefault(asset.id, i)
            if team is not None and asset.owner and asset.owner not in team:
                yield c.where("assets", i, "owner", code="E200",
                              message=f"'{asset.owner}' is not on the team in mpm.yaml",
                              hint=did_you_mean(asset.owner, team) or "add them to team in mpm.yaml")
            for j, ref in enumerate(asset.derived_from):
                problem = _asset_problem(ws, c, ref)
                if problem:
                    yield c.where("assets", i, "derived_from", j, code="E207",
                                  message=f"derived_from names an unknown asset: {problem[0]}", hint=problem[1])
            if asset.status == "published" and asset.published_on is None:
                yield c.where("assets", i, "status", code="W306",
                              message=f"asset '{asset.id}' is published but has no published_on",
                              hint="add `published_on: YYYY-MM-DD`: the report and the refresh dates count from it")
        for i, task in enumerate(c.tasks):
            if task.asset:
                problem = _asset_problem(ws, c, task.asset)
                if problem:
                    yield c.where("tasks", i, "asset", code="E207",
                                  message=f"the asset it produces is unknown: {problem[0]}", hint=problem[1])
            for day, entry in task.occurrences.items():
                if entry.asset:
                    problem = _asset_problem(ws, c, entry.asset)
                    if problem:
                        yield c.where("tasks", i, "occurrences", day.isoformat(), "asset", code="E207",
                                      message=f"the asset it produces is unknown: {problem[0]}", hint=problem[1])


def check_reuse_cycles(ws: Workspace) -> Iterator[Diagnostic]:
    """Each circle of `derived_from` once, named in order, at its first link."""
    from mpm.check.graph import named_cycles

    Node = tuple[str, str]
    edges: dict[Node, list[tuple[Node, int]]] = {}
    where: dict[Node, tuple[CampaignData, int]] = {}
    for c in ws.campaigns:
        for i, asset in enumerate(c.assets):
            node = (c.id, asset.id)
            if node in where:
                continue
            where[node] = (c, i)
            edges[node] = [(split_ref(ref, c.id), j) for j, ref in enumerate(asset.derived_from)]
    for node, out in edges.items():
        edges[node] = [(n, j) for n, j in out if n in where]
    for cycle, j, chain in named_cycles(edges):
        c, i = where[cycle[0]]
        yield c.where("assets", i, "derived_from", j, code="E208",
                      message=f"reuse goes in a circle: {chain}",
                      hint="an asset cannot be derived from itself: remove one of these derived_from entries")


CONTENT_CHECKS = [check_occurrence_keys, check_assets, check_reuse_cycles]
