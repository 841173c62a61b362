"""Levelling (DESIGN §3b): properties over random workspaces, and the
situations a marketing team meets, driven through the CLI where a user sees them."""

from __future__ import annotations

import json
from datetime import date, timedelta

from conftest import ACME, run_mpm, write_workspace
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from levelcheck import broken_dependencies, overloads, plans

AS_OF = date(2027, 1, 11)  # a Monday
DAYS = ["mon", "tue", "wed", "thu", "fri"]


# -- random workspaces ----------------------------------------------------------


@st.composite
def workspaces(draw, *, unlimited: bool = False):
    people = draw(st.integers(1, 4))
    team = []
    for k in range(people):
        hours = 168 if unlimited else draw(st.sampled_from([8, 16, 20, 32, 40]))
        entry = f"  - {{id: p{k}, name: Person {k}, capacity_hours_per_week: {hours}"
        if not unlimited and draw(st.booleans()):
            week = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=5, unique=True))
            entry += ", workdays: [" + ", ".join(sorted(week, key=DAYS.index)) + "]"
        if not unlimited and draw(st.booleans()):
            start = AS_OF + timedelta(days=draw(st.integers(0, 30)))
            entry += f", time_off: [{{from: {start}, to: {start + timedelta(days=draw(st.integers(0, 6)))}}}]"
        team.append(entry + "}")
    files = {"mpm.yaml": "name: Random\nteam:\n" + "\n".join(team) + "\n"}
    for c in range(draw(st.integers(1, 3))):
        files[f"campaigns/c{c}/campaign.yaml"] = "name: Campaign\nstart: 2027-01-04\n"
        tasks = []
        n = draw(st.integers(1, 10))
        for i in range(n):
            d = draw(st.integers(0, 6))
            lines = [f"- id: t{i}", f"  name: Task {i}", f"  owner: p{draw(st.integers(0, people - 1))}"]
            if d == 0:
                lines.append("  milestone: true")
            else:
                lines.append(f"  duration: {d}")
                shape = draw(st.sampled_from(["default", "hours", "mapping"]))
                if unlimited:  # at most 1 h a day each: 30 tasks fit in anyone's 33.6 h day
                    lines.append(f"  effort: {draw(st.integers(0, d))}")
                elif shape == "hours":
                    lines.append(f"  effort: {draw(st.integers(0, 12 * d))}")
                elif shape == "mapping":
                    who = draw(st.lists(st.integers(0, people - 1), min_size=1, max_size=people, unique=True))
                    lines.append("  effort: {" + ", ".join(f"p{w}: {draw(st.integers(1, 8 * d))}"
                                                          for w in who) + "}")
                lines.append(f"  priority: {draw(st.sampled_from([100, 500, 500, 900]))}")
            deps = sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
            if deps:
                lines.append("  depends_on: [" + ", ".join(f"t{j}" for j in deps) + "]")
            state = draw(st.sampled_from(["todo", "todo", "todo", "in-progress", "done"]))
            if state == "in-progress" and d and not deps:
                lines += ["  status: in-progress", f"  started_on: {AS_OF - timedelta(days=3)}"]
            elif state == "done" and not deps:
                lines += ["  status: done", f"  started_on: {AS_OF - timedelta(days=10)}",
                          f"  done_on: {AS_OF - timedelta(days=10 - d)}"]
            tasks.append("\n".join(lines))
        files[f"campaigns/c{c}/tasks.yaml"] = "\n".join(tasks) + "\n"
    return files


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(workspaces())
def test_levelled_plans_keep_every_rule(files):
    ws, plain, levelled = plans(files, AS_OF)
    assert overloads(ws, levelled) == []
    assert broken_dependencies(levelled) == []
    asof = levelled.calendar.offset(AS_OF)
    before = {t.ref: t for c in plain.campaigns for t in c.tasks}
    for c in levelled.campaigns:
        for t in c.tasks:
            if t.status in ("todo", "blocked"):
                assert t.es >= asof, f"{t.ref} starts before as-of"
            assert t.es >= before[t.ref].es, f"{t.ref} starts earlier than without levelling"
            if t.status in ("done", "in-progress"):
                assert (t.es, t.ef) == (before[t.ref].es, before[t.ref].ef), f"{t.ref} moved"
    # the same files give the same plan
    _, _, again = plans(files, AS_OF)
    assert [(t.ref, t.es, t.ef, t.work) for c in again.campaigns for t in c.tasks] == \
           [(t.ref, t.es, t.ef, t.work) for c in levelled.campaigns for t in c.tasks]


