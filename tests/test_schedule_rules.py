"""DESIGN §3 rule by rule, on small workspaces with a Mon–Fri calendar.

Dates in January 2027: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8, Sat 9, Sun 10,
Mon 11 … Fri 15, Mon 18 (a holiday in these tests), Tue 19 ….
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_mpm, write_workspace

MPM_YAML = """\
name: Rules
calendar:
  holidays:
    - {date: 2027-01-18, name: Holiday}
team:
  - {id: ana, name: Ana, capacity_hours_per_week: 40}
"""


def workspace(root: Path, tasks: str, *, start: str = "2027-01-04", extra: dict | None = None) -> Path:
    files = {
        "mpm.yaml": MPM_YAML,
        "campaigns/c/campaign.yaml": f"name: Rules campaign\nstart: {start}\n",
        "campaigns/c/tasks.yaml": tasks,
    }
    files.update(extra or {})
    return write_workspace(root, files)


def plan(root: Path, as_of: str = "2027-01-01") -> dict[str, dict]:
    r = run_mpm("plan", "-w", str(root), "--as-of", as_of, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    return {t["id"]: t for c in doc["campaigns"] for t in c["tasks"]}


def shown(t: dict) -> tuple[str, str]:
    return (t["start"], t["finish"])


def test_lower_bound_on_weekend_moves_to_next_working_day(tmp_path):
    root = workspace(tmp_path, "- {id: a, name: A, duration: 2}\n", start="2027-01-09")
    assert shown(plan(root)["a"]) == ("2027-01-11", "2027-01-12")


def test_holiday_is_skipped_and_due_on_weekend_moves_back(tmp_path):
    root = workspace(tmp_path, (
        "- {id: a, name: A, duration: 6, start: 2027-01-11, due: 2027-01-17}\n"
        "- {id: b, name: B, duration: 5, start: 2027-01-11, due: 2027-01-17}\n"))
    tasks = plan(root)
    # 6 working days from Mon 11 skip Sat/Sun and the Monday holiday.
    assert shown(tasks["a"]) == ("2027-01-11", "2027-01-19")
    # due Sunday 17 counts as Friday 15: a finishes one working day later
    # (Monday 18 is a holiday), b fits exactly.
    assert tasks["a"]["total_float"] == -1
    assert tasks["b"]["total_float"] == 0


def test_milestone_instants(tmp_path):
    root = workspace(tmp_path, """\
- {id: work, name: Work, duration: 3}
- {id: kickoff, name: Kickoff, milestone: true}
- {id: fs0, name: FS no lag, milestone: true, depends_on: [work]}
- {id: fs1, name: FS lag, milestone: true, depends_on: [{task: work, lag: 1}]}
- {id: fslead, name: FS lead, milestone: true, depends_on: [{task: work, lag: -1}]}
- {id: ss0, name: SS no lag, milestone: true, depends_on: [{task: work, type: SS}]}
- {id: ss2, name: SS lag, milestone: true, depends_on: [{task: work, type: SS, lag: 2}]}
- {id: tie, name: Tie, milestone: true, start: 2027-01-07, depends_on: [work]}
- {id: after-kickoff, name: After kickoff, milestone: true, depends_on: [kickoff]}
- {id: after-fs0, name: After fs0, milestone: true, depends_on: [fs0]}
""")
    tasks = plan(root)
    day = {k: v["start"] for k, v in tasks.items()}
    assert day["work"] == "2027-01-04" and tasks["work"]["finish"] == "2027-01-06"
    assert day["kickoff"] == "2027-01-04"  # campaign start: start-of-day
    assert day["fs0"] == "2027-01-06"  # end of work's last day
    assert day["fs1"] == "2027-01-07"  # lag > 0: end-of-day, one day on
    assert day["fslead"] == "2027-01-05"  # lead keeps the end-of-day kind
    assert day["ss0"] == "2027-01-04"  # start of work: start-of-day
    assert day["ss2"] == "2027-01-05"  # offset 2 as end-of-day = end of Tue 5
    assert day["tie"] == "2027-01-07"  # same offset as fs0, start-of-day wins
    assert day["after-kickoff"] == "2027-01-04"  # inherits start-of-day
    assert day["after-fs0"] == "2027-01-06"  # inherits end-of-day
    for k, v in tasks.items():
        if k != "work":
            assert v["milestone"] and v["start"] == v["finish"] == v["early_start"] == v["early_finish"]


def test_milestone_late_date_is_moved_by_its_float(tmp_path):
    root = workspace(tmp_path, """\
