"""The status report in Markdown: reads well on GitHub and in wikis; the Gantt is Mermaid.

Every user string goes through `escape.markdown` (or `markdown_cell` in a
table), so a name like `**x**` or `<draft>` reads as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain

from mpm.plan.dates import Plan, ScheduledTask
from mpm.render.escape import code_span
from mpm.render.escape import markdown as _md
from mpm.render.escape import markdown_cell as _cell
from mpm.render.mermaid import gantt, too_big
from mpm.render.two_cores import in_two
from mpm.views.report import CampaignReport, Report

BADGE = {"on track": "🟢 On track", "at risk": "🟠 At risk", "late": "🔴 Late", "done": "✅ Done",
         "cancelled": "⚪ Cancelled", "on hold": "⏸ On hold", "not started": "⚪ Not started"}


# the weight of the campaigns' sections from which a report draws them on two cores: a fork
# costs a few milliseconds, drawing a thousand chart rows about a tenth of a second
TWO_CORES_FROM = 2_000


DRAWN_WEIGHT = 20  # a section's blocks besides its rows; all a section drawn early has left


def section_weight(c: CampaignReport) -> int:
    """About how much drawing a campaign's section of a report is: its rows, and its other blocks."""
    return len(c.tasks) + DRAWN_WEIGHT


def keep(c: CampaignReport, rep: Report, key: str, drawn: object) -> None:
    """Keep on campaign `c` what a renderer drew early (`drawing_early`) for the report `rep`."""
    c.__dict__[key] = (rep, drawn)


def kept(c: CampaignReport, rep: Report, key: str):  # -> what `keep` kept, or None
    """What was kept under `key` on `c` for this very report, or None: a campaign report can
    end up in another report (`for_person`), which must be drawn for itself."""
    got = c.__dict__.get(key)
    return got[1] if got is not None and got[0] is rep else None


def weight_with_kept(rep: Report, key: str) -> Callable[[CampaignReport], int]:
    """`section_weight`, less the rows of a section whose early part is kept under `key`."""
    return lambda c: DRAWN_WEIGHT if kept(c, rep, key) is not None else section_weight(c)


def _task(t: ScheduledTask, rep: Report, *facts: object) -> str:
    """`name (id, owner, …)`: ids only for the team."""
    shown = [code_span(t.id)] if rep.audience == "team" else []
    shown += [_md(rep.person(t.owner)) or "—", *(str(f) for f in facts)]
    return f"{_md(t.name)} ({', '.join(shown)})"


def _n(x: float) -> str:
    return f"{x:,.0f}"


def report_markdown(rep: Report, plan: Plan) -> str:
    return b"".join(report_markdown_chunks(rep, plan)).decode("utf-8")


def report_markdown_chunks(rep: Report, plan: Plan) -> Iterator[bytes]:
    """The report as UTF-8, a campaign at a time: a portfolio of thousands of campaigns never
    exists as one string, its lines and its encoded copy at once. A large portfolio's campaigns
    are written on two cores (`render.two_cores`)."""
    def campaigns(chosen: Sequence[CampaignReport]) -> Iterator[bytes]:
        return _texts((_campaign(c, rep, plan) for c in chosen), first=False)

    content = [_content(rep)] if rep.content is not None else []
    return _ending_once(chain(_texts([_head(rep)]),
                              in_two(rep.campaigns, weight_with_kept(rep, _BODY), TWO_CORES_FROM, campaigns),
                              _texts(content, first=False)))


def _texts(blocks: Iterable[list[str]], *, first: bool = True) -> Iterator[bytes]:
    """Each block's lines joined and encoded, after a line break unless it is the `first` text;
    a block without lines adds nothing (not even a line break)."""
    for block in blocks:
        if block:
            text = "\n".join(block)
            yield (text if first else "\n" + text).encode("utf-8")
            first = False


