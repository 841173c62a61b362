"""The edits mpm's commands make to records: find the task, occurrence or
goal a user named, then set a status, add a task or add a measurement —
each as a `Transaction` (`mpm.change.edit`), checked and atomic.
"""

from __future__ import annotations

import re
from datetime import date

from mpm.change.edit import EditRefused, Transaction
from mpm.change.yamltext import EditConflict
from mpm.read.fields import SLUG_PATTERN, record_fields
from mpm.read.load import Workspace, split_ref
from mpm.read.model import Task

# -- finding what to edit ----------------------------------------------------------


def find_task(ws: Workspace, ref: str) -> tuple[str, int]:
    """(campaign id, row in tasks.yaml) of task `ref` (campaign/task, or a unique bare id)."""
    return _find(ws, ref, "task")


def _occurrence_day(ws: Workspace, cid: str, task: Task, ref: str, when: str) -> date:
    """The date `when` of `ref`, when it is one of the task's rule dates."""
    from mpm.read.rrule import expand, nearest_dates

    if not task.repeat:
        raise EditRefused(f"'{task.id}' does not repeat, so it has no occurrence {when}",
                          f"leave out '@{when}'")
    try:
        day = date.fromisoformat(when)
    except ValueError:
        raise EditRefused(f"'{when}' in '{ref}' is not a date written YYYY-MM-DD") from None
    meta = ws.campaign(cid).campaign  # type: ignore[union-attr]
    first = task.start or (meta.start if meta else None)
    dates = expand(task.repeat, first, meta.end if meta else None) if first else ()
    if day not in dates:
        near = nearest_dates(day, dates)
        raise EditRefused(f"{day} is not a date of '{task.id}' ({task.repeat})",
                          ("the nearest dates are " + " and ".join(f"{task.id}@{d}" for d in near))
                          if near else None)
    return day


def open_occurrences(ws: Workspace, cid: str, task: Task, as_of: date) -> list[date]:
    """Dates of a repeating task's occurrences that are not done or skipped as of a day, as the plan sees them."""
    from mpm.plan.occurrences import occurrence_states
    from mpm.plan.schedule import workspace_calendar

    camp = ws.campaign(cid)
    states = occurrence_states(task, camp, as_of, workspace_calendar(ws))  # type: ignore[arg-type]
    return [o.day for o in states if o.status not in ("done", "skipped")]


def find_goal(ws: Workspace, ref: str) -> tuple[str, int]:
    """(campaign id, row in goals.yaml) of goal `ref` (campaign/goal, or a unique bare id)."""
    return _find(ws, ref, "goal")


def _find(ws: Workspace, ref: str, kind: str) -> tuple[str, int]:
    from mpm.read.diagnostics import did_you_mean

    cid, rid = split_ref(ref, "") if "/" in ref else ("", ref)
    if cid and ws.campaign(cid) is None:
        raise EditRefused(f"no campaign '{cid}'", did_you_mean(cid, [c.id for c in ws.campaigns]))
    hits = [(c, i) for c in ws.campaigns if not cid or c.id == cid
            for i, rec in enumerate(getattr(c, f"{kind}s")) if rec.id == rid]
    if not hits:
        known = [f"{c.id}/{rec.id}" for c in ws.campaigns for rec in getattr(c, f"{kind}s")]
        raise EditRefused(f"no {kind} '{ref}'", did_you_mean(ref, known + [k.split("/")[1] for k in known]))
    if len(hits) > 1:
        raise EditRefused(f"'{ref}' names a {kind} in {len(hits)} campaigns",
                          f"write it as campaign/{kind}: " + ", ".join(f"{c.id}/{rid}" for c, _ in hits))
    camp, i = hits[0]
    return camp.id, getattr(camp, f"{kind}_rows")[i]


# -- the edits -------------------------------------------------------------------


