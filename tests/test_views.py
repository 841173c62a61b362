"""`mpm quarter`, `goals`, `risks`, `budget` on hand-computed scenarios, and golden acme views."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from conftest import ACME, ROOT, run_mpm
from hypothesis import given
from hypothesis import strategies as st

from mpm.views.rows import plan_rows

VIEWS = ROOT / "tests" / "scenarios" / "views"


def doc(*args: str) -> dict:
    r = run_mpm(*args, "-w", str(VIEWS), "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_quarter_in_a_fiscal_year_starting_in_april():
    d = doc("quarter", "2027-Q1", "--as-of", "2026-05-01")
    assert d["schema"] == "mpm/quarter/1"
    assert (d["quarter"], d["start"], d["end"]) == ("2027-Q1", "2026-04-01", "2026-06-30")
    weeks = {w["week"]: w for w in d["people"][0]["weeks"]}
    hours = {k: (w["available_hours"], w["planned_hours"], w["over"]) for k, w in weeks.items()}
    # the quarter starts on a Wednesday: three days of the first week belong to it
    assert hours["2026-03-30"] == (24, 0, False)
    # 60 h over 10 working days is 6 h a day: Mon 18 to Fri 22 ...
    assert hours["2026-05-18"] == (40, 30, False)
    # ... the holiday Monday costs Kim 8 h and the task a day ...
    assert hours["2026-05-25"] == (32, 24, False)
    assert weeks["2026-05-25"]["days_off"] == [{"date": "2026-05-25", "why": "Whit Monday"}]
    assert hours["2026-06-01"] == (40, 6, False)
    # ... and a task in her week off over-allocates her
    assert hours["2026-06-08"] == (0, 12, True)
    assert weeks["2026-06-08"]["tasks"] == [{"task": "summer/launch-prep", "hours": 12}]
    # the quarter ends on a Tuesday
    assert hours["2026-06-29"] == (16, 0, False)
    person = d["people"][0]
    assert person["available_hours"] == 24 + 40 * 10 + 32 + 0 + 16
    assert person["planned_hours"] == 72
    assert [(e["date"], e["task"], e["channel"]) for e in d["calendar"]] == [
        ("2026-05-18", "content", "blog"), ("2026-06-09", "launch-prep", "email")]
    assert [(c["goal"], c["date"], c["value"], c["written"]) for c in d["checkpoints"]] == [
        ("yoy-leads", "2026-06-30", 1100, True)]


def test_quarter_names_follow_the_fiscal_year():
    assert doc("quarter", "--as-of", "2026-05-01")["quarter"] == "2027-Q1"
    assert doc("quarter", "--as-of", "2027-03-31")["quarter"] == "2027-Q4"
    bad = run_mpm("quarter", "2027Q1", "-w", str(VIEWS))
    assert bad.exit_code == 2 and "write it as YYYY-Qn" in bad.stderr


@given(st.integers(1900, 2198), st.integers(1, 4), st.integers(1, 12))
def test_fiscal_quarters_tile_the_calendar(year, q, start_month):
    """Each quarter ends the day before the next one starts, holds its own first and last day,
    and lasts three months, whatever month the fiscal year starts in."""
    from datetime import timedelta

    from mpm.read.fiscal import Quarter, quarter_of

    quarter = Quarter(year, q, start_month)
    assert quarter.start <= quarter.end
    assert quarter.end + timedelta(days=1) == quarter.next().start
    assert quarter_of(quarter.start, start_month) == quarter == quarter_of(quarter.end, start_month)
    assert quarter.start.day == 1 and 88 <= (quarter.end - quarter.start).days <= 91  # Feb-Apr: 89 days


def test_goal_with_quarterly_checkpoints_is_behind_in_q2():
    d = doc("goals", "--as-of", "2026-08-20")
    (g,) = d["goals"]
    assert g["state"] == "behind"
    assert g["latest"] == {"date": "2026-08-15", "value": 1120}
    # halfway through Q2 (46 of 92 days) the path expects 1100 + 100/2
    assert g["progress"] == 0.3
    # least-squares line through (0, 1000), (91, 1100), (137, 1120), read at day 365
    assert g["forecast"] == pytest.approx(1335.52, abs=0.01)
    assert g["expected_now"] == pytest.approx(1100 + 100 * 51 / 92, abs=0.01)
    assert all(p["ok"] for p in g["smart"].values())
    text = run_mpm("goals", "-w", str(VIEWS), "--as-of", "2026-08-20").stdout
    assert "SMART  behind" in text and "●" in text


def test_smart_check_names_what_is_missing(tmp_path):
    from conftest import write_workspace

    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: S\n",
        "campaigns/c/campaign.yaml": "name: C\n",
        "campaigns/c/goals.yaml": "- {id: g, statement: More traffic, metric: sessions}\n",
    })
    g = json.loads(run_mpm("goals", "-w", str(root), "--format", "json").stdout)["goals"][0]
    assert g["smart"]["specific"] == {"ok": False, "text": "the statement has 2 words; say what changes, for whom"}
    assert g["smart"]["measurable"]["text"] == "no unit, no baseline, no target"
    assert g["smart"]["time-bound"] == {"ok": False, "text": "no deadline"}


def test_risk_matrix_counts_live_risks():
    d = doc("risks", "--as-of", "2026-08-20")
    assert d["matrix"]["counts"] == [
        [0, 0, 0, 0, 2],  # likelihood 5: a and b at impact 5
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],  # d (2×4) is closed
        [0, 0, 1, 0, 0],  # likelihood 1: c at impact 3
    ]
    assert [r["id"] for r in d["risks"]] == ["a", "b", "c", "d"]
    assert d["overdue_reviews"] == ["summer/c"]
    a = d["risks"][0]
    assert a["score"] == 25 and a["on_critical_work"] is True
    assert a["affects"] == [{"task": "content", "name": "Summer content", "total_float": 0, "status": "todo"}]


def test_budget_with_an_overspent_line():
    d = doc("budget")
    assert d["currency"] == "EUR"
    summer = next(c for c in d["campaigns"] if c["id"] == "summer")
    media = summer["lines"][0]
    assert media == {"category": "Media", "planned": 6000, "actual": 7250, "remaining": -1250,
                     "used": 1.2083, "over": True}
    assert summer["against_total"] == {"planned": 10000, "actual": 8250, "remaining": 1750,
                                       "used": 0.825, "over": False}
    # categories add up across campaigns, whatever their case
    assert d["by_category"][0] == {"category": "media", "planned": 7000, "actual": 7500,
                                   "remaining": -500, "used": 1.0714, "over": True}
    text = run_mpm("budget", "-w", str(VIEWS)).stdout
    assert "Media !" in text


@pytest.mark.parametrize("command", ["quarter", "goals", "risks", "budget", "content"])
def test_acme_views_golden(golden, command):
    args = [command, "-w", str(ACME), "--as-of", "2026-11-16"]
    table = run_mpm(*args)
    assert table.exit_code == 0, table.output
    golden(f"{command}-acme.txt", table.stdout)
    as_json = run_mpm(*args, "--format", "json")
    assert json.loads(as_json.stdout)["schema"] == f"mpm/{command}/1"
    golden(f"{command}-acme.json", as_json.stdout)
    md = run_mpm(*args, "--format", "md")
    assert md.exit_code == 0 and md.stdout.startswith("# ")



@given(st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=1, max_size=12))
def test_a_series_row_has_the_least_float_of_its_open_occurrences(occurrences):
    """A repeating task is one row; its float is the least of the occurrences not done (all done:
    the first one's), its status how many are done."""
    series = SimpleNamespace(id="weekly-post", name="Weekly post", owner="maya", status="in-progress")
    day = date(2026, 11, 2)
    tasks = [SimpleNamespace(id=f"weekly-post@{day + timedelta(weeks=k)}", name="Weekly post", owner="maya",
                             start=day + timedelta(weeks=k), finish=day + timedelta(weeks=k), milestone=False,
                             critical=slack <= 0, status="done" if done else "not-started", held_by=[],
                             occurrence=day + timedelta(weeks=k), total_float=slack, level_delay=0, task=series)
             for k, (slack, done) in enumerate(occurrences)]
    [row] = plan_rows(tasks)  # type: ignore[arg-type]
    open_floats = [slack for slack, done in occurrences if not done]
    assert row.total_float == (min(open_floats) if open_floats else occurrences[0][0])
    done = len(occurrences) - len(open_floats)
    assert row.id == f"weekly-post ×{len(occurrences)}"
    assert row.status == ("done" if not open_floats else f"{done}/{len(occurrences)} done")
    assert len(plan_rows(tasks, expand=True)) == len(occurrences)  # type: ignore[arg-type]