@SETTINGS
@given(workspaces(unlimited=True))
def test_unlimited_hours_give_exactly_the_plan_of_dependencies(files):
    _, plain, levelled = plans(files, AS_OF)
    assert [(t.ref, t.es, t.ef, t.total_float, t.critical) for c in levelled.campaigns for t in c.tasks] == \
           [(t.ref, t.es, t.ef, t.total_float, t.critical) for c in plain.campaigns for t in c.tasks]


def _task(i: int, owner: int, *, days: int = 1) -> str:
    shape = f"  duration: {days}\n  priority: 100" if days else "  milestone: true"
    return f"- id: t{i}\n  name: Task {i}\n  owner: p{owner}\n{shape}\n"


# Found by the property below: c0/t0 is p1's alone, yet lowering its priority
# once swapped the days of c0/t1 and c0/t5, two equally short plans.
TWO_EQUAL_PLANS = {
    "mpm.yaml": "name: Random\nteam:\n" + "".join(
        f"  - {{id: p{k}, name: Person {k}, capacity_hours_per_week: 8}}\n" for k in range(3)),
    "campaigns/c0/campaign.yaml": "name: Campaign\nstart: 2027-01-04\n",
    "campaigns/c0/tasks.yaml": _task(0, 1) + _task(1, 0) + "".join(_task(i, 0, days=0) for i in (2, 3, 4))
    + _task(5, 0),
    "campaigns/c1/campaign.yaml": "name: Campaign\nstart: 2027-01-04\n",
    "campaigns/c1/tasks.yaml": _task(0, 0),
}


@SETTINGS
@given(workspaces(), st.sampled_from([1, 250, 999]))
@example(TWO_EQUAL_PLANS, 1)
def test_a_priority_only_reorders_contested_work(files, new_priority):
    """A task whose people nobody else needs keeps the whole plan as it was,
    whatever its priority."""
    _, _, levelled = plans(files, AS_OF)
    users: dict[str, set[str]] = {}
    for c in levelled.campaigns:
        for t in c.tasks:
            for person, _ in t.load:
                users.setdefault(person, set()).add(t.ref)
    alone = [t for c in levelled.campaigns for t in c.tasks
             if t.load and all(users[p] == {t.ref} for p, _ in t.load) and t.occurrence is None]
    if not alone:
        return
    t = alone[0]
    text = files[f"campaigns/{t.campaign}/tasks.yaml"]
    head, rest = text.split(f"- id: {t.id}\n", 1)
    body, *tail = rest.split("\n- id: ", 1)
    body = "\n".join(ln for ln in body.split("\n") if not ln.startswith("  priority:"))
    body += f"\n  priority: {new_priority}"
    changed = dict(files)
    changed[f"campaigns/{t.campaign}/tasks.yaml"] = head + f"- id: {t.id}\n" + body + (
        "\n- id: " + tail[0] if tail else "\n")
    _, _, relevelled = plans(changed, AS_OF)
    assert [(x.ref, x.es, x.ef) for c in relevelled.campaigns for x in c.tasks] == \
           [(x.ref, x.es, x.ef) for c in levelled.campaigns for x in c.tasks]


# -- situations -------------------------------------------------------------------

TEAM = """\
name: Northwind marketing
planning:
  level: true
team:
  - {id: ana, name: Ana Lima, role: Content lead, capacity_hours_per_week: 40}
  - {id: leo, name: Leo Park, role: Designer, capacity_hours_per_week: 32, workdays: [mon, tue, wed, thu]}
  - {id: ben, name: Ben Ortiz, role: Web developer, capacity_hours_per_week: 40,
     time_off: [{from: 2027-01-13, to: 2027-01-14, note: Dentist and a day off}]}
"""


