"""The mpm benchmark: one command, one table.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 5]

For each size it generates a seeded workspace (bench/out/, reused when
present) and prints the median wall time of fresh `mpm` processes for check,
plan, status and quarter (cold: --no-cache; warm: unchanged files, the cache
filled by an earlier run), `mpm plan` right after one tasks file was edited
(the file cache serves every other file), the scheduling engine alone on the
already-built network, peak memory of a cold `mpm plan`, and start-up
(`mpm --version`, `mpm --help`). Commands this build of mpm does not have
are shown as "n/a".

A second table times `mpm forecast` cold on workspaces where a third of the
tasks carry estimates and each campaign has a risk with a delay (10,000
tasks × 2,000 runs, 100,000 tasks × 1,000 runs): wall time, CPU time (user +
system: the wall time on a machine nobody else is using), runs per second
and peak memory. `--forecast-only` prints just that table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-11-16"
MPM = [sys.executable, "-m", "mpm"]


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KB, exit code) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def median_run(args: list[str], runs: int, env: dict[str, str]) -> tuple[float | None, int]:
    times, peak = [], 0
    for _ in range(runs):
        seconds, rss, code = run_once(args, env)
        if code == 2 and not times:
            return None, 0  # the command does not exist in this build, or failed
        times.append(seconds)
        peak = max(peak, rss)
    return statistics.median(times), peak


def edited_run(args: list[str], runs: int, env: dict[str, str], victim: Path) -> float:
    """Median time of `args` right after `victim` changed: a new comment line each run."""
    original = victim.read_bytes()
    times = []
    try:
        for k in range(runs):
            victim.write_bytes(original + f"# edited by the benchmark, run {k}\n".encode())
            seconds, _, _ = run_once(args, env)
            times.append(seconds)
    finally:
        victim.write_bytes(original)
    return statistics.median(times)


def has_command(name: str) -> bool:
    out = subprocess.run([*MPM, name, "--help"], capture_output=True, text=True)
    return out.returncode == 0


def engine_time(root: Path, runs: int) -> tuple[float, int, int]:
    from mpm.plan import engine
    from mpm.plan.schedule import build_plan
    from mpm.read.load import load_workspace

    ws, _ = load_workspace(root)
    net = build_plan(ws, date.fromisoformat(AS_OF)).network
    edges = sum(len(p) for p in net.preds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        engine.schedule(net)
        times.append(time.perf_counter() - start)
    return statistics.median(times), net.size, edges


def fmt(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.3f}"


FORECASTS = {10_000: 2000, 100_000: 1000}  # tasks -> Monte Carlo runs (the targets' sizes)


def forecast_table(out: Path, sizes: list[int], repeat: int, env: dict[str, str]) -> None:
    if not has_command("forecast"):
        print("mpm forecast: n/a")
        return
    print("| tasks | estimates | risks with a delay | runs | forecast cold s | CPU s | runs/s (CPU) | peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        runs = FORECASTS.get(size, 2000)
        root = out / f"ws-forecast-{size}"
        if not (root / "mpm.yaml").exists():
            generate(root, size, forecast=True)
        estimates = sum(p.read_text(encoding="utf-8").count("  estimate:")
                        for p in (root / "campaigns").glob("*/tasks.yaml"))
        risks = sum(p.read_text(encoding="utf-8").count("  delay_days:")
                    for p in (root / "campaigns").glob("*/risks.yaml"))
        argv = [*MPM, "forecast", "--workspace", str(root), "--as-of", AS_OF, "--format", "json",
                "--runs", str(runs)]
        walls, cpus, peak = [], [], 0
        for _ in range(repeat if size <= 10_000 else 1):
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)  # what an idle machine's wall time would be
            peak = max(peak, usage.ru_maxrss)
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"| {size:,} | {estimates:,} | {risks:,} | {runs:,} | failed | | | |")
                break
        else:
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"| {size:,} | {estimates:,} | {risks:,} | {runs:,} | {wall:.2f} | {cpu:.2f} | "
                  f"{runs / cpu:,.0f} | {peak / 1024:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--forecast-only", action="store_true", help="only the mpm forecast table")
    parser.add_argument("--forecast-sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    forecast_sizes = [int(s) for s in args.forecast_sizes.split(",")]

    base_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    cold_env = {**base_env, "MPM_NO_CACHE": "1"}
    commands = [("check", ["check"]), ("plan", ["plan", "--format", "json"]),
                ("status", ["status", "--format", "json"]), ("quarter", ["quarter", "--format", "json"]),
                ("content", ["content"])]
    available = {name: has_command(argv[0]) for name, argv in commands}

    print(f"mpm benchmark — {date.today().isoformat()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform(terse=True)}")
    if args.forecast_only:
        forecast_table(args.out, forecast_sizes, args.runs, cold_env)
        return
    version, _ = median_run([*MPM, "--version"], args.runs, base_env)
    helptime, _ = median_run([*MPM, "--help"], args.runs, base_env)
    print(f"start-up: mpm --version {fmt(version)} s, mpm --help {fmt(helptime)} s")
    print()
    header = ["tasks", "nodes", "deps", "engine s"]
    for name, _ in commands:
        header += [f"{name} cold s", f"{name} warm s"]
    header += ["plan 1 file edited s", "plan peak MB", "plan µs/task"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for size in sizes:
        root = args.out / f"ws-{size}"
        if not (root / "mpm.yaml").exists():
            generate(root, size, assets=size // 10)  # an inventory of one asset per ten tasks
        runs = args.runs if size <= 10_000 else max(3, args.runs // 2)
        seconds, nodes, edges = engine_time(root, runs)
        row = [f"{size:,}", f"{nodes:,}", f"{edges:,}", f"{seconds:.3f}"]
        peak_kb = 0
        plan_cold = None
        for name, argv in commands:
            if not available[name]:
                row += ["n/a", "n/a"]
                continue
            full = [*MPM, *argv, "--workspace", str(root)]
            if name != "check":
                full += ["--as-of", AS_OF]
            shutil.rmtree(root / ".mpm-cache", ignore_errors=True)
            cold, peak = median_run(full, runs, cold_env)
            median_run(full, 1, base_env)  # fill the cache
            warm, _ = median_run(full, runs, base_env)
            if name == "plan":
                peak_kb, plan_cold = peak, cold
                victim = sorted((root / "campaigns").iterdir())[0] / "tasks.yaml"
                edited = edited_run(full, runs, base_env, victim)
            row += [fmt(cold), fmt(warm)]
        row += [fmt(edited) if available["plan"] else "n/a", f"{peak_kb / 1024:.0f}",
                f"{plan_cold / size * 1e6:.0f}" if plan_cold else "n/a"]
        print("| " + " | ".join(row) + " |", flush=True)
    print()
    forecast_table(args.out, forecast_sizes, args.runs, cold_env)


if __name__ == "__main__":
    main()
