"""Status and report as a chat digest: the shape render/slack and render/teams both format.

A digest is a title, sections (a campaign each, the most urgent first, the
worst findings first inside), and a context line with the as-of date and
the counts. Text is kept as spans: `strong` spans are mpm's own words and
ids, `user` spans are text from the files, which each chat format must
escape its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from mpm.views.report import CampaignReport, Report
from mpm.views.status import Finding, summary

ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
BADGE = {"on track": "🟢 On track", "at risk": "🟠 At risk", "late": "🔴 Late", "done": "✅ Done",
         "cancelled": "⚪ Cancelled", "on hold": "⏸ On hold", "not started": "⚪ Not started"}
GOAL_ORDER = ["missed", "behind", "on-track", "achieved", "no-data"]
MAX_LINES = 10  # findings shown per campaign; a digest, not the whole list
# C0/C1 controls and the bidi overrides and isolates: nothing in a chat line may move or hide text
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Span:
    text: str
    kind: str = "text"  # text | strong | user


Line = list[Span]


@dataclass
class Section:
    title: Line
    lines: list[Line] = field(default_factory=list)
    hidden: int = 0  # lines left out of this digest ("and N more")


@dataclass
class Digest:
    title: str
    summary: str  # one line for notifications and clients that show no cards
    sections: list[Section]
    context: str
    empty: str | None = None  # shown when there are no sections


def one_line(text: str) -> str:
    """User text on one line, without controls: no fake lines, no hidden or reordered text."""
    return re.sub(r"\s+", " ", _INVISIBLE.sub(" ", text))


def counts(found: list[Finding], *, all_kinds: bool = True) -> str:
    s = summary(found)
    return " · ".join(f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}" for sev, n in s.items()
                      if n or all_kinds)


def status_digest(found: list[Finding], as_of: date, name: str) -> Digest:
    from mpm.render.status import _groups

    sections = []
    for group, items in _groups(found):
        section = Section([Span(group, "strong"), Span(f" — {counts(items, all_kinds=False)}")])
        for f in items[:MAX_LINES]:
            section.lines.append([Span(f"{ICON[f.severity]} "), Span(f.code, "strong"), Span(" "),
                                  Span(f.item, "user"), Span(": "), Span(f.message, "user")])
        section.hidden = max(0, len(items) - MAX_LINES)
        sections.append(section)
    title = f"{name} — status as of {as_of}"
    if not found:
        return Digest(title, f"{name}: all clear as of {as_of}", [], f"as of {as_of} · mpm status",
                      "All clear: nothing overdue, at risk or waiting.")
    return Digest(title, f"{name} status as of {as_of}: {counts(found)}", sections,
                  f"as of {as_of} · {counts(found)} · mpm status")


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _label(name: str) -> Line:
    return [Span(name, "strong"), Span(": ")]


def _names(tasks: list, shown: int = 3, when: bool = False) -> Line:
    """Up to `shown` task names (a series once, with how many), then "and N more"."""
    seen: dict[str, int] = {}
    for t in tasks:
        key = f"{t.start} {t.name}" if when else t.name
        seen[key] = seen.get(key, 0) + 1
    names = [f"{k} ×{n}" if n > 1 else k for k, n in seen.items()]
    line = [Span("; ".join(names[:shown]) or "nothing", "user")]
    if len(names) > shown:
        line.append(Span(f" and {len(names) - shown} more"))
    return line


def _campaign_lines(c: CampaignReport, rep: Report) -> list[Line]:
    lines: list[Line] = []
    head: Line = [Span(BADGE.get(c.headline, c.headline), "strong")]
    if c.reasons:
        head += [Span(" — "), Span("; ".join(c.reasons), "user")]
    lines.append(head)
    dates = []
    if c.launch_planned:
        dates.append(f"launch {c.launch_forecast or '—'} forecast, {c.launch_planned} planned")
    if c.end:
        dates.append(f"finish {c.finish_forecast or '—'} forecast, {c.end} planned")
    if dates:
        lines.append([*_label("Dates"), Span(" · ".join(dates))])
    if c.headline not in ("done", "cancelled", "on hold"):
        lines.append([*_label(f"Done since {rep.since}"), *_names(c.done_since)])
        lines.append([*_label("Next two weeks"), *_names(c.next_up, when=True)])
    if c.goals:
        states: dict[str, list[str]] = {}
        for g in c.goals:
            states.setdefault(g.standing.state, []).append(g.goal.id)
        goals: Line = _label("Goals")
        for i, (state, ids) in enumerate(sorted(states.items(), key=lambda kv: GOAL_ORDER.index(kv[0]))):
            goals.append(Span((" · " if i else "") + f"{len(ids)} {state.replace('-', ' ')}"))
            if state in ("behind", "missed"):
                goals += [Span(" ("), Span(", ".join(ids), "user"), Span(")")]
        lines.append(goals)
    if c.budget and c.budget.lines:
        t = c.budget.against_total
        used = f" ({t.used * 100:.0f}%)" if t.used is not None else ""
        flag = " — over" if t.over else ""
        lines.append([*_label("Budget"), Span(f"{_n(t.actual)} of {_n(t.planned)} {rep.currency} spent{used}{flag}")])
    if c.risks:
        top = c.risks[0]
        lines.append([*_label("Top risk"), Span(top.risk.title, "user"), Span(f" (score {top.score})")])
    if c.approvals:
        lines.append([*_label("Open approvals"), Span(str(len(c.approvals)))])
    return lines


def report_digest(rep: Report) -> Digest:
    sections = [Section([Span(c.name, "user")], _campaign_lines(c, rep)) for c in rep.campaigns]
    tally = " · ".join(f"{n} {h}" for h, n in rep.counts.items())
    context = f"as of {rep.as_of} · changes since {rep.since}" + (f" · {tally}" if tally else "") + " · mpm report"
    return Digest(rep.title, f"{rep.title} as of {rep.as_of}" + (f": {tally}" if tally else ""), sections,
                  context, None if sections else "No campaigns to report on.")
