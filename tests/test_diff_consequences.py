"""`mpm diff` says what a change does, on a real repository with a scripted history.

Every consequence is asserted for each way of naming the two sides the README
shows: `A B`, `A..B`, `A...B` and `--staged` (A checked out, B in the index).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_mpm, write_workspace
from scripted import WORKSPACE, build, git

AS_OF = "2027-01-04"
FORMS = ["A B", "A..B", "A...B", "--staged"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("scripted")
    return root, build(root)


_staged: dict[tuple[str, str], Path] = {}


def staged_tree(root: Path, a: str, b: str, tmp: Path) -> Path:
    """A worktree at commit `a` whose index holds commit `b`."""
    key = (a, b)
    if key not in _staged:
        where = tmp / f"staged-{a[:7]}-{b[:7]}"
        git(root, "worktree", "add", "-q", "--detach", str(where), a)
        git(where, "read-tree", b)
        _staged[key] = where
    return _staged[key]


def diff(repo, form: str, i: int, tmp: Path, *extra: str) -> tuple[int, dict]:
    root, ids = repo
    a, b = ids[i - 1], ids[i]
    where = root
    args = {"A B": [a, b], "A..B": [f"{a}..{b}"], "A...B": [f"{a}...{b}"], "--staged": ["--staged"]}[form]
    if form == "--staged":
        where = staged_tree(root, a, b, tmp)
    r = run_mpm("diff", *args, "--workspace", str(where), "--as-of", AS_OF, "--format", "json", *extra)
    assert r.exit_code in (0, 1), r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/diff/1"
    return r.exit_code, doc


def campaign(doc: dict) -> dict:
    (c,) = doc["campaigns"]
    assert c["id"] == "launch"
    return c


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("trees")


@pytest.mark.parametrize("form", FORMS)
def test_longer_task_moves_the_launch_milestone(repo, tmp, form):
    _, doc = diff(repo, form, 1, tmp)
    c = campaign(doc)
    assert (c["launch_task"], c["launch_before"], c["launch_after"], c["launch_slip_days"]) == (
        "live", "2027-01-12", "2027-01-15", 3)
    assert {"task": "live", "milestone": True, "start_before": "2027-01-12", "start_after": "2027-01-15",
            "finish_before": "2027-01-12", "finish_after": "2027-01-15", "shift_days": 3} in c["moved"]
    assert [m["task"] for m in c["moved"]] == ["live", "page", "wrap"]  # milestones first
    assert {"task": "live", "float_before": 0, "float_after": -2} in c["newly_late"]
    assert doc["flags"] == ["late", "slip"]
    assert doc["summary"] == "Launch +3 working days (2027-01-12 → 01-15), 3 tasks newly late"


@pytest.mark.parametrize("form", FORMS)
def test_late_work_later_than_before(repo, tmp, form):
    _, doc = diff(repo, form, 2, tmp)
    c = campaign(doc)
    assert c["newly_late"] == []  # already late: the old report said nothing
    assert {"task": "live", "float_before": -2, "float_after": -4} in c["later_than_before"]
    assert c["launch_slip_days"] == 2


@pytest.mark.parametrize("form", FORMS)
def test_added_holiday(repo, tmp, form):
    _, doc = diff(repo, form, 3, tmp)
    assert {"field": "calendar.holidays[2027-01-08]", "old": None, "new": "present"} in doc["workspace"]
    c = campaign(doc)
    assert c["records"] == [] and c["launch_slip_days"] == 1
    assert {m["task"]: m["shift_days"] for m in c["moved"]} == {"live": 1, "page": 1, "video": 1, "wrap": 1}


@pytest.mark.parametrize("form", FORMS)
def test_budget_line_over_plan(repo, tmp, form):
    _, doc = diff(repo, form, 4, tmp)
    c = campaign(doc)
    assert c["over_budget"] == [
        {"item": "line media", "planned": 6000, "actual": 11000, "over_before": 0, "over_after": 5000},
        {"item": "total", "planned": 10000, "actual": 11500, "over_before": 0, "over_after": 1500}]
    assert c["moved"] == [] and doc["flags"] == ["budget"]
    assert doc["summary"] == "budget +5,000 over plan"


@pytest.mark.parametrize("form", FORMS)
def test_capacity_overload_in_a_week(repo, tmp, form):
    _, doc = diff(repo, form, 5, tmp)
    assert doc["over_capacity"] == [{"person": "cara", "week": "2027-01-04", "available_hours": 32.0,
                                     "planned_hours_before": 16.0, "planned_hours_after": 40.0}]
    assert campaign(doc)["moved"] == []


@pytest.mark.parametrize("form", FORMS)
def test_dependency_makes_a_task_critical(repo, tmp, form):
    _, doc = diff(repo, form, 6, tmp)
    c = campaign(doc)
    assert [(r["id"], r["changes"]) for r in c["records"]] == [
        ("live", [{"field": "depends_on", "old": ["page", "email"], "new": ["page", "email", "video"]}]),
        ("video", [{"field": "depends_on", "old": ["brief"], "new": ["page"]}])]
    assert c["newly_critical"] == ["video"]
    assert {"task": "video", "float_before": 7, "float_after": -8} in c["newly_late"]
    assert (c["finish_slip_days"], c["launch_slip_days"]) == (3, 3)
    assert c["risks_on_critical"] == [{"risk": "footage", "title": "Stock footage licence is late", "score": 6,
                                       "tasks": ["video"]}]


@pytest.mark.parametrize("form", FORMS)
def test_goal_checkpoint_path(repo, tmp, form):
    _, doc = diff(repo, form, 7, tmp)
    assert campaign(doc)["goal_paths"] == [
        {"goal": "signups", "checkpoints": [{"quarter": "2027-Q1", "before": 500, "after": 800}]}]


@pytest.mark.parametrize("form", FORMS)
def test_task_removed(repo, tmp, form):
    code, doc = diff(repo, form, 8, tmp, "--fail-on", "slip")
    c = campaign(doc)
    assert c["records"] == [{"kind": "task", "id": "social", "status": "removed", "changes": []}]
    assert c["moved"] == [] and c["finish_slip_days"] == 0 and code == 0


@pytest.mark.parametrize("form", FORMS)
def test_scope_in_and_out(repo, tmp, form):
    _, doc = diff(repo, form, 9, tmp)
    c = campaign(doc)
    assert c["fields"] == [
        {"field": "scope.in", "old": ["landing page", "email", "webinar"], "new": ["landing page", "email"]},
        {"field": "scope.out", "old": None, "new": ["webinar"]}]
    assert doc["flags"] == [] and doc["summary"] == "Scope in −webinar; out +webinar"


def test_one_revision_with_the_index_or_the_working_tree(repo, tmp):
    root, ids = repo
    where = staged_tree(root, ids[1], ids[2], tmp)  # HEAD and working tree: ids[1]; index: ids[2]
    for args, slip in ((["--staged", ids[0]], 5), ([ids[0]], 3), (["--staged"], 2), ([], 0)):
        r = run_mpm("diff", *args, "-w", str(where), "--as-of", AS_OF, "-f", "json")
        assert r.exit_code == 0, r.output
        found = json.loads(r.stdout)["campaigns"]
        assert (found[0]["launch_slip_days"] if found else 0) == slip, args


def test_three_dots_compare_from_where_the_branch_left(repo):
    root, _ = repo
    doc = json.loads(run_mpm("diff", "main...feature", "-w", str(root), "--as-of", AS_OF, "-f", "json").stdout)
    assert doc["before"].startswith("merge base of main and feature")
    c = campaign(doc)
    assert c["fields"] == [] and c["records"][0]["id"] == "email"  # main's own later commit is not in it
    doc = json.loads(run_mpm("diff", "main..feature", "-w", str(root), "--as-of", AS_OF, "-f", "json").stdout)
    assert {"field": "budget.lines[design].actual", "old": 900, "new": 500} in campaign(doc)["fields"]


def test_fail_on(repo, tmp):
    assert diff(repo, "A B", 1, tmp)[0] == 0  # never, unless asked
    assert diff(repo, "A B", 1, tmp, "--fail-on", "slip")[0] == 1
    assert diff(repo, "A B", 2, tmp, "--fail-on", "late")[0] == 1
    assert diff(repo, "A B", 4, tmp, "--fail-on", "slip", "--fail-on", "late")[0] == 0
    assert diff(repo, "A B", 4, tmp, "--fail-on", "budget")[0] == 1
    assert diff(repo, "A B", 4, tmp, "--fail-on", "never")[0] == 0


def test_markdown_opens_with_the_summary(repo):
    root, ids = repo
    r = run_mpm("diff", ids[0], ids[1], "-w", str(root), "--as-of", AS_OF, "--format", "md")
    lines = r.stdout.splitlines()
    assert lines[0] == "**Launch +3 working days (2027-01-12 → 01-15), 3 tasks newly late**"
    assert lines[2].startswith("### mpm diff: ")
    body = r.stdout
    assert body.index("launch (live) 2027-01-12 → 2027-01-15") < body.index("2 tasks moved")
    assert body.index("2 tasks moved") < body.index("live will now miss") < body.index("task page: duration: 5 → 8")
    r = run_mpm("diff", ids[4], ids[5], "-w", str(root), "--as-of", AS_OF, "--format", "md")
    assert "- **cara over capacity in the week of 2027-01-04: 40 h planned of 32 h (was 16 h)**" in r.stdout


def test_pull_request_recipe_in_a_fresh_clone(repo, tmp_path):
    root, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "feature", str(root), str(clone)], check=True)
    r = run_mpm("diff", "origin/main...HEAD", "-w", str(clone), "--as-of", AS_OF, "--format", "md")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("**") and "task email: duration: 2 → 4" in r.stdout
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "-b", "feature",
                    f"file://{root}", str(shallow)], check=True)
    r = run_mpm("diff", "origin/main...HEAD", "-w", str(shallow), "--as-of", AS_OF)
    assert r.exit_code == 2
    assert "no common ancestor" in r.stderr and "shallow clone" in r.stderr


def test_the_ci_recipe_runs_as_written(repo, tmp_path):
    """examples/ci/mpm-pr.yml's `mpm diff` line, run in a fresh clone of a pull request's branch."""
    import shlex

    from ruamel.yaml import YAML

    root, _ = repo
    workflow = YAML(typ="safe").load((EXAMPLES / "ci" / "mpm-pr.yml").read_text())
    script = next(s["run"] for s in workflow["jobs"]["diff"]["steps"] if "mpm diff" in s.get("run", ""))
    line = next(x for x in script.splitlines() if x.startswith("mpm diff"))
    words = shlex.split(line.replace("$BASE", "origin/main").split(">")[0])
    clone = tmp_path / "pr"
    subprocess.run(["git", "clone", "-q", "-b", "feature", str(root), str(clone)], check=True)
    r = run_mpm(*words[1:], "-w", str(clone), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].startswith("**") and "task email: duration: 2 → 4" in r.stdout
    assert "pull-requests: write" in (EXAMPLES / "ci" / "mpm-pr.yml").read_text()


def test_bad_revisions(repo):
    root, _ = repo
    for args, words in [(["no-such-branch"], "'no-such-branch' does not name a commit"),
                        (["--", "--output=x"], "'--output=x' is not a revision"),
                        (["main..--output=x"], "is not a revision range"),
                        (["main...--upload-pack=x"], "is not a revision range"),
                        (["a", "b", "c"], "at most two revisions")]:
        r = run_mpm("diff", "--workspace", str(root), *args)
        assert r.exit_code == 2, args
        assert words in r.stderr, (args, r.stderr)


def test_workspace_not_in_the_revision(tmp_path):
    repo = tmp_path / "repo"
    (repo / "README").parent.mkdir(parents=True)
    (repo / "README").write_text("plans go in marketing/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    write_workspace(repo / "marketing", WORKSPACE)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plans")
    r = run_mpm("diff", "HEAD~1", "HEAD", "--workspace", str(repo / "marketing"))
    assert r.exit_code == 2
    assert "the workspace (marketing/) has no mpm.yaml in" in r.stderr
    assert "not in the repository at that revision" in r.stderr
    r = run_mpm("diff", "HEAD", "--workspace", str(repo / "marketing"), "--as-of", AS_OF, "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["campaigns"] == []


def test_repository_config_runs_no_program(repo, tmp_path):
    """A repository's config may name programs (fsmonitor, pager, external diff): mpm runs none of them."""
    root, _ = repo
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    hook.chmod(0o755)
    for key in ("core.fsmonitor", "core.pager", "diff.external"):
        git(copy, "config", key, str(hook))
    git(copy, "ls-files", "-s")  # git itself runs it: the test can fail
    assert marker.exists()
    marker.unlink()
    for args in (["diff", "--staged"], ["diff"], ["diff", "main...feature"], ["history", "HEAD~2..HEAD"]):
        r = run_mpm(*args, "--workspace", str(copy), "--as-of", AS_OF)
        assert r.exit_code == 0, (args, r.output)
        assert not marker.exists(), args


