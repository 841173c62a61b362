"""Reports drawn on two cores: the later campaigns' sections by a forked child, the same bytes."""

from __future__ import annotations

import os
import re
from typing import ClassVar

import pytest
from conftest import ACME, run_mpm
from hypothesis import given, settings
from hypothesis import strategies as st

from mpm.read import beside
from mpm.render import report_html, report_md, two_cores
from mpm.render.two_cores import in_two

needs_fork = pytest.mark.skipif(not beside.second_core(), reason="needs fork and a second core")


def _render(items):
    for x in items:
        yield f"[{x}:{'é' * (x % 3)}]".encode()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=12), st.integers(0, 200))
def test_the_halves_are_the_bytes_of_one_rendering(items, least):
    assert b"".join(in_two(items, lambda x: x, least, _render)) == b"".join(_render(items))


@needs_fork
def test_the_later_half_is_drawn_by_another_process():
    def render(items):
        for x in items:
            yield f"{x}@{os.getpid()}\n".encode()

    lines = b"".join(in_two(list(range(10)), lambda x: 1, 0, render)).decode().split()
    pids = [int(line.split("@")[1]) for line in lines]
    assert [int(line.split("@")[0]) for line in lines] == list(range(10))
    assert pids[:5] == [os.getpid()] * 5 and os.getpid() not in pids[5:]


@needs_fork
def test_a_child_that_fails_leaves_its_half_to_this_process():
    def render(items):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        yield from _render(items)

    parent = os.getpid()
    assert b"".join(in_two(list(range(8)), lambda x: 1, 0, render)) == b"".join(_render(range(8)))


def test_without_a_temporary_folder_everything_is_rendered_here(monkeypatch):
    def refused(**_):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(two_cores.tempfile, "TemporaryFile", refused)
    assert b"".join(in_two(list(range(8)), lambda x: 1, 0, _render)) == b"".join(_render(range(8)))


@pytest.mark.parametrize("args", [["--format", "html"], ["--format", "md"],
                                  ["--format", "html", "--audience", "client"], ["--format", "md", "-p", "sam"]])
def test_the_example_report_on_two_cores_is_the_report_on_one(monkeypatch, args):
    one = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    calls = []
    real = two_cores.Beside

    def counted(work):
        calls.append(1)
        return real(work)

    monkeypatch.setattr(two_cores, "Beside", counted)
    monkeypatch.setattr(report_md, "TWO_CORES_FROM", 0)
    monkeypatch.setattr(report_html, "TWO_CORES_FROM", 0)
    two = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and len(one.stdout) > 1000
    assert calls or not beside.second_core()


@pytest.mark.parametrize("args", [[], ["--critical"], ["--occurrences", "--gantt"], ["-p", "sam"], ["--no-level"]])
@pytest.mark.parametrize("child", ["draws", "fails"])
@pytest.mark.parametrize("colour", [{}, {"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"}])
def test_the_plan_tables_on_two_cores_are_the_tables_on_one(monkeypatch, args, child, colour):
    from mpm.render import plan_table

    one = run_mpm("plan", "-w", str(ACME), "--as-of", "2026-11-16", *args, width=120, env=colour)
    parent, calls = os.getpid(), []
    real = two_cores.Beside

    def beside_(work):
        def drawn():
            if child == "fails" and os.getpid() != parent:
                raise RuntimeError("the child breaks")
            return work()

        calls.append(1)
        return real(drawn)

    monkeypatch.setattr(two_cores, "Beside", beside_)
    monkeypatch.setattr(plan_table, "TWO_CORES_FROM", 0)
    two = run_mpm("plan", "-w", str(ACME), "--as-of", "2026-11-16", *args, width=120, env=colour)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and len(re.findall(r"  \([a-z0-9-]+\)", one.stdout)) >= 2
    assert ("\x1b[" in one.stdout) == bool(colour)
    assert calls or not beside.second_core()


