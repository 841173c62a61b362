"""Change control: `mpm diff` on a real git history, edits that change only what they mean, `mpm fmt`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ACME, EXAMPLES, copy_workspace, run_mpm, write_workspace

from mpm.change import edit, records

AS_OF = "2027-01-04"

WORKSPACE = {
    "mpm.yaml": "name: History\nteam:\n  - {id: ana, name: Ana}\n  - {id: ben, name: Ben}\n",
    "campaigns/launch/campaign.yaml": (
        "name: Launch\nstart: 2027-01-04\nend: 2027-02-26\nscope:\n  in: [landing page, email, webinar]\n"
        "budget:\n  total: 10000\n  lines:\n    - {category: media, planned: 6000, actual: 1000}\n"),
    "campaigns/launch/tasks.yaml": (
        "- id: brief\n  name: Brief\n  owner: ana\n  duration: 2\n"
        "- id: page\n  name: Landing page\n  owner: ben\n  duration: 5\n  depends_on: [brief]\n"
        "- id: email\n  name: Email\n  owner: ana\n  duration: 2\n  depends_on: [brief]\n  due: 2027-01-15\n"
        "- id: video\n  name: Video\n  owner: ben\n  duration: 3\n  depends_on: [brief]\n"
        "- id: live\n  name: Go live\n  milestone: true\n  depends_on: [page, email]\n"),
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}).stdout


def commit(repo: Path, message: str, edits: dict[str, tuple[str, str]]) -> None:
    for rel, (old, new) in edits.items():
        path = repo / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
    git(repo, "commit", "-qam", message)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("history")
    write_workspace(repo, WORKSPACE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    T = "campaigns/launch/tasks.yaml"
    C = "campaigns/launch/campaign.yaml"
    commit(repo, "slip", {T: ("  name: Landing page\n  owner: ben\n  duration: 5",
                              "  name: Landing page\n  owner: ben\n  duration: 8")})
    commit(repo, "scope", {C: ("in: [landing page, email, webinar]", "in: [landing page, email]")})
    commit(repo, "budget", {C: ("total: 10000", "total: 12000")})
    commit(repo, "dependency", {T: ("  duration: 3\n  depends_on: [brief]", "  duration: 3\n  depends_on: [page]")})
    commit(repo, "remove", {T: ("- id: video\n  name: Video\n  owner: ben\n  duration: 3\n  depends_on: [page]\n", "")})
    return repo


def diff_json(repo: Path, *revs: str) -> dict:
    r = run_mpm("diff", *revs, "--workspace", str(repo), "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/diff/1"
    return doc


def only(doc: dict) -> dict:
    (camp,) = doc["campaigns"]
    return camp


def test_date_slip_moves_the_finish(history):
    c = only(diff_json(history, "HEAD~5", "HEAD~4"))
    assert c["records"] == [{"kind": "task", "id": "page", "status": "changed",
                             "changes": [{"field": "duration", "old": 5, "new": 8}]}]
    # brief Mon 4-Tue 5, page 6..13 -> 6..18 (three more working days)
    assert (c["finish_before"], c["finish_after"], c["finish_slip_days"]) == ("2027-01-12", "2027-01-15", 3)


def test_scope_cut_changes_no_date(history):
    c = only(diff_json(history, "HEAD~4..HEAD~3"))
    assert c["fields"] == [{"field": "scope.in", "old": ["landing page", "email", "webinar"],
                            "new": ["landing page", "email"]}]
    assert c["finish_slip_days"] == 0 and c["newly_critical"] == []
    md = run_mpm("diff", "HEAD~4..HEAD~3", "--workspace", str(history), "--as-of", AS_OF, "--format", "md")
    assert "- campaign scope.in: −webinar" in md.stdout


def test_budget_increase(history):
    c = only(diff_json(history, "HEAD~3", "HEAD~2"))
    assert c["fields"] == [{"field": "budget.total", "old": 10000, "new": 12000}]


def test_new_dependency_makes_a_task_critical(history):
    c = only(diff_json(history, "HEAD~2", "HEAD~1"))
    assert c["records"][0]["changes"] == [{"field": "depends_on", "old": ["brief"], "new": ["page"]}]
    assert c["newly_critical"] == ["video"]
    assert c["no_longer_critical"] == ["live"]  # page still leads, now to the video
    assert (c["finish_before"], c["finish_after"], c["finish_slip_days"]) == ("2027-01-15", "2027-01-20", 3)


def test_removed_task(history):
    c = only(diff_json(history, "HEAD~1", "HEAD"))
    assert c["records"] == [{"kind": "task", "id": "video", "status": "removed", "changes": []}]
    assert c["finish_slip_days"] == -3 and c["newly_critical"] == ["live"]


def test_whole_history_and_missed_deadline(history):
    c = only(diff_json(history, "HEAD~5..HEAD"))
    kinds = {(r["kind"], r["id"], r["status"]) for r in c["records"]}
    assert kinds == {("task", "page", "changed"), ("task", "video", "removed")}
    # email is due Friday 15: still fine; the text report says what moved
    text = run_mpm("diff", "HEAD~5..HEAD", "--workspace", str(history), "--as-of", AS_OF).stdout
    assert "forecast finish 2027-01-12 → 2027-01-15 (3 working days later)" in text


def test_working_tree_and_staged(history, tmp_path):
    repo = tmp_path / "wt"
    shutil.copytree(history, repo)
    tasks = repo / "campaigns/launch/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("due: 2027-01-15", "due: 2027-01-06"))
    c = only(diff_json(repo))
    # the brief before it cannot save the new date either
    assert c["newly_late"] == [{"task": "brief", "float_before": 0, "float_after": -1},
                               {"task": "email", "float_before": 6, "float_after": -1}]
    assert diff_json(repo, "--staged")["campaigns"] == []
    git(repo, "add", "-A")
    assert only(diff_json(repo, "--staged"))["newly_late"][1]["task"] == "email"


def test_bad_revision_and_invalid_side(history, tmp_path):
    r = run_mpm("diff", "no-such-branch", "--workspace", str(history))
    assert r.exit_code == 2 and "'no-such-branch' does not name a commit" in r.stderr
    r = run_mpm("diff", "--upload-pack=x", "--workspace", str(history))
    assert r.exit_code == 2
    repo = tmp_path / "bad"
    shutil.copytree(history, repo)
    tasks = repo / "campaigns/launch/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("duration: 2", "duration: two", 1))
    r = run_mpm("diff", "--workspace", str(repo))
    assert r.exit_code == 2
    assert "working tree has 1 error" in r.stderr and "tasks.yaml:4:13: error[E102]" in r.stderr


def test_workspace_in_a_subfolder(tmp_path):
    repo = tmp_path / "repo"
    write_workspace(repo / "marketing", WORKSPACE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    tasks = repo / "marketing/campaigns/launch/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("- id: brief\n  name: Brief", "- id: brief\n  name: Creative brief"))
    c = only(diff_json(repo / "marketing"))
    assert c["records"][0]["changes"] == [{"field": "name", "old": "Brief", "new": "Creative brief"}]


# -- edits ---------------------------------------------------------------------------

def unified(repo: Path) -> str:
    return git(repo, "diff", "-U1", "--no-color")


@pytest.fixture
def acme_repo(tmp_path) -> Path:
    repo = tmp_path / "acme"
    copy_workspace(ACME, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "acme")
    return repo


def _hunks(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line[:1] in "+-@" and not line.startswith(("+++", "---"))]


def test_task_start_changes_two_lines(acme_repo):
    r = run_mpm("task", "start", "black-friday-2026/store-signage", "--on", "2026-11-16", "-w", str(acme_repo))
    assert r.exit_code == 0, r.output
    assert _hunks(unified(acme_repo)) == [
        "@@ -96,3 +96,4 @@", "-  status: todo", "+  status: in-progress",
        "+  started_on: 2026-11-16"]


def test_task_done_adds_done_on_after_started_on(acme_repo):
    run_mpm("task", "done", "email-build", "--on", "2026-11-17", "-w", str(acme_repo))
    assert _hunks(unified(acme_repo)) == [
        "@@ -62,4 +62,5 @@", "-  status: in-progress", "+  status: done", "+  done_on: 2026-11-17"]


def test_task_block_on_a_task_without_status(acme_repo):
    run_mpm("task", "block", "trailhead-b2b-launch/legal-review", "-w", str(acme_repo))
    assert _hunks(unified(acme_repo)) == ["@@ -52,2 +52,3 @@", "+  status: blocked"]


def test_task_add_appends_in_the_file_style(acme_repo):
    r = run_mpm("task", "add", "black-friday-2026", "--name", "Brief the store managers", "--after",
                "store-kits", "--duration", "2", "--owner", "tom", "-w", str(acme_repo))
    assert r.exit_code == 0, r.output
    assert _hunks(unified(acme_repo)) == [
        "@@ -155 +155,6 @@", "+- id: brief-the-store-managers", "+  name: Brief the store managers",
        "+  owner: tom", "+  duration: 2", "+  depends_on: [store-kits]"]


def test_kpi_add_appends_a_measurement(acme_repo):
    run_mpm("kpi", "add", "email-leads", "1318", "--on", "2026-11-30", "--note", "November CRM export",
            "-w", str(acme_repo))
    assert _hunks(unified(acme_repo)) == [
        "@@ -13,2 +13,3 @@", "+    - {date: 2026-11-30, value: 1318, note: November CRM export}"]


def test_kpi_add_creates_the_measurements_list(acme_repo):
    run_mpm("kpi", "add", "b2b-pipeline", "85000", "--on", "2027-03-31", "-w", str(acme_repo),
            env={"MPM_TODAY": "2027-03-31"})
    assert _hunks(unified(acme_repo)) == [
        "@@ -10 +10,3 @@", "+  measurements:", "+    - {date: 2027-03-31, value: 85000}"]


def test_edits_keep_every_comment(acme_repo):
    before = {p: [x for x in p.read_text().splitlines() if "#" in x] for p in acme_repo.rglob("*.yaml")}
    run_mpm("task", "start", "store-signage", "--on", "2026-11-16", "-w", str(acme_repo))
    run_mpm("task", "done", "always-on-content/seo-pillars", "--on", "2026-11-20", "-w", str(acme_repo))
    after = {p: [x for x in p.read_text().splitlines() if "#" in x] for p in acme_repo.rglob("*.yaml")}
    assert before == after


def test_edit_that_would_break_the_workspace_writes_nothing(acme_repo):
    # a milestone with effort passes every option's own check, not the workspace's
    r = run_mpm("task", "add", "black-friday-2026", "--name", "Mystery", "--duration", "0", "--effort", "4",
                "-w", str(acme_repo))
    assert r.exit_code == 2
    assert "the options make an invalid task: milestone 'mystery' has effort 4 h" in r.stderr
    assert "nothing was written" in r.stderr and "tasks.yaml:" not in r.stderr
    assert unified(acme_repo) == ""


def test_unknown_and_ambiguous_ids(acme_repo):
    r = run_mpm("task", "done", "store-signge", "-w", str(acme_repo))
    assert r.exit_code == 2 and "did you mean 'store-signage'" in r.stderr
    r = run_mpm("task", "done", "weekly-blog@2026-11-18", "-w", str(acme_repo))
    assert r.exit_code == 2 and "2026-11-18 is not a date of 'weekly-blog'" in r.stderr
    assert "weekly-blog@2026-11-17 and weekly-blog@2026-11-24" in r.stderr
    r = run_mpm("task", "done", "launch", "-w", str(acme_repo))
    assert r.exit_code == 0  # bare ids unique in the workspace are enough


def test_new_campaign_from_each_template(acme_repo):
    for template in ("product-launch", "content", "event", "email"):
        cid = f"new-{template}"
        r = run_mpm("new", "campaign", cid, "--template", template, "--start", "2027-04-05", "-w", str(acme_repo))
        assert r.exit_code == 0, r.output
        assert (acme_repo / "campaigns" / cid / "campaign.yaml").exists()
    assert run_mpm("check", "-w", str(acme_repo)).exit_code == 0
    again = run_mpm("new", "campaign", "new-email", "--template", "email", "-w", str(acme_repo))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_interrupted_write_leaves_the_original(acme_repo, monkeypatch):
    from mpm.read.load import load_workspace

    ws, _ = load_workspace(acme_repo)
    tx = records.set_task_status(ws, "store-signage", "blocked", None)

    def crash(src, dst):
        raise OSError("power cut")

    monkeypatch.setattr(edit.os, "replace", crash)
    with pytest.raises(edit.EditRefused, match="cannot write"):  # a user's words, exit 2, not a crash
        tx.commit()
    assert unified(acme_repo) == ""
    assert not [p for p in (acme_repo / "campaigns/black-friday-2026").iterdir() if p.name.endswith(".tmp")]


def test_concurrent_change_is_refused(acme_repo):
    from mpm.read.load import load_workspace

    ws, _ = load_workspace(acme_repo)
    tx = records.set_task_status(ws, "store-signage", "blocked", None)
    target = acme_repo / "campaigns/black-friday-2026/tasks.yaml"
    someone_else = target.read_text() + "# edited by a colleague\n"
    target.write_text(someone_else)
    with pytest.raises(edit.EditRefused, match="changed on disk while mpm was editing it"):
        tx.commit()
    assert target.read_text() == someone_else


# -- fmt -------------------------------------------------------------------------------

@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "mpm.yaml").exists()))
def test_examples_are_formatted(example):
    r = run_mpm("fmt", "--check", "-w", str(EXAMPLES / example))
    assert r.exit_code == 0, r.stdout


def test_fmt_is_idempotent_and_keeps_comments(tmp_path):
    root = write_workspace(tmp_path / "ws", {"mpm.yaml": "name: Fmt\nteam:\n  - {id: sam, name: Sam}\n",
                                             "campaigns/always-on-content/campaign.yaml":
                                                 "name: Content\nstart: 2026-10-05\n"})
    tasks = root / "campaigns/always-on-content/tasks.yaml"
    messy = ("# team notes stay\n- name: Editorial calendar   # comment on the name\n"
             "  id: editorial-calendar\n  duration: 5\n  owner: sam\n  done_on: '2026-10-09'\n"
             "  status: done\n  started_on: 2026-10-05\n  x-ticket: MKT-9\n")
    tasks.write_text(messy)
    check = run_mpm("fmt", "--check", "-w", str(root))
    assert check.exit_code == 1 and "would reformat campaigns/always-on-content/tasks.yaml" in check.stdout
    assert run_mpm("fmt", "-w", str(root)).exit_code == 0
    assert tasks.read_text() == (
        "# team notes stay\n- id: editorial-calendar\n  name: Editorial calendar # comment on the name\n"
        "  owner: sam\n  duration: 5\n  status: done\n  started_on: 2026-10-05\n  done_on: 2026-10-09\n"
        "  x-ticket: MKT-9\n")
    assert run_mpm("fmt", "--check", "-w", str(root)).exit_code == 0
    assert run_mpm("fmt", "-w", str(root)).stdout.startswith("reformatted 0 of")


def test_a_repository_config_never_runs_a_program(history, tmp_path):
    """`.git/config` is the repository's, as untrusted as its files: fsmonitor and signature checks stay off."""
    repo = tmp_path / "hostile"
    shutil.copytree(history, repo)
    marker = tmp_path / "ran"
    script = tmp_path / "hook.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    script.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(script))
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "gpg.program", str(script))
    tasks = repo / "campaigns/launch/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("due: 2027-01-15", "due: 2027-01-06"))
    git(repo, "add", "-A")
    marker.unlink(missing_ok=True)  # git add above may have run it
    for args in (("--staged",), ("HEAD~1..HEAD",), ()):
        r = run_mpm("diff", *args, "--workspace", str(repo), "--as-of", AS_OF)
        assert r.exit_code == 0, r.output
    assert not marker.exists()


