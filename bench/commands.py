"""Every read command against the read floor: how far each is from just reading the YAML.

    python bench/commands.py [--sizes 1000,10000,100000] [--runs 3] [--one-campaign 60000]
                             [--baseline DIR/src]

For each size it generates a seeded workspace (bench/out/ws-N, reused when
present; one asset for every ten tasks) and, in the same run, measures the
read floor: a fresh Python process that reads every YAML file of the
workspace with yaml-rs and does nothing else. Then every read command runs
as fresh `mpm` processes, cold (`MPM_NO_CACHE=1`: no answer or file cache)
and warm (the same command again on unchanged files), printing the median
wall time, the ratio to the floor and the peak resident memory, and the CPU
time (user + system) with its ratio to the floor's: on a machine that other
work shares, CPU time is what an idle machine's wall time would be. The
floor runs again right before every run of a command, and a ratio is the
median of each run's ratio to the floor run just before it: a machine whose
speed drifts over minutes moves both alike (the floor printed above a table
is its median at the start).

`--baseline DIR/src` also times another build of mpm (its `src` folder, e.g. from
`git archive REV src | tar -x -C DIR`), run by run in turn with this one (A B A B ...),
so a drift of the machine's speed moves both alike; its columns come first.

`--one-campaign N` adds the case of N tasks in a single campaign without
dependencies (no step may be quadratic over one campaign's or one person's
tasks). `--only NAME,...` limits the commands.

The targets (performance issue): cold at 100k tasks every command ≤ 4× the
floor and ≤ 500 MB; at 10k every command ≤ 1 s; the one-campaign case
≤ 10 s for every command.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, one_campaign  # noqa: E402

AS_OF = "2026-11-16"
MPM = [sys.executable, "-m", "mpm"]

FIRST = "{first campaign}"  # in a command's arguments: the id of the workspace's first campaign

# name, arguments; each gets --workspace, and --as-of where the command takes it
COMMANDS: list[tuple[str, list[str], bool]] = [
    ("check", ["check"], False),
    ("plan json", ["plan", "--format", "json"], True),
    ("plan table", ["plan"], True),
    ("status json", ["status", "--format", "json", "--fail-on", "never"], True),
    ("status table", ["status", "--fail-on", "never"], True),
    ("quarter table", ["quarter"], True),
    ("quarter json", ["quarter", "--format", "json"], True),
    ("goals", ["goals"], True),
    ("risks", ["risks"], True),
    ("budget", ["budget"], False),
    ("content", ["content"], True),
    ("report html", ["report", "--format", "html"], True),
    ("report md", ["report", "--format", "md"], True),
    ("export csv", ["export", "csv"], True),
    ("export ics", ["export", "ics"], True),
    ("export json", ["export", "json"], True),
    ("export mermaid", ["export", "mermaid"], True),
    ("forecast table", ["forecast"], True),
    ("forecast json", ["forecast", "--format", "json"], True),
    ("forecast one", ["forecast", FIRST], True),
]

FLOOR = """
import sys, yaml_rs
from pathlib import Path
for p in sorted(Path(sys.argv[1]).rglob('*.yaml')):
    yaml_rs.loads(p.read_text(encoding='utf-8'), parse_datetime=False)
