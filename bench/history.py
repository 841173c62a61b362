"""The `mpm history` benchmark: a long git history of a big workspace.

    python bench/history.py [--tasks 1000] [--commits 200] [--runs 3]

Generates the seeded workspace of bench/generate.py in a git repository
(bench/out/history-<tasks>-<commits>/, reused when present), then commits
`--commits` realistic edits, one a day: a task takes longer or shorter, a
task is done, a budget line gets an invoice, a comment is added. It prints
the median wall time of a fresh `mpm history --format json` process over the
whole history (each commit planned as of its own date) and with one
`--as-of`. The target is 10 s for 200 commits of 1,000 tasks.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TARGET_S = 10.0
START = date(2026, 9, 1)


def git(repo: Path, *args: str, day: date | None = None) -> str:
    stamp = f"{(day or START).isoformat()}T10:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def edit(root: Path, rng: random.Random) -> str:
    """One realistic change to one file; its commit subject."""
    campaigns = sorted((root / "campaigns").iterdir())
    camp = rng.choice(campaigns)
    kind = rng.random()
    if kind < 0.15:
        path = camp / "campaign.yaml"
        text = path.read_text()
        lines = list(re.finditer(r"actual: (\d+)", text))
        if lines:
            m = rng.choice(lines)
            text = text[:m.start()] + f"actual: {int(m.group(1)) + 500}" + text[m.end():]
            path.write_text(text)
            return f"{camp.name}: invoice booked"
    path = camp / "tasks.yaml"
    text = path.read_text()
    if kind < 0.7:
        found = list(re.finditer(r"\n  duration: (\d+)", text))
        m = rng.choice(found)
        old = int(m.group(1))
        days = old + rng.choice((-1, 1, 1, 2))
        if days < 1:
            days = old + 1
        path.write_text(text[:m.start()] + f"\n  duration: {days}" + text[m.end():])
        return f"{camp.name}: re-estimated a task ({days} days)"
    path.write_text(text + f"# reviewed in the weekly meeting ({rng.randrange(10**6)})\n")
    return f"{camp.name}: weekly review notes"


def make_repo(out: Path, tasks: int, commits: int, seed: int = 7) -> Path:
    repo = out / f"history-{tasks}-{commits}"
    if (repo / ".git").is_dir():
        return repo
    building = out / f".building-{tasks}-{commits}"
    if building.exists():
        shutil.rmtree(building)
    generate(building, tasks, seed)
    git(building, "init", "-q", "-b", "main")
    git(building, "add", "-A")
    git(building, "commit", "-qm", "Plans", day=START)
    rng = random.Random(seed)
    day = START
    for _ in range(commits - 1):
        day += timedelta(days=1)
        subject = edit(building, rng)
        git(building, "commit", "-qam", subject, day=day)
    building.rename(repo)  # whole or not at all: a run cut short is built again
    return repo


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of fresh processes; CPU is what a busy machine does not inflate."""
    walls, cpus = [], []
    env = {**os.environ, "MPM_NO_CACHE": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(args)} failed")
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    repo = make_repo(args.out, args.tasks, args.commits)
    mpm = [sys.executable, "-m", "mpm", "history", "--workspace", str(repo), "--format", "json"]
    own = timed(mpm, args.runs)
    fixed = timed([*mpm, "--as-of", "2027-01-04"], args.runs)
    print(f"mpm history — {args.commits} commits of a {args.tasks:,}-task workspace, "
          f"median of {args.runs} fresh processes, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print("| as of | wall s | CPU s | target |")
    print("|---|---|---|---|")
    verdict = "met" if own[0] <= TARGET_S else "NOT met"
    print(f"| each commit's date | {own[0]:.2f} | {own[1]:.2f} | ≤ {TARGET_S:.0f} s — {verdict} |")
    print(f"| one --as-of | {fixed[0]:.2f} | {fixed[1]:.2f} | |")


if __name__ == "__main__":
    main()
