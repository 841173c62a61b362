"""The levelling benchmark (DESIGN §3b): quality on PSPLIB, and speed.

    python bench/level.py [--sizes 1000,10000,100000] [--runs 3]

Prints three tables:
- PSPLIB j30 (bench/psplib-j30/): per instance the optimum, mpm's levelled
  makespan through the workspace mapping of §3b, the excess, and the
  engine's time (the median of --runs);
- the levelling engine alone on generated workspaces (bench/generate.py);
- the whole command, cold: `mpm --no-cache plan --format json --level`,
  median wall time and peak memory of fresh processes, against the same
  command with --no-level.
Workspaces are generated once into bench/out/ (seeded: the same files every
time) with 10, 50 and 200 people for 1k, 10k and 100k tasks.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import psplib  # noqa: E402
from generate import generate  # noqa: E402
from run import AS_OF, MPM, median_run  # noqa: E402

PEOPLE = {1_000: 10, 10_000: 50, 100_000: 200}


def psplib_table(runs: int) -> None:
    from mpm.check.checks import check_workspace
    from mpm.plan import level, schedule
    from mpm.read.files import MemoryFiles

    folder = HERE / "psplib-j30"
    optima = psplib.optima(folder)
    start = date.fromisoformat(psplib.START)
    print("PSPLIB j30 sample, levelled through the workspace mapping of DESIGN §3b")
    print()
    print("| instance | optimum | mpm | excess | engine ms | passes |")
    print("|---|---:|---:|---:|---:|---:|")
    excesses, times = [], []
    for name in sorted(optima):
        files = {k: v.encode() for k, v in psplib.workspace(psplib.parse(folder / f"{name}.sm")).items()}
        ws, _ = check_workspace(Path("/psplib"), files=MemoryFiles(files))
        spent: list[float] = []
        passes = 0
        real = level.level

        def timed(*args, _spent=spent, real=real):  # the engine's own time, not the workspace around it
            nonlocal passes
            t0 = time.perf_counter()
            out = real(*args)
            _spent.append(time.perf_counter() - t0)
            passes = out.passes
            return out

        level.level = timed
        try:
            for _ in range(runs):
                plan = schedule.build_plan(ws, start, level=True)
        finally:
            level.level = real
        makespan = plan.campaigns[0].finish_offset - plan.calendar.offset(start)
        excess = 100 * (makespan - optima[name]) / optima[name]
        ms = statistics.median(spent) * 1000
        excesses.append(excess)
        times.append(ms)
        print(f"| {name} | {optima[name]} | {makespan} | {excess:.1f} % | {ms:.1f} | {passes} |")
    print(f"| mean | | | {statistics.mean(excesses):.2f} % | {statistics.mean(times):.1f} | |")
    print()


def workspace(size: int, out: Path) -> Path:
    root = out / f"level-{size}-{PEOPLE.get(size, 50)}"
    if not (root / "mpm.yaml").exists():
        generate(root, size, people=PEOPLE.get(size, 50))
    return root


def engine_table(sizes: list[int], out: Path, runs: int) -> None:
    from mpm.plan import level, schedule
    from mpm.read.load import load_workspace

    print("The levelling engine alone (plan.level.level on the built network)")
    print()
    print("| tasks | people | nodes | engine s | passes | last finish §3 | levelled |")
    print("|---:|---:|---:|---:|---:|---|---|")
    for size in sizes:
        ws, _ = load_workspace(workspace(size, out))
        spent: list[float] = []
        real = level.level
        info: dict[str, int] = {}

        def timed(*args, _spent=spent, _info=info, real=real):
            t0 = time.perf_counter()
            result = real(*args)
            _spent.append(time.perf_counter() - t0)
            _info["passes"] = result.passes
            return result

        level.level = timed
        try:
            for _ in range(runs if size <= 10_000 else 1):
                plan = schedule.build_plan(ws, date.fromisoformat(AS_OF), level=True)
        finally:
            level.level = real
        plain = schedule.build_plan(ws, date.fromisoformat(AS_OF), level=False)
        last = max(c.finish for c in plain.campaigns if c.finish)
        after = max(c.finish for c in plan.campaigns if c.finish)
        print(f"| {size:,} | {PEOPLE.get(size, 50)} | {plan.network.size:,} | {statistics.median(spent):.3f} | "
              f"{info['passes']} | {last} | {after} |", flush=True)
    print()


def command_table(sizes: list[int], out: Path, runs: int) -> None:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "MPM_NO_CACHE": "1"}
    print("The whole command, cold: mpm --no-cache plan --format json")
    print()
    print("| tasks | people | --level s | peak MB | --no-level s | peak MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        root = workspace(size, out)
        n = runs if size <= 10_000 else 1
        row = [f"{size:,}", str(PEOPLE.get(size, 50))]
        for flag in ("--level", "--no-level"):
            seconds, peak = median_run([*MPM, "--no-cache", "plan", "--format", "json", flag, "-w", str(root),
                                        "--as-of", AS_OF], n, env)
            row += [f"{seconds:.2f}", f"{peak / 1024:.0f}"]
        print("| " + " | ".join(row) + " |", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"mpm levelling benchmark — {date.today().isoformat()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores")
    print()
    psplib_table(args.runs)
    engine_table(sizes, args.out, args.runs)
    command_table(sizes, args.out, args.runs)


if __name__ == "__main__":
    main()
