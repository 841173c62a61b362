"""`mpm diff` as a terminal report, a pull-request comment (Markdown), or JSON (mpm/diff/1)."""

from __future__ import annotations

from typing import Any

from mpm.change import consequences as cq
from mpm.change.diff import CampaignDiff, Change, DiffReport, gate
from mpm.render.escape import markdown
from mpm.render.jsonout import document


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, tuple):
        return "[" + ", ".join(str(x) for x in v) + "]"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}" if abs(v) >= 1000 else str(int(v))
    return str(v)


def change_text(c: Change) -> str:
    if isinstance(c.old, tuple) or isinstance(c.new, tuple):
        old, new = set(c.old or ()), set(c.new or ())
        parts = [f"+{x}" for x in (c.new or ()) if x not in old] + [f"−{x}" for x in (c.old or ()) if x not in new]
        return f"{c.field}: {', '.join(parts) if parts else 'reordered'}"
    if c.new == "present":
        return f"{c.field} added"
    if c.old == "present":
        return f"{c.field} removed"
    if c.old is None:
        return f"{c.field}: set to {_value(c.new)}"
    if c.new is None:
        return f"{c.field}: removed (was {_value(c.old)})"
    return f"{c.field}: {_value(c.old)} → {_value(c.new)}"


def _days(n: int) -> str:
    return f"{abs(n)} working day" + ("" if abs(n) == 1 else "s")


def _way(n: int) -> str:
    return f"{_days(n)} {'later' if n > 0 else 'earlier'}"


def money(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _short(before, after) -> str:
    """'2027-03-02 → 03-09': the later date without the year when it is the same."""
    tail = after.isoformat()[5:] if after.year == before.year else after.isoformat()
    return f"{before} → {tail}"


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "±0")


_BUDGET = {"total": "spend against the approved total", "lines plan": "budget lines planned against the approved total"}


def _budget_line(x: cq.OverBudget) -> str:
    what = _BUDGET.get(x.item) or f"budget {x.item} spend"
    was = f"was {money(x.over_before)} over" if x.over_before else "was within plan"
    return f"{what}: {money(x.actual)} of {money(x.planned)}, {money(x.over_after)} over plan ({was})"


def moved_line(c: CampaignDiff, limit: int = 8) -> str | None:
    tasks = [m for m in c.moved if not m.milestone]
    if not tasks:
        return None
    shown = ", ".join(f"{m.task} {_signed(m.shift)}" for m in tasks[:limit])
    more = f" and {len(tasks) - limit} more" if len(tasks) > limit else ""
    return f"{len(tasks)} task{'s' if len(tasks) != 1 else ''} moved (working days): {shown}{more}"


def consequence_lines(c: CampaignDiff, *, limit: int = 8) -> list[str]:
    """What the change does to one campaign, most important first."""
    out = []
    if c.launch_slip:
        out.append(f"launch ({c.launch_task}) {c.launch_before} → {c.launch_after} ({_way(c.launch_slip)})")
    elif c.launch_before is None and c.launch_after and c.status != "added":
        out.append(f"launch ({c.launch_task}) {c.launch_after}")
    if c.finish_slip:
        out.append(f"forecast finish {c.finish_before} → {c.finish_after} ({_way(c.finish_slip)})")
    elif c.finish_before is None and c.finish_after:
        out.append(f"forecast finish {c.finish_after}")
    for m in c.moved:
        if m.milestone and m.task != c.launch_task:
            way = _way(m.shift) if m.shift else "the same working day"
            out.append(f"milestone {m.task} {m.finish_before} → {m.finish_after} ({way})")
    line = moved_line(c, limit)
    if line:
        out.append(line)
    for tid, before, after in c.newly_late:
        out.append(f"{tid} will now miss its deadline by {_days(after)} (float {before} → {after})")
    for tid, before, after in c.later_than_before:
        out.append(f"{tid} will miss its deadline by {_days(after)}, {before - after} more than before "
                   f"(float {before} → {after})")
    for tid, before, after in c.back_on_time:
        out.append(f"{tid} now meets its deadline (float {before} → {after})")
    if c.newly_critical:
        out.append("now on the critical path: " + ", ".join(c.newly_critical))
    if c.no_longer_critical:
        out.append("off the critical path: " + ", ".join(c.no_longer_critical))
    out += [_budget_line(x) for x in c.over_budget]
    for g in c.goal_paths:
        steps = ", ".join(f"{q} {money(a) if a is not None else '—'} → {money(b) if b is not None else '—'}"
                          for q, a, b in g.checkpoints)
        out.append(f"goal {g.goal}: checkpoint path {steps}")
    for r in c.risks_on_critical:
        out.append(f"risk {r.risk} (score {r.score}) now on critical work: {', '.join(r.tasks)}")
    return out


