"""The content view as a terminal page, JSON (`mpm/content/1`) and Markdown."""

from __future__ import annotations

from typing import Any

from mpm.render.escape import markdown as _md
from mpm.render.jsonout import document
from mpm.views.content import STATUSES, AssetEntry, CalendarItem, ContentView

STATUS_ORDER = list(STATUSES)


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


def _tree(view: ContentView, e: AssetEntry, depth: int, path: frozenset[str]) -> list[tuple[int, AssetEntry]]:
    out = [(depth, e)]
    children = [c for c in (view.entry(r) for r in e.derivatives) if c is not None and c.ref not in path]
    for child in sorted(children, key=lambda c: (-c.fed, c.ref)):
        out += _tree(view, child, depth + 1, path | {child.ref})
    return out


def reuse_lines(view: ContentView) -> list[tuple[int, AssetEntry]]:
    """(depth, asset) of every reuse tree, roots first, most reused first.

    Reuse is a graph, not a tree: an asset derived from two others shows
    under each of them.
    """
    out: list[tuple[int, AssetEntry]] = []
    for root in view.roots():
        out += _tree(view, root, 0, frozenset({root.ref}))
    return out


def _fed(e: AssetEntry) -> str:
    return f" — fed {e.fed} piece{'' if e.fed == 1 else 's'}" if e.fed else ""


def print_content(con, view: ContentView) -> None:  # con: rich Console
    """The content view on a terminal: sections of short lines, the calendar as a grid."""
    from mpm.render.grid import _painter, fit

    paint = _painter(con)
    lines: list[str] = []
    columns = con.width  # asked once: the console looks at the terminal each time

    def line(text: str = "", style: str = "") -> None:
        lines.append(paint(fit(text, columns), style) if style else fit(text, columns))

    line(f"Content from {view.start} to {view.end} (as of {view.as_of})", "bold")
    line()
    line(f"Inventory: {len(view.assets)} asset{'' if len(view.assets) == 1 else 's'}", "bold")
    width = max((len(k) for k in view.by_kind), default=0)
    for kind, counts in view.by_kind.items():
        line(f"  {kind:<{width}}  {_counts(counts)}")
    tree = reuse_lines(view)
    if tree:
        line()
        line("Reuse: what each asset fed", "bold")
        for depth, e in tree:
            home = tree_home(tree, depth, e)
            fed = f" · fed {e.fed}" if e.fed else ""
            where = e.asset.id if e.campaign == home else e.ref
            line(f"  {'  ' * depth}{'└ ' if depth else ''}{e.asset.title} · {e.asset.kind} · {e.asset.status}"
                 f"{fed} · {where}",
                 "dim" if e.asset.status == "retired" else "")
    if view.refresh:
        line()
        line("Due for a refresh", "bold")
        for e in view.refresh:
            late = e.asset.review_by is not None and e.asset.review_by < view.as_of
            line(f"  {e.asset.review_by}{'  overdue' if late else ''}  {e.asset.title} · "
                 f"{e.asset.owner or '—'} · {e.ref}", "red" if late else "")
    line()
    line("Calendar by channel", "bold")
    if not view.calendar:
        line("  nothing goes out on any channel in this period", "dim")
    else:
        lines.extend(_calendar_grid(columns, view.calendar))
    if view.gaps or view.collisions:
        line()
        line("Cadence gaps and collisions", "bold")
    for g in view.gaps:
        line(f"  gap        {g.every} of {g.period}  {g.channel or '—'}  {g.series} {g.reason}  "
             f"{g.campaign}: {g.file.rsplit('/', 1)[-1]}:{g.line}", "yellow")
    for c in view.collisions:
        names = ", ".join(i.id for i in c.items)
        second = c.items[1]
        line(f"  collision  {c.day}  {c.channel}  {names}  {second.campaign}: "
             f"{second.file.rsplit('/', 1)[-1]}:{second.line}", "yellow")
    con.file.write("\n".join(lines) + "\n")
    con.file.flush()


def _calendar_grid(width: int, items: list[CalendarItem]) -> list[str]:
    """Each channel's items by day, a line each; titles give way before ids, which edits need."""
    from rich.cells import cell_len

    from mpm.render.grid import fit

    rows = [(i.channel or "—", (str(i.day), i.status, i.title, i.id, i.owner or "—", i.campaign))
            for i in sorted(items, key=lambda i: (i.channel or "", i.day, i.campaign, i.id))]
    def cells(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    heads = ("day", "status", "item", "task", "owner", "campaign")
    natural = [max([len(h)] + [cells(r[k]) for _, r in rows]) for k, h in enumerate(heads)]
    gaps = 2 * len(heads) + 2
    w = [natural[0], natural[1], 0, min(natural[3], 30), min(natural[4], 8), 0]
    w[2] = max(min(natural[2], 48, width - sum(w) - gaps - min(natural[5], 8)), 12)
    w[5] = max(min(natural[5], 22, width - sum(w) - gaps), 8)

    def pad(text: str, n: int) -> str:
        text = fit(text, n)
        return text + " " * (n - cells(text))

    def fmt(row) -> str:
        return "    " + "  ".join(pad(c, n) for c, n in zip(row, w, strict=True))

    out = [fmt(heads).rstrip()]
    previous = None
    for channel, row in rows:
        if channel != previous:
            out.append(f"  {channel}")
            previous = channel
        out.append(fmt(row).rstrip())
    return out


def tree_home(tree: list[tuple[int, AssetEntry]], depth: int, e: AssetEntry) -> str | None:
    """The campaign of the tree's root: assets of that campaign are named by their bare id."""
    return None if not tree else next((r.campaign for d, r in tree if d == 0), None)


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
