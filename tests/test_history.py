"""`mpm history` over a scripted git history: each commit's forecast, its shift and its cause."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_mpm, write_workspace
from scripted import WORKSPACE, build, commit, git

T = "campaigns/launch/tasks.yaml"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("history")
    build(root)
    return root


def history(root: Path, *args: str) -> dict:
    r = run_mpm("history", *args, "--workspace", str(root), "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/history/1"
    return doc


def rows(doc: dict) -> list[tuple]:
    out = []
    for c in doc["commits"]:
        (p,) = c["campaigns"] or [None]
        cause = p["cause"] if p else None
        out.append((c["subject"], c["as_of"], p and p["launch"], p and p["launch_shift_days"],
                    p and p["finish_shift_days"], cause and cause["change"], cause and cause["clock"]))
    return out


def test_each_commit_as_of_its_own_date(repo):
    doc = history(repo)
    assert doc["as_of"] is None and doc["campaigns"] == ["launch"]
    assert rows(doc) == [
        ("Launch plan", "2027-01-04", "2027-01-12", None, None, None, None),
        ("Landing page takes eight days", "2027-01-04", "2027-01-15", 3, 3, "task page: duration: 5 → 8", False),
        ("Landing page takes ten days", "2027-01-04", "2027-01-19", 2, 2, "task page: duration: 8 → 10", False),
        ("Office closed on 8 January", "2027-01-04", "2027-01-20", 1, 1,
         "workspace calendar.holidays[2027-01-08] added (and 1 more)", False),
        ("Media invoice", "2027-01-04", "2027-01-20", 0, 0, None, None),
        ("Video needs a full edit", "2027-01-04", "2027-01-20", 0, 0, None, None),
        ("Video waits for the landing page, go-live for the video", "2027-01-04", "2027-01-25", 3, 3,
         "task live: depends_on: +video (and 1 more)", False),
        ("Sign-up target raised", "2027-01-04", "2027-01-25", 0, 0, None, None),
        ("No social posts", "2027-01-04", "2027-01-25", 0, 0, None, None),
        ("Webinar out of scope", "2027-01-04", "2027-01-25", 0, 0, None, None),
        # a week later: one day from the change, four from the clock
        ("Brief takes a day longer", "2027-01-11", "2027-02-01", 5, 5, "task brief: duration: 2 → 3", True),
        ("Design invoice", "2027-01-12", "2027-02-02", 1, 1, None, True),
    ]
    first = doc["commits"][1]
    assert first["author"] == "Ana" and len(first["commit"]) == 40
    cause = first["campaigns"][0]["cause"]
    assert cause["consequence"] == "launch (live) 2027-01-12 → 2027-01-15 (3 working days later)"
    assert doc["commits"][-1]["campaigns"][0]["cause"]["consequence"] == (
        "the clock: work not done by 2027-01-12 starts no earlier")


def test_one_as_of_for_every_commit(repo):
    doc = history(repo, "--as-of", "2027-01-04")
    assert doc["as_of"] == "2027-01-04"
    assert rows(doc)[-2:] == [
        ("Brief takes a day longer", "2027-01-04", "2027-01-26", 1, 1, "task brief: duration: 2 → 3", False),
        ("Design invoice", "2027-01-04", "2027-01-26", 0, 0, None, None)]


def test_a_range_is_compared_with_its_start(repo):
    doc = history(repo, "HEAD~2..HEAD", "--campaign", "launch")
    assert [r[:5] for r in rows(doc)] == [("Brief takes a day longer", "2027-01-11", "2027-02-01", 5, 5),
                                         ("Design invoice", "2027-01-12", "2027-02-02", 1, 1)]


def test_table_and_markdown(repo):
    r = run_mpm("history", "-w", str(repo), "--as-of", "2027-01-04", width=160)
    assert r.exit_code == 0, r.output
    line = next(x for x in r.stdout.splitlines() if x.startswith(git(repo, "rev-parse", "HEAD~5").strip()[:8]))
    assert "2027-01-25 +3" in line and "Video waits for the landing" in line and "task live" in line
    assert "forecasts as of 2027-01-04" in r.stdout
    md = run_mpm("history", "-w", str(repo), "--format", "md").stdout
    assert md.startswith("### mpm history\n")
    assert "| 2027-01-11 | `launch` | 2027-02-01 | +5 | 2027-02-02 | +5 | task brief: duration: 2 → 3 → " in md


def test_nothing_is_checked_out(repo):
    head = git(repo, "rev-parse", "HEAD")
    history(repo, "HEAD~3")
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""


def test_invalid_and_missing_versions(repo, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(repo, root)
    commit(root, "Typo", "2027-01-12", {T: ("  owner: ben\n  duration: 10", "  owner: ben\n  duration: ten")})
    commit(root, "Fix the typo, page takes eleven days", "2027-01-12",
           {T: ("  owner: ben\n  duration: ten", "  owner: ben\n  duration: 11")})
    doc = history(root, "HEAD~2..HEAD")
    typo, fixed = doc["commits"]
    assert typo["problem"] == "1 error in the files: not planned" and typo["campaigns"] == []
    # compared with the last version that could be planned: the start of the range
    assert fixed["campaigns"][0]["launch_shift_days"] == 1
    assert fixed["campaigns"][0]["cause"]["change"] == "task page: duration: 10 → 11"


def test_workspace_removed_from_the_repository(tmp_path):
    root = tmp_path / "repo"
    write_workspace(root / "marketing", WORKSPACE)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plans")
    keep = tmp_path / "kept"
    shutil.copytree(root / "marketing", keep)
    git(root, "rm", "-rq", "marketing")
    git(root, "commit", "-qm", "Plans move out")
    shutil.copytree(keep, root / "marketing")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Plans are back")
    doc = history(root / "marketing")
    assert [(c["subject"], c["problem"]) for c in doc["commits"]] == [
        ("Plans", None), ("Plans move out", "the workspace is not in the repository at this commit"),
        ("Plans are back", None)]
    assert doc["commits"][2]["campaigns"][0]["launch_shift_days"] == 0


def test_bad_input(repo):
    for args, words in [(["no-such-tag"], "'no-such-tag' does not name a commit"),
                        (["--", "--all"], "'--all' is not a revision"),
                        (["main...feature"], "history takes A..B"),
                        (["main..--all"], "is not a revision range"),
                        (["--campaign", "nope"], "no campaign 'nope' in these commits")]:
        r = run_mpm("history", "--workspace", str(repo), *args)
        assert r.exit_code == 2, (args, r.output)
        assert words in r.stderr, (args, r.stderr)


def test_html_report_charts_the_forecast_over_time(repo, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(repo, root)
    commit(root, "<script>alert(1)</script> & page takes twelve days", "2027-01-13",
           {T: ("  owner: ben\n  duration: 10", "  owner: ben\n  duration: 12")})
    out = tmp_path / "report.html"
    r = run_mpm("report", "-w", str(root), "--as-of", "2027-01-13", "--format", "html", "--history", "HEAD~3..HEAD",
                "-o", str(out))
    assert r.exit_code == 0, r.output
    page = out.read_text()
    chart = page[page.index("<h3>Forecast over time</h3>"):]
    chart = chart[:chart.index("</svg>")]
    assert chart.count("<circle") == 6  # launch and finish at three commits
    assert "launch 2027-02-02 — Design invoice" in chart
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; page" in chart
    r = run_mpm("report", "-w", str(root), "--as-of", "2027-01-13", "--format", "html")
    assert "Forecast over time" not in r.stdout
    r = run_mpm("report", "-w", str(root), "--history", "HEAD")
    assert r.exit_code == 2 and "add --format html" in r.stderr


def test_campaign_added_and_removed(repo, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(repo, root)
    write_workspace(root, {"campaigns/webinar/campaign.yaml": "name: Webinar\nstart: 2027-02-01\n",
                           "campaigns/webinar/tasks.yaml": "- id: invite\n  name: Invite\n  duration: 2\n"})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "A webinar \x1b[2J\x1b[31mtoo", day="2027-01-13")
    git(root, "rm", "-rq", "campaigns/webinar")
    git(root, "commit", "-qm", "No webinar after all", day="2027-01-14")
    doc = history(root, "HEAD~2..HEAD", "--as-of", "2027-01-13")
    added, removed = doc["commits"]
    assert added["subject"] == "A webinar \ufffd[2J\ufffd[31mtoo"  # no terminal controls from git
    assert {p["id"]: (p["state"], p["cause"]["change"] if p["cause"] else None) for p in added["campaigns"]} == {
        "launch": ("planned", None), "webinar": ("added", "campaign added")}
    assert [(p["id"], p["state"]) for p in removed["campaigns"]] == [("launch", "planned"), ("webinar", "removed")]
    table = run_mpm("history", "HEAD~2..HEAD", "-w", str(root), "--as-of", "2027-01-13", width=200).stdout
    assert "\x1b" not in table and "campaign added" in table and "campaign removed" in table
