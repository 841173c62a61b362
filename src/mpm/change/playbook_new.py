"""A new campaign from a playbook: cast the roles, lay out the dates, check it all, then write.

Also the trial layout that `mpm playbook check` and `show` use, and what a
new campaign adds to each person's load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from mpm.change.edit import EditRefused, Transaction
from mpm.change.playbook import (
    INFO_FILE,
    Cast,
    Layout,
    LayoutError,
    Playbook,
    lay_out,
    spots,
)
from mpm.plan.calendar import WorkCalendar
from mpm.plan.dates import Plan
from mpm.plan.schedule import workspace_calendar
from mpm.read.diagnostics import Diagnostic, Severity, did_you_mean
from mpm.read.load import Workspace


def cast_roles(ws: Workspace, pb: Playbook, used: set[str], assign: dict[str, str],
               sets: dict[str, str], given: dict[str, str]) -> Cast:
    """Who plays each role the playbook uses, and the variables; EditRefused naming what is missing."""
    for role in assign:
        if role not in pb.roles:
            raise EditRefused(f"the {pb.name} playbook has no role '{role}'",
                              did_you_mean(role, list(pb.roles)) or "roles: " + ", ".join(pb.roles))
    team = ws.team_ids
    chosen = {**(ws.config.assign if ws.config else {}), **assign}
    for role, person in assign.items():
        if person not in team:
            raise EditRefused(f"--assign {role}={person}: '{person}' is not on the team",
                              did_you_mean(person, team) or "add them to team in mpm.yaml")
    missing = sorted(role for role in used if role not in chosen)
    if missing:
        example = " ".join(f"--assign {r}=PERSON" for r in missing[:3])
        raise EditRefused("no one plays the role" + ("s " if len(missing) > 1 else " ") + ", ".join(missing),
                          f"pass {example}, or add them to assign: in mpm.yaml")
    for name in sets:
        if name not in pb.info.variables:
            raise EditRefused(f"the {pb.name} playbook has no variable '{name}'",
                              did_you_mean(name, list(pb.info.variables))
                              or "variables: " + (", ".join(pb.info.variables) or "none"))
    values = {k: v.default for k, v in pb.info.variables.items() if v.default is not None}
    values.update(sets)
    unset = sorted(k for k in pb.info.variables if k not in values)
    if unset:
        raise EditRefused("the playbook needs " + ", ".join(unset),
                          " ".join(f"--set {k}=VALUE" for k in unset)
                          + (f" ({pb.info.variables[unset[0]].about})" if pb.info.variables[unset[0]].about else ""))
    names = {p.id: p.name for p in ws.config.team} if ws.config else {}
    return Cast({r: chosen[r] for r in used}, names, {**values, **given})


def _check_layout(ws: Workspace, pb: Playbook, layout: Layout, cid: str) -> tuple[Workspace, list[Diagnostic]]:
    """The workspace with the laid-out campaign in it, and its problems at the playbook's lines."""
    from mpm.check.checks import check_workspace
    from mpm.read.files import DiskFiles, OverlayFiles

    folder = f"campaigns/{cid}"
    changed = {f"{folder}/{name}": text.encode("utf-8") for name, text in layout.texts.items()}
    after, found = check_workspace(ws.root, files=OverlayFiles(DiskFiles(ws.root), changed))
    out = [layout.back(d, pb, folder) for d in found]
    return after, [d for d in out if d is not None]


def _launch_day(cal: WorkCalendar, launch: date) -> None:
    if not cal.is_workday(launch):
        before, after = cal.previous_workday(launch), cal.next_workday(launch)
        raise EditRefused(f"the launch {launch} is not a working day",
                          f"the nearest working days are {before} ({before:%a}) and {after} ({after:%a})")


def new_campaign(ws: Workspace, pb: Playbook, cid: str, name: str, launch: date,
                 assign: dict[str, str], sets: dict[str, str]) -> tuple[Transaction, Layout]:
    """The transaction that writes campaigns/<cid>/ from `pb`, checked as a whole first."""
    if (ws.root / "campaigns" / cid).exists() or ws.campaign(cid) is not None:
        raise EditRefused(f"campaigns/{cid} already exists; nothing was written", "pick another id")
    if pb.problems:
        raise EditRefused(f"the {pb.name} playbook has problems; nothing was written",
                          "fix them; `mpm playbook check` lists them", pb.problems)
    found, problems = spots(pb)
    if problems:
        raise EditRefused(f"the {pb.name} playbook has problems; nothing was written",
                          "fix them; `mpm playbook check` lists them", problems)
    cal = workspace_calendar(ws)
    _launch_day(cal, launch)
    used = {s.value[5:] for s in found if s.kind == "role"}
    cast = cast_roles(ws, pb, used, assign, sets, {"id": cid, "name": name})
    try:
        layout = lay_out(pb, found, cal, launch, cast)
    except LayoutError as exc:
        raise EditRefused(f"the {pb.name} playbook cannot be laid out; nothing was written",
                          None, exc.diagnostics) from None
    errors = [d for d in _check_layout(ws, pb, layout, cid)[1] if d.severity is Severity.ERROR]
    if errors:
        raise EditRefused(f"campaign {cid} from the {pb.name} playbook would not check; nothing was written",
                          "fix the playbook at the lines above", errors)
    tx = Transaction(ws.root)
    for fname, text in layout.texts.items():
        if fname == "campaign.yaml":
            text = _header(pb, launch) + text
        tx.text(f"campaigns/{cid}/{fname}", create=True).text = text
    return tx, layout


