"""`mpm diff` as a terminal report, a pull-request comment (Markdown), or JSON (mpm/diff/1)."""

from __future__ import annotations

from typing import Any

from mpm.change.diff import CampaignDiff, Change, DiffReport
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


def consequence_lines(c: CampaignDiff) -> list[str]:
    out = []
    if c.finish_slip:
        way = "later" if c.finish_slip > 0 else "earlier"
        out.append(f"forecast finish {c.finish_before} → {c.finish_after} ({_days(c.finish_slip)} {way})")
    elif c.finish_before is None and c.finish_after:
        out.append(f"forecast finish {c.finish_after}")
    if c.newly_critical:
        out.append("now on the critical path: " + ", ".join(c.newly_critical))
    if c.no_longer_critical:
        out.append("off the critical path: " + ", ".join(c.no_longer_critical))
    for tid, before, after in c.newly_late:
        out.append(f"{tid} will now miss its deadline by {_days(after)} (float {before} → {after})")
    for tid, before, after in c.back_on_time:
        out.append(f"{tid} now meets its deadline (float {before} → {after})")
    return out


def record_lines(c: CampaignDiff) -> list[str]:
    out = [f"campaign {change_text(x)}" for x in c.fields]
    for r in c.records:
        if r.status == "changed":
            out += [f"{r.kind} {r.id}: {change_text(x)}" for x in r.changes]
        else:
            out.append(f"{r.kind} {r.id} {r.status}")
    return out


def diff_markdown(rep: DiffReport) -> str:
    out = [f"### mpm diff: {rep.before} → {rep.after}", ""]
    if not rep.campaigns and not rep.workspace:
        out.append("No change to the plan.")
        return "\n".join(out) + "\n"
    for x in rep.workspace:
        out.append(f"- workspace {markdown(change_text(x))}")
    for c in rep.campaigns:
        label = {"added": " (new campaign)", "removed": " (removed)"}.get(c.status, "")
        out.append(f"#### `{c.id}`{label}")
        out.append("")
        consequences = consequence_lines(c)
        if consequences:
            out += [f"- **{markdown(line)}**" for line in consequences]
        out += [f"- {markdown(line)}" for line in record_lines(c)]
        out.append("")
    out.append(f"_Plans compared as of {rep.as_of}._")
    return "\n".join(out) + "\n"


def diff_text(rep: DiffReport):  # -> rich Group
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = [Text.assemble(("mpm diff", "bold"), f"  {rep.before} → {rep.after}")]
    if not rep.campaigns and not rep.workspace:
        parts.append(Text("No change to the plan.", style="green"))
        return Group(*parts)
    for x in rep.workspace:
        parts.append(Text(f"  workspace {change_text(x)}"))
    for c in rep.campaigns:
        label = {"added": " (new campaign)", "removed": " (removed)"}.get(c.status, "")
        parts.append(Text(f"\n{c.id}{label}", style="bold"))
        for line in consequence_lines(c):
            bad = "later" in line or "miss" in line or "now on" in line
            parts.append(Text(f"  ▸ {line}", style="bold red" if bad else "bold green"))
        for line in record_lines(c):
            parts.append(Text(f"  {line}"))
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
        } for c in rep.campaigns],
    })
