"""The forecast (mpm/forecast/1 JSON, Markdown, terminal text) and its charts.

The terminal and Markdown show, per campaign, the planned dates beside
P50/P80/P95, the chance of making `end` and `launch`, the most critical
tasks, the drivers, a histogram of finish dates sized to the width, and
the risks left out of the draws with the reason. The HTML report draws the
S-curve (`s_curve_svg`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from mpm.render.jsonout import document_chunks
from mpm.views.forecast_data import CampaignForecast, Dates, Forecast

Line = tuple[str, str]  # (text, style)
TOP_CRITICAL = 5
MAX_BINS = 12


def _p(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _dates(d: Dates | None) -> dict[str, date] | None:
    return None if d is None else {"p50": d.p50, "p80": d.p80, "p95": d.p95}


def forecast_json(fc: Forecast) -> Iterator[bytes]:
    body = {"as_of": fc.as_of, "runs": fc.runs, "seed": fc.seed}
    return document_chunks("forecast", body, (campaign_json(c) for c in fc.campaigns), "campaigns")


def campaign_json(c: CampaignForecast) -> dict[str, Any]:
    launch = None
    if c.launch is not None:
        launch = {"planned": c.launch.planned, **(_dates(c.launch.dates) or {}),
                  "on_time": _p(c.launch.on_time), "milestone": c.launch.task, "forecast": c.launch.forecast}
    return {
        "id": c.id,
        "planned_finish": c.planned_finish,
        "finish": _dates(c.finish),
        "on_time": _p(c.on_time),
        "launch": launch,
        "tasks": [{"id": t, "criticality": _p(k)} for t, k in c.criticality],
        "drivers": [{"kind": d.kind, "id": d.id, "correlation": d.correlation} for d in c.drivers],
        "name": c.name,
        "end": c.end,
        "histogram": [{"date": d, "runs": k} for d, k in c.histogram],
        "inputs": [{"kind": i.kind, "id": i.id, "drawn": i.drawn, "detail": i.detail} for i in c.inputs],
    }


def _pct(x: float | None) -> str:
    if x is None:
        return "—"
    if 0 < x < 0.01:
        return "<1%"
    if 0.99 < x < 1:
        return ">99%"
    return f"{x * 100:.0f}%"


def _day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def summary_rows(c: CampaignForecast) -> list[tuple[list[str], float | None]]:
    """([what, planned, P50, P80, P95, chance], the chance) for the finish and the launch."""
    rows = []
    if c.finish is not None:
        chance = f"{_pct(c.on_time)} by end {c.end}" if c.end else "no end date"
        rows.append((["finish", _day(c.planned_finish), _day(c.finish.p50), _day(c.finish.p80),
                      _day(c.finish.p95), chance], c.on_time))
    if c.launch is not None:
        d = c.launch.dates
        rows.append((["launch", _day(c.launch.forecast), _day(d.p50), _day(d.p80), _day(d.p95),
                      f"{_pct(c.launch.on_time)} by launch {c.launch.planned}"], c.launch.on_time))
    return rows


def _chance_style(chance: float | None) -> str:
    if chance is None:
        return ""
    return "red" if chance < 0.5 else ("yellow" if chance < 0.8 else "green")


def detail_lines(c: CampaignForecast, why: bool = False) -> list[str]:
    out = []
    crit = c.most_critical[:TOP_CRITICAL]
    if crit:
        out.append("most critical: " + ", ".join(f"{t} {_pct(k)}" for t, k in crit))
    if c.drivers:
        out.append("drivers: " + ", ".join(f"{d.id} ({d.kind}, {d.correlation:+.2f})" for d in c.drivers))
    if why:
        drawn = [i for i in c.inputs if i.drawn]
        out += [f"drawn: {i.kind} {i.id}: {i.detail}" for i in drawn] or ["drawn: nothing varies"]
    skipped = c.not_drawn
    if skipped:
        out.append("not drawn: " + "; ".join(f"{i.id} ({i.detail.removeprefix('not drawn: ')})" for i in skipped))
    return out


def histogram_lines(c: CampaignForecast, width: int) -> list[Line]:
    """Finish dates of the runs as horizontal bars, at most MAX_BINS lines, within `width`."""
    hist = c.histogram
    if len(hist) < 2 or c.finish is None:
        return []
    size = math.ceil(len(hist) / MAX_BINS)
    bins = [(hist[i][0], sum(k for _, k in hist[i:i + size]), hist[min(i + size, len(hist)) - 1][0])
            for i in range(0, len(hist), size)]
    total = sum(k for _, k, _ in bins)
    peak = max(k for _, k, _ in bins) or 1
    marks = {"P50": c.finish.p50, "P80": c.finish.p80, "P95": c.finish.p95}
    bar_width = max(6, width - 44)  # room for the date, the shares and "← P50/P80/P95"
    out: list[Line] = [(f"  {'finish by':<10}  {'runs':<{bar_width}}  share   cum.", "dim")]
    running = 0
    for i, (first, k, last) in enumerate(bins):
        running += k
        if k == 0 and 0 < i < len(bins) - 1 and bins[i - 1][1] == 0:
            continue  # a run of days no run finishes on shows as one line
        if k == 0 and 0 < i < len(bins) - 1 and bins[i + 1][1] == 0:
            out.append(("  ⋮", "dim"))
            continue
        full = k * bar_width / peak
        bar = "█" * int(full) + ("▌" if full - int(full) >= 0.5 else "")
        hits = [name for name, d in marks.items() if first <= d <= last]
        style = "bold" if hits else ""
        out.append((f"  {_day(last):<10}  {bar:<{bar_width}}  {_pct(k / total):>5}  {_pct(running / total):>5}"
                    + (f"  ← {'/'.join(hits)}" if hits else ""), style))
    return out


def forecast_lines(fc: Forecast, width: int, why: bool = False) -> list[Line]:
    out: list[Line] = [(f"Forecast as of {fc.as_of} — {fc.runs:,} runs, seed {fc.seed}", "bold"), ("", "")]
    head = ["", "planned", "P50", "P80", "P95", "chance"]
    for c in fc.campaigns:
        out.append((f"{c.id} — {c.name}", "bold"))
        rows = summary_rows(c)
        if not rows:
            out += [("  no scheduled work", "dim"), ("", "")]
            continue
        widths = [max(len(r[i]) for r in [head, *(cells for cells, _ in rows)]) for i in range(len(head))]
        out.append(("  " + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(), "dim"))
        for cells, chance in rows:
            out.append(("  " + "  ".join(x.ljust(w) for x, w in zip(cells, widths, strict=True)).rstrip(),
                        _chance_style(chance)))
        out += [(f"  {line}", "") for line in detail_lines(c, why)]
        out += histogram_lines(c, width)
        out.append(("", ""))
    return out


def forecast_text(fc: Forecast, width: int, why: bool = False):  # -> rich renderable
    """`forecast_lines` as one view (`lines.Lines`): a portfolio's tens of thousands of lines
    printed at once, not a console print each."""
    from rich.text import Text

    from mpm.render.lines import Lines

    return Lines(*(Text(text, style=style) for text, style in forecast_lines(fc, width, why)))


def forecast_markdown(fc: Forecast, why: bool = False) -> str:
    out = [f"# Forecast as of {fc.as_of}", "", f"{fc.runs:,} runs, seed {fc.seed}.", ""]
    for c in fc.campaigns:
        out += [f"## {_md(c.name)} (`{c.id}`)", ""]
        rows = summary_rows(c)
        if not rows:
            out += ["No scheduled work.", ""]
            continue
        out += ["| | planned | P50 | P80 | P95 | chance |", "|---|---|---|---|---|---|"]
        out += ["| " + " | ".join(cells) + " |" for cells, _ in rows]
        out.append("")
        out += [f"- {_md(line)}" for line in detail_lines(c, why)]
        bars = histogram_lines(c, 80)
        if bars:
            out += ["", "```text", *(text for text, _ in bars), "```"]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
