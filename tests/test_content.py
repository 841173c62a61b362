"""The content programme: occurrences with their own state, assets.yaml, `mpm content`, and edits of one occurrence."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ACME, copy_workspace, run_mpm, write_workspace

AS_OF = "2027-01-20"
T = "campaigns/blog/tasks.yaml"

# A weekly post on Tuesdays from 2027-01-05, six of them; a monthly newsletter.
WORKSPACE = {
    "mpm.yaml": "name: Content\nteam:\n  - {id: ana, name: Ana, capacity_hours_per_week: 40}\n"
                "  - {id: ben, name: Ben, capacity_hours_per_week: 40}\n",
    "campaigns/blog/campaign.yaml": "name: Blog\nowner: ana\nstart: 2027-01-04\nend: 2027-03-31\n",
    T: (
        "- id: post\n"
        "  name: Weekly post\n"
        "  owner: ana\n"
        "  channel: blog\n"
        "  duration: 1\n"
        "  effort: 6\n"
        "  start: 2027-01-05\n"
        "  repeat: FREQ=WEEKLY;BYDAY=TU;COUNT=6\n"
        "  # the posts that differ from the series\n"
        "  occurrences:\n"
        "    2027-01-05: {status: done, done_on: 2027-01-05, title: Hello, asset: hello}  # the first one\n"
        "    2027-01-19: {status: skipped, note: Offsite}\n"
        "    2027-01-26: {moved_to: 2027-01-28, owner: ben, title: Moved post}\n"
        "- id: launch-post\n"
        "  name: Launch post\n"
        "  owner: ben\n"
        "  channel: blog\n"
        "  duration: 1\n"
        "  start: 2027-02-09\n"
        "  asset: launch\n"
    ),
    "campaigns/blog/assets.yaml": (
        "- id: guide\n  title: The guide\n  kind: guide\n  status: published\n  published_on: 2027-01-04\n"
        "  review_by: 2027-01-15\n"
        "- id: hello\n  title: Hello\n  kind: blog-post\n  channel: blog\n  status: published\n"
        "  published_on: 2027-01-05\n  derived_from: [guide]\n"
        "- id: launch\n  title: Launch\n  kind: blog-post\n  channel: blog\n  derived_from: [hello]\n"
        "- id: old\n  title: Old\n  kind: ebook\n  status: retired\n  review_by: 2026-01-01\n"
    ),
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}).stdout


# edits refuse dates after today: these record work in 2027
LATER = {"MPM_TODAY": "2027-03-01"}


@pytest.fixture
def blog(tmp_path) -> Path:
    root = write_workspace(tmp_path / "blog", WORKSPACE)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    return root


def plan_tasks(root: Path, as_of: str = AS_OF) -> dict[str, dict]:
    r = run_mpm("plan", "-w", str(root), "--as-of", as_of, "--format", "json")
    assert r.exit_code == 0, r.output
    return {t["id"]: t for c in json.loads(r.stdout)["campaigns"] for t in c["tasks"]}


def test_the_plan_uses_each_occurrence_state(blog):
    tasks = plan_tasks(blog)
    assert "post@2027-01-19" not in tasks  # skipped: no load, never late
    assert tasks["post@2027-01-05"]["start"] == "2027-01-05"
    moved = tasks["post@2027-01-26"]
    assert (moved["start"], moved["name"], moved["owner"]) == ("2027-01-28", "Moved post", "ben")
    assert tasks["post@2027-02-02"]["name"] == "Weekly post"


def test_a_skipped_occurrence_carries_no_load(blog):
    r = run_mpm("quarter", "2027-Q1", "-w", str(blog), "--as-of", "2027-01-04", "--format", "json")
    weeks = {w["week"]: w["planned_hours"] for p in json.loads(r.stdout)["people"] if p["id"] == "ana"
             for w in p["weeks"]}
    assert weeks["2027-01-18"] == 0
    assert weeks["2027-01-11"] == 6


def test_an_overdue_occurrence_is_reported_at_its_entry(blog):
    text = (blog / T).read_text().replace("    2027-01-19: {status: skipped, note: Offsite}\n",
                                           "    2027-01-12: {status: in-progress, started_on: 2027-01-12}\n"
                                           "    2027-01-19: {status: skipped, note: Offsite}\n")
    (blog / T).write_text(text)
    r = run_mpm("status", "-w", str(blog), "--as-of", AS_OF, "--format", "json")
    found = json.loads(r.stdout)["findings"]
    overdue = [f for f in found if f["code"] == "S101"]
    assert [(f["item"], f["file"], f["line"]) for f in overdue] == [("post@2027-01-12", T, 12)]
    assert not [f for f in found if f["item"] == "post@2027-01-19"]  # skipped is never late


def test_marking_one_occurrence_done_changes_exactly_one_entry(blog):
    r = run_mpm("task", "done", "post@2027-01-12", "--on", "2027-01-13", "-w", str(blog), env=LATER)
    assert r.exit_code == 0, r.output
    diff = git(blog, "diff", "-U0", "--no-color").splitlines()
    assert [x for x in diff if x[:1] in "+-" and not x.startswith(("+++", "---"))] == [
        "+    2027-01-12: {status: done, done_on: 2027-01-13}"]
    text = (blog / T).read_text()
    assert "# the posts that differ from the series" in text and "# the first one" in text
    tasks = plan_tasks(blog)
    assert (tasks["post@2027-01-12"]["start"], tasks["post@2027-01-12"]["finish"]) == ("2027-01-13", "2027-01-13")
    ics = run_mpm("export", "ics", "-w", str(blog), "--as-of", AS_OF).stdout
    assert "DTSTART;VALUE=DATE:20270113" in ics
    assert "post@2027-01-19" not in ics and "post-2027-01-19" not in ics  # skipped: not on the calendar
    r = run_mpm("status", "-w", str(blog), "--as-of", AS_OF, "--format", "json")
    assert not [f for f in json.loads(r.stdout)["findings"] if f["item"] == "post@2027-01-12"]


def test_editing_an_existing_entry_sets_its_keys(blog):
    r = run_mpm("task", "start", "post@2027-01-26", "--on", "2027-01-28", "-w", str(blog), env=LATER)
    assert r.exit_code == 0, r.output
    assert "    2027-01-26: {moved_to: 2027-01-28, owner: ben, title: Moved post, status: in-progress, " \
           "started_on: 2027-01-28}\n" in (blog / T).read_text()
    r = run_mpm("task", "skip", "post@2027-02-02", "--note", "Snow day", "-w", str(blog))
    assert r.exit_code == 0, r.output
    assert "    2027-02-02: {status: skipped, note: Snow day}\n" in (blog / T).read_text()
    assert run_mpm("check", "-w", str(blog)).exit_code == 0


def test_a_date_that_is_not_of_the_rule_is_refused_with_the_nearest(blog):
    r = run_mpm("task", "done", "post@2027-01-13", "-w", str(blog))
    assert r.exit_code == 2
    assert "2027-01-13 is not a date of 'post'" in r.stderr
    assert "post@2027-01-12 and post@2027-01-19" in r.stderr
    assert git(blog, "status", "--porcelain") == ""


def test_done_on_a_series_with_open_occurrences_refuses_unless_all(blog):
    r = run_mpm("task", "done", "post", "--on", "2027-01-20", "-w", str(blog), env=LATER)
    assert r.exit_code == 2
    assert "4 of its occurrences are not done" in r.stderr
    assert "mpm task done post@2027-01-12" in r.stderr  # the earliest still open and "--all" in r.stderr
    assert git(blog, "status", "--porcelain") == ""
    r = run_mpm("task", "done", "post", "--all", "--on", "2027-01-20", "-w", str(blog), env=LATER)
    assert r.exit_code == 0, r.output
    assert "  status: done\n" in (blog / T).read_text()


def test_skip_needs_an_occurrence(blog):
    r = run_mpm("task", "skip", "launch-post", "-w", str(blog))
    assert r.exit_code == 2 and "only an occurrence is skipped" in r.stderr


def test_content_json_inventory_reuse_gaps(blog):
    r = run_mpm("content", "-w", str(blog), "--as-of", AS_OF, "--from", "2027-01-01", "--to", "2027-02-28",
                "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert list(doc)[:4] == ["schema", "as_of", "from", "to"] and doc["schema"] == "mpm/content/1"
    assert doc["inventory"] == {"blog-post": {"published": 1, "idea": 1}, "ebook": {"retired": 1},
                                "guide": {"published": 1}}
    fed = {a["id"]: (a["fed"], a["derivatives"]) for a in doc["assets"]}
    assert fed["guide"] == (2, ["blog/hello"]) and fed["hello"] == (1, ["blog/launch"])
    made = {a["id"]: a["made_by"] for a in doc["assets"]}
    assert made["hello"] == ["blog/post@2027-01-05"] and made["launch"] == ["blog/launch-post"]
    assert doc["refresh"] == ["blog/guide"]  # the retired one is not refreshed
    gaps = [(g["series"], g["period"], g["reason"], g["file"], g["line"]) for g in doc["gaps"]]
    # the week of 01-18 is skipped; the week of 01-25 still has its post, moved to Thursday
    assert gaps == [("post", "2027-01-18", "skipped", T, 12)]
    days = [(i["day"], i["id"], i["status"]) for i in doc["calendar"] if i["id"].startswith("post")]
    assert ("2027-01-19", "post@2027-01-19", "skipped") in days
    assert ("2027-01-28", "post@2027-01-26", "todo") in days


def test_collisions_on_one_channel_at_file_and_line(blog):
    # the launch post goes out on the Tuesday of the last weekly post
    r = run_mpm("content", "-w", str(blog), "--as-of", AS_OF, "--from", "2027-02-01", "--to", "2027-02-28",
                "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["collisions"] == [{"day": "2027-02-09", "channel": "blog",
                                  "items": ["blog/launch-post", "blog/post@2027-02-09"]}]
    r = run_mpm("status", "-w", str(blog), "--as-of", "2027-02-08", "--format", "json")
    hits = [(f["code"], f["item"], f["file"], f["line"]) for f in json.loads(r.stdout)["findings"]
            if f["code"] in ("S210", "S305", "S304")]
    assert ("S210", "post@2027-02-09", T, 1) in hits
    assert ("S304", "guide", "campaigns/blog/assets.yaml", 1) in hits
    (blog / T).write_text((blog / T).read_text().replace("start: 2027-02-09", "start: 2027-02-10"))
    r = run_mpm("status", "-w", str(blog), "--as-of", "2027-02-08", "--format", "json")
    assert not [f for f in json.loads(r.stdout)["findings"] if f["item"] == "post@2027-02-09"]


def test_a_move_that_leaves_a_week_empty_is_a_gap(blog):
    text = (blog / T).read_text().replace("moved_to: 2027-01-28", "moved_to: 2027-02-03")
    (blog / T).write_text(text)
    r = run_mpm("content", "-w", str(blog), "--as-of", AS_OF, "--from", "2027-01-01", "--to", "2027-02-28",
                "--format", "json")
    gaps = [(g["period"], g["reason"], g["line"]) for g in json.loads(r.stdout)["gaps"]]
    assert gaps == [("2027-01-18", "skipped", 12), ("2027-01-25", "moved", 13)]


def test_reuse_cycle_is_an_error_naming_the_circle(blog):
    path = blog / "campaigns/blog/assets.yaml"
    path.write_text(path.read_text().replace("  kind: guide\n", "  kind: guide\n  derived_from: [launch]\n"))
    r = run_mpm("check", "-w", str(blog))
    assert r.exit_code == 2
    assert "assets.yaml:4:18: error[E208]: reuse goes in a circle: guide → launch → hello → guide" in r.stdout


def test_unknown_occurrence_key_is_an_error_at_its_line(blog):
    text = (blog / T).read_text().replace("    2027-01-19:", "    2027-01-20:")
    (blog / T).write_text(text)
    r = run_mpm("check", "-w", str(blog))
    assert r.exit_code == 2
    assert f"{T}:12:5: error[E209]: 2027-01-20 is not a date of 'post'" in r.stdout
    assert "hint: the nearest dates of the rule are 2027-01-19 and 2027-01-26" in r.stdout


def test_acme_content_report_section_and_reuse(tmp_path):
    r = run_mpm("content", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json")
    doc = json.loads(r.stdout)
    playbook = next(a for a in doc["assets"] if a["id"] == "team-outfitting-playbook")
    assert playbook["fed"] == 9 and playbook["made_by"] == ["always-on-content/lead-magnet"]
    assert any(g["series"] == "weekly-blog" and g["reason"] == "skipped" for g in doc["gaps"])
    report = run_mpm("report", "-w", str(ACME), "--as-of", "2026-11-16").stdout
    assert "## Content" in report and "The Team Outfitting Playbook (`always-on-content/team-outfitting-playbook`) " \
                                      "fed 9 pieces" in report
    html = run_mpm("report", "-w", str(copy_workspace(ACME, tmp_path / "a")), "--as-of", "2026-11-16",
                   "--format", "html").stdout
    assert "Most reused" in html


def test_content_filters(blog):
    r = run_mpm("content", "-w", str(blog), "--as-of", AS_OF, "--from", "2027-01-01", "--to", "2027-02-28",
                "--person", "ben", "--format", "json")
    doc = json.loads(r.stdout)
    assert {i["owner"] for i in doc["calendar"]} == {"ben"}
    r = run_mpm("content", "-w", str(blog), "--channel", "email", "--format", "md", "--as-of", AS_OF)
    assert r.exit_code == 0 and "## Calendar" in r.stdout and "Weekly post" not in r.stdout
    assert run_mpm("content", "-w", str(blog), "--person", "zed").exit_code == 2


@pytest.mark.parametrize("levelled", [False, True])
def test_an_occurrence_with_its_own_owner_moves_its_load(blog, levelled):
    if levelled:
        (blog / "mpm.yaml").write_text((blog / "mpm.yaml").read_text() + "planning: {level: true}\n")
    r = run_mpm("quarter", "2027-Q1", "-w", str(blog), "--as-of", "2027-01-04", "--format", "json")
    assert r.exit_code == 0, r.output
    weeks = {(p["id"], w["week"]): w["planned_hours"] for p in json.loads(r.stdout)["people"] for w in p["weeks"]}
    # post@2027-01-26 is ben's, moved to Thursday 01-28: its 6 h are his, not ana's
    assert weeks[("ana", "2027-01-25")] == 0
    assert weeks[("ben", "2027-01-25")] == 6
    ics = run_mpm("export", "ics", "-w", str(blog), "--as-of", "2027-01-04").stdout
    assert "SUMMARY:Moved post [blog]" in ics


def test_a_broken_entry_is_named_as_an_occurrence(blog):
    text = (blog / T).read_text().replace("    2027-01-19: {status: skipped, note: Offsite}\n",
                                           "    2027-01-19: done\n    2027-02-02: {titel: x}\n")
    (blog / T).write_text(text)
    r = run_mpm("check", "-w", str(blog))
    assert r.exit_code == 2
    assert f"{T}:12:17: error[E102]: occurrence 2027-01-19 should be a mapping of keys, not the text 'done'" \
        in r.stdout
    assert f"{T}:13:18: error[E100]: unknown key 'titel' in occurrence 2027-02-02 of task 'post'" in r.stdout
    assert "hint: did you mean 'title'?" in r.stdout


@pytest.mark.parametrize("to", ["2027-01-27", "2027-02-28"])
def test_the_view_without_reuse_is_the_view_less_what_feeds_what(blog, to):
    """What status reads (calendar, gaps, collisions, refreshes) is the same without the reuse
    walk; only what each asset feeds and which tasks make it are left out."""
    from datetime import date

    from mpm.cli.steps import load_and_plan
    from mpm.views.content import content_view

    ws, plan = load_and_plan(blog, AS_OF, None)
    day, first, last = date.fromisoformat(AS_OF), date(2027, 1, 1), date.fromisoformat(to)
    full = content_view(ws, plan, day, first, last)
    bare = content_view(ws, plan, day, first, last, reuse=False)
    assert (bare.calendar, bare.gaps, bare.collisions) == (full.calendar, full.gaps, full.collisions)
    assert [e.ref for e in bare.refresh] == [e.ref for e in full.refresh] and full.refresh
    assert [(e.ref, e.asset) for e in bare.assets] == [(e.ref, e.asset) for e in full.assets]
    assert any(e.fed or e.made_by for e in full.assets)
    assert not any(e.fed or e.made_by or e.derivatives for e in bare.assets)