"""


def run_once(args: list[str], env: dict[str, str], cwd: Path | None = None
             ) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in KB, exit code) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
            os.waitstatus_to_exitcode(status))


def median(args: list[str], runs: int, env: dict[str, str], cwd: Path | None = None
           ) -> tuple[float | None, float, int]:
    """Median wall and CPU seconds and the peak memory of `runs` runs; None when it failed."""
    wall, cpu, peak, _, _ = medians(args, runs, [env], cwd)[0]
    return wall, cpu, peak


def medians(args: list[str], runs: int, envs: list[dict[str, str]], cwd: Path | None = None,
            floor_cmd: list[str] | None = None
            ) -> list[tuple[float | None, float, int, float, float]]:
    """`median` for each environment (a build each), their runs taken in turn; with
    `floor_cmd`, the floor runs first in each round and each run is also divided by the
    floor of its own round: (wall, CPU, peak, median wall ratio, median CPU ratio). On a
    machine whose speed drifts from minute to minute, a ratio to the floor run seconds
    before is what holds."""
    walls: list[list[float]] = [[] for _ in envs]
    cpus: list[list[float]] = [[] for _ in envs]
    ratios: list[list[float]] = [[] for _ in envs]
    cpu_ratios: list[list[float]] = [[] for _ in envs]
    peaks = [0] * len(envs)
    failed = [False] * len(envs)
    for _ in range(runs):
        floor_wall, floor_cpu = run_once(floor_cmd, envs[-1])[:2] if floor_cmd else (0.0, 0.0)
        for i, env in enumerate(envs):
            if failed[i]:
                continue
            wall, cpu, rss, code = run_once(args, env, cwd)
            if code not in (0, 1):
                failed[i] = True  # failed, or the command does not exist in this build
                continue
            walls[i].append(wall)
            cpus[i].append(cpu)
            if floor_cmd:
                ratios[i].append(wall / floor_wall)
                cpu_ratios[i].append(cpu / floor_cpu)
            peaks[i] = max(peaks[i], rss)
    return [(None, 0.0, 0, 0.0, 0.0) if failed[i] else
            (statistics.median(walls[i]), statistics.median(cpus[i]), peaks[i],
             statistics.median(ratios[i]) if ratios[i] else 0.0,
             statistics.median(cpu_ratios[i]) if cpu_ratios[i] else 0.0)
            for i in range(len(envs))]


def floor_argv(root: Path) -> list[str]:
    return [sys.executable, "-c", FLOOR, str(root)]


def floor(root: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """The floor's median over at least three runs, after one that fills the page cache: the
    commands after it read warm files too, and one run on a shared machine is noise."""
    argv = floor_argv(root)
    run_once(argv, env)
    wall, cpu, _ = median(argv, max(runs, 3), env)
    assert wall is not None, "yaml-rs could not read the workspace"
    return wall, cpu


def table(root: Path, label: str, runs: int, only: set[str] | None, warm: bool, baseline: str | None) -> None:
    base_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    cold_env = {**base_env, "MPM_NO_CACHE": "1"}
    envs = [cold_env]
    if baseline:
        envs.insert(0, {**cold_env, "PYTHONPATH": baseline})
    read_floor, floor_cpu = floor(root, runs, base_env)
    print(f"\n{label}: read floor (yaml-rs, every file) {read_floor:.2f} s, CPU {floor_cpu:.2f} s\n")
    first = "| baseline s | × floor | peak MB " if baseline else ""
    print(f"| command {first}| cold s | × floor | peak MB | CPU s | CPU × floor |" + (" warm s |" if warm else ""))
    print("|---|" + ("---:|---:|---:|" if baseline else "") + "---:|---:|---:|---:|---:|" + ("---:|" if warm else ""))
    out_dir = Path(tempfile.mkdtemp(prefix="mpm-bench-"))
    first = min(p.name for p in (root / "campaigns").iterdir() if p.is_dir())
    for name, argv, as_of in COMMANDS:
        if only and name not in only:
            continue
        full = [*MPM, *(first if a == FIRST else a for a in argv), "--workspace", str(root)]
        if as_of:
            full += ["--as-of", AS_OF]
        if name == "export ics":
            full += ["-o", str(out_dir / "plan.ics")]
        shutil.rmtree(root / ".mpm-cache", ignore_errors=True)
        found = medians(full, runs, envs, out_dir, floor_argv(root))
        row = f"| {name} |"
        if baseline:
            old, _, old_peak, old_ratio, _ = found[0]
            row += (f" {old:.2f} | {old_ratio:.1f}× | {old_peak / 1024:.0f} |" if old is not None
                    else " failed | | |")
        cold, cpu, peak, ratio, cpu_ratio = found[-1]
        if cold is None:
            print(row + " failed | | | | |" + (" |" if warm else ""), flush=True)
            continue
        row += (f" {cold:.2f} | {ratio:.1f}× | {peak / 1024:.0f} | {cpu:.2f} | "
                f"{cpu_ratio:.1f}× |")
        if warm:
            median(full, 1, base_env, out_dir)  # fill the cache
            hot, _, _ = median(full, runs, base_env, out_dir)
            row += f" {hot:.2f} |" if hot is not None else " failed |"
        print(row, flush=True)
    shutil.rmtree(out_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--one-campaign", type=int, default=60_000, help="0: leave the case out")
    parser.add_argument("--only", default="", help="comma-separated command names")
    parser.add_argument("--no-warm", action="store_true")
    parser.add_argument("--baseline", default=None, help="another build's src folder, timed in turn with this one")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None

    # byte-compile mpm as `pip install` does: an editable checkout under PYTHONDONTWRITEBYTECODE
    # would otherwise compile every module in every run
    import compileall

    import mpm

    compileall.compile_dir(os.path.dirname(mpm.__file__), quiet=1)
    baseline = str(Path(args.baseline).resolve()) if args.baseline else None
    if baseline:
        compileall.compile_dir(baseline, quiet=1)
    print(f"mpm command benchmark — {date.today().isoformat()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}")
    for size in (int(s) for s in args.sizes.split(",") if s):
        root = args.out / f"ws-{size}"
        if not (root / "mpm.yaml").exists():
            generate(root, size, assets=size // 10)
        table(root, f"{size:,} tasks", args.runs, only, not args.no_warm, baseline)
    if args.one_campaign:
        root = args.out / f"one-campaign-{args.one_campaign}"
        if not (root / "mpm.yaml").exists():
            one_campaign(root, args.one_campaign)
        table(root, f"{args.one_campaign:,} tasks in one campaign", args.runs, only, False, baseline)


if __name__ == "__main__":
    main()