def overload_line(o: cq.Overload) -> str:
    return (f"{o.person} over capacity in the week of {o.week}: {money(o.planned_after)} h planned of "
            f"{money(o.available)} h (was {money(o.planned_before)} h)")


def _scope(c: CampaignDiff, limit: int = 3) -> str | None:
    """'scope in −webinar, out +webinar': what came into or left a campaign's scope."""
    parts = []
    for x in c.fields:
        if x.field not in ("scope.in", "scope.out"):
            continue
        old, new = set(x.old or ()), set(x.new or ())
        items = [f"+{v}" for v in (x.new or ()) if v not in old] + [f"−{v}" for v in (x.old or ()) if v not in new]
        if items:
            more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
            parts.append(f"{x.field.split('.')[1]} {', '.join(items[:limit])}{more}")
    if not parts:
        return None
    return "scope " + "; ".join(parts)


def budget_increase(c: CampaignDiff) -> float:
    """How much further over plan a campaign's spend went: by its lines, or against its total if more."""
    lines = sum(x.over_after - x.over_before for x in c.over_budget if x.item.startswith("line "))
    total = sum(x.over_after - x.over_before for x in c.over_budget if x.item == "total")
    return max(lines, total)


def _moved(n: int, before, after) -> str:
    return f"{_signed(n)} working day{'s' if abs(n) != 1 else ''} ({_short(before, after)})"


def summary(rep: DiffReport) -> str:
    """One line for a pull request's comment preview: slips, budget over plan, late work, capacity."""
    parts = []
    named = len(rep.campaigns) > 1
    for c in rep.campaigns:
        if c.slip:
            launch = c.launch_slip is not None
            what = "launch" if launch else "finish"
            before, after = (c.launch_before, c.launch_after) if launch else (c.finish_before, c.finish_after)
            parts.append(f"{f'{c.id} {what}' if named else what.capitalize()} {_moved(c.slip, before, after)}")
            continue
        # no launch or finish moved: the milestone that moved most, if one did
        m = next((m for m in c.moved if m.milestone and m.task != c.launch_task and m.shift), None)
        if m is not None:
            parts.append(f"{f'{c.id} ' if named else ''}{m.task} {_moved(m.shift, m.finish_before, m.finish_after)}")
    scoped = [(c.id, _scope(c)) for c in rep.campaigns]
    scoped = [(cid, text) for cid, text in scoped if text]
    parts += [f"{cid} {text}" if len(rep.campaigns) > 1 else text.capitalize() if not parts else text
              for cid, text in scoped]
    over = sum(budget_increase(c) for c in rep.campaigns)
    if over:
        parts.append(f"budget +{money(over)} over plan")
    for n, what in ((sum(len(c.newly_late) for c in rep.campaigns), "newly late"),
                    (sum(len(c.later_than_before) for c in rep.campaigns), "later than before")):
        if n:
            parts.append(f"{n} task{'s' if n != 1 else ''} {what}")
    people = len({o.person for o in rep.overloads})
    if people:
        parts.append(f"{people} {'person' if people == 1 else 'people'} over capacity")
    risks = sum(len(c.risks_on_critical) for c in rep.campaigns)
    if risks:
        parts.append(f"{risks} risk{'s' if risks != 1 else ''} newly on critical work")
    if parts:
        return ", ".join(parts)
    if rep.campaigns or rep.workspace:
        return "No date moved, nothing newly late or over plan"
    return "No change to the plan"


def record_lines(c: CampaignDiff) -> list[str]:
    out = [f"campaign {change_text(x)}" for x in c.fields]
    for r in c.records:
        if r.status == "changed":
            out += [f"{r.kind} {r.id}: {change_text(x)}" for x in r.changes]
        else:
            out.append(f"{r.kind} {r.id} {r.status}")
    return out