- {id: long, name: Long, duration: 5}
- {id: short, name: Short, duration: 1}
- {id: gate, name: Gate, milestone: true, depends_on: [short]}
""")
    gate = plan(root)["gate"]
    assert gate["start"] == "2027-01-04" and gate["total_float"] == 4
    assert gate["late_start"] == gate["late_finish"] == "2027-01-08"


def test_as_of_statuses(tmp_path):
    root = workspace(tmp_path, """\
- {id: done-one, name: Done, duration: 2, status: done, started_on: 2027-01-04, done_on: 2027-01-06}
- {id: overrun, name: Overrun, duration: 2, status: in-progress, started_on: 2027-01-05}
- {id: running, name: Running, duration: 5, status: in-progress, started_on: 2027-01-07}
- {id: waiting, name: Waiting, duration: 1}
- {id: after, name: After, duration: 1, depends_on: [done-one]}
- {id: shipped, name: Shipped, milestone: true, status: done, done_on: 2027-01-05}
- {id: planned-done, name: Done without date, duration: 1, status: done}
""")
    tasks = plan(root, as_of="2027-01-12")
    assert shown(tasks["done-one"]) == ("2027-01-04", "2027-01-06")  # actual dates
    # started Tue 5, 2 days, as-of Tue 12: forecast to finish on the as-of day
    assert shown(tasks["overrun"]) == ("2027-01-05", "2027-01-12")
    # started Thu 7, 5 days: Thu 7 .. Wed 13, past as-of, keeps its duration
    assert shown(tasks["running"]) == ("2027-01-07", "2027-01-13")
    # todo work never before as-of, even when its predecessor finished earlier
    assert shown(tasks["waiting"]) == ("2027-01-12", "2027-01-12")
    assert shown(tasks["after"]) == ("2027-01-12", "2027-01-12")
    # a done milestone is reached at the end of its done_on
    assert tasks["shipped"]["start"] == "2027-01-05"
    # done without done_on keeps its planned (pre-as-of) dates
    assert shown(tasks["planned-done"]) == ("2027-01-04", "2027-01-04")
    assert not tasks["done-one"]["critical"] and not tasks["shipped"]["critical"]


def test_cancelled_tasks_and_links_to_them_are_left_out(tmp_path):
    root = workspace(tmp_path, """\
- {id: dropped, name: Dropped, duration: 10, status: cancelled}
- {id: next, name: Next, duration: 1, depends_on: [dropped]}
""")
    tasks = plan(root)
    assert set(tasks) == {"next"}
    assert tasks["next"]["start"] == "2027-01-04"
    check = run_mpm("check", "-w", str(root))
    assert check.exit_code == 0
    assert "warning[W301]" in check.stdout and "tasks.yaml:2:" in check.stdout


def test_cross_campaign_dependency_in_both_passes(tmp_path):
    root = workspace(tmp_path, "- {id: brief, name: Brief, duration: 3}\n", extra={
        "campaigns/d/campaign.yaml": "name: Other\nstart: 2027-01-04\n",
        "campaigns/d/tasks.yaml": ("- {id: launch, name: Launch, duration: 2, depends_on: [c/brief], "
                                   "due: 2027-01-07}\n"),
    })
    tasks = plan(root)
    assert shown(tasks["launch"]) == ("2027-01-07", "2027-01-08")
    assert tasks["launch"]["total_float"] == -1
    # the deadline in campaign d reaches back into campaign c
    assert tasks["brief"]["total_float"] == -1
    assert tasks["brief"]["late_finish"] == "2027-01-05"


def test_free_float_stops_at_own_due(tmp_path):
    root = workspace(tmp_path, """\
