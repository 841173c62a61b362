"""A stand-in for the whole PSPLIB j30 set: levelling quality on 480 instances.

    python bench/psplib_set.py [--time-limit 20] [--every 1] [--check-real]

mpm's levelling is measured against the proven optima of PSPLIB's j30 set
(DESIGN §3b), of which bench/psplib-j30/ holds twelve. This dev-only script
generates 480 instances the way ProGen made j30 (Kolisch, Sprecher & Drexl,
"Characterization and generation of a general class of resource-constrained
project scheduling problems", Management Science 41 (1995) 1693–1703):
30 jobs plus two dummies, 3 start and 3 finish jobs, at most 3 successors
and 3 predecessors, no redundant arcs, network complexity NC (arcs per
node, dummies included) ∈ {1.5, 1.8, 2.1}; 4 renewable resources, durations
and requests U[1, 10], resource factor RF ∈ {0.25, 0.5, 0.75, 1} (the share
of (job, resource) pairs with a request), resource strength RS ∈ {0.2, 0.5,
0.7, 1} with R_k = r_min + round(RS·(r_max − r_min)), r_min the largest
single request and r_max the peak of the earliest-start schedule; 10
instances per combination, one fixed seed.

Each instance is solved to optimality with OR-Tools CP-SAT (one worker, a
time limit each; `pip install -e '.[bench]'`), cached in
bench/psplib_set_optima.csv so it runs once; instances not proven optimal are
reported and left out. Then it prints the mean and worst excess over the
optima of (a) one pass of the serial scheme with latest-finish priority and
(b) mpm's levelling through the workspace mapping of §3b, per resource
strength and overall, and the engine's time per instance.

`--check-real` first solves the twelve real instances and compares with
their optima in bench/psplib-j30/optimum.csv.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import psplib  # noqa: E402

CACHE = HERE / "psplib_set_optima.csv"
SEED = 20261201
NC = (1.5, 1.8, 2.1)
RF = (0.25, 0.5, 0.75, 1.0)
RS = (0.2, 0.5, 0.7, 1.0)
JOBS, RESOURCES, PER_SET = 30, 4, 10
MAX_ARCS = 3  # successors and predecessors per job
ENDS = 3  # start jobs and finish jobs


# -- generation ---------------------------------------------------------------


def _network(rng: random.Random, nc: float) -> list[set[int]] | None:
    """Successor sets of jobs 0..JOBS-1 (no dummies), non-redundant, with
    ENDS start and ENDS finish jobs and NC·(JOBS+2) arcs counting the dummies'."""
    succ: list[set[int]] = [set() for _ in range(JOBS)]
    pred: list[set[int]] = [set() for _ in range(JOBS)]
    starts, finishes = range(ENDS), range(JOBS - ENDS, JOBS)

    def walk(start: int, links: list[set[int]]) -> set[int]:
        """Every job reachable from `start` along `links` (succ: forward, pred: back)."""
        seen, stack = set(), [start]
        while stack:
            for n in links[stack.pop()]:
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
        return seen

    def allowed(a: int, b: int) -> bool:
        if a >= b or a in finishes or b in starts or b in succ[a]:
            return False
        if len(succ[a]) >= MAX_ARCS or len(pred[b]) >= MAX_ARCS:
            return False
        down = walk(b, succ) | {b}
        if b in walk(a, succ):
            return False  # a → b would be implied by a path
        up = walk(a, pred) | {a}
        # no existing arc x → y made redundant by the path x ⇝ a → b ⇝ y
        return not any(y in down and (x, y) != (a, b) for x in up for y in succ[x])

    def add(a: int, b: int) -> None:
        succ[a].add(b)
        pred[b].add(a)

    for b in range(ENDS, JOBS):
        options = [a for a in range(b) if allowed(a, b)]
        if not options:
            return None
        add(rng.choice(options), b)
    for a in range(JOBS - ENDS):
        if not succ[a]:
            options = [b for b in range(a + 1, JOBS) if allowed(a, b)]
            if not options:
                return None
            add(a, rng.choice(options))
    target = math.ceil(nc * (JOBS + 2) - 1e-9) - 2 * ENDS  # j30 has 48, 58 and 68 arcs
    count = sum(len(s) for s in succ)
    tries = 0
    while count < target:
        tries += 1
        if tries > 20_000:
            return None
        a, b = sorted(rng.sample(range(JOBS), 2))
        if allowed(a, b):
            add(a, b)
            count += 1
    return succ