def _header(pb: Playbook, launch: date) -> str:
    lines = [f"# Laid out from the {pb.name} playbook for a launch on {launch}."]
    if pb.info.notes:
        lines.append(f"# Notes from the playbook ({pb.rel(INFO_FILE)}):")
        for note in pb.info.notes:
            first, *rest = note.splitlines() or [""]
            lines.append(f"# - {first}")
            lines += [f"#   {more}" for more in rest]
    return "\n".join(lines) + "\n"


@dataclass
class Trial:
    """A playbook laid out with each role standing in for itself, to check and to show it."""

    campaign: str  # the id it was tried as
    diagnostics: list[Diagnostic]
    layout: Layout | None = None  # None when it has errors
    workspace: Workspace | None = None  # with the tried campaign in it


def trial(ws: Workspace, pb: Playbook, launch: date) -> Trial:
    """The playbook laid out on (the working day from) `launch`, and its problems at its lines."""
    problems = list(pb.problems)
    found, bad = spots(pb)
    problems += bad
    cid, n = pb.name, 2
    while ws.campaign(cid) is not None or (ws.root / "campaigns" / cid).exists():
        cid, n = f"{pb.name}-{n}", n + 1
    if any(d.code not in ("E400", "E401", "E402") for d in problems) or "campaign.yaml" not in pb.texts:
        return Trial(cid, problems)
    cal = workspace_calendar(ws)
    launch = cal.next_workday(launch)
    values = {k: (v.default if v.default is not None else f"<{k}>") for k, v in pb.info.variables.items()}
    cast = Cast({}, {}, {**values, "id": cid, "name": pb.name})
    try:
        layout = lay_out(pb, found, cal, launch, cast)
    except LayoutError as exc:
        return Trial(cid, problems + exc.diagnostics)
    after, found_now = _check_layout(ws, pb, layout, cid)
    # a value already reported (an unknown role, say) was left as written: not a second problem
    known = {(d.file, d.line) for d in problems}
    problems += [d for d in found_now if d.file.startswith(pb.where + "/") and (d.file, d.line) not in known]
    if any(d.severity is Severity.ERROR for d in problems):
        return Trial(cid, problems)
    return Trial(cid, problems, layout, after)


def relative_tasks(trial_: Trial, plan: Plan, roles: set[str]) -> list[dict]:
    """The tried playbook's tasks, dated in working days from its launch."""
    from mpm.change.playbook import relative

    assert trial_.layout is not None
    camp = plan.campaign(trial_.campaign)
    launch = trial_.layout.launch
    rows = []
    for t in camp.tasks if camp else []:
        rows.append({"id": t.id, "name": t.task.name, "phase": t.task.phase,
                     "owner": f"role:{t.task.owner}" if t.task.owner in roles else t.task.owner,
                     "start": relative(plan.calendar, launch, t.start),
                     "finish": relative(plan.calendar, launch, t.finish),
                     "milestone": t.milestone,
                     "depends_on": [d.task for d in t.task.depends_on],
                     "approvals": ", ".join(a.by for a in t.task.approvals)})
    return rows


# -- what the new campaign asks of people ----------------------------------------------


@dataclass
class PersonLoad:
    person: str
    hours: float  # what the new campaign adds
    weeks: list[tuple[date, float, float]] = field(default_factory=list)  # (monday, planned, available)

    @property
    def over(self) -> list[tuple[date, float, float]]:
        return [w for w in self.weeks if w[1] > w[2] + 1e-9]

    @property
    def busiest(self) -> tuple[date, float, float] | None:
        return max(self.weeks, key=lambda w: (w[1] - w[2], w[1]), default=None)


def load_added(ws: Workspace, plan: Plan, cid: str) -> list[PersonLoad]:
    """Each person the new campaign asks for: its hours, and their weeks with it, all work counted."""
    from mpm.views.capacity import holiday_names, person_weeks, week_start

    camp = plan.campaign(cid)
    if camp is None or ws.config is None:
        return []
    hours: dict[str, float] = {}
    for t in camp.tasks:
        if t.owner and t.effort > 0:
            hours[t.owner] = hours.get(t.owner, 0.0) + t.effort
    if not hours or camp.start is None or camp.finish is None:
        return []
    people = [p for p in ws.config.team if p.id in hours]
    first = week_start(camp.start)  # whole weeks: a person's week is busy with other work too
    last = week_start(camp.finish) + timedelta(days=6)
    weeks = person_weeks(plan, people, first, last, holiday_names(ws.config.calendar.holidays))
    out = {p.id: PersonLoad(p.id, round(hours[p.id], 2)) for p in people}
    for w in weeks:
        if any(t.ref.startswith(cid + "/") for t, _ in w.tasks):
            out[w.person].weeks.append((w.week, w.planned, w.available))
    return [out[p.id] for p in people]
