"""Playbooks: laying out campaigns back from a launch, roles, variables, save, and bad playbooks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ACME, run_mpm, write_workspace
from ruamel.yaml import YAML

from mpm.change.playbook import builtin_names

LAUNCH = "2027-03-02"
BUILT_INS = ["agency-client-onboarding", "content-sprint", "email-nurture", "event", "product-launch", "webinar"]


def load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def acme_workdays() -> tuple[set[date], set[int]]:
    """acme's holidays and workdays, read from its mpm.yaml without mpm's calendar."""
    cfg = load(ACME / "mpm.yaml")
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = {names.index(d) for d in cfg["calendar"]["workdays"]}
    return {h["date"] for h in cfg["calendar"]["holidays"]}, days


def is_workday(d: date) -> bool:
    holidays, days = acme_workdays()
    return d.weekday() in days and d not in holidays


def walk(d: date, n: int) -> date:
    """The working day n working days from working day d, counted one day at a time."""
    step = 1 if n > 0 else -1
    while n:
        d += timedelta(days=step)
        if is_workday(d):
            n -= step
    return d


def new(ws: Path, cid: str, playbook: str, *extra: str, launch: str = LAUNCH):
    return run_mpm("new", "campaign", cid, "--playbook", playbook, "--launch", launch, "-w", str(ws),
                   "--as-of", "2026-12-01", *extra, width=120)


def test_six_built_ins_with_real_plans():
    assert builtin_names() == BUILT_INS
    root = Path(__file__).resolve().parent.parent / "src/mpm/templates/playbooks"
    for name in BUILT_INS:
        tasks = load(root / name / "tasks.yaml")
        assert 12 <= len(tasks) <= 25, name
        assert {t["phase"] for t in tasks} == {"strategy", "initiation", "planning", "execution",
                                               "monitoring", "closure"}, name
        assert any(t.get("approvals") for t in tasks), name
        goals, risks, camp = (load(root / name / f) for f in ("goals.yaml", "risks.yaml", "campaign.yaml"))
        assert all(g.get("target") and g.get("deadline") and g.get("rationale") for g in goals), name
        assert risks and all(r.get("mitigation") for r in risks), name
        assert camp["budget"]["lines"], name


@pytest.mark.parametrize("name", BUILT_INS)
def test_each_built_in_laid_out_against_acme_checks_clean(acme_copy, name):
    r = new(acme_copy, f"new-{name}", name)
    assert r.exit_code == 0, r.output
    assert f"created campaigns/new-{name} (4 files) from the {name} playbook, launch {LAUNCH}" in r.stdout
    assert "Load it adds" in r.stdout
    check = run_mpm("check", "-w", str(acme_copy))
    assert check.exit_code == 0 and "all good" in check.stdout, check.output
    assert run_mpm("fmt", "--check", "-w", str(acme_copy)).exit_code == 0
    # the plan meets the launch: the launch milestone is on the launch day
    # back-scheduling keeps every lead time: the plan of dependencies alone meets the launch
    # (levelled against acme's own work, people's hours may still move it)
    plan = json.loads(run_mpm("plan", f"new-{name}", "-w", str(acme_copy), "--as-of", "2026-12-01",
                              "--format", "json", "--no-level").stdout)
    tasks = plan["campaigns"][0]["tasks"]
    for t in tasks:
        assert is_workday(date.fromisoformat(t["start"])), (name, t["id"])
        assert t["total_float"] >= 0, (name, t["id"])
    camp = load(acme_copy / f"campaigns/new-{name}/campaign.yaml")
    assert camp["launch"] == date(2027, 3, 2) and camp["owner"] == "maya"
    assert "{{" not in (acme_copy / f"campaigns/new-{name}/tasks.yaml").read_text()


def test_dates_are_worked_back_on_working_days_with_the_lead_times_kept(acme_copy):
    written = load(Path(__file__).resolve().parent.parent / "src/mpm/templates/playbooks/webinar/tasks.yaml")
    assert new(acme_copy, "spring-webinar", "webinar").exit_code == 0
    laid = {t["id"]: t for t in load(acme_copy / "campaigns/spring-webinar/tasks.yaml")}
    launch = date(2027, 3, 2)
    seen = 0
    for t in written:
        for key in ("start", "due"):
            if key not in t:
                continue
            text = t[key].replace("launch", "") or "0"
            assert laid[t["id"]][key] == walk(launch, int(text)), (t["id"], key)
            assert is_workday(laid[t["id"]][key])
            seen += 1
    assert seen >= 6
    # launch-30 from 2027-03-02 crosses Presidents' Day and MLK Day
    camp = load(acme_copy / "campaigns/spring-webinar/campaign.yaml")
    assert camp["start"] == walk(launch, -30) == date(2027, 1, 15)
    assert camp["end"] == walk(launch, 12)
    plan = json.loads(run_mpm("plan", "spring-webinar", "-w", str(acme_copy), "--as-of", "2026-12-01",
                              "--format", "json").stdout)
    by_id = {t["id"]: t for t in plan["campaigns"][0]["tasks"]}
    assert by_id["webinar-live"]["start"] == LAUNCH
    assert by_id["rehearsal"]["start"] == walk(launch, -3).isoformat()


def test_a_launch_on_a_day_off_is_refused(acme_copy):
    r = new(acme_copy, "x", "webinar", launch="2027-02-15")  # Presidents' Day
    assert r.exit_code == 2
    assert "the launch 2027-02-15 is not a working day" in r.stderr
    assert "2027-02-12 (Fri) and 2027-02-16 (Tue)" in r.stderr
    assert not (acme_copy / "campaigns/x").exists()


def test_roles_come_from_assign_and_from_mpm_yaml(acme_copy):
    r = new(acme_copy, "w1", "webinar", "--assign", "designer=sam", "--assign", "lead=priya")
    assert r.exit_code == 0, r.output
    tasks = {t["id"]: t for t in load(acme_copy / "campaigns/w1/tasks.yaml")}
    assert tasks["slides"]["owner"] == "sam" and tasks["brief"]["owner"] == "priya"
    assert tasks["invite-emails"]["owner"] == "ines"  # from assign: in mpm.yaml


def test_unassigned_roles_are_listed(tmp_path):
    ws = write_workspace(tmp_path / "ws", {"mpm.yaml": (ACME / "mpm.yaml").read_text().split("assign:")[0]})
    r = new(ws, "w1", "webinar", "--assign", "lead=maya")
    assert r.exit_code == 2
    assert "no one plays the roles content, coordinator, designer, email, performance" in r.stderr
    assert "--assign content=PERSON" in r.stderr and "assign: in mpm.yaml" in r.stderr
    assert not (ws / "campaigns").exists()


def test_assign_names_a_real_role_and_person(acme_copy):
    r = new(acme_copy, "w1", "webinar", "--assign", "desginer=leo")
    assert r.exit_code == 2 and "no role 'desginer'" in r.stderr and "did you mean 'designer'" in r.stderr
    r = new(acme_copy, "w1", "webinar", "--assign", "designer=leon")
    assert r.exit_code == 2 and "'leon' is not on the team" in r.stderr and "'leo'" in r.stderr
    assert not (acme_copy / "campaigns/w1").exists()


def test_variables_fill_the_text_and_hostile_values_stay_text(acme_copy):
    topic = 'offsites: "the #1 plan", {really} & more'
    r = new(acme_copy, "w1", "webinar", "--set", f"topic={topic}", "--set", "speaker=Ana Lima",
            "--name", "Spring: webinar")
    assert r.exit_code == 0, r.output
    camp = load(acme_copy / "campaigns/w1/campaign.yaml")
    assert camp["name"] == "Spring: webinar"
    assert camp["objective"] == f"Fill a live webinar on {topic} and turn attendees into sales conversations."
    tasks = {t["id"]: t for t in load(acme_copy / "campaigns/w1/tasks.yaml")}
    assert tasks["speaker-confirmed"]["name"] == "Invite and confirm Ana Lima"
    r = new(acme_copy, "w2", "webinar", "--set", "topik=x")
    assert r.exit_code == 2 and "no variable 'topik'" in r.stderr and "'topic'" in r.stderr
    r = new(acme_copy, "w3", "webinar", "--set", "topic=two\nlines")
    assert r.exit_code == 2 and "line break" in r.stderr


def test_dry_run_prints_the_files_and_writes_nothing(acme_copy):
    r = new(acme_copy, "w1", "webinar", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "--- campaigns/w1/tasks.yaml" in r.stdout and "start: 2027-01-15" in r.stdout
    assert "# Laid out from the webinar playbook for a launch on 2027-03-02." in r.stdout
    assert "dry run: nothing was written (4 files)" in r.stdout
    assert not (acme_copy / "campaigns/w1").exists()


def test_an_existing_campaign_is_never_overwritten(acme_copy):
    r = new(acme_copy, "black-friday-2026", "webinar")
    assert r.exit_code == 2 and "already exists" in r.stderr


WS_PLAYBOOK = {
    "playbooks/webinar/playbook.yaml": "description: Our own webinar\nroles:\n  host: runs it\n",
    "playbooks/webinar/campaign.yaml": 'name: "{{ name }}"\nowner: role:host\nstart: launch-5\n'
                                       "launch: launch\nend: launch+2\n",
    "playbooks/webinar/tasks.yaml": "- id: prep\n  name: Prepare\n  owner: role:host\n  duration: 3\n"
                                    "  start: launch-5\n- id: live\n  name: Live\n  milestone: true\n"
                                    "  depends_on: [prep]\n  start: launch\n",
}


def test_a_workspace_playbook_overrides_the_built_in(acme_copy):
    write_workspace(acme_copy, WS_PLAYBOOK)
    r = run_mpm("playbook", "list", "-w", str(acme_copy), "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/playbooks/1"
    mine = next(p for p in doc["playbooks"] if p["name"] == "webinar")
    assert mine["origin"] == "workspace" and mine["tasks"] == 2 and mine["roles"] == ["host"]
    assert {p["name"] for p in doc["playbooks"]} == {*BUILT_INS, "trade-show"}
    r = new(acme_copy, "w1", "webinar", "--assign", "host=tom")
    assert r.exit_code == 0, r.output
    assert [t["id"] for t in load(acme_copy / "campaigns/w1/tasks.yaml")] == ["prep", "live"]


def test_a_bad_workspace_playbook_is_reported_at_its_line_and_nothing_is_written(acme_copy):
    files = dict(WS_PLAYBOOK)
    files["playbooks/webinar/tasks.yaml"] = files["playbooks/webinar/tasks.yaml"].replace(
        "  duration: 3\n", "  duration: three\n").replace("depends_on: [prep]", "depends_on: [prepp]")
    write_workspace(acme_copy, files)
    r = new(acme_copy, "w1", "webinar", "--assign", "host=tom")
    assert r.exit_code == 2
    assert "playbooks/webinar/tasks.yaml:4:13: error[E102]" in r.stderr
    assert "playbooks/webinar/tasks.yaml:9:16: error[E201]" in r.stderr
    assert "nothing was written" in r.stderr
    assert not (acme_copy / "campaigns/w1").exists()
    check = run_mpm("playbook", "check", "-w", str(acme_copy))
    assert check.exit_code == 2 and "2 errors in 1 of 2 playbooks" in check.stdout
    assert run_mpm("playbook", "check", "--built-in", "-w", str(ACME)).exit_code == 0


def test_templates_run_sandboxed(acme_copy):
    files = dict(WS_PLAYBOOK)
    files["playbooks/webinar/tasks.yaml"] = files["playbooks/webinar/tasks.yaml"].replace(
        "name: Prepare", "name: \"{{ name.__class__.__mro__[1].__subclasses__() }}\"")
    write_workspace(acme_copy, files)
    r = new(acme_copy, "w1", "webinar", "--assign", "host=tom")
    assert r.exit_code == 2
    assert "playbooks/webinar/tasks.yaml:2:9: error[E402]: the template text cannot be filled in" in r.stderr
    assert not (acme_copy / "campaigns/w1").exists()


def test_show_lists_tasks_in_working_days_from_the_launch():
    r = run_mpm("playbook", "show", "webinar", "-w", str(ACME), "--as-of", "2027-01-04", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/playbook/1" and doc["origin"] == "built-in"
    by_id = {t["id"]: t for t in doc["tasks"]}
    assert by_id["brief"]["start"] == "launch-30" and by_id["brief"]["owner"] == "role:lead"
    assert by_id["webinar-live"]["start"] == "launch" and by_id["rehearsal"]["start"] == "launch-3"
    assert len(doc["tasks"]) == 17
    text = run_mpm("playbook", "show", "webinar", "-w", str(ACME), "--as-of", "2027-01-04", width=120).stdout
    assert "launch-30" in text and "note: Registrations peak" in text


SAVE_WS = {
    "mpm.yaml": "name: Team\ncalendar:\n  holidays: [2027-02-15]\nteam:\n"
                "  - {id: ana, name: Ana Lima, role: Content lead}\n"
                "  - {id: ben, name: Ben Ortiz, role: Designer}\n",
    "campaigns/spring/campaign.yaml": "name: Spring guide\nowner: ana\nstatus: done\nstart: 2027-02-01\n"
                                      "launch: 2027-02-22\nend: 2027-03-05\n"
                                      "budget:\n  total: 2000\n  lines:\n"
                                      "    - {category: design, planned: 1500, actual: 1650}\n"
                                      "lessons:\n  - Book the design review a week ahead.\n",
    "campaigns/spring/tasks.yaml": """\
