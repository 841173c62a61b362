"""`mpm playbook save`: a finished campaign turned into a playbook for the next one.

Dates become working days from its launch, people become the roles they
played, progress (status, actual dates, measurements, actual spend) is left
behind, and the campaign's lessons become the playbook's notes.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from mpm.change.edit import EditRefused, Transaction
from mpm.change.fmt import canonical
from mpm.change.playbook import DATE_KEYS, FOLDER, INFO_FILE, PERSON_KEYS, relative
from mpm.change.records import slugify
from mpm.plan.calendar import WorkCalendar
from mpm.plan.schedule import workspace_calendar
from mpm.read.load import CAMPAIGN_FILES, Workspace

# what a plan for the next campaign does not carry over
_PROGRESS = {
    "campaign.yaml": ("status", "lessons"),
    "tasks.yaml": ("status", "started_on", "done_on", "occurrences"),
    "goals.yaml": ("measurements", "checkpoints"),
    "risks.yaml": ("status",),
}
# upper bounds: a date on a day off counts back to the working day before
_UPPER = {"due", "end", "deadline", "review_by", "done_on"}


def roles_of(ws: Workspace) -> dict[str, str]:
    """person id -> the role name they get in a saved playbook.

    The role mpm.yaml's `assign:` gives them, so the playbook speaks the
    team's vocabulary and lays out again without --assign; else their team
    role, made a slug.
    """
    team = ws.config.team if ws.config else []
    assigned: dict[str, str] = {}
    for role, pid in (ws.config.assign if ws.config else {}).items():
        assigned.setdefault(pid, role)
    wanted = {p.id: assigned.get(p.id) or (slugify(p.role) if p.role else p.id) for p in team}
    counts: dict[str, int] = {}
    for r in wanted.values():
        counts[r] = counts.get(r, 0) + 1
    return {pid: (r if counts[r] == 1 else f"{r}-{pid}") for pid, r in wanted.items()}


def save_playbook(ws: Workspace, cid: str, name: str,
                  launch: date | None = None) -> tuple[Transaction, dict[str, str]]:
    """The transaction that writes playbooks/<name>/ from campaign `cid`, and the roles it cast.

    Dates count from `launch` (default: the campaign's own). A task that
    really started keeps that day as its `start`, so the playbook holds the
    lead times the campaign lived, not only the ones it planned.
    """
    from mpm.read.diagnostics import did_you_mean

    camp = ws.campaign(cid)
    if camp is None or camp.campaign is None:
        raise EditRefused(f"no campaign '{cid}'", did_you_mean(cid, [c.id for c in ws.campaigns]))
    launch = launch or camp.campaign.launch
    if launch is None:
        raise EditRefused(f"campaign '{cid}' has no launch date; a playbook counts its days from it",
                          f"pass --launch DATE (its key day), or add launch: to campaigns/{cid}/campaign.yaml")
    target = ws.root / FOLDER / name
    if target.exists():
        raise EditRefused(f"{FOLDER}/{name} already exists; nothing was written", "pick another name")
    cal = workspace_calendar(ws)
    if not cal.is_workday(launch):
        raise EditRefused(f"the launch {launch} is not a working day", "count from a working day")
    roles = roles_of(ws)
    used: dict[str, str] = {}
    tx = Transaction(ws.root)
    for fname in CAMPAIGN_FILES:
        src = camp.sources.get(fname)
        if src is None:
            continue
        text = canonical(_rewrite(src.text, fname, cal, launch, roles, used), fname)
        tx.text(f"{FOLDER}/{name}/{fname}", create=True).text = text
    team = {p.id: p for p in ws.config.team} if ws.config else {}
    info: dict[str, Any] = {
        "description": f"Saved from campaign {cid} ({camp.campaign.name}), launched {launch}.",
        "roles": {role: _played_by(team.get(pid)) for pid, role in sorted(used.items(), key=lambda x: x[1])},
    }
    if camp.campaign.lessons:
        info["notes"] = list(camp.campaign.lessons)
    tx.text(f"{FOLDER}/{name}/{INFO_FILE}", create=True).text = canonical(_dump(info), INFO_FILE)
    return tx, {role: pid for pid, role in used.items()}


def _played_by(person: Any) -> str | None:
    if person is None:
        return None
    return f"{person.role} (was {person.name})" if person.role else f"was {person.name}"


def _rewrite(text: str, fname: str, cal: WorkCalendar, launch: date, roles: dict[str, str],
             used: dict[str, str]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    data = yaml.load(text)

    def person(pid: str) -> str:
        role = used[pid] = roles.get(pid, pid)
        return f"role:{role}"

    def walk(node: Any, key: str | None) -> Any:
        if isinstance(node, dict):
            for k in list(node):
                node[k] = walk(node[k], k)
            if key == "effort":  # {person: hours}: the people become roles too
                for i, k in enumerate(list(node)):
                    if isinstance(k, str) and k in roles:
                        node.insert(i, person(k), node.pop(k))  # type: ignore[attr-defined]
            return node
        if isinstance(node, list):
            for i, item in enumerate(node):
                node[i] = walk(item, key)
            return node
        if key in DATE_KEYS and isinstance(node, date):
            d = node if cal.is_workday(node) else (
                cal.previous_workday(node) if key in _UPPER else cal.next_workday(node))
            return relative(cal, launch, d)
        if key in PERSON_KEYS and isinstance(node, str):
            return person(node)
        return node

    drop = _PROGRESS.get(fname, ())
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                if fname == "tasks.yaml":
                    _lived_start(item)
                for k in drop:
                    item.pop(k, None)
            walk(item, None)
            if fname == "tasks.yaml" and isinstance(item, dict):
                for a in item.get("approvals") or []:
                    if isinstance(a, dict):
                        a["status"] = "pending"
                        a.pop("note", None)
    elif isinstance(data, dict):
        for k in drop:
            data.pop(k, None)
        walk(data, None)
        if fname == "campaign.yaml":
            data["name"] = "{{ name }}"
            if "launch" not in data:
                keys = list(data)
                at = keys.index("start") + 1 if "start" in keys else len(keys)
                data.insert(at, "launch", "launch")  # type: ignore[attr-defined]  # a ruamel CommentedMap
            for line in (data.get("budget") or {}).get("lines") or []:
                if isinstance(line, dict):
                    line.pop("actual", None)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _lived_start(task: Any) -> None:
    """Give a task that really started that day as its `start` (a done milestone: its day)."""
    lived = task.get("started_on") or (task.get("done_on") if task.get("milestone") else None)
    if not isinstance(lived, date):
        return
    if "start" in task:
        task["start"] = lived
        return
    keys = list(task)
    after = next((keys.index(k) + 1 for k in ("depends_on", "effort", "duration", "milestone") if k in keys),
                 len(keys))
    task.insert(after, "start", lived)  # a ruamel CommentedMap: the key goes in its canonical place


def _dump(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
