"""`mpm forecast` against distributions computed here, by hand, from DESIGN §3c.

Each scenario is a small workspace whose finish has a distribution we can
write down exactly: one PERT task (the Beta CDF, integrated numerically
here), a chain (the convolution of the tasks' distributions), a merge (the
product of their CDFs), a risk (a mixture), two paths (which one is
longer). The forecast's P50/P80/P95 must be within one working day of the
exact quantiles and its probabilities within 0.04, at the default 2,000
runs. Working days are counted here by walking the calendar, holidays
included, not with mpm's calendar.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import numpy as np
import pytest
from conftest import ACME, run_mpm, write_workspace
from hypothesis import given, settings
from hypothesis import strategies as st

START = date(2027, 3, 1)  # a Monday
AS_OF = "2027-02-15"
HOLIDAYS = [date(2027, 3, 10), date(2027, 3, 17), date(2027, 3, 24)]  # inside every range below


def workdays_from(start: date, holidays=HOLIDAYS):
    """Working days from `start` on: index 0 is `start` itself (a working day)."""
    d = start
    while True:
        if d.weekday() < 5 and d not in holidays:
            yield d
        d += timedelta(days=1)


def day_at(k: int) -> date:
    """The working day k working days after START (k = 0: START)."""
    for i, d in enumerate(workdays_from(START)):
        if i == k:
            return d
    raise AssertionError


def offset_of(d: date) -> int:
    """Working days from START to the working day `d`."""
    for i, x in enumerate(workdays_from(START)):
        if x == d:
            return i
        if x > d:
            raise AssertionError(f"{d} is not a working day")
    raise AssertionError


def beta_cdf(alpha: float, beta: float):
    grid = np.linspace(0.0, 1.0, 200_001)
    pdf = grid ** (alpha - 1) * (1 - grid) ** (beta - 1)
    cdf = np.concatenate(([0.0], np.cumsum((pdf[1:] + pdf[:-1]) / 2)))
    cdf /= cdf[-1]
    return lambda x: float(np.interp(x, grid, cdf))


def pert_pmf(a: float, m: float, b: float) -> dict[int, float]:
    """Exact distribution of ceil(PERT draw) in whole working days."""
    if a == b:
        return {math.ceil(a): 1.0}
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    cdf = beta_cdf(alpha, beta)
    lo, hi = max(math.ceil(a), 1), math.ceil(b)
    below = {k: (cdf((k - a) / (b - a)) if k < hi else 1.0) for k in range(lo, hi + 1)}
    return {k: below[k] - below.get(k - 1, 0.0) for k in range(lo, hi + 1)}


def convolve(p: dict[int, float], q: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for i, x in p.items():
        for j, y in q.items():
            out[i + j] = out.get(i + j, 0.0) + x * y
    return out


def cdf_of(p: dict[int, float]):
    return lambda k: sum(v for x, v in p.items() if x <= k)


def quantile(cdf, p: float, lo: int = 0, hi: int = 500) -> int:
    return next(k for k in range(lo, hi) if cdf(k) >= p - 1e-12)


def workspace(tmp_path, tasks: str, risks: str = "", launch: date | None = None, end: date | None = None):
    holidays = "".join(f"    - {d}\n" for d in HOLIDAYS)
    camp = f"name: Scenario\nstart: {START}\n" + (f"launch: {launch}\n" if launch else "") + (
        f"end: {end}\n" if end else "")
    files = {"mpm.yaml": f"name: Forecast scenarios\ncalendar:\n  holidays:\n{holidays}",
             "campaigns/c/campaign.yaml": camp, "campaigns/c/tasks.yaml": tasks}
    if risks:
        files["campaigns/c/risks.yaml"] = risks
    return write_workspace(tmp_path / "ws", files)


def forecast(root, *args: str) -> dict:
    r = run_mpm("forecast", "-w", str(root), "--as-of", AS_OF, "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def campaign(doc: dict) -> dict:
    return doc["campaigns"][0]


def assert_quantiles(dates: dict, finish_cdf) -> None:
    """P50/P80/P95 within one working day of the exact quantiles of the finish offset."""
    for key, p in (("p50", 0.5), ("p80", 0.8), ("p95", 0.95)):
        exact = quantile(finish_cdf, p)
        got = offset_of(date.fromisoformat(dates[key]))
        assert abs(got - exact) <= 1, (key, dates[key], day_at(exact))


TASK = ("- id: {id}\n  name: Task {id}\n  duration: {d}\n"
        "  estimate: {{optimistic: {a}, likely: {m}, pessimistic: {b}}}\n")


def test_one_task_follows_the_beta_cdf(tmp_path):
    a, m, b = 3, 6, 16
    end = day_at(7 - 1)  # done within 7 working days
    root = workspace(tmp_path, TASK.format(id="t", d=6, a=a, m=m, b=b), end=end)
    c = campaign(forecast(root))
    pmf = pert_pmf(a, m, b)
    finish = cdf_of({k - 1: v for k, v in pmf.items()})  # finish offset = duration - 1
    assert_quantiles(c["finish"], finish)
    assert abs(c["on_time"] - finish(offset_of(end))) <= 0.04
    assert c["planned_finish"] == str(day_at(5))
    assert sum(h["runs"] for h in c["histogram"]) == 2000
    # the histogram counts each finish date: its shares follow the pmf
    for h in c["histogram"]:
        k = offset_of(date.fromisoformat(h["date"])) + 1
        assert abs(h["runs"] / 2000 - pmf.get(k, 0.0)) <= 0.04


def test_a_chain_is_the_convolution(tmp_path):
    tasks = (TASK.format(id="a", d=4, a=2, m=4, b=9)
             + TASK.format(id="b", d=5, a=3, m=5, b=12) + "  depends_on: [a]\n")
    end = day_at(10 - 1)
    root = workspace(tmp_path, tasks, end=end)
    c = campaign(forecast(root))
    total = convolve(pert_pmf(2, 4, 9), pert_pmf(3, 5, 12))
    finish = cdf_of({k - 1: v for k, v in total.items()})
    assert_quantiles(c["finish"], finish)
    assert abs(c["on_time"] - finish(offset_of(end))) <= 0.04


def test_a_merge_is_the_product_of_cdfs(tmp_path):
    tasks = (TASK.format(id="a", d=5, a=2, m=5, b=10) + TASK.format(id="b", d=5, a=2, m=5, b=10)
             + TASK.format(id="c", d=5, a=2, m=5, b=10)
             + "- id: launch\n  name: All three done\n  milestone: true\n  depends_on: [a, b, c]\n")
    end = day_at(6 - 1)
    root = workspace(tmp_path, tasks, end=end, launch=end)
    c = campaign(forecast(root))
    one = cdf_of(pert_pmf(2, 5, 10))
    merged = lambda k: one(k + 1) ** 3  # noqa: E731 - the finish offset is the longest duration - 1
    assert_quantiles(c["finish"], merged)
    assert abs(c["on_time"] - merged(offset_of(end))) <= 0.04
    # the merge bias: each task alone is done in 6 days more often than all three together
    assert one(6) - merged(5) > 0.2
    # the milestone is reached at the end of the last task's day: the launch is the same date
    assert c["launch"]["p80"] == c["finish"]["p80"]
    assert abs(c["launch"]["on_time"] - merged(offset_of(end))) <= 0.04


def test_a_risk_makes_a_mixture(tmp_path):
    tasks = (TASK.format(id="build", d=5, a=3, m=5, b=9)
             + "- id: launch\n  name: Go live\n  milestone: true\n  depends_on: [build]\n")
    risks = ("- id: vendor\n  title: Vendor is late\n  likelihood: 2\n  impact: 3\n  affects: [build]\n"
             "  delay_days: 3\n"
             "- id: vague\n  title: Something might happen\n  likelihood: 5\n  impact: 2\n  affects: [build]\n")
    launch = day_at(6 - 1)
    root = workspace(tmp_path, tasks, risks, launch=launch)
    c = campaign(forecast(root))
    base = cdf_of(pert_pmf(3, 5, 9))
    mixed = lambda k: 0.7 * base(k + 1) + 0.3 * base(k + 1 - 3)  # noqa: E731 - likelihood 2: 30 %
    assert_quantiles(c["finish"], mixed)
    assert_quantiles(c["launch"], mixed)
    assert abs(c["launch"]["on_time"] - mixed(offset_of(launch))) <= 0.04
    drivers = {d["id"]: d for d in c["drivers"]}
    assert drivers["vendor"]["kind"] == "risk" and drivers["build"]["kind"] == "task"
    # a risk without delay_days is not drawn, and the output says so
    vague = next(i for i in c["inputs"] if i["id"] == "vague")
    assert vague["drawn"] is False and "delay_days" in vague["detail"]
    text = run_mpm("forecast", "-w", str(root), "--as-of", AS_OF)
    assert "not drawn: vague (it has no `delay_days`)" in text.stdout


def test_two_paths_share_the_criticality(tmp_path):
    tasks = (TASK.format(id="long", d=6, a=4, m=6, b=10) + TASK.format(id="short", d=5, a=3, m=5, b=8)
             + "- id: end\n  name: Both done\n  milestone: true\n  depends_on: [long, short]\n")
    root = workspace(tmp_path, tasks)
    c = campaign(forecast(root))
    p, q = pert_pmf(4, 6, 10), pert_pmf(3, 5, 8)
    # a path is critical in a run when it is at least as long as the other (ties: both)
    long_first = sum(x * y for i, x in p.items() for j, y in q.items() if i >= j)
    short_first = sum(x * y for i, x in p.items() for j, y in q.items() if j >= i)
    crit = {t["id"]: t["criticality"] for t in c["tasks"]}
    assert abs(crit["long"] - long_first) <= 0.04
    assert abs(crit["short"] - short_first) <= 0.04
    assert crit["end"] == 1.0


def test_same_seed_same_bytes_other_seed_close(tmp_path):
    tasks = (TASK.format(id="a", d=4, a=2, m=4, b=9)
             + TASK.format(id="b", d=5, a=3, m=5, b=12) + "  depends_on: [a]\n")
    root = workspace(tmp_path, tasks, end=day_at(9))
    args = ("forecast", "-w", str(root), "--as-of", AS_OF, "--format", "json")
    first, again = run_mpm(*args).stdout, run_mpm(*args).stdout
    assert first == again
    other = run_mpm(*args, "--seed", "7").stdout
    assert other != first
    a, b = campaign(json.loads(first)), campaign(json.loads(other))
    assert json.loads(other)["seed"] == 7
    assert abs(a["on_time"] - b["on_time"]) <= 0.05
    for key in ("p50", "p80", "p95"):
        assert abs(offset_of(date.fromisoformat(a["finish"][key]))
                   - offset_of(date.fromisoformat(b["finish"][key]))) <= 1


@pytest.mark.parametrize("args", [["--runs", "0"], ["--runs", "-3"], ["--runs", "100001"], ["--seed", "-1"],
                                  ["--format", "github"]])
def test_bad_options_are_usage_errors(args):
    r = run_mpm("forecast", "-w", str(ACME), *args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""


def test_acme_forecast_tells_the_story():
    r = run_mpm("forecast", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json")
    doc = json.loads(r.stdout)
    assert list(doc)[:5] == ["schema", "as_of", "runs", "seed", "campaigns"]
    assert doc["schema"] == "mpm/forecast/1" and doc["runs"] == 2000 and doc["seed"] == 0
    by_id = {c["id"]: c for c in doc["campaigns"]}
    bf = by_id["black-friday-2026"]
    assert list(bf)[:7] == ["id", "planned_finish", "finish", "on_time", "launch", "tasks", "drivers"]
    assert bf["launch"]["planned"] == "2026-11-27" and bf["launch"]["p80"] > bf["launch"]["forecast"]
    assert bf["drivers"][0] == {"kind": "risk", "id": "print-vendor-delay", "correlation": bf["drivers"][0]
                                ["correlation"]}
    trail = by_id["trailhead-b2b-launch"]
    assert trail["launch"]["forecast"] == "2027-03-02" and trail["launch"]["p80"] > "2027-03-02"
    done = by_id["spring-trade-show-2026"]
    assert done["finish"] == {"p50": "2026-04-02", "p80": "2026-04-02", "p95": "2026-04-02"}
    assert done["on_time"] == 1.0 and done["launch"] is None


def test_one_campaign_gives_the_numbers_of_all(tmp_path):
    every = json.loads(run_mpm("forecast", "-w", str(ACME), "--as-of", "2026-11-16", "-f", "json").stdout)
    one = json.loads(run_mpm("forecast", "trailhead-b2b-launch", "-w", str(ACME), "--as-of", "2026-11-16",
                             "-f", "json").stdout)
    assert [c["id"] for c in one["campaigns"]] == ["trailhead-b2b-launch"]
    assert one["campaigns"][0] == next(c for c in every["campaigns"] if c["id"] == "trailhead-b2b-launch")
    r = run_mpm("forecast", "--campaign", "nope", "-w", str(ACME))
    assert r.exit_code == 2 and "no campaign 'nope'" in r.output


def test_status_flags_a_p80_launch_past_the_plan():
    doc = json.loads(run_mpm("forecast", "trailhead-b2b-launch", "-w", str(ACME), "--as-of", "2026-11-16",
                             "-f", "json").stdout)
    launch = doc["campaigns"][0]["launch"]
    r = run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json")
    found = [f for f in json.loads(r.stdout)["findings"] if f["code"] == "S303"]
    assert [f["campaign"] for f in found] == ["trailhead-b2b-launch"]  # Black Friday is already late: S103
    assert found[0]["severity"] == "info" and found[0]["file"].endswith("campaign.yaml")
    assert launch["p80"] in found[0]["message"]
    assert f"{launch['on_time']:.0%} chance of launching on time" in found[0]["message"]


def test_markdown_and_table():
    md = run_mpm("forecast", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "md").stdout
    assert md.startswith("# Forecast as of 2026-11-16\n")
    assert "| launch | 2026-12-03 |" in md and "```text" in md  # the levelled planned launch
    table = run_mpm("forecast", "black-friday-2026", "-w", str(ACME), "--as-of", "2026-11-16", width=80).stdout
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "drivers: print-vendor-delay (risk" in table and "← P80" in table
    why = run_mpm("forecast", "black-friday-2026", "-w", str(ACME), "--as-of", "2026-11-16", "--why").stdout
    assert "drawn: estimate store-kits: 4 / 5 / 8 days" in why
    assert "drawn: risk print-vendor-delay: 50% chance of +3 working days on store-kits" in why


def test_a_risk_on_a_milestone_moves_it_by_its_delay(tmp_path):
    launch = day_at(10)
    tasks = ("- id: prep\n  name: Prepare\n  duration: 3\n"
             f"- id: launch\n  name: Launch\n  milestone: true\n  depends_on: [prep]\n  start: {launch}\n")
    risks = ("- id: outage\n  title: The site is down on the day\n  likelihood: 2\n  impact: 4\n"
             "  affects: [launch]\n  delay_days: 4.5\n")
    root = workspace(tmp_path, tasks, risks, launch=launch)
    got = campaign(forecast(root))["launch"]
    assert got["forecast"] == str(launch) and got["p50"] == str(launch)
    assert got["p80"] == got["p95"] == str(day_at(10 + 5))  # 4.5 days round up to 5
    assert abs(got["on_time"] - 0.7) <= 0.04


def _plan_and_draft(root, level: bool = False):
    """The workspace at `root`, its plan as of AS_OF-like day, and the network `build_plan` offered."""
    from mpm.cli.steps import load_valid
    from mpm.plan.schedule import build_plan

    ws = load_valid(root)
    drafts: list = []
    plan = build_plan(ws, date(2026, 11, 16) if root == ACME else date.fromisoformat(AS_OF), level=level,
                      on_network=lambda w, d: drafts.append((w, d)))
    return ws, plan, drafts


@pytest.mark.parametrize("campaigns", [None, ["black-friday-2026"], ["trailhead-b2b-launch", "always-on-content"]])
def test_the_runs_asked_before_the_plan_is_dated_are_the_plans(campaigns):
    """A report hands its forecast's runs over while the engine dates the plan: asked of the
    network and units alone, they give the forecast asked of the dated plan, number for number."""
    from mpm.views import forecast_data as fd
    from mpm.views.forecast import summaries

    ws, plan, drafts = _plan_and_draft(ACME)
    [(seen, draft)] = drafts
    assert seen is ws and draft.network is plan.network
    chosen = fd.chosen_campaigns(plan, campaigns)
    late = fd.request(ws, plan, chosen, runs=400, seed=3)
    early = fd.early_request(ws, draft, campaigns, runs=400, seed=3)
    assert fd.answers_plan(early, plan, chosen, 400, 3) and not fd.answers_plan(early, plan, chosen, 500, 3)
    assert not fd.answers_plan(early, plan, chosen, 400, 4) and not fd.answers_plan(early, plan, chosen, 400, 3, True)
    assert early.group == late.group and early.groups == late.groups and early.unc == late.unc
    assert set(late.points) <= set(early.points) and early.split is False
    want = fd.forecasts(plan, chosen, late, summaries(late))
    assert fd.forecasts(plan, chosen, early, summaries(early)) == want
    assert any(f.launch is not None for f in want) and any(f.on_time is not None for f in want)
    assert ws.campaigns and (campaigns or len(want) > 1)
    # `mpm forecast` hands over every run, criticality and all: the same samples
    early = fd.early_request(ws, draft, campaigns, runs=400, seed=3, criticality=True, split=True)
    late = fd.request(ws, plan, chosen, runs=400, seed=3, criticality=True)
    assert fd.answers_plan(early, plan, chosen, 400, 3, True)
    got, expected = fd.sampled(early), fd.sampled(late)
    assert {g: v.tolist() for g, v in got.finish.items()} == {g: v.tolist() for g, v in expected.finish.items()}
    assert all(got.points[n].tolist() == v.tolist() for n, v in expected.points.items())
    assert got.critical.tolist() == expected.critical.tolist()  # type: ignore[union-attr]
    assert got.critical.any()  # type: ignore[union-attr]


def test_a_levelled_plan_offers_no_network_before_it_is_dated():
    """Levelling makes the network the forecast runs on: nothing is offered before it."""
    _, plan, drafts = _plan_and_draft(ACME, level=True)
    assert plan.levelled and drafts == []


def test_the_launch_asked_before_the_plan_is_the_one_its_dates_pick(tmp_path):
    """Two milestones are due on the launch day and a third is named for it: which stands for the
    launch depends on the plan's dates, so the runs asked before them date all three."""
    from mpm.views import forecast_data as fd
    from mpm.views.forecast import summaries

    launch = day_at(5)
    tasks = ("- id: build\n  name: Build the page\n  duration: 4\n"
             "  estimate: {optimistic: 3, likely: 4, pessimistic: 9}\n"
             "- id: film\n  name: Film the demo\n  duration: 2\n"
             "  estimate: {optimistic: 2, likely: 2, pessimistic: 6}\n"
             f"- id: page-live\n  name: Page live\n  milestone: true\n  due: {launch}\n  depends_on: [build]\n"
             f"- id: demo-live\n  name: Demo live\n  milestone: true\n  due: {launch}\n  depends_on: [film]\n"
             "- id: launch-party\n  name: Launch party\n  milestone: true\n  depends_on: [page-live, demo-live]\n")
    risks = ("- id: vendor\n  title: The video vendor is late\n  likelihood: 3\n  impact: 3\n"
             "  affects: [film]\n  delay_days: 3\n")
    root = workspace(tmp_path, tasks, risks, launch=launch, end=day_at(30))
    ws, plan, [(_, draft)] = _plan_and_draft(root)
    chosen = fd.chosen_campaigns(plan, None)
    late = fd.request(ws, plan, chosen, runs=500, seed=0)
    early = fd.early_request(ws, draft, None, runs=500, seed=0)
    picked = plan.campaigns[0].launch_task()
    assert picked is not None and picked.id == "demo-live"  # the earlier of the two due that day
    by_id = {u.id: u.node for u in draft.units}
    assert early.points == sorted(by_id[t] for t in ("page-live", "demo-live", "launch-party"))
    assert late.points == [picked.node]
    got = fd.forecasts(plan, chosen, early, summaries(early))
    assert got == fd.forecasts(plan, chosen, late, summaries(late))
    assert got[0].launch is not None and 0 < got[0].launch.on_time < 1 and got[0].on_time is not None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-20, 40), min_size=1, max_size=60), st.integers(-30, 50))
def test_runs_before_counts_the_runs_ending_before_a_day(offsets, due):
    from mpm.views.forecast import _summary
    from mpm.views.forecast_data import runs_before

    assert runs_before(_summary(np.array(offsets, dtype=np.int32)), due) == sum(1 for x in offsets if x < due)