# the guide, then its launch
- id: draft
  name: Draft the guide
  owner: ana
  phase: execution
  duration: 5
  start: 2027-02-01
  status: done
  started_on: 2027-02-01
  done_on: 2027-02-05
- id: design
  name: Design it
  owner: ben
  duration: 4
  depends_on: [draft]
  status: done
  started_on: 2027-02-08
  done_on: 2027-02-11
  approvals:
    - {by: Brand, status: approved, note: fine}
- id: publish
  name: Publish
  milestone: true
  depends_on: [design]
  start: 2027-02-22
  due: 2027-02-22
  status: done
  done_on: 2027-02-22
- id: report
  name: Results
  owner: ana
  duration: 1
  depends_on: [publish]
  due: 2027-03-05
  status: done
  started_on: 2027-03-01
  done_on: 2027-03-01
""",
    "campaigns/spring/goals.yaml": "- id: downloads\n  statement: 500 downloads in a month\n  target: 500\n"
                                   "  deadline: 2027-03-22\n  measurements:\n    - {date: 2027-03-01, value: 320}\n",
}


def test_save_then_new_gives_the_same_plan_shape(tmp_path):
    ws = write_workspace(tmp_path / "ws", SAVE_WS)
    r = run_mpm("playbook", "save", "spring", "guide", "-w", str(ws))
    assert r.exit_code == 0, r.output
    assert "--assign content-lead=ana --assign designer=ben" in r.stdout
    tasks_text = (ws / "playbooks/guide/tasks.yaml").read_text()
    assert "# the guide, then its launch" in tasks_text
    saved = load(ws / "playbooks/guide/tasks.yaml")
    assert saved[0]["owner"] == "role:content-lead" and saved[0]["start"] == "launch-14"
    assert saved[1]["start"] == "launch-9"  # when it really started
    assert saved[2]["start"] == "launch" and saved[3]["due"] == "launch+9" and saved[3]["start"] == "launch+5"
    assert all("status" not in t and "done_on" not in t for t in saved)
    assert saved[1]["approvals"] == [{"by": "Brand", "status": "pending"}]
    info = load(ws / "playbooks/guide/playbook.yaml")
    assert info["notes"] == ["Book the design review a week ahead."]
    assert set(info["roles"]) == {"content-lead", "designer"}
    camp = load(ws / "playbooks/guide/campaign.yaml")
    assert camp["name"] == "{{ name }}" and "lessons" not in camp and "status" not in camp
    assert camp["budget"]["lines"] == [{"category": "design", "planned": 1500}]
    assert "measurements" not in load(ws / "playbooks/guide/goals.yaml")[0]
    assert run_mpm("playbook", "check", "-w", str(ws)).exit_code == 0
    assert run_mpm("fmt", "--check", "-w", str(ws)).exit_code == 0

    # the same launch a year on: every task sits where the campaign really had it, counted from the launch
    r = run_mpm("new", "campaign", "spring-2028", "--playbook", "guide", "--launch", "2028-02-22",
                "--assign", "content-lead=ana", "--assign", "designer=ben", "-w", str(ws), "--as-of", "2028-01-03")
    assert r.exit_code == 0, r.output
    assert "# - Book the design review a week ahead." in (ws / "campaigns/spring-2028/campaign.yaml").read_text()
    shape = {}
    for cid, as_of in (("spring", "2027-03-10"), ("spring-2028", "2028-01-03")):
        plan = json.loads(run_mpm("plan", cid, "-w", str(ws), "--as-of", as_of, "--format", "json").stdout)
        launch = load(ws / f"campaigns/{cid}/campaign.yaml")["launch"]
        shape[cid] = [(t["id"], workdays_from(launch, t["start"]), workdays_from(launch, t["finish"]),
                       t["milestone"]) for t in plan["campaigns"][0]["tasks"]]
    assert shape["spring"] == shape["spring-2028"]
    assert [s[1:3] for s in shape["spring"]] == [(-14, -10), (-9, -6), (0, 0), (5, 5)]
    owners = [t.get("owner") for t in load(ws / "campaigns/spring-2028/tasks.yaml")]
    assert owners == [t.get("owner") for t in load(ws / "campaigns/spring/tasks.yaml")]


def workdays_from(launch: date, day: str) -> int:
    holidays = {date(2027, 2, 15)}
    d, n = date.fromisoformat(day), 0
    step = 1 if d > launch else -1
    cur = launch
    while cur != d:
        cur += timedelta(days=step)
        if cur.weekday() < 5 and cur not in holidays:
            n += step
    return n


def test_save_needs_a_launch_and_a_free_name(tmp_path):
    files = dict(SAVE_WS)
    files["campaigns/spring/campaign.yaml"] = files["campaigns/spring/campaign.yaml"].replace(
        "launch: 2027-02-22\n", "")
    ws = write_workspace(tmp_path / "ws", files)
    r = run_mpm("playbook", "save", "spring", "guide", "-w", str(ws))
    assert r.exit_code == 2 and "has no launch date" in r.stderr and "--launch DATE" in r.stderr
    r = run_mpm("playbook", "save", "spring", "guide", "--launch", "2027-02-22", "-w", str(ws))
    assert r.exit_code == 0, r.output
    assert load(ws / "playbooks/guide/campaign.yaml")["launch"] == "launch"
    r = run_mpm("playbook", "save", "sprin", "guide", "-w", str(ws))
    assert r.exit_code == 2 and "did you mean 'spring'" in r.stderr


def test_new_campaign_as_json_gives_its_plan_and_load(acme_copy):
    r = new(acme_copy, "w1", "webinar", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/new-campaign/1" and doc["launch"] == LAUNCH
    assert doc["written"] == [f"campaigns/w1/{f}" for f in ("campaign.yaml", "goals.yaml", "risks.yaml",
                                                             "tasks.yaml")]
    assert doc["plan"][0]["id"] == "w1" and len(doc["plan"][0]["tasks"]) == 17
    leo = next(p for p in doc["load"] if p["person"] == "leo")
    assert leo["hours"] == 46 and all(w["available"] <= 32 for w in leo["weeks"])


def test_acme_keeps_a_playbook_saved_from_its_trade_show(acme_copy):
    info = load(ACME / "playbooks/trade-show/playbook.yaml")
    lessons = load(ACME / "campaigns/spring-trade-show-2026/campaign.yaml")["lessons"]
    assert info["notes"] == lessons and set(info["roles"]) == {"lead", "designer", "email"}
    assert run_mpm("playbook", "check", "-w", str(ACME)).exit_code == 0
    r = new(acme_copy, "expo-2027", "trade-show", launch="2027-03-11")  # no --assign: mpm.yaml casts it
    assert r.exit_code == 0, r.output
    leo = next(line for line in r.stdout.splitlines() if line.startswith("leo "))
    assert leo.endswith("none")  # levelled: nobody is booked past their week
    design = next(line for line in r.stdout.splitlines() if "booth-design" in line)
    # his paternity leave (2027-02-08 to 02-12) pauses the booth design, which still ends before the show
    assert "2027-02-04   2027-03-02" in design
