"""A real git repository with a scripted history, one kind of change per commit.

Each commit is a small edit of the workspace below, with a fixed commit date,
so that `mpm diff` between two neighbours and `mpm history` over the whole
line have known answers. A branch `feature` leaves from the last commit of
the script, and main moves on with a commit of its own, for `A...B`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import write_workspace

T = "campaigns/launch/tasks.yaml"
C = "campaigns/launch/campaign.yaml"
G = "campaigns/launch/goals.yaml"
W = "mpm.yaml"

WORKSPACE = {
    W: ("name: Scripted\nteam:\n  - {id: ana, name: Ana}\n  - {id: ben, name: Ben}\n"
        "  - {id: cara, name: Cara, capacity_hours_per_week: 40}\n"),
    C: ("name: Launch\nstart: 2027-01-04\nlaunch: 2027-01-13\nend: 2027-02-26\n"
        "scope:\n  in: [landing page, email, webinar]\n"
        "budget:\n  total: 10000\n  lines:\n    - {category: media, planned: 6000, actual: 1000}\n"
        "    - {category: design, planned: 3000, actual: 500}\n"),
    G: ("- id: signups\n  statement: Reach 500 webinar sign-ups by the end of March\n  metric: sign-ups\n"
        "  baseline: {value: 0, date: 2027-01-04}\n  target: 500\n  deadline: 2027-03-31\n"),
    T: ("- id: brief\n  name: Brief\n  owner: ana\n  duration: 2\n"
        "- id: page\n  name: Landing page\n  owner: ben\n  duration: 5\n  depends_on: [brief]\n"
        "- id: email\n  name: Email\n  owner: ana\n  duration: 2\n  depends_on: [brief]\n"
        "- id: video\n  name: Video\n  owner: cara\n  duration: 3\n  depends_on: [brief]\n"
        "- id: social\n  name: Social posts\n  owner: ana\n  duration: 1\n  depends_on: [brief]\n"
        "- id: live\n  name: Go live\n  milestone: true\n  depends_on: [page, email]\n  due: 2027-01-13\n"
        "- id: wrap\n  name: Wrap-up report\n  owner: ana\n  duration: 1\n  depends_on: [live, video]\n"),
    "campaigns/launch/risks.yaml": (
        "- id: footage\n  title: Stock footage licence is late\n  likelihood: 2\n  impact: 3\n"
        "  affects: [video]\n"),
}

# (subject, commit date, {file: (old text, new text)})
SCRIPT = [
    ("Landing page takes eight days", "2027-01-04",
     {T: ("  owner: ben\n  duration: 5", "  owner: ben\n  duration: 8")}),
    ("Landing page takes ten days", "2027-01-04",
     {T: ("  owner: ben\n  duration: 8", "  owner: ben\n  duration: 10")}),
    ("Office closed on 8 January", "2027-01-04",
     {W: ("name: Scripted\n", "name: Scripted\ncalendar:\n  holidays:\n    - {date: 2027-01-08, name: Closed}\n")}),
    ("Media invoice", "2027-01-04",
     {C: ("{category: media, planned: 6000, actual: 1000}", "{category: media, planned: 6000, actual: 11000}")}),
    ("Video needs a full edit", "2027-01-04",
     {T: ("  owner: cara\n  duration: 3\n", "  owner: cara\n  duration: 3\n  effort: 60\n")}),
    ("Video waits for the landing page, go-live for the video", "2027-01-04",
     {T: ("  duration: 3\n  effort: 60\n  depends_on: [brief]", "  duration: 3\n  effort: 60\n  depends_on: [page]"),
      "campaigns/launch/tasks.yaml#2": ("depends_on: [page, email]", "depends_on: [page, email, video]")}),
    ("Sign-up target raised", "2027-01-04", {G: ("target: 500", "target: 800")}),
    ("No social posts", "2027-01-04",
     {T: ("- id: social\n  name: Social posts\n  owner: ana\n  duration: 1\n  depends_on: [brief]\n", "")}),
    ("Webinar out of scope", "2027-01-04",
     {C: ("in: [landing page, email, webinar]\n", "in: [landing page, email]\n  out: [webinar]\n")}),
    ("Brief takes a day longer", "2027-01-11",
     {T: ("  name: Brief\n  owner: ana\n  duration: 2", "  name: Brief\n  owner: ana\n  duration: 3")}),
]
FEATURE = ("Email takes four days", "2027-01-11", {T: ("  owner: ana\n  duration: 2\n  depends_on: [brief]\n",
                                                       "  owner: ana\n  duration: 4\n  depends_on: [brief]\n")})
MAIN_AFTER = ("Design invoice", "2027-01-12",
              {C: ("{category: design, planned: 3000, actual: 500}", "{category: design, planned: 3000, actual: 900}")})


def git(repo: Path, *args: str, day: str = "2027-01-04") -> str:
    stamp = f"{day}T12:00:00+00:00"
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.com",
                               "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.com",
                               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}).stdout


def commit(repo: Path, subject: str, day: str, edits: dict[str, tuple[str, str]]) -> str:
    for name, (old, new) in edits.items():
        path = repo / name.partition("#")[0]  # "file#2": a second edit of the same file
        text = path.read_text()
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1))
    git(repo, "commit", "-qam", subject, day=day)
    return git(repo, "rev-parse", "HEAD").strip()


def build(repo: Path) -> list[str]:
    """Write the scripted history into `repo`; the commit ids of main, the first commit first."""
    write_workspace(repo, WORKSPACE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Launch plan", day="2027-01-04")
    ids = [git(repo, "rev-parse", "HEAD").strip()]
    for subject, day, edits in SCRIPT:
        ids.append(commit(repo, subject, day, edits))
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, *FEATURE)
    git(repo, "checkout", "-q", "main")
    ids.append(commit(repo, *MAIN_AFTER))
    return ids
