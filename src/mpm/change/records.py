"""The edits mpm's commands make to records: find the task, occurrence or
goal a user named, then set a status, add a task or add a measurement —
each as a `Transaction` (`mpm.change.edit`), checked and atomic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from mpm.change.edit import EditRefused, Transaction
from mpm.change.yamltext import BY_HAND, EditConflict
from mpm.read.diagnostics import name_hint
from mpm.read.fields import DONE_BEFORE_STARTED, SLUG_PATTERN, date_hint, record_fields
from mpm.read.load import Workspace, split_ref
from mpm.read.model import Task
from mpm.read.names import slug_of

# the command that lists every record of a kind, for a hint when a name matches none
_LISTED_BY = {"task": "mpm plan", "goal": "mpm goals", "risk": "mpm risks", "asset": "mpm content"}

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
        raise EditRefused(f"'{when}' in '{ref}' is not a date written YYYY-MM-DD", date_hint(when)) from None
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
    cid, rid = split_ref(ref, "") if "/" in ref else ("", ref)
    if cid and ws.campaign(cid) is None:
        raise EditRefused(f"no campaign '{cid}'",
                          name_hint(cid, [c.id for c in ws.campaigns], "campaign", "mpm status"))
    hits = [(c, i) for c in ws.campaigns if not cid or c.id == cid
            for i, rec in enumerate(getattr(c, f"{kind}s")) if rec.id == rid]
    if not hits:
        refs = [f"{c.id}/{rec.id}" for c in ws.campaigns for rec in getattr(c, f"{kind}s")]
        raise EditRefused(f"no {kind} '{ref}'", name_hint(ref, refs + [k.split("/")[1] for k in refs], kind,
                                                          _LISTED_BY[kind], listed=refs))
    if len(hits) > 1:
        raise EditRefused(f"'{ref}' names a {kind} in {len(hits)} campaigns",
                          f"write it as campaign/{kind}: " + ", ".join(f"{c.id}/{rid}" for c, _ in hits))
    camp, i = hits[0]
    return camp.id, getattr(camp, f"{kind}_rows")[i]


# -- the edits -------------------------------------------------------------------


def _not_after(day: date | None, today: date | None, what: str) -> None:
    if day is not None and today is not None and day > today:
        raise EditRefused(f"{what} {day} is after today ({today}); mpm records what has happened",
                          "record it on the day, or pass the day it happened with --on")


def set_task_status(ws: Workspace, ref: str, status: str, on: date | None, *, note: str | None = None,
                    whole_series: bool = False, today: date | None = None, reopen: bool = False,
                    started_on: date | str | None = None) -> Transaction:
    """Record a status on a task, or with `TASK@DATE` on one occurrence of a repeating task.

    Actual dates already written are history and never move; dates after
    `today` are refused.
    """
    base, _, when = ref.partition("@")
    cid, row = find_task(ws, base)
    camp = ws.campaign(cid)
    task = next(t for t, r in zip(camp.tasks, camp.task_rows, strict=True) if r == row)  # type: ignore[union-attr]
    _not_after(on, today, {"in-progress": "started_on", "done": "done_on"}.get(status, "the date"))
    if started_on == PLANNED:
        started_on = planned_start(ws, cid, task, on) if status == "done" and task.started_on is None else None
    _not_after(started_on, today, "started_on")
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
    _keeps_history(task, status, on, reopen, started_on)
    tx = Transaction(ws.root)
    doc = tx.text(f"campaigns/{cid}/tasks.yaml")
    order = list(record_fields(Task))
    try:
        doc.set((row, "status"), status, order=order)
        if task.status == "done" and status != "done":
            doc.remove_key((row, "done_on"))
        if status == "in-progress" and on is not None and task.started_on is None:
            doc.set((row, "started_on"), on, order=order)
        if status == "done" and on is not None:
            if started_on is not None and task.started_on is None and not task.is_milestone:
                doc.set((row, "started_on"), started_on, order=order)
            if task.done_on is None:
                doc.set((row, "done_on"), on, order=order)
    except EditConflict as exc:
        raise EditRefused(str(exc), BY_HAND) from None
    return tx


PLANNED = "planned"  # `--started-on planned`: the start the plan gives the task


def planned_start(ws: Workspace, cid: str, task: Task, done_on: date | None) -> date | None:
    """The start the plan gives `task` from its campaign's start (not pushed past any as-of),
    never after `done_on`."""
    from mpm.plan.schedule import build_plan

    meta = ws.campaign(cid).campaign  # type: ignore[union-attr]
    base = (meta.start if meta and meta.start else None) or done_on or date.today()
    scheduled = build_plan(ws, base).find(f"{cid}/{task.id}")
    if scheduled is None:
        return None
    return min(scheduled.start, done_on) if done_on else scheduled.start


def _keeps_history(task: Task, status: str, on: date | None, reopen: bool, started_on: date | None) -> None:
    """Refuse a status change that would move or lose a recorded date."""
    if task.status == "done" and status != "done" and not reopen:
        raise EditRefused(f"task '{task.id}' is done" + (f" (done_on {task.done_on})" if task.done_on else "")
                          + f"; marking it {status} would rewrite its history",
                          "pass --reopen to work on it again (its started_on stays)")
    if status == "in-progress" and task.started_on and on and on != task.started_on and task.status != "done":
        raise EditRefused(f"task '{task.id}' started on {task.started_on}; mpm does not move it to {on}",
                          "to correct the record, edit started_on in tasks.yaml")
    if status == "done" and task.status == "done" and task.done_on and on and on != task.done_on:
        raise EditRefused(f"task '{task.id}' was already done on {task.done_on}; mpm does not move it to {on}",
                          "to correct the record, edit done_on in tasks.yaml")
    if started_on and on and status == "done" and started_on > on:
        raise EditRefused(f"started_on {started_on} is after done_on {on}", DONE_BEFORE_STARTED)


def _set_occurrence(ws: Workspace, cid: str, row: int, task: Task, day: date, status: str, on: date | None,
                    note: str | None) -> Transaction:
    from mpm.read.content_model import Occurrence

    entry = task.occurrences.get(day)
    what = f"{task.id}@{day}"
    if entry is not None and entry.status == "done" and status != "done":
        raise EditRefused(f"{what} is done" + (f" (done_on {entry.done_on})" if entry.done_on else "")
                          + f"; marking it {status} would rewrite its history",
                          "to correct the record, edit its entry under occurrences: in tasks.yaml")
    if entry is not None and status == "done" and entry.done_on and on and on != entry.done_on:
        raise EditRefused(f"{what} was already done on {entry.done_on}; mpm does not move it to {on}",
                          "to correct the record, edit its entry under occurrences: in tasks.yaml")
    values: dict = {"status": status}
    if status == "in-progress" and on is not None and not (entry and entry.started_on):
        values["started_on"] = on  # a started_on already written never moves
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
        raise EditRefused(str(exc), BY_HAND) from None
    return tx


def slugify(name: str) -> str:
    return slug_of(name)[:40].strip("-")


@dataclass
class NewTask:
    """What `mpm task add` was told, checked option by option before anything is written."""

    name: str
    task_id: str | None = None
    after: list[str] = field(default_factory=list)
    duration: float = 1
    owner: str | None = None
    due: date | None = None
    start: date | None = None
    effort: float | None = None
    phase: str | None = None


def add_task(ws: Workspace, campaign: str, new: NewTask) -> tuple[Transaction, str]:
    """Append a task; a bad option is refused naming the option, before any file is touched."""
    from typing import get_args

    from mpm.read.fields import Phase

    camp = ws.campaign(campaign)
    if camp is None:
        raise EditRefused(f"no campaign '{campaign}'",
                          name_hint(campaign, [c.id for c in ws.campaigns], "campaign", "mpm status"))
    existing = {t.id for t in camp.tasks}
    tid = new.task_id or slugify(new.name)
    if not tid:
        raise EditRefused(f"--name: '{new.name}' has no letters or digits to make an id from",
                          "pass the id with --id, e.g. --id launch-brief")
    if not re.match(SLUG_PATTERN, tid):
        raise EditRefused(f"--id: '{tid}' is not a valid id", "use lowercase letters, digits and dashes")
    if tid in existing:
        if new.task_id:
            raise EditRefused(f"--id: campaign '{campaign}' already has a task '{tid}'", "pick another id")
        raise EditRefused(f"--name: campaign '{campaign}' already has a task '{tid}'",
                          "if it is another task of the same name, give it its own id with --id")
    if new.owner is not None and new.owner not in ws.team_ids:
        raise EditRefused(f"--owner: '{new.owner}' is not on the team",
                          name_hint(new.owner, list(ws.team_ids), "team member", "mpm check"))
    if new.phase is not None and new.phase not in get_args(Phase):
        raise EditRefused(f"--phase: '{new.phase}' is not a phase", "phases: " + ", ".join(get_args(Phase)))
    for ref in new.after:
        other_c, other_t = split_ref(ref, campaign)
        other = ws.campaign(other_c)
        if other is None or other.task(other_t) is None:
            refs = [t.id for t in camp.tasks] + [f"{c.id}/{t.id}" for c in ws.campaigns for t in c.tasks]
            raise EditRefused(f"--after: no task '{ref}'", name_hint(ref, refs, "task", "mpm plan"))
    if new.start and new.due and new.due < new.start:
        raise EditRefused(f"--due: {new.due} is before --start {new.start}",
                          "a task is due on or after the day it starts: check both dates")
    item: dict = {"id": tid, "name": new.name}
    if new.owner:
        item["owner"] = new.owner
    if new.phase:
        item["phase"] = new.phase
    if new.duration == 0:
        item["milestone"] = True
    else:
        item["duration"] = new.duration
    if new.effort is not None:
        item["effort"] = new.effort
    if new.after:
        item["depends_on"] = list(new.after)
    if new.start:
        item["start"] = new.start
    if new.due:
        item["due"] = new.due
    tx = Transaction(ws.root)
    rel = f"campaigns/{campaign}/tasks.yaml"
    doc = tx.text(rel, create=True)
    if doc.text.strip() in ("", "[]"):
        doc.text = "".join(f"{'- ' if i == 0 else '  '}{k}: {_value(v)}\n" for i, (k, v) in enumerate(item.items()))
    else:
        try:
            doc.append((), item)
        except EditConflict as exc:
            raise EditRefused(str(exc), BY_HAND) from None
    return tx, tid


def _value(v: object) -> str:
    from mpm.change.yamltext import _block_value

    return _block_value(v)


def add_measurement(ws: Workspace, ref: str, value: float, on: date, note: str | None,
                    today: date | None = None) -> Transaction:
    """Add a measurement in date order; an exact repeat of one already there is refused."""
    cid, row = find_goal(ws, ref)
    _not_after(on, today, "the measurement date")
    camp = ws.campaign(cid)
    goal = next(g for g, r in zip(camp.goals, camp.goal_rows, strict=True) if r == row)  # type: ignore[union-attr]
    if any(m.date == on and m.value == value for m in goal.measurements):
        raise EditRefused(f"goal '{goal.id}' already has {value:g} on {on}; nothing was written",
                          "a different value for that day is a correction: edit goals.yaml")
    later = next((i for i, m in enumerate(goal.measurements) if m.date > on), None)
    item: dict = {"date": on, "value": value}
    if note:
        item["note"] = note
    tx = Transaction(ws.root)
    doc = tx.text(f"campaigns/{cid}/goals.yaml")
    try:
        if later is not None:
            doc.extend((row, "measurements"), [item], before=later)
        else:
            doc.append((row, "measurements"), item, key_if_missing=(row, "measurements"))
    except EditConflict as exc:
        raise EditRefused(str(exc), BY_HAND) from None
    return tx
