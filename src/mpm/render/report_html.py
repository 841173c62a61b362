"""The status report as one self-contained HTML page: inline CSS, inline SVG, no network.

Jinja escapes every value; `finalize` also drops control and bidi characters,
which HTML forbids or which reverse a heading.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from mpm.read.cache import user_cache_dir
from mpm.render.escape import clean
from mpm.render.report_md import BADGE, TWO_CORES_FROM, forecast_line, keep, kept, p80_dates, weight_with_kept
from mpm.render.svg import bar, forecast_svg, gantt_svg, s_curve_svg
from mpm.render.trend import kpi_trend
from mpm.render.two_cores import in_two
from mpm.views.report import CampaignReport, Report


def _finalize(value: object) -> object:
    """Plain text loses control characters; markup mpm built itself is kept as it is."""
    return clean(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def forecast_points(history, campaign: str) -> list[tuple]:  # history: change.history.History | None
    """(commit, date, launch, finish, subject) of one campaign at each commit of `history`."""
    out = []
    for step in history.steps if history else []:
        for p in step.points:
            if p.campaign == campaign and p.state != "removed":
                out.append((step.commit.id[:8], step.commit.day, p.launch, p.finish, step.commit.subject))
    return out


def report_html_chunks(rep: Report, history=None) -> Iterator[bytes]:  # history: change.history.History | None
    """The page as UTF-8, a megabyte at a time: a portfolio of thousands of campaigns never
    exists as one string and its encoded copy at once. With `history` (mpm history's steps)
    each campaign gets a forecast-over-time chart. A large portfolio's campaign sections are
    drawn on two cores (`render.two_cores`); what `drawing_early` drew is used as it is."""
    env = _environment()
    names = _names(rep, history)
    head, section, tail = (_template(env, part) for part in ("head", "campaign", "tail"))

    def sections(campaigns: Sequence[CampaignReport]) -> Iterator[str]:
        for c in campaigns:  # a section a piece: the blocks' many short pieces joined in C
            drawn = kept(c, rep, _BLOCKS)
            context = section.new_context({**names, "c": c})
            yield "".join(drawn[block] if drawn is not None and block in drawn
                          else "".join(section.blocks[block](context)) for block in SECTION)

    yield from _encoded(head.generate(names))
    yield from in_two(rep.campaigns, weight_with_kept(rep, _BLOCKS), TWO_CORES_FROM,
                      lambda campaigns: _encoded(sections(campaigns)))
    yield from _encoded(tail.generate(names))


# A campaign's section, block by block (campaign.html.j2); the blocks that show nothing of the
# forecast can be drawn while it is made (`drawing_early`)
SECTION = ("facts", "work", "risk", "rest")
EARLY = ("work", "rest")


def drawing_early() -> Callable[[Report, CampaignReport], None]:
    """A campaign's blocks that show nothing of the forecast, drawn and kept on the campaign for
    `report_html_chunks` of the same report: `build_report(meanwhile=…)` calls it while the
    forecast is made beside."""
    section = _template(_environment(), "campaign")

    def draw(rep: Report, c: CampaignReport) -> None:
        context = section.new_context({**_names(rep, None), "c": c})
        keep(c, rep, _BLOCKS, {block: "".join(section.blocks[block](context)) for block in EARLY})

    return draw


_BLOCKS = "_html_blocks"  # where `drawing_early` keeps a campaign's early blocks


def _names(rep: Report, history) -> dict:
    """What the templates see."""
    return dict(rep=rep, badge=BADGE, gantt=gantt_svg, bar=bar, trend=kpi_trend, s_curve=s_curve_svg,
                forecast_line=forecast_line, p80_dates=p80_dates, critical_chain=_critical_chain,
                forecast=lambda cid: forecast_svg(forecast_points(history, cid)))


def _encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """The pieces joined and encoded about a megabyte at a time."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            yield "".join(batch).encode("utf-8")
            batch, size = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


def _environment():  # -> jinja2.Environment
    from jinja2 import Environment, FunctionLoader, select_autoescape

    # a template's last line break is the page's: the page is the head, the campaigns and the tail
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_finalize,
                      loader=FunctionLoader(_source), bytecode_cache=_compiled_templates())
    env.filters["money"] = lambda x: f"{x:,.0f}"
    env.filters["pct"] = lambda x: "—" if x is None else f"{x * 100:.0f}%"
    return env


def _template(env, part: str):  # -> jinja2.Template
    return env.get_template(f"{part}.html.j2")


def _source(name: str) -> tuple[str, str, Callable[[], bool]]:
    """A report template's text, under a name that changes with this module: how a template
    compiles depends on the environment made here, so a kept compilation is this module's."""
    text = (resources.files("mpm") / "templates" / "report" / name).read_text(encoding="utf-8")
    return text, f"mpm/templates/report/{name} ({_this_module()})", lambda: True


@cache
def _this_module() -> str:
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        from mpm import __version__

        return __version__


def _compiled_templates():  # -> jinja2.BytecodeCache | None
    """Compiled report templates kept between runs, as Python keeps .pyc files (Jinja's own
    bytecode cache, in this user's cache folder); compiling them costs a run about 80 ms.
    A folder that cannot be made, read or written is no cache, never an error."""
    from jinja2 import FileSystemBytecodeCache

    class Kept(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file: compile again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = os.path.join(user_cache_dir(), "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Kept(folder, "report-%s.cache")


def _critical_chain(c: CampaignReport) -> str:
    """The critical path as its tasks' names, `a → b → c` (a series by its name), as text for
    the template to escape: one call per campaign, not a filter call per task."""
    names: dict[str, str] = {}
    for r in c.rows:
        names.setdefault(r.id.split(" ×")[0], r.name)
    get = names.get
    return " → ".join(found if (found := get(task_id)) is not None else get(task_id.split("@")[0], task_id)
                      for task_id in c.critical_path)
