"""What a new team hits in its first week with mpm: each case failed before its fix."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ACME, run_mpm, write_workspace
from test_cli_basics import _commands

# --- the front door ---------------------------------------------------------


def test_plain_mpm_prints_help_and_exits_0():
    r = run_mpm()
    assert r.exit_code == 0
    assert "Usage: mpm" in r.stdout and "plan" in r.stdout


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_help_shows_no_python_types(command):
    text = run_mpm(*command, "--help", width=140).stdout
    for python in ("<bool>", "<str>", "<int", "<list[", "<dir>", "<path>", "{", "[[", "x>=", "x<="):
        assert python not in text, f"mpm {' '.join(command)} --help shows {python}"


def test_format_lists_only_the_formats_a_command_has():
    plan = run_mpm("plan", "--help", width=140).stdout
    assert "table|json|md" in plan and "github" not in plan
    status = run_mpm("status", "--help", width=140).stdout
    assert "table|json|github|md|slack|teams" in status
    r = run_mpm("plan", "-w", str(ACME), "--format", "github")
    assert r.exit_code == 2 and "github" in r.output
    check = run_mpm("check", "--help", width=140).stdout
    assert "table|json|github" in check and "text" not in check
    assert run_mpm("check", "-w", str(ACME), "--format", "table").exit_code == 0


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_the_shell_can_use(shell):
    r = run_mpm("completion", shell)
    assert r.exit_code == 0
    assert "_MPM_COMPLETE" in r.stdout
    # the script's callback answers: `mpm foreca<TAB>` completes to forecast
    env = {**os.environ, "_MPM_COMPLETE": "complete_bash", "COMP_WORDS": "mpm foreca", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "mpm"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.split() == ["forecast"]


def test_a_workspace_folder_that_does_not_exist_is_named_as_such(tmp_path):
    r = run_mpm("check", "-w", str(tmp_path / "nowhere"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr and "no mpm.yaml" not in r.stderr


# --- plans and capacity -------------------------------------------------------

def _booked(root, status: str):
    """Ana, 20 h a week, booked full-time by a campaign of this status (2027-01-04 on)."""
    return write_workspace(root, {
        "mpm.yaml": "name: Booked\nteam:\n  - {id: ana, name: Ana, capacity_hours_per_week: 20}\n",
        "campaigns/c/campaign.yaml": f"name: C\nstatus: {status}\nstart: 2027-01-04\nlaunch: 2027-01-08\n",
        "campaigns/c/tasks.yaml": "- {id: build, name: Build, owner: ana, duration: 10, due: 2027-01-06}\n"
                                  "- {id: launch, name: Launch, milestone: true, depends_on: [build], "
                                  "due: 2027-01-08}\n",
    })


@pytest.mark.parametrize("status", ["cancelled", "on-hold", "done"])
def test_a_campaign_not_going_ahead_books_no_one(tmp_path, status):
    root = _booked(tmp_path, status)
    s = run_mpm("status", "-w", str(root), "--as-of", "2027-01-04", "--format", "json")
    assert [f["code"] for f in json.loads(s.stdout)["findings"]] == []
    q = run_mpm("quarter", "2027-Q1", "-w", str(root), "--as-of", "2027-01-04", "--format", "json")
    people = json.loads(q.stdout)["people"]
    assert people[0]["planned_hours"] == 0
    plan = run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", width=120).stdout
    assert "on track" not in plan and "days late" not in plan and "not forecast" in plan
    report = run_mpm("report", "-w", str(root), "--as-of", "2027-01-04").stdout
    assert "On track" not in report and "Late" not in report


@pytest.mark.parametrize("status", ["cancelled", "on-hold"])
def test_a_campaign_on_hold_or_cancelled_is_not_forecast(tmp_path, status):
    root = _booked(tmp_path, status)
    doc = json.loads(run_mpm("forecast", "-w", str(root), "--as-of", "2027-01-04", "--format", "json").stdout)
    assert doc["campaigns"] == []
    report = run_mpm("report", "-w", str(root), "--as-of", "2027-01-04").stdout
    assert "P80" not in report.split("## C", 1)[1]


@pytest.mark.parametrize(("status", "shown"), [("on-hold", False), ("cancelled", False), ("active", True)])
def test_the_content_calendar_holds_only_work_that_goes_ahead(tmp_path, status, shown):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": f"name: C\nstatus: {status}\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- {id: blog, name: Blog, owner: ana, duration: 1, channel: blog, "
                                  "repeat: FREQ=WEEKLY;COUNT=4}\n",
    })
    doc = json.loads(run_mpm("content", "-w", str(root), "--as-of", "2027-01-04", "--from", "2027-01-04",
                             "--to", "2027-02-28", "--format", "json").stdout)
    assert bool(doc["calendar"]) is shown, doc["calendar"]


def test_an_active_campaign_still_books_its_people(tmp_path):
    root = _booked(tmp_path, "active")
    s = run_mpm("status", "-w", str(root), "--as-of", "2027-01-04", "--format", "json")
    assert "S208" in [f["code"] for f in json.loads(s.stdout)["findings"]]
    q = run_mpm("quarter", "2027-Q1", "-w", str(root), "--as-of", "2027-01-04", "--format", "json")
    assert json.loads(q.stdout)["people"][0]["planned_hours"] == 80


def _due_before_start(root):
    return write_workspace(root, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- {id: a, name: A, owner: ana, duration: 5}\n"
                                  "- {id: z, name: Z, owner: ana, duration: 2, start: 2027-01-11, due: 2027-01-08}\n"
                                  "- {id: y, name: Y, owner: ana, duration: 1, due: 2026-12-30}\n",
        "campaigns/other/campaign.yaml": "name: Other\nstart: 2027-01-04\n",
        "campaigns/other/tasks.yaml": "- {id: fine, name: Fine, owner: ana, duration: 1}\n",
    })


def test_a_due_before_the_start_is_a_warning_and_the_plan_shows_the_negative_float(tmp_path):
    root = _due_before_start(tmp_path)
    check = run_mpm("check", "-w", str(root))
    assert check.exit_code == 0, check.output
    assert check.stdout.count("warning[W307]") == 2
    assert "tasks.yaml:2:" in check.stdout and "tasks.yaml:3:" in check.stdout
    plan = json.loads(run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", "--format", "json").stdout)
    tasks = {t["id"]: t for c in plan["campaigns"] for t in c["tasks"]}
    # z may start 2027-01-11 (offset 5) and take 2 days; due 2027-01-08 is the end of offset 4
    assert tasks["z"]["start"] == "2027-01-11" and tasks["z"]["total_float"] == -2
    assert tasks["y"]["total_float"] == -3  # due the 30th, the campaign starts on the 4th
    assert tasks["fine"]["total_float"] == 0  # the rest of the workspace is planned as ever


def _chain(root):
    return write_workspace(root, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- {id: draft, name: Draft, owner: ana, duration: 5, due: 2027-01-08}\n"
                                  "- {id: ship, name: Ship, owner: ana, duration: 2, depends_on: [draft], "
                                  "due: 2027-01-05}\n",
    })


def test_s102_on_a_task_that_meets_its_own_date_names_the_later_deadline(tmp_path):
    root = _chain(tmp_path)
    found = json.loads(run_mpm("status", "-w", str(root), "--as-of", "2027-01-04", "--format", "json").stdout)
    draft = next(f for f in found["findings"] if f["item"] == "draft")
    assert "after its due date" not in draft["message"]
    assert draft["message"] == ("forecast to finish 2027-01-08, by its due date 2027-01-08, but 5 working "
                                "days too late for ship (due 2027-01-05, forecast 2027-01-12)")


@pytest.mark.parametrize("status", ["cancelled", "on-hold"])
def test_levelling_books_no_hours_for_a_campaign_not_going_ahead(tmp_path, status):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana, capacity_hours_per_week: 40}\n",
        "campaigns/held/campaign.yaml": f"name: Held\nstatus: {status}\nstart: 2027-01-04\n",
        "campaigns/held/tasks.yaml": "- {id: big, name: Big, owner: ana, duration: 10, priority: 900}\n",
        "campaigns/live/campaign.yaml": "name: Live\nstart: 2027-01-04\n",
        "campaigns/live/tasks.yaml": "- {id: work, name: Work, owner: ana, duration: 5}\n",
    })
    doc = json.loads(run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", "--level",
                             "--format", "json").stdout)
    tasks = {t["id"]: t for c in doc["campaigns"] for t in c["tasks"]}
    assert tasks["work"]["start"] == "2027-01-04" and tasks["work"]["level_delay"] == 0
    # the same workspace with the held campaign active: Ana's hours are taken
    (root / "campaigns/held/campaign.yaml").write_text("name: Held\nstatus: active\nstart: 2027-01-04\n")
    doc = json.loads(run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", "--level",
                             "--format", "json").stdout)
    tasks = {t["id"]: t for c in doc["campaigns"] for t in c["tasks"]}
    assert tasks["work"]["level_delay"] > 0


# --- edits keep history honest ---------------------------------------------------

TODAY = {"MPM_TODAY": "2027-01-20"}


def _progress(root):
    return write_workspace(root, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- id: a\n  name: A\n  owner: ana\n  duration: 3\n  status: done\n"
                                  "  started_on: 2027-01-04\n  done_on: 2027-01-06\n"
                                  "- id: b\n  name: B\n  owner: ana\n  duration: 2\n"
                                  "- {id: c, name: C, owner: ana, duration: 2, status: done, done_on: 2027-01-08}\n",
        "campaigns/c/goals.yaml": "- id: leads\n  statement: Grow leads\n  metric: leads\n  target: 120\n"
                                  "  deadline: 2027-03-31\n  baseline: {value: 100, date: 2026-12-31}\n"
                                  "  measurements:\n    - {date: 2027-01-05, value: 104}\n"
                                  "    - {date: 2027-01-15, value: 110}\n",
    })


def _tasks(root) -> str:
    return (root / "campaigns/c/tasks.yaml").read_text()


def test_task_start_on_a_done_task_needs_reopen_and_keeps_started_on(tmp_path):
    root = _progress(tmp_path)
    before = _tasks(root)
    r = run_mpm("task", "start", "a", "--on", "2027-01-18", "-w", str(root), env=TODAY)
    assert r.exit_code == 2 and "--reopen" in r.stderr and _tasks(root) == before
    r = run_mpm("task", "start", "a", "--on", "2027-01-18", "--reopen", "-w", str(root), env=TODAY)
    assert r.exit_code == 0, r.output
    text = _tasks(root)
    assert "started_on: 2027-01-04" in text and "2027-01-18" not in text
    assert "done_on: 2027-01-06" not in text and "status: in-progress" in text
    assert run_mpm("check", "-w", str(root)).exit_code == 0
    # flow-style records lose done_on cleanly too
    r = run_mpm("task", "start", "c", "--on", "2027-01-18", "--reopen", "-w", str(root), env=TODAY)
    assert r.exit_code == 0, r.output
    assert "- {id: c, name: C, owner: ana, duration: 2, status: in-progress, started_on: 2027-01-18}" in _tasks(root)


def test_task_done_twice_does_not_move_done_on(tmp_path):
    root = _progress(tmp_path)
    before = _tasks(root)
    r = run_mpm("task", "done", "a", "--on", "2027-01-19", "-w", str(root), env=TODAY)
    assert r.exit_code == 2 and "already done on 2027-01-06" in r.stderr and _tasks(root) == before
    again = run_mpm("task", "done", "a", "--on", "2027-01-06", "-w", str(root), env=TODAY)
    assert again.exit_code == 0 and "nothing to change" in again.stdout


def test_dates_after_today_are_refused_with_a_hint(tmp_path):
    root = _progress(tmp_path)
    before = _tasks(root)
    for args in (["task", "start", "b", "--on", "2027-01-21"], ["task", "done", "b", "--on", "2027-02-01"],
                 ["kpi", "add", "leads", "115", "--on", "2027-01-21"]):
        r = run_mpm(*args, "-w", str(root), env=TODAY)
        assert r.exit_code == 2, args
        assert "after today (2027-01-20)" in r.stderr and "hint:" in r.stderr
    assert _tasks(root) == before


def test_task_done_without_a_start_records_started_on_only_when_told(tmp_path):
    root = _progress(tmp_path)
    run_mpm("task", "done", "b", "--on", "2027-01-12", "-w", str(root), env=TODAY)
    text = _tasks(root)
    assert "done_on: 2027-01-12" in text and "started_on: 2027-01-12" not in text
    root2 = _progress(tmp_path / "two")
    r = run_mpm("task", "done", "b", "--on", "2027-01-12", "--started-on", "2027-01-11", "-w", str(root2), env=TODAY)
    assert r.exit_code == 0, r.output
    assert "  started_on: 2027-01-11\n  done_on: 2027-01-12\n" in _tasks(root2)
    # `planned`: the start the plan gives it from the campaign's start (b waits for nothing: 2027-01-04)
    root3 = _progress(tmp_path / "three")
    r = run_mpm("task", "done", "b", "--on", "2027-01-12", "--started-on", "planned", "-w", str(root3), env=TODAY)
    assert r.exit_code == 0, r.output
    assert "  started_on: 2027-01-04\n  done_on: 2027-01-12\n" in _tasks(root3)


def test_kpi_add_refuses_a_duplicate_and_keeps_date_order(tmp_path):
    root = _progress(tmp_path)
    goals = root / "campaigns/c/goals.yaml"
    r = run_mpm("kpi", "add", "leads", "110", "--on", "2027-01-15", "-w", str(root), env=TODAY)
    assert r.exit_code == 2 and "already has 110 on 2027-01-15" in r.stderr
    r = run_mpm("kpi", "add", "leads", "107", "--on", "2027-01-10", "-w", str(root), env=TODAY)
    assert r.exit_code == 0, r.output
    assert goals.read_text().endswith("  measurements:\n    - {date: 2027-01-05, value: 104}\n"
                                      "    - {date: 2027-01-10, value: 107}\n"
                                      "    - {date: 2027-01-15, value: 110}\n")


def test_task_add_takes_the_options_a_task_needs(tmp_path):
    root = _progress(tmp_path)
    r = run_mpm("task", "add", "c", "--name", "Launch brief", "--after", "a", "--after", "b", "--due", "2027-02-01",
                "--effort", "6", "--start", "2027-01-25", "--phase", "planning", "--owner", "ana", "-w", str(root))
    assert r.exit_code == 0, r.output
    # the last task is written on one line, so the new one is too
    assert _tasks(root).endswith("- {id: launch-brief, name: Launch brief, owner: ana, phase: planning, "
                                 "duration: 1, effort: 6, depends_on: [a, b], start: 2027-01-25, due: 2027-02-01}\n")
    assert run_mpm("check", "-w", str(root)).exit_code == 0


@pytest.mark.parametrize(("args", "said"), [
    (["--name", "???"], "pass the id with --id"),
    (["--name", "B"], "already has a task 'b'"),
    (["--name", "X", "--owner", "anaa"], "--owner: 'anaa' is not on the team"),
    (["--name", "X", "--after", "zz"], "--after: no task 'zz'"),
    (["--name", "X", "--phase", "doing"], "--phase: 'doing' is not a phase"),
    (["--name", "X", "--due", "2027-02-30"], "--due: '2027-02-30' is not a date"),
    (["--name", "X", "--due", "2027/02/03"], "--due: '2027/02/03' is not a date; write it as 2027-02-03"),
    (["--name", "X", "--start", "2027-02-10", "--due", "2027-02-03"], "--due: 2027-02-03 is before --start"),
])
def test_task_add_refuses_a_bad_option_naming_the_option(tmp_path, args, said):
    root = _progress(tmp_path)
    before = _tasks(root)
    r = run_mpm("task", "add", "c", *args, "-w", str(root))
    assert r.exit_code == 2
    assert said in r.stderr and "\n  hint: " in r.stderr, r.stderr
    assert "tasks.yaml:" not in r.stderr  # no line of a file that was never written
    assert _tasks(root) == before


@pytest.mark.parametrize(("args", "said", "hint"), [
    (["task", "done", "nowhere"], "no task 'nowhere'", "the tasks are: "),
    (["task", "done", "nocamp/b"], "no campaign 'nocamp'", "the campaigns are: c"),
])
def test_a_refused_edit_says_what_there_is(tmp_path, args, said, hint):
    root = _progress(tmp_path)
    before = _tasks(root)
    r = run_mpm(*args, "-w", str(root))
    assert r.exit_code == 2 and said in r.stderr and f"  hint: {hint}" in r.stderr, r.stderr
    assert _tasks(root) == before


def test_a_name_with_accents_makes_an_ascii_id(tmp_path):
    root = _progress(tmp_path)
    r = run_mpm("task", "add", "c", "--name", "Café brief für Inés", "-w", str(root))
    assert r.exit_code == 0, r.stderr
    assert "- {id: cafe-brief-fur-ines, name: Café brief für Inés, duration: 1}" in _tasks(root)
    assert run_mpm("check", "-w", str(root)).exit_code == 0


def test_a_campaign_named_in_words_is_told_its_id(tmp_path):
    root = _progress(tmp_path)
    r = run_mpm("new", "campaign", "Été Sale 2027", "-w", str(root))
    assert r.exit_code == 2 and "  hint: use lowercase letters, digits and dashes, e.g. 'ete-sale-2027'" in r.stderr
    assert not (root / "campaigns" / "ete-sale-2027").exists()


def test_the_same_name_twice_is_a_new_task_only_with_its_own_id(tmp_path):
    root = _progress(tmp_path)
    r = run_mpm("task", "add", "c", "--name", "B", "--id", "b-again", "-w", str(root))
    assert r.exit_code == 0 and "- {id: b-again, name: B, duration: 1}" in _tasks(root)


def test_fmt_keeps_comment_lines_between_items_where_they_were_and_is_idempotent(tmp_path):
    root = _progress(tmp_path)
    tasks = root / "campaigns/c/tasks.yaml"
    tasks.write_text("- id: a\n  duration: 1\n  name: A # the name moves up\n# about b\n"
                     "- duration: 2 # two\n  id: b\n  name: B\n\n# about c\n"
                     "- id: c\n  duration: 1\n  depends_on:\n    - a\n  name: C\n# the end\n")
    assert run_mpm("fmt", "-w", str(root)).exit_code == 0
    assert tasks.read_text() == ("- id: a\n  name: A # the name moves up\n  duration: 1\n# about b\n"
                                 "- id: b\n  name: B\n  duration: 2 # two\n\n# about c\n"
                                 "- id: c\n  name: C\n  duration: 1\n  depends_on:\n    - a\n# the end\n")
    again = run_mpm("fmt", "--check", "-w", str(root))
    assert again.exit_code == 0, again.output


def test_fmt_on_an_invalid_file_says_what_is_invalid(tmp_path):
    root = _progress(tmp_path)
    (root / "campaigns/c/campaign.yaml").write_text("name: C\nstart: 2027-01-04\nstatus: going\n")
    r = run_mpm("fmt", "-w", str(root))
    assert r.exit_code == 2
    assert "campaign.yaml:3:9: error[E103]: 'going' is not a valid status" in r.stderr
    assert "nothing was formatted" in r.stderr and "planned" not in r.stderr


def test_new_campaign_with_an_unknown_owner_suggests_the_person(tmp_path):
    root = write_workspace(tmp_path, {"mpm.yaml": "name: W\nteam:\n  - {id: mo, name: Marc Olsen}\n"
                                                  "  - {id: ana, name: Ana Lima}\n"})
    r = run_mpm("new", "campaign", "spring", "--owner", "marc", "-w", str(root))
    assert r.exit_code == 2 and "did you mean 'mo'?" in r.stderr
    r = run_mpm("new", "campaign", "spring", "--owner", "anna", "-w", str(root))
    assert r.exit_code == 2 and "did you mean 'ana'?" in r.stderr
    assert not (root / "campaigns").exists()


# --- output people read -----------------------------------------------------------

LONG_IDS = ["store-signage-and-window-displays-rollout", "regional-press-kit-translations-batch-two"]


def _long_ids(root):
    return write_workspace(root, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana, capacity_hours_per_week: 40}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": f"- {{id: {LONG_IDS[0]}, name: Roll out the signage and the window displays "
                                  "in every store of the northern region, owner: ana, duration: 3, "
                                  "due: 2027-01-05}\n"
                                  f"- {{id: {LONG_IDS[1]}, name: Translate, owner: ana, duration: 2, "
                                  f"depends_on: [{LONG_IDS[0]}], status: blocked}}\n",
    })


@pytest.mark.parametrize("width", [80, 110, 120, 200])
def test_the_plan_table_and_status_never_cut_task_ids(tmp_path, width):
    root = _long_ids(tmp_path)
    plan = run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", width=width).stdout
    status = run_mpm("status", "-w", str(root), "--as-of", "2027-01-04", width=width).stdout
    for task_id in LONG_IDS:
        assert task_id in plan.split(), f"{task_id} cut at {width} columns"
        assert task_id in status.split(), f"{task_id} cut in status at {width} columns"
    assert "…" not in plan.split("Translate")[0].split(LONG_IDS[0])[0]


def test_piped_output_has_no_trailing_spaces_and_no_color_means_no_style(tmp_path):
    root = _long_ids(tmp_path)
    for args in (["status"], ["plan", "--gantt"], ["quarter", "2027-Q1"], ["check"]):
        r = run_mpm(*args, "-w", str(root), "--as-of", "2027-01-04", env={"FORCE_COLOR": "1"}) \
            if args[0] != "check" else run_mpm(*args, "-w", str(root), env={"FORCE_COLOR": "1"})
        text = r.stdout
        assert "\x1b[" not in text, f"mpm {args[0]} styles text under NO_COLOR"
        assert [line for line in text.splitlines() if line != line.rstrip(" ")] == [], args


def test_budget_workspace_total_is_the_sum_of_the_rows_above_it():
    r = run_mpm("budget", "-w", str(ACME), "--as-of", "2026-11-16", width=120)
    lines = r.stdout.split("By category", 1)[1].splitlines()
    rows = [line for line in lines if line[:1].strip() and not line.startswith(("category", "─", "!"))]
    total = next(line for line in rows if line.startswith("workspace total"))
    planned = sum(int(line.rsplit(None, 4)[1].replace(",", "")) for line in rows
                  if not line.startswith(("workspace total", "against approved totals")))
    assert int(total.rsplit(None, 4)[1].replace(",", "")) == planned
    assert "against approved totals" in r.stdout
    view = json.loads(run_mpm("budget", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json").stdout)
    assert view["lines_total"]["planned"] == sum(c["planned"] for c in view["by_category"])


def test_budget_takes_as_of_and_shows_the_work_done_by_then():
    early = json.loads(run_mpm("budget", "-w", str(ACME), "--as-of", "2026-10-01", "--format", "json").stdout)
    late = json.loads(run_mpm("budget", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json").stdout)
    bf = [next(c for c in v["campaigns"] if c["id"] == "black-friday-2026") for v in (early, late)]
    assert 0 < bf[0]["work_done"] < bf[1]["work_done"] < 1


@pytest.mark.parametrize(("name", "marker"), [("r.html", "<!DOCTYPE html>"), ("r.md", "# "),
                                             ("r.HTM", "<!DOCTYPE html>")])
def test_report_takes_its_format_from_the_output_extension(tmp_path, name, marker):
    out = tmp_path / name
    r = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_text().lstrip().startswith(marker)
    forced = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", "-o", str(out), "--format", "md")
    assert forced.exit_code == 0 and out.read_text().startswith("# ")


def test_report_headline_is_not_on_track_when_goals_or_people_are_in_trouble():
    def always_on(*level: str) -> str:
        report = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", *level).stdout
        return report.split('<a id="always-on-content"></a>', 1)[1].split("<a id=", 1)[0]

    levelled = always_on()
    assert "On track" not in levelled and "At risk** — goal behind: newsletter-subscribers\n" in levelled
    # without levelling (§3 alone) Sam's weeks are over capacity, and the headline says so
    assert "goal behind: newsletter-subscribers; over capacity: sam" in always_on("--no-level")


def test_report_done_since_lists_only_work_recorded_as_done(tmp_path):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\nend: 2027-03-31\n",
        "campaigns/c/tasks.yaml": "- {id: blog, name: Weekly blog, owner: ana, duration: 1, "
                                  "repeat: FREQ=WEEKLY;COUNT=8, status: in-progress, started_on: 2027-01-04}\n"
                                  "- {id: brief, name: Brief, owner: ana, duration: 1, status: done, "
                                  "done_on: 2027-01-05}\n",
    })
    report = run_mpm("report", "-w", str(root), "--as-of", "2027-01-25", "--since", "2027-01-01").stdout
    done = report.split("### Done since", 1)[1].split("###", 1)[0]
    assert "(`brief`" in done and "blog@" not in done


def _ics_events(text: str) -> list[str]:
    return [e for e in text.split("BEGIN:VEVENT")[1:]]


def test_ics_exports_the_due_date_of_a_late_milestone(tmp_path):
    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", "2026-11-16", "--campaign", "black-friday-2026")
    events = _ics_events(r.stdout)
    launch_due = [e for e in events if "SUMMARY:Due:" in e and "DTSTART;VALUE=DATE:20261127" in e]
    assert launch_due, "the late launch's due date (2026-11-27) is not in the calendar"


def test_ics_person_with_output_dir_writes_only_that_person_and_o_with_output_dir_is_refused(tmp_path):
    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", "2026-11-16", "--person", "sam",
                "--output-dir", str(tmp_path / "cal"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "cal").iterdir()) == ["sam.ics"]
    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", "2026-11-16", "-o", str(tmp_path / "x.ics"),
                "--output-dir", str(tmp_path / "cal2"))
    assert r.exit_code == 2 and "-o and --output-dir" in r.stderr
    assert not (tmp_path / "x.ics").exists() and not (tmp_path / "cal2").exists()


@pytest.mark.parametrize("command", [["plan"], ["status"], ["quarter"], ["goals"], ["risks"], ["budget"],
                                     ["report"], ["forecast"], ["content"], ["diff"], ["export", "csv"],
                                     ["export", "ics"], ["export", "mermaid"]])
def test_the_same_filters_on_every_command(command):
    text = run_mpm(*command, "--help", width=160).stdout
    assert "--campaign" in text and "-c " in text
    assert "--as-of" in text


@pytest.mark.parametrize("command", [["plan"], ["status"], ["quarter"], ["goals"], ["risks"], ["content"],
                                     ["export", "ics"], ["export", "csv"], ["export", "mermaid"]])
def test_person_is_p_everywhere(command):
    fmt = ["--format", "json"] if command[0] != "export" else []
    r = run_mpm(*command, "-w", str(ACME), "--as-of", "2026-11-16", "-p", "sam", *fmt)
    assert r.exit_code in (0, 1), r.output
    bad = run_mpm(*command, "-w", str(ACME), "--as-of", "2026-11-16", "-p", "samm")
    assert bad.exit_code == 2 and "did you mean 'sam'?" in bad.stderr


def test_an_unknown_person_lists_the_team_in_the_order_mpm_yaml_gives():
    """Not the order of a set of ids, which changes from one run to the next."""
    bad = run_mpm("report", "-w", str(ACME), "-p", "zzzzz")
    assert bad.exit_code == 2 and "the team: maya, sam, priya, leo, ines, tom" in bad.stderr


def test_export_csv_person_keeps_only_that_persons_rows():
    rows = run_mpm("export", "csv", "-w", str(ACME), "--as-of", "2026-11-16", "-p", "tom").stdout.splitlines()[1:]
    assert rows and {row.split(",")[3] for row in rows} == {"tom"}


def test_plan_campaign_option_and_person_filter():
    plan = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", "2026-11-16", "-c", "black-friday-2026",
                              "-p", "leo", "--format", "json").stdout)
    assert [c["id"] for c in plan["campaigns"]] == ["black-friday-2026"]
    assert {t["owner"] for t in plan["campaigns"][0]["tasks"]} == {"leo"}


def test_status_owner_stays_an_alias_of_person():
    a = run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16", "--owner", "sam", "--format", "json").stdout
    b = run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16", "-p", "sam", "--format", "json").stdout
    assert a == b and json.loads(a)["findings"]


PLAIN = ("-w", str(ACME), "--as-of", "2026-11-16", "--no-level")  # acme as §3 plans it, without levelling


def test_the_plan_headline_names_the_chain_that_drives_the_launch():
    plan = run_mpm("plan", "black-friday-2026", *PLAIN, width=120).stdout
    assert "launch driven by store-signage → store-kits → bf-launch" in plan
    md = run_mpm("plan", "black-friday-2026", *PLAIN, "--format", "md").stdout
    assert "- launch driven by store-signage → store-kits → bf-launch" in md
    status = json.loads(run_mpm("status", *PLAIN, "--format", "json").stdout)
    s103 = next(f for f in status["findings"] if f["code"] == "S103" and "launch" in f["message"])
    assert s103["message"].endswith("(driven by store-signage → store-kits → bf-launch)")
    # levelled (acme's own setting), the chain follows whose hours the work waits for
    levelled = run_mpm("plan", "black-friday-2026", "-w", str(ACME), "--as-of", "2026-11-16", width=120).stdout
    assert "launch driven by store-signage → site-banners → go-live-qa → bf-launch" in levelled


def test_why_on_a_late_launch_says_why_it_is_late_in_plain_english():
    why = run_mpm("plan", *PLAIN, "--why", "bf-launch", width=200).stdout
    assert "not on the critical path" not in why and "not critical" not in why
    assert "Why it is late:" in why
    assert "it is 2 working days late for its due date 2026-11-27" in why
    slack = run_mpm("plan", "-w", str(ACME), "--as-of", "2026-11-16", "--why", "offer-strategy", width=200).stdout
    assert "limited by its due date is" not in slack and " is 20" not in slack.split("limited by")[-1]


# --- messages ---------------------------------------------------------------------

@pytest.mark.parametrize(("args", "said"), [
    (["plan", "--format", "xml"], "'xml' is not one of 'table', 'json', 'md'"),
    (["status", "--horizon", "x"], "'x' is not a whole number"),
    (["status", "--horizon", "-1"], "it must be at least 0, not '-1'"),
    (["completion", "tcsh"], "'tcsh' is not one of 'bash', 'zsh', 'fish'"),
])
def test_bad_option_values_are_told_without_pydantic_wording(args, said):
    r = run_mpm(*args, "-w", str(ACME)) if args[0] != "completion" else run_mpm(*args)
    assert r.exit_code == 2
    text = " ".join(r.stderr.replace("│", " ").split())
    assert said in text
    assert "Input should be" not in text and "Value error" not in text


def test_check_messages_in_the_users_words(tmp_path):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana, capacity: 40}\n",
        "campaigns/c/campaign.yaml": "",
        "campaigns/d/campaign.yaml": "name: D\nstart: 2027-01-04\n",
        "campaigns/d/tasks.yaml": "- id: a\n  name: A\n\tduration: 1\n",
        "campaigns/e/campaign.yaml": "name: E\nstart: 2027-01-04\n",
        "campaigns/e/tasks.yaml": "- {id: a, name: A, duration: 1, repeat: \"FREQ=WEEKLY;BYDAY\"}\n",
        "campaigns/e/goals.yaml": "- {id: g, statement: S, metric: m, target: 10, deadline: 2027-03-31, "
                                  "baseline: {value: 1, date: 2027-13-01}}\n",
    })
    out = run_mpm("check", "-w", str(root)).stdout
    assert "campaigns/c/campaign.yaml:1:1: error[E010]: campaign.yaml is empty" in out
    assert "unknown key 'capacity' in team member 'ana'" in out
    assert "did you mean 'capacity_hours_per_week'?" in out
    assert "YAML indents with spaces, never tabs" in out and "cannot start any token" not in out
    assert "'BYDAY' should be NAME=VALUE" in out and "unpack" not in out
    assert "hint: a valid rule: FREQ=WEEKLY;BYDAY=TU;COUNT=12" in out
    goal = next(line for line in out.splitlines() if "2027-13-01 is not a real date" in line)
    line = ("- {id: g, statement: S, metric: m, target: 10, deadline: 2027-03-31, "
            "baseline: {value: 1, date: 2027-13-01}}")
    assert goal.endswith("error[E104]: 2027-13-01 is not a real date")
    assert goal.split(":")[2] == str(line.index("2027-13-01") + 1)  # the caret is on the date


def test_a_checkpoint_outside_the_goal_after_a_fiscal_year_change_is_an_error_at_its_line(tmp_path):
    goals = ("- id: leads\n  statement: Grow leads\n  metric: leads\n  target: 120\n  deadline: 2027-06-30\n"
             "  baseline: {value: 100, date: 2027-01-01}\n  checkpoints:\n    2027-Q1: 105\n    2027-Q2: 120\n")
    files = {"mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
             "campaigns/c/campaign.yaml": "name: C\n", "campaigns/c/goals.yaml": goals}
    root = write_workspace(tmp_path / "jan", files)
    assert run_mpm("check", "-w", str(root)).exit_code == 0
    files["mpm.yaml"] = "name: W\nfiscal_year_start: 7\nteam:\n  - {id: ana, name: Ana}\n"
    root = write_workspace(tmp_path / "jul", files)
    r = run_mpm("check", "-w", str(root))
    assert r.exit_code == 2
    # FY2027 starts 2026-07-01: 2027-Q1 is Jul-Sep 2026, before the baseline; 2027-Q2 ends 2026-12-31
    assert ("campaigns/c/goals.yaml:8:5: error[E107]: checkpoint 2027-Q1 ends before the goal's baseline "
            "(2027-01-01): 2027-Q1 is 2026-07-01 to 2026-09-30 (with fiscal_year_start: 7)") in r.stdout
    assert "goals.yaml:9:5: error[E107]: checkpoint 2027-Q2 ends before" in r.stdout


# --- mpm init and the templates -------------------------------------------------------

@pytest.mark.parametrize("today", ["2026-06-22", "2026-11-09", "2026-12-01", "2027-03-15", "2027-12-20"])
def test_init_example_launches_on_its_date_and_never_on_an_unlisted_holiday(tmp_path, today):
    target = tmp_path / "plan"
    assert run_mpm("init", str(target), env={"MPM_TODAY": today}).exit_code == 0
    check = run_mpm("check", "-w", str(target))
    assert check.exit_code == 0 and "all good" in check.stdout, check.output
    config = (target / "mpm.yaml").read_text()
    assert "Company offsite" not in config
    names = re.findall(r"name: (New Year's Day|Independence Day|Thanksgiving Day|Christmas Day)\}", config)
    assert len(names) == 3
    plan = json.loads(run_mpm("plan", "-w", str(target), "--as-of", today, "--format", "json").stdout)
    camp = plan["campaigns"][0]
    live = next(t for t in camp["tasks"] if t["id"] == "live")
    assert live["start"] == camp["launch"], "the launch milestone is pinned to the launch date"
    holidays = set(re.findall(r"date: (\d{4}-\d{2}-\d{2})", config))
    from datetime import date, timedelta
    start, end = date.fromisoformat(camp["start"]), date.fromisoformat(camp["end"])
    fixed = {(1, 1), (7, 4), (12, 25)}
    window = [start + timedelta(days=k) for k in range((end - start).days + 1)]
    assert not [d for d in window if (d.month, d.day) in fixed and d.isoformat() not in holidays]
    assert camp["launch"] not in holidays


@pytest.mark.parametrize("template", ["product-launch", "content", "event", "email"])
def test_templates_spread_work_across_roles_with_a_goal_a_risk_and_a_budget(tmp_path, template):
    root = write_workspace(tmp_path, {"mpm.yaml": "name: W\nteam:\n"
                                      "  - {id: lead, name: Lee, role: Marketing lead}\n"
                                      "  - {id: des, name: Dee, role: Designer}\n"
                                      "  - {id: wri, name: Wren, role: Content writer}\n"})
    r = run_mpm("new", "campaign", "spring", "--template", template, "--start", "2027-03-01", "-w", str(root))
    assert r.exit_code == 0, r.output
    assert run_mpm("check", "-w", str(root)).exit_code == 0
    folder = root / "campaigns/spring"
    assert (folder / "goals.yaml").is_file() and (folder / "risks.yaml").is_file()
    assert "budget:" in (folder / "campaign.yaml").read_text()
    owners = set(re.findall(r"owner: (\w+)", (folder / "tasks.yaml").read_text()))
    assert len(owners) >= 2, owners


def test_fmt_then_fmt_check_is_clean_with_indented_comment_lines(tmp_path):
    root = _progress(tmp_path)
    tasks = root / "campaigns/c/tasks.yaml"
    tasks.write_text("- id: a\n  depends_on:\n    - b   # wait for b\n    # and nothing else\n  name: A\n"
                     "  duration: 1\n  owner: ana\n- id: b # bee\n  duration: 2\n  name: B   # name b\n"
                     "  # end of b\n")
    assert run_mpm("fmt", "-w", str(root)).exit_code == 0
    once = tasks.read_text()
    assert "    - b # wait for b\n    # and nothing else\n" in once
    check = run_mpm("fmt", "--check", "-w", str(root))
    assert check.exit_code == 0, check.output
    assert run_mpm("fmt", "-w", str(root)).exit_code == 0 and tasks.read_text() == once


def test_an_occurrence_done_keeps_its_history(tmp_path):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- id: blog\n  name: Blog\n  owner: ana\n  duration: 1\n"
                                  "  repeat: FREQ=WEEKLY;COUNT=4\n  occurrences:\n"
                                  "    2027-01-04: {status: done, done_on: 2027-01-04}\n"
                                  "    2027-01-11: {status: in-progress, started_on: 2027-01-11}\n",
    })
    before = _tasks(root)
    for args in (["start", "blog@2027-01-04"], ["done", "blog@2027-01-04", "--on", "2027-01-12"]):
        r = run_mpm("task", *args, "-w", str(root), env=TODAY)
        assert r.exit_code == 2, r.output
        assert "would rewrite its history" in r.stderr or "already done on 2027-01-04" in r.stderr
    assert _tasks(root) == before
    r = run_mpm("task", "start", "blog@2027-01-11", "--on", "2027-01-12", "-w", str(root), env=TODAY)
    assert r.exit_code == 0 and "2027-01-11: {status: in-progress, started_on: 2027-01-11}" in _tasks(root)


def test_fmt_never_writes_a_layout_that_reads_back_differently(tmp_path):
    root = _progress(tmp_path)
    workspace = root / "mpm.yaml"
    # ruamel's emitter joins `id: ben name: Ben` here when it moves `id` first
    workspace.write_text("name: W\nteam:\n  # people\n  - {id: ana, name: Ana}   # lead\n"
                         "  - name: Ben # writer\n    id: ben\n")
    assert run_mpm("fmt", "-w", str(root)).exit_code == 0
    assert run_mpm("fmt", "--check", "-w", str(root)).exit_code == 0
    assert run_mpm("check", "-w", str(root)).exit_code == 0


def test_diff_takes_campaign_like_every_other_command(tmp_path):
    from conftest import copy_workspace

    repo = tmp_path / "acme"
    copy_workspace(ACME, repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "acme"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    tasks = repo / "campaigns/black-friday-2026/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("duration: 6", "duration: 9", 1))

    def shown(*args: str) -> list[str]:
        r = run_mpm("diff", "-w", str(repo), "--as-of", "2026-11-16", "--format", "json", *args)
        assert r.exit_code == 0, r.output
        return [c["id"] for c in json.loads(r.stdout)["campaigns"] if c["status"] != "unchanged"]

    assert "black-friday-2026" in shown()
    assert shown("-c", "trailhead-b2b-launch") == [] and shown("-c", "black-friday-2026") == ["black-friday-2026"]
    bad = run_mpm("diff", "-w", str(repo), "-c", "black-friday")
    assert bad.exit_code == 2 and "did you mean 'black-friday-2026'?" in bad.stderr


def test_quarter_campaign_narrows_the_calendar_and_the_load():
    def quarter(*args: str) -> dict:
        return json.loads(run_mpm("quarter", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json",
                                  *args).stdout)

    every, one = quarter(), quarter("-c", "black-friday-2026")
    assert {e["campaign"] for e in one["calendar"]} == {"black-friday-2026"}
    assert len({e["campaign"] for e in every["calendar"]}) > 1
    assert sum(p["planned_hours"] for p in one["people"]) < sum(p["planned_hours"] for p in every["people"])


def test_report_person_keeps_only_that_persons_work():
    every = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16").stdout
    tom = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16", "-p", "tom").stdout
    assert "(`store-kits`, Tom Becker)" in tom and "(`site-banners`, Leo Okafor)" in every
    next_up = [line for part in tom.split("### Next two weeks")[1:] for line in part.split("###")[0].splitlines()
               if line.startswith("- 20")]
    assert next_up and all("Tom Becker" in line for line in next_up)
    assert "## Acme Trailhead B2B launch" not in tom  # tom has no work there
    bad = run_mpm("report", "-w", str(ACME), "-p", "thom")
    assert bad.exit_code == 2 and "did you mean 'tom'?" in bad.stderr
