"""The content view as a terminal page, JSON (`mpm/content/1`) and Markdown."""

from __future__ import annotations

from typing import Any

from mpm.render.jsonout import document
from mpm.render.report_md import _md
from mpm.views.content import AssetEntry, CalendarItem, ContentView

STATUS_ORDER = ["idea", "draft", "in-review", "approved", "published", "retired"]


def _asset(e: AssetEntry) -> dict[str, Any]:
    a = e.asset
    return {"campaign": e.campaign, "id": a.id, "title": a.title, "kind": a.kind, "channel": a.channel,
            "status": a.status, "owner": a.owner, "url": a.url, "published_on": a.published_on,
            "review_by": a.review_by, "derived_from": e.derived_from, "derivatives": e.derivatives,
            "fed": e.fed, "made_by": e.made_by, "topics": list(a.topics), "tags": list(a.tags),
            "file": e.file, "line": e.line}


def _item(i: CalendarItem) -> dict[str, Any]:
    return {"day": i.day, "channel": i.channel, "campaign": i.campaign, "id": i.id, "title": i.title,
            "owner": i.owner, "status": i.status, "asset": i.asset, "file": i.file, "line": i.line}


def content_json(view: ContentView) -> str:
    return document("content", {
        "as_of": view.as_of, "from": view.start, "to": view.end,
        "inventory": view.by_kind,
        "assets": [_asset(e) for e in view.assets],
        "refresh": [e.ref for e in view.refresh],
        "calendar": [_item(i) for i in view.calendar],
        "gaps": [{"campaign": g.campaign, "series": g.series, "channel": g.channel, "period": g.period,
                  "every": g.every, "reason": g.reason, "file": g.file, "line": g.line} for g in view.gaps],
        "collisions": [{"day": c.day, "channel": c.channel, "items": [f"{i.campaign}/{i.id}" for i in c.items]}
                       for c in view.collisions],
    })


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if s in counts)


def _tree(view: ContentView, e: AssetEntry, depth: int, seen: set[str]) -> list[tuple[int, AssetEntry]]:
    out = [(depth, e)]
    seen.add(e.ref)
    for ref in sorted(e.derivatives):
        child = view.entry(ref)
        if child is not None and ref not in seen:
            out += _tree(view, child, depth + 1, seen)
    return out


def reuse_lines(view: ContentView) -> list[tuple[int, AssetEntry]]:
    """(depth, asset) of every reuse tree, roots first, most reused first."""
    out: list[tuple[int, AssetEntry]] = []
    seen: set[str] = set()
    for root in view.roots():
        out += _tree(view, root, 0, seen)
    return out


def _fed(e: AssetEntry) -> str:
    return f" — fed {e.fed} piece{'' if e.fed == 1 else 's'}" if e.fed else ""


def _label(e: AssetEntry, home: str | None = None) -> str:
    where = e.asset.id if e.campaign == home else e.ref
    return f"{e.asset.title} ({where}, {e.asset.kind}, {e.asset.status})"


def content_text(view: ContentView):  # -> rich Group
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = [Text(f"Content from {view.start} to {view.end} (as of {view.as_of})", style="bold"),
                        Text("")]
    parts.append(Text(f"Inventory: {len(view.assets)} asset{'' if len(view.assets) == 1 else 's'}",
                      style="bold"))
    width = max((len(k) for k in view.by_kind), default=0)
    for kind, counts in view.by_kind.items():
        parts.append(Text(f"  {kind:<{width}}  {_counts(counts)}"))
    tree = reuse_lines(view)
    if tree:
        parts += [Text(""), Text("Reuse: what each asset fed", style="bold")]
        for depth, e in tree:
            style = "dim" if e.asset.status == "retired" else ""
            parts.append(Text(f"  {'  ' * depth}{'└ ' if depth else ''}{_label(e)}{_fed(e)}", style=style))
    if view.refresh:
        parts += [Text(""), Text("Due for a refresh", style="bold")]
        for e in view.refresh:
            late = e.asset.review_by and e.asset.review_by < view.as_of
            parts.append(Text(f"  {e.asset.review_by}  {e.ref}: {e.asset.title} ({e.asset.owner or '—'})"
                              + ("  overdue" if late else ""), style="red" if late else ""))
    parts += [Text(""), Text("Calendar by channel", style="bold")]
    if not view.calendar:
        parts.append(Text("  nothing planned on any channel in this period", style="dim"))
    channels: dict[str, list[CalendarItem]] = {}
    for i in view.calendar:
        channels.setdefault(i.channel or "—", []).append(i)
    for channel, items in sorted(channels.items()):
        parts.append(Text(f"  {channel} ({len(items)})", style="bold"))
        for i in items:
            style = "dim" if i.status in ("skipped", "done") else ""
            parts.append(Text(f"    {i.day}  {i.status:<11}  {i.title}  ({i.campaign}/{i.id}, {i.owner or '—'})",
                              style=style))
    if view.gaps or view.collisions:
        parts += [Text(""), Text("Cadence gaps and collisions", style="bold")]
    for g in view.gaps:
        parts.append(Text(f"  gap        {g.every} of {g.period}: {g.campaign}/{g.series} on "
                          f"{g.channel or '—'} ({g.reason})  {g.file}:{g.line}", style="yellow"))
    for c in view.collisions:
        names = ", ".join(f"{i.campaign}/{i.id}" for i in c.items)
        first = c.items[1]
        parts.append(Text(f"  collision  {c.day} on {c.channel}: {names}  {first.file}:{first.line}",
                          style="yellow"))
    return Group(*parts)


def content_markdown(view: ContentView) -> str:
    out = [f"# Content from {view.start} to {view.end}", "", f"As of {view.as_of}.", "",
           "## Inventory", "", "| kind | " + " | ".join(STATUS_ORDER) + " |",
           "|---|" + "---:|" * len(STATUS_ORDER)]
    for kind, counts in view.by_kind.items():
        out.append(f"| {kind} | " + " | ".join(str(counts.get(s, "")) for s in STATUS_ORDER) + " |")
    tree = reuse_lines(view)
    if tree:
        out += ["", "## Reuse", ""]
        out += [f"{'  ' * depth}- {_md(e.asset.title)} (`{e.ref}`, {e.asset.kind}, {e.asset.status}){_fed(e)}"
                for depth, e in tree]
    if view.refresh:
        out += ["", "## Due for a refresh", "", "| review by | asset | owner |", "|---|---|---|"]
        out += [f"| {e.asset.review_by} | {_md(e.asset.title)} (`{e.ref}`) | {e.asset.owner or '—'} |"
                for e in view.refresh]
    out += ["", "## Calendar", "", "| day | channel | item | campaign | owner | status |", "|---|---|---|---|---|---|"]
    out += [f"| {i.day} | {_md(i.channel or '—')} | {_md(i.title)} (`{i.id}`) | {i.campaign} | "
            f"{i.owner or '—'} | {i.status} |" for i in view.calendar]
    if view.gaps or view.collisions:
        out += ["", "## Cadence gaps and collisions", ""]
        out += [f"- gap: {g.every} of {g.period}, `{g.campaign}/{g.series}` on {_md(g.channel or '—')} "
                f"({g.reason}) — `{g.file}:{g.line}`" for g in view.gaps]
        out += [f"- collision: {c.day} on {_md(c.channel)}: "
                + ", ".join(f"`{i.campaign}/{i.id}`" for i in c.items) for c in view.collisions]
    return "\n".join(out) + "\n"
