"""The plan as data for people and machines: JSON (mpm/plan/1), Markdown, the `--why` story.

Nothing here imports Rich, so `--format json` starts fast; tables are in plan_table.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from mpm.plan.dates import CampaignPlan, Plan, ScheduledTask
from mpm.render.escape import markdown, markdown_cell
from mpm.render.jsonout import document, document_chunks
from mpm.views.chain import chain_text, driving_chain
from mpm.views.rows import Row, plan_rows


def plan_json(plan: Plan, campaigns: list[CampaignPlan]) -> Iterator[bytes]:
    """The mpm/plan/1 document, campaign by campaign."""
    return document_chunks("plan", {"as_of": plan.as_of, "levelled": plan.levelled},
                           (campaign_json(c, plan.levelled) for c in campaigns), "campaigns")


def campaign_json(c: CampaignPlan, levelled: bool = False) -> dict[str, Any]:
    meta = c.data.campaign
    return {
        "id": c.id,
        "start": c.start,
        "finish": c.finish,
        "critical_path": c.critical_path,
        "tasks": [task_json(t, levelled) for t in c.tasks],
        "name": meta.name if meta else c.id,
        "launch": meta.launch if meta else None,
        "end": meta.end if meta else None,
    }


def task_json(t: ScheduledTask, levelled: bool = False) -> dict[str, Any]:
    out = {
        "id": t.id,
        "start": t.start,
        "finish": t.finish,
        "early_start": t.early_start,
        "early_finish": t.early_finish,
        "late_start": t.late_start,
        "late_finish": t.late_finish,
        "total_float": t.total_float,
        "free_float": t.free_float,
        "critical": t.critical,
        "milestone": t.milestone,
        "name": t.name,
        "owner": t.owner,
        "status": t.status,
        "due": t.due,
    }
    if levelled:
        out["unlevelled_start"] = t.unlevelled_start
        out["unlevelled_finish"] = t.unlevelled_finish
        out["level_delay"] = t.level_delay
        out["waits_for"] = [{"person": p, "task": short_name(o, t) if o else None} for p, o in t.waits_for]
    return out


# -- the headline of a campaign ---------------------------------------------------


def target_lines(plan: Plan, c: CampaignPlan) -> list[tuple[str, str]]:
    """The campaign's headline: forecast launch and finish against the plan, with a style."""
    meta = c.data.campaign
    if meta is not None and meta.status in ("on-hold", "cancelled"):
        return [(f"{meta.status.replace('-', ' ')}: not forecast, books no one's hours", "dim")]
    if meta is not None and meta.status == "done":
        done = [t.finish for t in c.tasks if t.status == "done"]
        last = f", last work done {fmt_day(max(done))}" if done else ""
        return [(f"done: not forecast{last}", "dim")]
    if c.finish is None:
        return [("no scheduled work", "dim")]
    out = []
    launch_task = c.launch_task()
    if meta and meta.launch and launch_task is not None:
        out.append(_versus("launch", launch_task.finish, "planned", meta.launch, plan))
        chain = driving_chain(launch_task)
        if len(chain) > 1 and launch_task.status != "done":
            out.append((f"launch driven by {chain_text(chain, launch_task)}", "dim"))
    if meta and meta.end:
        out.append(_versus("finish", c.finish, "end", meta.end, plan))
    else:
        out.append((f"finish: forecast {fmt_day(c.finish)}", ""))
    return out


def _versus(what: str, forecast: date, label: str, target: date, plan: Plan) -> tuple[str, str]:
    slip = plan.calendar.offset(forecast) - plan.calendar.offset(target)
    text = f"{what}: forecast {fmt_day(forecast)}, {label} {fmt_day(target)}"
    if slip > 0:
        days = "day" if slip == 1 else "days"
        return f"{text} — {slip} working {days} late", "bold red"
    return f"{text} — on track", "green"


def fmt_day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def row_marker(r: Row) -> str:
    if r.milestone and not r.recurring:
        return "◆"
    if r.recurring:
        return "↻"
    return "●" if r.critical else ""


# -- markdown -------------------------------------------------------------------


def plan_markdown(plan: Plan, campaigns: list[CampaignPlan], critical_only: bool = False,
                  expand: bool = False) -> str:
    lines = [f"# Plan as of {plan.as_of.isoformat()}", ""]
    for c in campaigns:
        meta = c.data.campaign
        lines.append(f"## {markdown(meta.name if meta else c.id)} (`{c.id}`)")
        lines.append("")
        lines += [f"- {markdown(line)}" for line, _ in target_lines(plan, c)]
        lines.append("")
        if c.critical_path:
            lines.append("Critical path: " + " → ".join(f"`{x}`" for x in c.critical_path))
            lines.append("")
        tasks = [t for t in c.tasks if t.critical] if critical_only else c.tasks
        if tasks:
            lines.append("| | task | name | owner | start | finish | float | status |")
            lines.append("|---|---|---|---|---|---|---:|---|")
            for r in plan_rows(tasks, expand=expand):
                task_id = f"**{r.id}**" if r.critical else r.id
                finish = "" if r.milestone and not r.recurring else fmt_day(r.finish)
                lines.append(f"| {row_marker(r)} | {task_id} | {markdown_cell(r.name)} | {r.owner or '—'} | "
                             f"{fmt_day(r.start)} | {finish} | {r.total_float} | {r.status} |")
            lines.append("")
    return "\n".join(lines)


# -- why ----------------------------------------------------------------------


def short_name(t: ScheduledTask, seen_from: ScheduledTask) -> str:
    return t.id if t.campaign == seen_from.campaign else t.ref


