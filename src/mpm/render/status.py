"""Status findings as a terminal summary, JSON (mpm/status/1), GitHub annotations, Markdown."""

from __future__ import annotations

from datetime import date

from mpm.render import github
from mpm.render.escape import code_span, markdown_cell
from mpm.render.jsonout import document
from mpm.views.status import CODES, Finding, summary

ICON = {"error": "✖", "warning": "▲", "info": "·"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _groups(found: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by campaign (team-wide ones under "team"), the most urgent group first."""
    groups: dict[str, list[Finding]] = {}
    for f in found:
        groups.setdefault(f.campaign or "team", []).append(f)
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(groups.items(), key=lambda kv: (min(rank[f.severity] for f in kv[1]),
                                                  -len(kv[1]), kv[0]))


def _counts(found: list[Finding]) -> str:
    s = summary(found)
    parts = [f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in s.items()]
    return " · ".join(parts)


def status_text(found: list[Finding], as_of: date):  # -> rich renderable
    from rich.text import Text

    from mpm.render.grid import Column
    from mpm.render.lines import Grid, Lines

    style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    if not found:
        return Text(f"Status as of {as_of}: all clear — nothing overdue, at risk or waiting.",
                    style="green")
    parts: list = [Text.assemble(("Status", "bold"), f" as of {as_of}: ", _counts(found)), Text("")]
    columns = [Column(""), Column(""), Column(""), Column("")]  # the item whole: people type its id
    for name, items in _groups(found):
        parts.append(Text(name, style="bold underline"))
        rows = [[(ICON[f.severity], style[f.severity]), (f.code, style[f.severity]), (f.item, "bold"),
                 (((f.message, ""), (f"  {f.file.rsplit('/', 1)[-1]}:{f.line}", "dim")), "")]
                for f in items]
        parts += [Grid(columns, rows, header=False, gap=" ", wrap=True), Text("")]
    parts.append(Text("✖ error  ▲ warning  · info    `mpm plan --why TASK` explains a date",
                      style="dim"))
    return Lines(*parts)


def status_json(found: list[Finding], as_of: date) -> str:
    return document("status", {
        "as_of": as_of,
        "summary": summary(found),
        "findings": [
            {"severity": f.severity, "code": f.code, "campaign": f.campaign, "item": f.item,
             "message": f.message, "file": f.file, "line": f.line, "title": f.title,
             "slip_days": f.slip_days, "owner": f.owner}
            for f in found
        ],
    })


def status_github(found: list[Finding], prefix: str = "") -> str:
    """One workflow command per finding; `prefix` is the workspace's folder in the repository."""
    lines = []
    for f in found:
        where = f"{f.campaign}/{f.item}" if f.campaign and f.campaign != f.item else f.item
        lines.append(github.command(GITHUB_LEVEL[f.severity], f"{where}: {f.message}",
                                    file=prefix + f.file if f.file else None, line=f.line,
                                    title=f"mpm {f.code} {f.title}"))
    return "".join(line + "\n" for line in lines)


def status_markdown(found: list[Finding], as_of: date) -> str:
    out = [f"## mpm status as of {as_of}", ""]
    if not found:
        out.append("All clear: nothing overdue, at risk or waiting.")
        return "\n".join(out) + "\n"
    out += [_counts(found), ""]
    for name, items in _groups(found):
        out += [f"### {name}", "", "| | code | item | finding | where |", "|---|---|---|---|---|"]
        for f in items:
            out.append(f"| {ICON[f.severity]} | {f.code} | {code_span(f.item)} | {markdown_cell(f.message)} | "
                       f"{code_span(f'{f.file}:{f.line}')} |")
        out.append("")
    return "\n".join(out)


def codes_table() -> str:
    """The finding codes as a Markdown table (for the README)."""
    rows = ["| code | severity | finding |", "|---|---|---|"]
    rows += [f"| {code} | {sev} | {name} |" for code, (sev, name) in CODES.items()]
    return "\n".join(rows)