def _ending_once(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks with the line breaks at the very end cut to one: breaks at a chunk's end are
    held until text follows them. Over `_texts(blocks)`, the bytes of
    `"\\n".join(every line).rstrip("\\n") + "\\n"`, a block at a time."""
    held = b""
    for chunk in chunks:
        body = chunk.rstrip(b"\n")
        if body:
            yield held + body
            held = chunk[len(body):]
        else:
            held += chunk
    yield b"\n"


def _head(rep: Report) -> list[str]:
    """The report's title and, for a portfolio, its table of campaigns."""
    out = [f"# {_md(rep.title)}", "",
           f"As of **{rep.as_of}** · changes since {rep.since}", ""]
    if len(rep.campaigns) > 1:
        out += ["| campaign | status | launch (forecast / planned) | launch P80 | finish (forecast / end) "
                "| finish P80 |",
                "|---|---|---|---|---|---|"]
        for c in rep.campaigns:
            launch = f"{c.launch_forecast or '—'} / {c.launch_planned or '—'}"
            finish = f"{c.finish_forecast or '—'} / {c.end or '—'}"
            p80_launch, p80_finish = p80_dates(c)
            out.append(f"| [{_cell(c.name)}](#{c.id}) | {BADGE[c.headline]} | {launch} | {p80_launch} | {finish} | "
                       f"{p80_finish} |")
        out.append("")
        if any(c.forecast for c in rep.campaigns):
            out += [f"P80: the date by which 80 % of {rep.forecast_runs:,} forecast runs are done "
                    "(`mpm forecast` says more).", ""]
    return out


def p80_dates(c: CampaignReport) -> tuple[str, str]:
    """The forecast's P80 launch and finish, or a dash."""
    f = c.forecast
    launch = str(f.launch.dates.p80) if f is not None and f.launch is not None else "—"
    finish = str(f.finish.p80) if f is not None and f.finish is not None else "—"
    return launch, finish


def forecast_line(c: CampaignReport) -> str | None:
    """The forecast's P80 dates beside the plan, in one sentence."""
    f = c.forecast
    if f is None or f.finish is None:
        return None
    parts = []
    if f.launch is not None:
        parts.append(f"P80 launch {f.launch.dates.p80} ({_pct(f.launch.on_time)} chance by {f.launch.planned})")
    finish = f"P80 finish {f.finish.p80}"
    if f.end is not None and f.on_time is not None:
        finish += f" ({_pct(f.on_time)} chance by {f.end})"
    parts.append(finish)
    return "Forecast: " + " · ".join(parts)


def _pct(x: float) -> str:
    return "<1%" if 0 < x < 0.01 else (">99%" if 0.99 < x < 1 else f"{x * 100:.0f}%")


def _content(rep: Report) -> list[str]:
    content = rep.content
    assert content is not None
    out = ["## Content", "", f"### Published since {rep.since}", ""]
    out += [f"- {e.asset.published_on}: {_md(e.asset.title)} ({e.asset.kind}, `{e.ref}`)" for e in content.published] \
        or ["- nothing published in this period"]
    out += ["", "### Coming next", ""]
    out += [f"- {i.day}: {_md(i.title)} ({_md(i.channel or '—')}, `{i.campaign}/{i.id}`, {i.owner or '—'})"
            for i in content.coming[:12]] or ["- nothing goes out in the next two weeks"]
    if content.top_reused:
        out += ["", "### Most reused", ""]
        out += [f"- {_md(e.asset.title)} (`{e.ref}`) fed {e.fed} piece{'' if e.fed == 1 else 's'}"
                for e in content.top_reused]
    return [*out, ""]


def drawing_early(plan: Plan) -> Callable[[Report, CampaignReport], None]:
    """A campaign's text below its facts and forecast (which shows nothing of the forecast),
    written and kept on the campaign for `report_markdown_chunks` of the same report:
    `build_report(meanwhile=…)` calls it while the forecast is made beside."""
    def draw(rep: Report, c: CampaignReport) -> None:
        keep(c, rep, _BODY, _body(c, rep, plan))

    return draw


_BODY = "_md_body"  # where `drawing_early` keeps a campaign's body


def _campaign(c: CampaignReport, rep: Report, plan: Plan) -> list[str]:
    body = kept(c, rep, _BODY)
    return _top(c, rep) + (body if body is not None else _body(c, rep, plan))


def _top(c: CampaignReport, rep: Report) -> list[str]:
    """The campaign's heading, facts, forecast and objective."""
    out = [f'<a id="{c.id}"></a>', f"## {_md(c.name)}", "", f"**{BADGE[c.headline]}**"
           + (" — " + "; ".join(_md(r) for r in c.reasons) if c.reasons else ""), ""]
    facts = []
    if c.client:
        facts.append(f"Client: {_md(c.client)}")
    if c.owner:
        facts.append(f"Owner: {_md(rep.person(c.owner))}")
    if c.launch_planned:
        facts.append(f"Launch: {c.launch_forecast or '—'} forecast, {c.launch_planned} planned")
    if c.end:
        facts.append(f"Finish: {c.finish_forecast or '—'} forecast, {c.end} planned")
    if facts:
        out += [" · ".join(facts), ""]
    risk = forecast_line(c)
    if risk:
        out += [risk, ""]
    if c.objective:
        out += [f"> {_md(c.objective)}", ""]
    return out


def _body(c: CampaignReport, rep: Report, plan: Plan) -> list[str]:
    """The rest of the campaign's text: lessons, work done and next, milestones, the schedule,
    goals, budget, risks and approvals (nothing of the forecast)."""
    out: list[str] = []
    if c.lessons:
        out += ["### Lessons learned", ""] + [f"- {_md(x)}" for x in c.lessons] + [""]
    if c.headline not in ("done", "cancelled", "on hold"):
        out += ["### Done since " + str(rep.since), ""]
        out += [f"- {_task(t, rep, t.finish)}" for t in c.done_since] \
            or ["- nothing finished in this period"]
        out += ["", "### Next two weeks", ""]
        out += [f"- {t.start}: {_task(t, rep)}"
                + (" — **critical**" if t.critical else "") for t in c.next_up[:12]] \
            or ["- nothing starts in the next two weeks"]
        out.append("")
    if c.milestones:
        out += ["### Milestones", "", "| milestone | date | due | float |", "|---|---|---|---:|"]
        for t in c.milestones:
            state = "done" if t.status == "done" else str(t.total_float)
            out.append(f"| {_cell(t.name)} | {t.start} | {t.due or '—'} | {state} |")
        out.append("")
    cp = plan.campaign(c.id)
    if cp and cp.tasks:
        out += ["### Schedule", ""]
        if c.critical_path and c.headline not in ("done", "cancelled", "on hold"):
            on_path = set(c.critical_path)
            names = {t.id: t.name for t in cp.tasks if t.id in on_path}
            out += ["Critical path: " + " → ".join(_md(names.get(x, x)) for x in c.critical_path), ""]
        chart = gantt([cp], as_of=rep.as_of, rows={cp.id: c.rows})  # the rows the report holds
        if too_big(chart):
            out += [f"_The schedule has {len(cp.tasks):,} tasks, more than a Mermaid chart can draw; "
                    "the HTML report (`--format html`) shows it._", ""]
        else:
            out += ["```mermaid", chart.rstrip("\n"), "```", ""]
    if c.goals:
        out += ["### Goals", "", "| goal | latest | expected now | target | state |", "|---|---:|---:|---:|---|"]
        for g in c.goals:
            s = g.standing
            latest = f"{_n(s.actual.value)} ({s.actual.date})" if s.actual else "—"
            expected = _n(g.expected_today) if g.expected_today is not None else "—"
            target = _n(g.goal.target) if g.goal.target is not None else "—"
            out.append(f"| {_cell(g.goal.statement)} | {latest} | {expected} | {target} | {s.state} |")
        out.append("")
    if c.budget and c.budget.lines:
        b = c.budget
        out += [f"### Budget ({rep.currency})", "", "| line | planned | actual | used |", "|---|---:|---:|---:|"]
        for line in b.lines:
            m = line.money
            flag = " ⚠ over" if m.over else ""
            used = f"{m.used * 100:.0f}%" if m.used is not None else "—"
            out.append(f"| {_cell(line.category)}{flag} | {_n(m.planned)} | {_n(m.actual)} | {used} |")
        t = b.against_total
        used = f"{t.used * 100:.0f}%" if t.used is not None else "—"
        out += [f"| **total** | **{_n(t.planned)}** | **{_n(t.actual)}** | **{used}** |", ""]
    if c.risks:
        out += ["### Top risks", "", "| risk | score | owner | mitigation |", "|---|---:|---|---|"]
        for e in c.risks:
            flag = " ⚠" if e.on_critical_work else ""
            out.append(f"| {_cell(e.risk.title)}{flag} | {e.score} | {_cell(rep.person(e.risk.owner)) or '—'} | "
                       f"{_cell(e.risk.mitigation) or '**none**'} |")
        out.append("")
    if c.approvals:
        out += ["### Open approvals", ""]
        out += [f"- {_md(t.name)} — {_md(rep.person(a.by))}: **{a.status}**" + (f" — {_md(a.note)}" if a.note else "")
                for t, a in c.approvals]
        out.append("")
    return out
