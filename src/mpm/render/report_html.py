"""The status report as one self-contained HTML page: inline CSS, inline SVG, no network."""

from __future__ import annotations

from importlib import resources

from mpm.render.report_md import BADGE
from mpm.render.svg import bar, forecast_svg, gantt_svg
from mpm.views.report import Report


def forecast_points(history, campaign: str) -> list[tuple]:  # history: change.history.History | None
    """(commit, date, launch, finish, subject) of one campaign at each commit of `history`."""
    out = []
    for step in history.steps if history else []:
        for p in step.points:
            if p.campaign == campaign and p.state != "removed":
                out.append((step.commit.id[:8], step.commit.day, p.launch, p.finish, step.commit.subject))
    return out


def report_html(rep: Report, history=None) -> str:  # history: change.history.History | None
    """The page; with `history` (mpm history's steps) each campaign gets a forecast-over-time chart."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = lambda x: f"{x:,.0f}"
    env.filters["pct"] = lambda x: "—" if x is None else f"{x * 100:.0f}%"
    source = (resources.files("mpm") / "templates" / "report" / "report.html.j2").read_text(encoding="utf-8")
    template = env.from_string(source)
    return template.render(rep=rep, badge=BADGE, gantt=gantt_svg, bar=bar,
                           forecast=lambda cid: forecast_svg(forecast_points(history, cid)))
