"""The status report as one self-contained HTML page: inline CSS, inline SVG, no network."""

from __future__ import annotations

from importlib import resources

from mpm.render.report_md import BADGE, forecast_line, p80_dates
from mpm.render.svg import bar, gantt_svg, s_curve_svg
from mpm.views.report import Report


def report_html(rep: Report) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["money"] = lambda x: f"{x:,.0f}"
    env.filters["pct"] = lambda x: "—" if x is None else f"{x * 100:.0f}%"
    source = (resources.files("mpm") / "templates" / "report" / "report.html.j2").read_text(encoding="utf-8")
    template = env.from_string(source)
    return template.render(rep=rep, badge=BADGE, gantt=gantt_svg, bar=bar, s_curve=s_curve_svg,
                           forecast_line=forecast_line, p80_dates=p80_dates)