def plan_json(root, *extra):
    r = run_mpm("plan", "-w", str(root), "--as-of", str(AS_OF), "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return {t["id"]: t for c in json.loads(r.stdout)["campaigns"] for t in c["tasks"]}


def campaign(tasks: str, start: str = "2027-01-04") -> dict[str, str]:
    return {"campaign.yaml": f"name: Spring webinar\nstart: {start}\n", "tasks.yaml": tasks}


def workspace(tmp_path, **campaigns: dict[str, str]):
    files = {"mpm.yaml": TEAM}
    for cid, parts in campaigns.items():
        for name, text in parts.items():
            files[f"campaigns/{cid}/{name}"] = text
    return write_workspace(tmp_path / "ws", files)


def test_time_off_pauses_a_task(tmp_path):
    root = workspace(tmp_path, webinar=campaign(
        "- {id: landing-page, name: Build the landing page, owner: ben, duration: 4}\n"))
    t = plan_json(root)["landing-page"]
    # Mon 11, Tue 12 worked; Ben is off Wed 13 and Thu 14; Fri 15 and Mon 18 finish it
    assert (t["start"], t["finish"]) == ("2027-01-11", "2027-01-18")
    assert (t["unlevelled_start"], t["unlevelled_finish"]) == ("2027-01-11", "2027-01-14")


def test_a_four_day_week_skips_fridays(tmp_path):
    root = workspace(tmp_path, webinar=campaign(
        "- {id: slides, name: Design the webinar slides, owner: leo, duration: 5}\n"))
    t = plan_json(root)["slides"]
    assert (t["start"], t["finish"]) == ("2027-01-11", "2027-01-18")  # Mon–Thu, then Monday


def test_a_person_shared_by_two_campaigns_works_one_thing_at_a_time(tmp_path):
    root = workspace(
        tmp_path,
        webinar=campaign("- {id: deck, name: Webinar deck, owner: ana, duration: 3, priority: 400}\n"),
        newsletter=campaign("- {id: issue, name: January issue, owner: ana, duration: 3, priority: 800}\n"))
    tasks = plan_json(root)
    assert tasks["issue"]["start"] == "2027-01-11"  # higher priority gets Ana first
    assert tasks["deck"]["start"] == "2027-01-14" and tasks["deck"]["level_delay"] == 3
    assert tasks["deck"]["waits_for"] == [{"person": "ana", "task": "newsletter/issue"}]
    why = run_mpm("plan", "-w", str(root), "--as-of", str(AS_OF), "--why", "webinar/deck")
    assert "it waits for ana: busy with newsletter/issue until 2027-01-13" in why.stdout
    compare = run_mpm("plan", "-w", str(root), "--as-of", str(AS_OF), "--compare-levelling", "--format", "json")
    rows = {c["id"]: c for c in json.loads(compare.stdout)["campaigns"]}
    assert rows["webinar"]["finish"]["shift"] == 3 and rows["webinar"]["people"] == [{"person": "ana", "days": 3}]
    assert rows["newsletter"]["finish"]["shift"] == 0


def test_a_multi_person_webinar_waits_for_whoever_is_busy(tmp_path):
    root = workspace(tmp_path, webinar=campaign(
        "- {id: site, name: Event site, owner: ben, duration: 2, priority: 800}\n"
        "- id: dry-run\n  name: Webinar dry run\n  owner: ana\n  duration: 2\n"
        "  effort: {ana: 8, ben: 8}\n"))
    tasks = plan_json(root)
    # Ben is full on the site Mon–Tue, off Wed–Thu: the dry run needs both, from Friday
    assert tasks["dry-run"]["start"] == "2027-01-15"
    assert {w["person"] for w in tasks["dry-run"]["waits_for"]} <= {"ben"}
    q = json.loads(run_mpm("quarter", "2027-Q1", "-w", str(root), "--as-of", str(AS_OF),
                           "--format", "json").stdout)
    assert json.dumps(q).count("dry-run") >= 2  # both people carry its hours


def test_done_and_running_work_keep_their_dates_and_hours(tmp_path):
    root = workspace(tmp_path, webinar=campaign(
        "- {id: brief, name: Brief, owner: ana, duration: 2, status: done, "
        "started_on: 2027-01-04, done_on: 2027-01-05}\n"
        "- {id: copy, name: Long-form copy, owner: ana, duration: 4, status: in-progress, started_on: 2027-01-08}\n"
        "- {id: emails, name: Promotion emails, owner: ana, duration: 2}\n"))
    tasks = plan_json(root)
    assert (tasks["brief"]["start"], tasks["brief"]["finish"]) == ("2027-01-04", "2027-01-05")
    assert tasks["copy"]["start"] == "2027-01-08" and tasks["copy"]["finish"] == "2027-01-13"
    assert tasks["emails"]["start"] == "2027-01-14"  # Ana's hours go to the running copy first


def test_a_task_too_big_for_a_day_runs_alone_and_is_a_warning(tmp_path):
    root = workspace(tmp_path, webinar=campaign(
        "- {id: video, name: Record and edit the video, owner: ana, duration: 5, effort: 60}\n"
        "- {id: blog, name: Recap post, owner: ana, duration: 1}\n"))
    tasks = plan_json(root)
    v, b = tasks["video"], tasks["blog"]
    assert b["start"] > v["finish"] or b["finish"] < v["start"]  # never beside it
    status = json.loads(run_mpm("status", "-w", str(root), "--as-of", str(AS_OF), "--format", "json",
                                "--fail-on", "never").stdout)
    lone = [f for f in status["findings"] if f["code"] == "S208"]
    assert len(lone) == 1 and "needs 12 h a day of ana, who has 8" in lone[0]["message"]
    assert lone[0]["file"] == "mpm.yaml"


def test_no_level_gives_the_plan_of_dependencies(tmp_path):
    root = workspace(
        tmp_path,
        webinar=campaign("- {id: deck, name: Webinar deck, owner: ana, duration: 3}\n"),
        newsletter=campaign("- {id: issue, name: January issue, owner: ana, duration: 3}\n"))
    plain = plan_json(root, "--no-level")
    assert plain["deck"]["start"] == plain["issue"]["start"] == "2027-01-11"
    assert "level_delay" not in plain["deck"]


def test_acme_story_leo_and_the_black_friday_launch():
    """Leo's four-day week moves the Black Friday launch; status names him."""
    levelled = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json",
                                  "black-friday-2026").stdout)
    tasks = {t["id"]: t for t in levelled["campaigns"][0]["tasks"]}
    assert tasks["bf-launch"]["unlevelled_start"] == "2026-12-01"
    assert tasks["bf-launch"]["start"] == "2026-12-03"
    assert tasks["site-banners"]["waits_for"] == [{"person": "leo", "task": "store-signage"}]
    status = json.loads(run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json").stdout)
    s209 = [f for f in status["findings"] if f["code"] == "S209"]
    assert s209 and all("leo" in f["message"] for f in s209)
    assert {f["line"] for f in s209} == {21, 22}  # campaign.yaml's launch and end lines


def test_the_forecast_keeps_the_order_levelling_gave_people(tmp_path):
    """DESIGN §3c: levelled workspaces keep their resource links in every run."""
    root = workspace(
        tmp_path,
        webinar=campaign("- {id: deck, name: Webinar deck, owner: ana, duration: 3, priority: 400,\n"
                         "   estimate: {optimistic: 3, likely: 3, pessimistic: 3}}\n"),
        newsletter=campaign("- {id: issue, name: January issue, owner: ana, duration: 3, priority: 800}\n"))
    doc = json.loads(run_mpm("forecast", "webinar", "-w", str(root), "--as-of", str(AS_OF), "--format", "json",
                             "--runs", "200").stdout)
    (camp,) = doc["campaigns"]
    assert camp["planned_finish"] == "2027-01-18"  # after Ana's newsletter issue
    assert camp["finish"]["p50"] == camp["finish"]["p95"] == "2027-01-18"