def test_fmt_formats_only_the_files_mpm_reads_and_keeps_links(tmp_path):
    from conftest import ACME, copy_workspace

    ws = copy_workspace(ACME, tmp_path / "acme")
    messy = "- id: x\n  duration: 1\n  name: Not mpm's\n"
    for rel in ("docs/tasks.yaml", "campaigns/black-friday-2026/notes/tasks.yaml", "ci.yaml"):
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(messy)
    shared = ws / "campaigns/black-friday-2026/risks.yaml"
    real = ws / "shared-risks.yaml"
    shared.rename(real)
    real.write_text(real.read_text().replace("  title:", "  x-was: 1\n  title:", 1))
    shared.symlink_to("../../shared-risks.yaml")
    reordered = real.read_text()
    r = run_mpm("fmt", "--workspace", str(ws))
    assert r.exit_code == 0, r.output
    for rel in ("docs/tasks.yaml", "campaigns/black-friday-2026/notes/tasks.yaml", "ci.yaml"):
        assert (ws / rel).read_text() == messy, rel
    assert shared.is_symlink() and real.read_text() != reordered
    assert run_mpm("fmt", "--check", "--workspace", str(ws)).exit_code == 0
    r = run_mpm("fmt", str(ws / "docs/tasks.yaml"), "--workspace", str(ws))
    assert r.exit_code == 2 and "not a file mpm reads" in r.output