def test_both_sides_are_levelled_alike(tmp_path):
    """--level plans both sides within people's hours: Ana's second job now waits for her first."""
    repo = tmp_path / "repo"
    write_workspace(repo, {
        "mpm.yaml": "name: Levelled\nteam:\n  - {id: ana, name: Ana}\n  - {id: ben, name: Ben}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": ("- id: a\n  name: A\n  owner: ana\n  duration: 2\n"
                                   "- id: b\n  name: B\n  owner: ben\n  duration: 2\n")})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "plan")
    tasks = repo / "campaigns/c/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("owner: ben", "owner: ana"))
    git(repo, "commit", "-qam", "Ana does B too")
    moved = {}
    for flag in ("--level", "--no-level"):
        r = run_mpm("diff", "HEAD~1", "HEAD", "-w", str(repo), "--as-of", AS_OF, "-f", "json", flag)
        assert r.exit_code == 0, r.output
        moved[flag] = {m["task"]: m["shift_days"] for m in campaign_of(json.loads(r.stdout), "c")["moved"]}
    assert moved == {"--level": {"b": 2}, "--no-level": {}}
    r = run_mpm("history", "-w", str(repo), "--as-of", AS_OF, "-f", "json", "--level")
    assert json.loads(r.stdout)["commits"][1]["campaigns"][0]["finish_shift_days"] == 2


def campaign_of(doc: dict, cid: str) -> dict:
    found = [c for c in doc["campaigns"] if c["id"] == cid]
    return found[0] if found else {"moved": []}