@pytest.mark.parametrize("child", ["gives", "fails"])
@pytest.mark.parametrize("args", [["--format", "md"], ["--format", "html", "-c", "black-friday-2026"]])
def test_the_reports_forecast_made_beside_is_the_forecast_made_here(monkeypatch, args, child):
    """From FORECAST_BESIDE the report's forecast is made in a forked child while this process
    makes the rest; the report is the same, and when the child gives nothing, this process
    makes the forecast itself."""
    from mpm.views import forecast, report_forecast

    one = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    parent = os.getpid()
    forked: list[int] = []
    made_here: list[int] = []  # a child's calls are its own: this process sees only its own
    real_beside, real_view = report_forecast.Beside, forecast.forecast_view

    def beside_(work):
        forked.append(1)

        def broken():
            raise RuntimeError("the child breaks")

        return real_beside(broken if child == "fails" else work)

    def view(*a, **k):
        made_here.append(os.getpid())
        return real_view(*a, **k)

    monkeypatch.setattr(report_forecast, "Beside", beside_)
    monkeypatch.setattr(report_forecast, "FORECAST_BESIDE", 0)
    monkeypatch.setattr(forecast, "forecast_view", view)
    two = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and "P80" in one.stdout
    if beside.second_core():
        assert forked == [1]
        assert made_here == ([parent] if child == "fails" else [])


@needs_fork
def test_a_child_is_ready_once_it_has_written_its_value():
    import time

    slow = beside.Beside(lambda: time.sleep(1) or 42)
    assert not slow.ready()  # still sleeping: asking does not wait
    assert slow.result() == 42 and slow.ready()
    quick = beside.Beside(lambda: 7)
    waited = 0
    while not quick.ready() and waited < 1000:
        time.sleep(0.01)
        waited += 1
    assert quick.ready() and quick.result() == 7


class _NeverReady:
    """A Beside whose child is never ready while the report is made: every campaign is drawn
    early, and the forecast is still the child's."""

    def __init__(self, real, work):
        self.child = real(work)

    def ready(self):
        return False

    def __getattr__(self, name):
        return getattr(self.child, name)


@pytest.mark.parametrize("args", [["--format", "md"], ["--format", "html"],
                                  ["--format", "html", "--audience", "client"], ["--format", "md", "-p", "sam"]])
def test_what_is_drawn_while_the_forecast_is_made_is_the_report_drawn_after(monkeypatch, args):
    """While the forecast is made beside, the renderer draws each campaign's text that shows
    nothing of it (`drawing_early`); the report is the same bytes, and that text is drawn once."""
    from mpm.render import svg
    from mpm.views import report_forecast

    one = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    real_beside, real_body, real_gantt = report_forecast.Beside, report_md._body, svg.gantt_svg
    bodies: list[str] = []
    charts: list[int] = []

    def body(c, rep, plan):
        bodies.append(c.id)
        return real_body(c, rep, plan)

    def gantt(rows, *a, **k):
        charts.append(len(rows))
        return real_gantt(rows, *a, **k)

    early: list[str] = []  # the campaigns drawn while the forecast was made

    def counted(module):
        real = module.drawing_early

        def drawing_early(*a):
            draw = real(*a)

            def counting(rep, c):
                early.append(c.id)
                draw(rep, c)

            return counting

        monkeypatch.setattr(module, "drawing_early", drawing_early)

    counted(report_md)
    counted(report_html)
    monkeypatch.setattr(report_forecast, "Beside", lambda work: _NeverReady(real_beside, work))
    monkeypatch.setattr(report_forecast, "FORECAST_BESIDE", 0)
    monkeypatch.setattr(report_md, "_body", body)
    monkeypatch.setattr(report_html, "gantt_svg", gantt)
    two = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and "P80" in one.stdout
    # a campaign's section (the HTML page's content summary is a section too)
    sections = one.stdout.count('<a id="') + one.stdout.count('<section class="campaign" id="') \
        - one.stdout.count('<section class="campaign" id="content_summary"')
    if not beside.second_core():
        return
    assert len(early) == (0 if "-p" in args else sections)
    if "md" in args:  # each campaign's body once: drawn early (not with --person), never again
        assert sorted(bodies) == sorted(set(bodies)) and len(bodies) == sections
    else:
        assert 0 < len(charts) <= sections and not bodies