def _requests(rng: random.Random, rf: float) -> list[list[int]]:
    """Each job asks for at least one resource; round(RF·JOBS·RESOURCES) pairs in all."""
    pairs = round(rf * JOBS * RESOURCES)
    uses = [[rng.randrange(RESOURCES)] for _ in range(JOBS)]
    free = [(j, k) for j in range(JOBS) for k in range(RESOURCES) if k not in uses[j]]
    rng.shuffle(free)
    for j, k in free[:pairs - JOBS]:
        uses[j].append(k)
    return [[rng.randint(1, 10) if k in uses[j] else 0 for k in range(RESOURCES)] for j in range(JOBS)]


def generate(name: str, rng: random.Random, nc: float, rf: float, rs: float) -> psplib.Instance:
    succ = None
    while succ is None:
        succ = _network(rng, nc)
    durations = [rng.randint(1, 10) for _ in range(JOBS)]
    requests = _requests(rng, rf)
    # PSPLIB numbering: job 0 the source, 1..JOBS the jobs, JOBS+1 the sink
    n = JOBS + 2
    successors = [[j + 1 for j in range(ENDS)]]
    successors += [sorted(b + 1 for b in succ[a]) or [n - 1] for a in range(JOBS)]
    successors.append([])
    durations = [0, *durations, 0]
    requests = [[0] * RESOURCES, *requests, [0] * RESOURCES]
    es = earliest(durations, successors)
    horizon = max(es[j] + durations[j] for j in range(n))
    capacity = []
    for k in range(RESOURCES):
        r_min = max(r[k] for r in requests)
        profile = [0] * (horizon + 1)
        for j in range(n):
            for t in range(es[j], es[j] + durations[j]):
                profile[t] += requests[j][k]
        r_max = max(profile)
        capacity.append(r_min + round(rs * (r_max - r_min)))
    return psplib.Instance(name, durations, requests, successors, capacity)


def earliest(durations: list[int], successors: list[list[int]]) -> list[int]:
    es = [0] * len(durations)
    for a in range(len(durations)):  # PSPLIB jobs are numbered in a topological order
        for b in successors[a]:
            es[b] = max(es[b], es[a] + durations[a])
    return es


def instances() -> list[tuple[str, float, psplib.Instance]]:
    """All 480, in PSPLIB's order of parameter sets (NC, then RF, then RS)."""
    rng = random.Random(SEED)
    out = []
    p = 0
    for nc in NC:
        for rf in RF:
            for rs in RS:
                p += 1
                for r in range(1, PER_SET + 1):
                    name = f"g30{p}_{r}"
                    out.append((name, rs, generate(name, rng, nc, rf, rs)))
    return out


# -- optima (CP-SAT) ------------------------------------------------------------


def solve(inst: psplib.Instance, seconds: float) -> tuple[int, bool]:
    """(best makespan, proven optimal) by OR-Tools CP-SAT with one worker."""
    from ortools.sat.python import cp_model

    n = inst.jobs
    horizon = sum(inst.durations)
    m = cp_model.CpModel()
    start = [m.NewIntVar(0, horizon, f"s{j}") for j in range(n)]
    spans = [m.NewFixedSizeIntervalVar(start[j], inst.durations[j], f"i{j}") for j in range(n)]
    for a in range(n):
        for b in inst.successors[a]:
            m.Add(start[b] >= start[a] + inst.durations[a])
    for k in range(len(inst.capacity)):
        jobs = [j for j in range(n) if inst.requests[j][k] and inst.durations[j]]
        m.AddCumulative([spans[j] for j in jobs], [inst.requests[j][k] for j in jobs], inst.capacity[k])
    m.Minimize(start[n - 1])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = 0
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return -1, False
    return int(solver.ObjectiveValue()), status == cp_model.OPTIMAL


def optima(all_: list[tuple[str, float, psplib.Instance]], seconds: float) -> dict[str, tuple[int, bool]]:
    known: dict[str, tuple[int, bool]] = {}
    if CACHE.exists():
        with CACHE.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                known[row["instance"]] = (int(row["makespan"]), row["optimal"] == "yes")
    todo = [(name, inst) for name, _, inst in all_ if name not in known]
    if todo:
        print(f"solving {len(todo)} instances with CP-SAT (≤ {seconds:g} s each) …", file=sys.stderr)
    for k, (name, inst) in enumerate(todo, 1):
        known[name] = solve(inst, seconds)
        with CACHE.open("w", encoding="utf-8", newline="") as fh:  # rewritten each time: resumable
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["instance", "makespan", "optimal"])
            for n_ in sorted(known, key=_order):
                w.writerow([n_, known[n_][0], "yes" if known[n_][1] else "no"])
        if k % 20 == 0:
            print(f"  {k}/{len(todo)}", file=sys.stderr, flush=True)
    return known


def _order(name: str) -> tuple[int, int]:
    p, r = name[3:].split("_")
    return int(p), int(r)