- {id: a, name: A, duration: 1, due: 2027-01-06}
- {id: b, name: B, duration: 5}
""")
    tasks = plan(root)
    assert tasks["a"]["free_float"] == 2 and tasks["a"]["total_float"] == 2


def test_recurring_task_occurrences(tmp_path):
    root = workspace(tmp_path, """\
- {id: brief, name: Brief, duration: 1}
- id: post
  name: Weekly post
  duration: 1
  start: 2027-01-05
  repeat: FREQ=WEEKLY;BYDAY=TU;COUNT=3
  depends_on: [brief]
- {id: recap, name: Recap, duration: 1, depends_on: [post]}
""")
    tasks = plan(root)
    occ = sorted(k for k in tasks if k.startswith("post@"))
    assert occ == ["post@2027-01-05", "post@2027-01-12", "post@2027-01-19"]
    assert [tasks[k]["start"] for k in occ] == ["2027-01-05", "2027-01-12", "2027-01-19"]
    assert tasks["recap"]["start"] == "2027-01-20"  # after the last occurrence


def test_negative_float_and_cycle_are_reported(tmp_path):
    root = workspace(tmp_path, """\
- {id: a, name: A, duration: 2, depends_on: [b]}
- {id: b, name: B, duration: 2, depends_on: [a]}
""")
    r = run_mpm("plan", "-w", str(root), "--as-of", "2027-01-01")
    assert r.exit_code == 2
    assert "campaigns/c/tasks.yaml:1:" in r.stderr and "dependency cycle: a → b → a" in r.stderr


def test_deadline_before_campaign_start_is_planned_late(tmp_path):
    # DESIGN §3: a due before what the campaign start allows is a warning; the
    # plan is made and shows the negative float.
    root = workspace(tmp_path, "- {id: a, name: A, duration: 2, due: 2026-12-31}\n"
                               "- {id: b, name: B, duration: 1, start: 2027-01-06, due: 2027-01-05}\n")
    r = run_mpm("check", "-w", str(root))
    assert r.exit_code == 0 and "campaigns/c/tasks.yaml:1:38: warning[W307]" in r.stdout
    tasks = plan(root)
    # a: ES = 2027-01-04; LF = the end of 2026-12-31 = the start of Friday 2027-01-01,
    # one working day before ES; LS = LF - 2 -> float -3
    assert (tasks["a"]["start"], tasks["a"]["finish"], tasks["a"]["total_float"]) == ("2027-01-04", "2027-01-05", -3)
    # b: may start 2027-01-06 (offset 2), due 2027-01-05 (LF 2): LS 1, float -1
    b = tasks["b"]
    assert (b["start"], b["total_float"], b["late_start"]) == ("2027-01-06", -1, "2027-01-05")
    assert tasks["a"]["free_float"] == 0 and tasks["b"]["free_float"] == 0


def test_plan_does_not_depend_on_file_order(tmp_path):
    body = [
        "- {id: a, name: A, duration: 3}",
        "- {id: b, name: B, duration: 2, depends_on: [a]}",
        "- {id: c, name: C, duration: 4, depends_on: [{task: a, type: SS, lag: 1}]}",
        "- {id: d, name: D, milestone: true, depends_on: [b, c]}",
    ]
    one = plan(workspace(tmp_path / "one", "\n".join(body) + "\n"))
    two = plan(workspace(tmp_path / "two", "\n".join(reversed(body)) + "\n"))
    assert one == two