def test_text_drawn_for_one_report_is_never_used_for_another():
    """What was drawn early belongs to the report it was drawn for: the same campaigns in a
    report for another audience are drawn again."""
    from dataclasses import replace

    from mpm.cli.steps import load_and_plan
    from mpm.views.report import build_report

    ws, plan = load_and_plan(ACME, "2026-11-16", None)
    formats = (("html", report_html.drawing_early(), report_html.report_html_chunks),
               ("md", report_md.drawing_early(plan), lambda r: report_md.report_markdown_chunks(r, plan)))
    for fmt, draw, render in formats:
        drawn, fresh = build_report(ws, plan, plan.as_of), build_report(ws, plan, plan.as_of)
        for c in drawn.campaigns:
            draw(drawn, c)
        assert b"".join(render(drawn)) == b"".join(render(fresh)), fmt
        for_client = b"".join(render(replace(fresh, audience="client")))
        assert for_client != b"".join(render(fresh)), fmt
        assert b"".join(render(replace(drawn, audience="client"))) == for_client, fmt


class _Watched(beside.Standby):
    """A Standby the test can look at afterwards: the jobs handed to it."""

    made: ClassVar[list[_Watched]] = []

    def __init__(self, prepare):
        super().__init__(prepare)
        self.handed: list[str] = []
        self.before_the_dates: list[bool] = []  # whether a job came while the engine had not dated the plan
        _Watched.made.append(self)

    def hand(self, job, *args):
        self.handed.append(job.__name__)
        self.before_the_dates.append(_dating == [])
        return super().hand(job, *args)


_dating: list[int] = []  # the plans the engine started dating in this test


def _standby_forced(monkeypatch, child: str) -> None:
    """A large workspace's standby (watched) for acme, whose child `fails to get ready` if asked."""
    from mpm.read import prefetch
    from mpm.views import report_forecast

    def imports():
        raise RuntimeError("no numpy here")

    _Watched.made = []
    _watch_dating(monkeypatch)
    monkeypatch.setattr(prefetch, "started_early", lambda: True)
    monkeypatch.setattr(report_forecast, "Standby", _Watched)
    if child == "fails to get ready":
        monkeypatch.setattr(report_forecast, "_forecast_imports", imports)


def _watch_dating(monkeypatch):
    from mpm.plan import engine

    real = engine.schedule

    def schedule(net):
        _dating.append(net.size)
        return real(net)

    _dating.clear()
    monkeypatch.setattr(engine, "schedule", schedule)


@pytest.mark.parametrize("child", ["gives", "fails to get ready", "fails the job"])
@pytest.mark.parametrize("args", [["--format", "md"], ["--format", "html", "-c", "black-friday-2026"],
                                  ["--format", "html", "--audience", "client"], ["--format", "md", "--no-level"]])
def test_the_reports_forecast_made_by_a_standby_is_the_forecast_made_here(monkeypatch, args, child):
    """A large workspace's report forks a standby before loading; it imports numpy while the plan
    is made and is handed the forecast's runs. The report is the same bytes, and when the child
    gives nothing this process makes the forecast itself."""
    from mpm.views import forecast, report_forecast

    one = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    parent = os.getpid()
    made_here: list[int] = []
    real_view, real_summaries = forecast.forecast_view, forecast.summaries

    def view(*a, **k):
        made_here.append(os.getpid())
        return real_view(*a, **k)

    def summaries(req):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return real_summaries(req)

    _standby_forced(monkeypatch, child)
    monkeypatch.setattr(report_forecast, "Beside", lambda work: pytest.fail("a second child for the forecast"))
    monkeypatch.setattr(report_forecast, "FORECAST_BESIDE", 0)
    monkeypatch.setattr(forecast, "forecast_view", view)
    if child == "fails the job":
        monkeypatch.setattr(forecast, "summaries", summaries)
    two = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and "P80" in one.stdout
    if not beside.second_core():
        return
    [standby] = _Watched.made
    assert standby.pid == 0 and standby.fd == -1 and standby.jobs == -1  # reaped, closed
    assert standby.handed == ["summarised"]  # a child that never got ready may refuse it, or take it and die
    # a §3 plan's runs are handed while the engine dates it; a levelled plan's once it is made
    assert standby.before_the_dates == ["--no-level" in args]
    assert made_here == ([] if child == "gives" else [parent])