# -- the two heuristics -----------------------------------------------------------


def serial_lft(inst: psplib.Instance) -> int:
    """One pass of the serial schedule-generation scheme, latest finish first
    (ties: the lower job number), on the instance itself."""
    n = inst.jobs
    dur, req, cap = inst.durations, inst.requests, inst.capacity
    es = earliest(dur, inst.successors)
    horizon = max(es[j] + dur[j] for j in range(n))
    lf = [horizon] * n
    for a in reversed(range(n)):
        for b in inst.successors[a]:
            lf[a] = min(lf[a], lf[b] - dur[b])
    preds = inst.predecessors()
    finish = [0] * n
    placed = [False] * n
    use: list[list[int]] = [[0] * (sum(dur) + 1) for _ in cap]
    for _ in range(n):
        j = min((j for j in range(n) if not placed[j] and all(placed[a] for a in preds[j])),
                key=lambda j: (lf[j], j))
        t = max((finish[a] for a in preds[j]), default=0)
        while any(use[k][u] + req[j][k] > cap[k] for k in range(len(cap)) for u in range(t, t + dur[j])):
            t += 1
        for k in range(len(cap)):
            for u in range(t, t + dur[j]):
                use[k][u] += req[j][k]
        finish[j], placed[j] = t + dur[j], True
    return finish[n - 1]


def levelled(inst: psplib.Instance) -> tuple[int, float]:
    """(makespan, engine seconds) of mpm's levelled plan of the instance's workspace."""
    from mpm.check.checks import check_workspace
    from mpm.plan import level, schedule
    from mpm.read.files import MemoryFiles

    files = {k: v.encode() for k, v in psplib.workspace(inst).items()}
    ws, _ = check_workspace(Path("/psplib"), files=MemoryFiles(files))
    spent = []
    real = level.level

    def timed(*args):
        t0 = time.perf_counter()
        out = real(*args)
        spent.append(time.perf_counter() - t0)
        return out

    level.level = timed
    try:
        start = date.fromisoformat(psplib.START)
        plan = schedule.build_plan(ws, start, level=True)
    finally:
        level.level = real
    return plan.campaigns[0].finish_offset - plan.calendar.offset(start), sum(spent)


# -- report -------------------------------------------------------------------------


def check_real(seconds: float) -> None:
    folder = HERE / "psplib-j30"
    known = psplib.optima(folder)
    print("CP-SAT on the twelve real j30 instances")
    for name in sorted(known):
        got, proven = solve(psplib.parse(folder / f"{name}.sm"), seconds)
        mark = "ok" if got == known[name] and proven else "DIFFERS"
        print(f"  {name}: {got} ({'optimal' if proven else 'not proven'}), PSPLIB {known[name]} — {mark}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0, help="CP-SAT seconds per instance")
    parser.add_argument("--every", type=int, default=1, help="measure every k-th instance only")
    parser.add_argument("--check-real", action="store_true")
    parser.add_argument("--solve-only", action="store_true")
    args = parser.parse_args()
    if args.check_real:
        check_real(args.time_limit)
    all_ = instances()
    best = optima(all_, args.time_limit)
    unproven = [name for name, _, _ in all_ if not best[name][1]]
    if unproven:
        print(f"not proven optimal within CP-SAT's time limit, left out: {', '.join(unproven)}")
    if args.solve_only:
        return
    rows: dict[float, list[tuple[float, float]]] = {rs: [] for rs in RS}
    ms = []
    for name, rs, inst in all_[::args.every]:
        opt, proven = best[name]
        if not proven:
            continue
        span, seconds = levelled(inst)
        if span < opt:
            raise SystemExit(f"{name}: levelled {span} beats the optimum {opt}: the plan is infeasible")
        rows[rs].append((100 * (serial_lft(inst) - opt) / opt, 100 * (span - opt) / opt))
        ms.append(seconds * 1000)
    print("Generated j30-like set: excess over the CP-SAT optima")
    print()
    print("| resource strength | instances | single LFT mean | worst | mpm mean | worst | mpm at optimum |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    everything = [r for rs in RS for r in rows[rs]]
    for label, got in [*((f"{rs:g}", rows[rs]) for rs in RS), ("all", everything)]:
        lft = [a for a, _ in got]
        lev = [b for _, b in got]
        print(f"| {label} | {len(got)} | {statistics.mean(lft):.2f} % | {max(lft):.1f} % | "
              f"{statistics.mean(lev):.2f} % | {max(lev):.1f} % | {sum(1 for b in lev if b == 0)} |")
    print()
    print(f"engine: {statistics.mean(ms):.1f} ms per instance on average, {max(ms):.1f} ms worst")


if __name__ == "__main__":
    main()