def set_task_status(ws: Workspace, ref: str, status: str, on: date | None, *, note: str | None = None,
                    whole_series: bool = False) -> Transaction:
    """Record a status on a task, or with `TASK@DATE` on one occurrence of a repeating task."""
    base, _, when = ref.partition("@")
    cid, row = find_task(ws, base)
    camp = ws.campaign(cid)
    task = next(t for t, r in zip(camp.tasks, camp.task_rows, strict=True) if r == row)  # type: ignore[union-attr]
    if when:
        return _set_occurrence(ws, cid, row, task, _occurrence_day(ws, cid, task, ref, when), status, on, note)
    if status == "skipped":
        raise EditRefused(f"'{base}' is a task, not one occurrence: only an occurrence is skipped",
                          f"skip one date, e.g. '{task.id}@<date>'" if task.repeat
                          else "a task that will not happen is `status: cancelled`")
    if status == "done" and task.repeat and not whole_series:
        meta = camp.campaign  # type: ignore[union-attr]
        left = open_occurrences(ws, cid, task, on or task.start or (meta.start if meta else None) or date.min)
        if left:
            nxt = left[0]
            raise EditRefused(f"'{base}' repeats and {len(left)} of its occurrences are not done; nothing "
                              "was written",
                              f"finish one with `mpm task done {base}@{nxt}`, or the whole series "
                              f"with `mpm task done {base} --all`")
    tx = Transaction(ws.root)
    doc = tx.text(f"campaigns/{cid}/tasks.yaml")
    order = list(record_fields(Task))
    try:
        doc.set((row, "status"), status, order=order)
        if status == "in-progress" and on is not None:
            doc.set((row, "started_on"), on, order=order)
        if status == "done" and on is not None:
            if task.started_on is None and not task.is_milestone:
                doc.set((row, "started_on"), on, order=order)
            doc.set((row, "done_on"), on, order=order)
    except EditConflict as exc:
        raise EditRefused(str(exc)) from None
    return tx


def _set_occurrence(ws: Workspace, cid: str, row: int, task: Task, day: date, status: str, on: date | None,
                    note: str | None) -> Transaction:
    from mpm.read.content_model import Occurrence

    values: dict = {"status": status}
    if status == "in-progress" and on is not None:
        values["started_on"] = on
    if status == "done" and on is not None:
        values["done_on"] = on
    if note:
        values["note"] = note
    tx = Transaction(ws.root)
    doc = tx.text(f"campaigns/{cid}/tasks.yaml")
    try:
        doc.set_entry((row, "occurrences"), day.isoformat(), values, order=list(record_fields(Task)),
                      entry_order=list(record_fields(Occurrence)))
    except EditConflict as exc:
        raise EditRefused(str(exc)) from None
    return tx


def slugify(name: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split())[:40].strip("-")


def add_task(ws: Workspace, campaign: str, name: str, *, task_id: str | None, after: str | None,
             duration: float, owner: str | None) -> tuple[Transaction, str]:

    camp = ws.campaign(campaign)
    if camp is None:
        from mpm.read.diagnostics import did_you_mean

        raise EditRefused(f"no campaign '{campaign}'", did_you_mean(campaign, [c.id for c in ws.campaigns]))
    existing = {t.id for t in camp.tasks}
    tid = task_id or slugify(name) or "task"
    if not re.match(SLUG_PATTERN, tid):
        raise EditRefused(f"'{tid}' is not a valid id", "use lowercase letters, digits and dashes")
    if task_id and tid in existing:
        raise EditRefused(f"campaign '{campaign}' already has a task '{tid}'")
    base, n = tid, 2
    while tid in existing:
        tid, n = f"{base}-{n}", n + 1
    item: dict = {"id": tid, "name": name}
    if owner:
        item["owner"] = owner
    if duration == 0:
        item["milestone"] = True
    else:
        item["duration"] = duration
    if after:
        item["depends_on"] = [after]
    tx = Transaction(ws.root)
    rel = f"campaigns/{campaign}/tasks.yaml"
    doc = tx.text(rel, create=True)
    if doc.text.strip() in ("", "[]"):
        doc.text = "".join(f"{'- ' if i == 0 else '  '}{k}: {_value(v)}\n" for i, (k, v) in enumerate(item.items()))
    else:
        try:
            doc.append((), item)
        except EditConflict as exc:
            raise EditRefused(str(exc)) from None
    return tx, tid


def _value(v: object) -> str:
    from mpm.change.yamltext import _block_value

    return _block_value(v)


def add_measurement(ws: Workspace, ref: str, value: float, on: date, note: str | None) -> Transaction:
    cid, row = find_goal(ws, ref)
    item: dict = {"date": on, "value": value}
    if note:
        item["note"] = note
    tx = Transaction(ws.root)
    doc = tx.text(f"campaigns/{cid}/goals.yaml")
    try:
        doc.append((row, "measurements"), item, key_if_missing=(row, "measurements"))
    except EditConflict as exc:
        raise EditRefused(str(exc)) from None
    return tx