@pytest.mark.skipif(not beside.second_core(), reason="needs fork and a second core")
def test_runs_handed_early_that_are_not_the_plans_are_made_here(monkeypatch):
    """Should the runs handed before the plan was dated not be the plan's, the report makes its
    forecast itself and never reads the child's: the same bytes."""
    from mpm.read import prefetch
    from mpm.views import forecast, report_forecast

    args = ("report", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "md", "--no-level")
    one = run_mpm(*args)
    parent = os.getpid()
    made_here: list[int] = []
    real_view = forecast.forecast_view

    def view(*a, **k):
        made_here.append(os.getpid())
        return real_view(*a, **k)

    _Watched.made = []
    _watch_dating(monkeypatch)
    monkeypatch.setattr(prefetch, "started_early", lambda: True)
    monkeypatch.setattr(report_forecast, "Standby", _Watched)
    monkeypatch.setattr(report_forecast, "answers_plan", lambda *a: False)
    monkeypatch.setattr(forecast, "forecast_view", view)
    two = run_mpm(*args)
    assert two.exit_code == one.exit_code == 0 and two.stdout == one.stdout and "P80" in one.stdout
    [standby] = _Watched.made
    assert standby.before_the_dates == [True] and standby.pid == 0 and standby.jobs == -1
    assert made_here == [parent]


def test_a_report_that_fails_stops_its_standby(monkeypatch, tmp_path):
    """The workspace has an error: nothing is planned, and the standby is stopped unused."""
    import shutil

    from mpm.read import prefetch
    from mpm.views import report_forecast

    broken = tmp_path / "acme"
    shutil.copytree(ACME, broken)
    tasks = broken / "campaigns" / "black-friday-2026" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("duration: 5", "duration: five", 1),
                     encoding="utf-8")
    _Watched.made = []
    monkeypatch.setattr(prefetch, "started_early", lambda: True)
    monkeypatch.setattr(report_forecast, "Standby", _Watched)
    result = run_mpm("report", "-w", str(broken), "--as-of", "2026-11-16")
    assert result.exit_code == 2 and "five" in result.output
    if beside.second_core():
        [standby] = _Watched.made
        assert standby.handed == [] and standby.pid == 0 and standby.jobs == -1


@pytest.mark.parametrize("child", ["gives", "fails to get ready", "fails the job"])
@pytest.mark.parametrize("args", [["--no-level"], ["--format", "json", "--seed", "3", "--runs", "300", "--no-level"],
                                  ["trailhead-b2b-launch", "--why", "--no-level"], ["--format", "md"]])
def test_the_forecast_made_by_a_standby_is_the_forecast_made_here(monkeypatch, args, child):
    """`mpm forecast` on a large workspace hands every run, criticality and all, to a standby
    while the engine dates the plan: the same bytes, and when the child gives nothing (or the
    plan is levelled, its network made by levelling) this process makes the runs itself."""
    from mpm.views import forecast

    one = run_mpm("forecast", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    parent = os.getpid()
    made_here: list[int] = []
    real_simulate = forecast._simulate

    def simulate(req):
        if os.getpid() == parent:
            made_here.append(parent)
        elif child == "fails the job":
            raise RuntimeError("the child breaks")
        return real_simulate(req)

    _standby_forced(monkeypatch, child)
    monkeypatch.setattr(forecast, "_simulate", simulate)
    two = run_mpm("forecast", "-w", str(ACME), "--as-of", "2026-11-16", *args)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout == one.stdout and "P80" in one.stdout.upper()
    if not beside.second_core():
        return
    [standby] = _Watched.made
    assert standby.pid == 0 and standby.fd == -1 and standby.jobs == -1  # reaped, closed
    levelled = "--no-level" not in args  # acme levels its plans (planning.level)
    assert standby.handed == ([] if levelled else ["sampled"])
    assert standby.before_the_dates == ([] if levelled else [True])
    assert made_here == ([] if child == "gives" and not levelled else [parent])