def diff_markdown(rep: DiffReport) -> str:
    """A pull-request comment: the summary line first (what a comment preview shows), then the details."""
    out = [f"**{summary(rep)}**", "", f"### mpm diff: {rep.before} → {rep.after}", ""]
    if not rep.campaigns and not rep.workspace:
        out.append("No change to the plan.")
        return "\n".join(out) + "\n"
    for x in rep.workspace:
        out.append(f"- workspace {markdown(change_text(x))}")
    if rep.workspace:
        out.append("")
    for c in rep.campaigns:
        label = {"added": " (new campaign)", "removed": " (removed)"}.get(c.status, "")
        out.append(f"#### `{c.id}`{label}")
        out.append("")
        consequences = consequence_lines(c)
        if consequences:
            out += [f"- **{markdown(line)}**" for line in consequences]
        out += [f"- {markdown(line)}" for line in record_lines(c)]
        out.append("")
    if rep.overloads:
        out += ["#### Team", ""] + [f"- **{overload_line(o)}**" for o in rep.overloads] + [""]
    out.append(f"_Plans compared as of {rep.as_of}._")
    return "\n".join(out) + "\n"


def diff_text(rep: DiffReport):  # -> rich Group
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = [Text.assemble(("mpm diff", "bold"), f"  {rep.before} → {rep.after}")]
    if not rep.campaigns and not rep.workspace:
        parts.append(Text("No change to the plan.", style="green"))
        return Group(*parts)
    parts.append(Text(summary(rep), style="bold"))
    for x in rep.workspace:
        parts.append(Text(f"  workspace {change_text(x)}"))
    for c in rep.campaigns:
        label = {"added": " (new campaign)", "removed": " (removed)"}.get(c.status, "")
        parts.append(Text(f"\n{c.id}{label}", style="bold"))
        for line in consequence_lines(c):
            bad = any(w in line for w in ("later", "miss", "now on", "over plan", "moved"))
            parts.append(Text(f"  ▸ {line}", style="bold red" if bad else "bold green"))
        for line in record_lines(c):
            parts.append(Text(f"  {line}"))
    if rep.overloads:
        parts.append(Text("\nteam", style="bold"))
        parts += [Text(f"  ▸ {overload_line(o)}", style="bold red") for o in rep.overloads]
    parts.append(Text(f"\nplans compared as of {rep.as_of}", style="dim"))
    return Group(*parts)


def diff_json(rep: DiffReport) -> str:
    def plain(v: Any) -> Any:
        return list(v) if isinstance(v, tuple) else v

    def change(c: Change) -> dict[str, Any]:
        return {"field": c.field, "old": plain(c.old), "new": plain(c.new)}

    return document("diff", {
        "before": rep.before,
        "after": rep.after,
        "as_of": rep.as_of,
        "summary": summary(rep),
        "flags": sorted(gate(rep)),
        "workspace": [change(x) for x in rep.workspace],
        "campaigns": [{
            "id": c.id,
            "status": c.status,
            "fields": [change(x) for x in c.fields],
            "records": [{"kind": r.kind, "id": r.id, "status": r.status,
                         "changes": [change(x) for x in r.changes]} for r in c.records],
            "finish_before": c.finish_before,
            "finish_after": c.finish_after,
            "finish_slip_days": c.finish_slip,
            "newly_critical": c.newly_critical,
            "no_longer_critical": c.no_longer_critical,
            "newly_late": [{"task": t, "float_before": a, "float_after": b} for t, a, b in c.newly_late],
            "back_on_time": [{"task": t, "float_before": a, "float_after": b} for t, a, b in c.back_on_time],
            "launch_task": c.launch_task,
            "launch_before": c.launch_before,
            "launch_after": c.launch_after,
            "launch_slip_days": c.launch_slip,
            "moved": [{"task": m.task, "milestone": m.milestone, "start_before": m.start_before,
                       "start_after": m.start_after, "finish_before": m.finish_before,
                       "finish_after": m.finish_after, "shift_days": m.shift} for m in c.moved],
            "later_than_before": [{"task": t, "float_before": a, "float_after": b}
                                  for t, a, b in c.later_than_before],
            "over_budget": [{"item": x.item, "planned": x.planned, "actual": x.actual,
                             "over_before": x.over_before, "over_after": x.over_after} for x in c.over_budget],
            "goal_paths": [{"goal": g.goal, "checkpoints": [{"quarter": q, "before": a, "after": b}
                                                            for q, a, b in g.checkpoints]} for g in c.goal_paths],
            "risks_on_critical": [{"risk": r.risk, "title": r.title, "score": r.score, "tasks": r.tasks}
                                  for r in c.risks_on_critical],
        } for c in rep.campaigns],
        "over_capacity": [{"person": o.person, "week": o.week, "available_hours": o.available,
                           "planned_hours_before": o.planned_before, "planned_hours_after": o.planned_after}
                          for o in rep.overloads],
    })