def reason(plan: Plan, t: ScheduledTask) -> str:
    why = t.why
    if why.kind == "person":
        return _wait_reason(plan, t)
    if why.kind == "predecessor" and why.other is not None:
        o = why.other
        n = short_name(o, t)
        lag = f", lag {why.lag:+d}" if why.lag else ""
        rel = {"FS": f"it starts after {n} finishes ({fmt_day(o.finish)})",
               "SS": f"it starts when {n} starts ({fmt_day(o.start)})",
               "FF": f"it must finish when {n} finishes ({fmt_day(o.finish)})",
               "SF": f"it must finish when {n} starts ({fmt_day(o.start)})"}[why.dep_type or "FS"]
        return f"{rel}: dependency {why.dep_type}{lag}"
    meta = plan.campaign(t.campaign)
    camp_start = meta.data.campaign.start if meta and meta.data.campaign else None
    if why.kind == "campaign-start":
        return f"the campaign starts on {fmt_day(camp_start)}"
    if why.kind == "start":
        if t.occurrence:
            return f"this occurrence of a repeating task is dated {fmt_day(t.occurrence)}"
        return f"its own start constraint: not before {fmt_day(t.task.start)}"
    if why.kind == "as-of":
        return (f"it is {t.status} and work not yet started is planned from today "
                f"({fmt_day(plan.as_of)}) on")
    if why.kind == "actual":
        if t.status == "done":
            return (f"it is done: actual dates {fmt_day(t.task.started_on)} to {fmt_day(t.task.done_on)}"
                    if t.occurrence is None else "it is done, on its planned dates")
        return (f"it is in progress since {fmt_day(t.task.started_on)}"
                if t.occurrence is None else "it is in progress")
    return "nothing constrains it"


def _wait_reason(plan: Plan, t: ScheduledTask) -> str:
    """Why a levelled task starts later than its dependencies allow (§3b)."""
    moved = (f" ({t.level_delay} working day{'s' if t.level_delay != 1 else ''} after its dependencies "
             f"allow, {fmt_day(t.unlevelled_start)})") if t.level_delay else ""
    held = [(p, o) for p, o in t.waits_for if o is not None]
    if held:
        parts = [f"{p}: busy with {short_name(o, t)} until {fmt_day(o.finish)}" for p, o in held]
        return "it waits for " + "; ".join(parts) + moved
    people = ", ".join(p for p, _ in t.waits_for) or (t.owner or "its people")
    return f"it waits for {people}: away, or fully booked by other work, until the day before{moved}"


def short_reason(plan: Plan, t: ScheduledTask) -> str:
    why = t.why
    if why.kind == "person":
        held = [(p, o) for p, o in t.waits_for if o is not None]
        if held:
            return f"waits for {held[0][0]} (busy with {short_name(held[0][1], t)})"
        return f"waits for {why.person or 'its people'}"
    if why.kind == "predecessor" and why.other is not None:
        lag = f" {why.lag:+d}" if why.lag else ""
        return f"after {short_name(why.other, t)} ({why.dep_type}{lag})"
    return {"campaign-start": "campaign start", "start": "its own start date",
            "as-of": f"not started: planned from {fmt_day(plan.as_of)}",
            "actual": "actual dates"}.get(why.kind, "unconstrained")


def criticality(plan: Plan, t: ScheduledTask) -> str:
    tf = t.total_float
    late = t.why_late
    if late.kind == "successor" and late.other is not None:
        lag = f", lag {late.lag:+d}" if late.lag else ""
        limit = (f"{short_name(late.other, t)} ({late.dep_type}{lag}), which must start by "
                 f"{fmt_day(late.other.late_start)}")
    elif late.kind == "due":
        limit = f"its due date {fmt_day(t.due)}"
    else:
        c = plan.campaign(t.campaign)
        limit = f"the campaign's forecast finish {fmt_day(c.finish if c else None)}"
    if t.status == "done":
        return "it is done; done work is never critical."
    days = "day" if abs(tf) == 1 else "days"
    if tf < 0:
        text = (f"total float {tf}: it is {-tf} working {days} late for {limit}; "
                f"it should finish by {fmt_day(t.late_finish)}.")
        if not t.critical:
            c = plan.campaign(t.campaign)
            worst = [x for x in (c.tasks if c else []) if x.critical]
            if worst:
                text += (f" The campaign's least float is elsewhere: {short_name(worst[0], t)} "
                         f"(float {worst[0].total_float}).")
        return text
    if t.critical:
        return (f"total float {tf}: any slip moves the campaign's finish; it is limited by {limit} "
                f"and must finish by {fmt_day(t.late_finish)}.")
    return (f"total float {tf} working {days} (free float {t.free_float}): it can slip to "
            f"{fmt_day(t.late_finish)}, limited by {limit}.")


def why_json(plan: Plan, t: ScheduledTask) -> str:
    def binding(b: Any) -> dict[str, Any]:
        out = {"kind": b.kind, "task": b.other.ref if b.other else None, "type": b.dep_type, "lag": b.lag}
        if b.kind == "person":
            out["person"] = b.person
        return out

    return document("why", {
        "as_of": plan.as_of,
        "task": t.ref,
        "start": t.start,
        "finish": t.finish,
        "binding": binding(t.why),
        "reason": reason(plan, t),
        "chain": [s.ref for s in driving_chain(t)],
        "total_float": t.total_float,
        "critical": t.critical,
        "limited_by": binding(t.why_late),
        "criticality": criticality(plan, t),
    })
