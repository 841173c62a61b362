"""PSPLIB single-mode instances (.sm files) read as mpm work (DESIGN §3b).

Resource k with R units is a person with `capacity_hours_per_week: 5·R/4`
on a mon–fri calendar (R/4 hours a day); a job of d days needing r units is
a task of duration d with `effort: {k: r·d/4}` (r/4 hours a day). A plan of
the workspace is then a schedule of the instance, and its makespan is the
campaign's length in working days.

Source of the instances: Kolisch & Sprecher, "PSPLIB – A project scheduling
problem library", EJOR 96 (1996) 205–216.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

START = "2027-01-04"  # a Monday: offsets and working days line up


@dataclass
class Instance:
    name: str
    durations: list[int]  # per job, 0-based (job 1 is index 0)
    requests: list[list[int]]  # per job, per resource
    successors: list[list[int]]  # 0-based
    capacity: list[int]  # per resource

    @property
    def jobs(self) -> int:
        return len(self.durations)

    def predecessors(self) -> list[list[int]]:
        preds: list[list[int]] = [[] for _ in range(self.jobs)]
        for a, succ in enumerate(self.successors):
            for b in succ:
                preds[b].append(a)
        return preds


def parse(path: Path) -> Instance:
    lines = path.read_text(encoding="utf-8").splitlines()
    jobs = int(next(ln for ln in lines if ln.startswith("jobs (incl.")).split(":")[1])
    i = next(k for k, ln in enumerate(lines) if ln.startswith("PRECEDENCE RELATIONS")) + 2
    successors = []
    for ln in lines[i:i + jobs]:
        f = [int(x) for x in ln.split()]
        successors.append([s - 1 for s in f[3:3 + f[2]]])
    i = next(k for k, ln in enumerate(lines) if ln.startswith("REQUESTS/DURATIONS")) + 3
    durations, requests = [], []
    for ln in lines[i:i + jobs]:
        f = [int(x) for x in ln.split()]
        durations.append(f[2])
        requests.append(f[3:])
    i = next(k for k, ln in enumerate(lines) if ln.startswith("RESOURCEAVAILABILITIES")) + 2
    capacity = [int(x) for x in lines[i].split()]
    return Instance(path.stem, durations, requests, successors, capacity)


def optima(folder: Path) -> dict[str, int]:
    text = (folder / "optimum.csv").read_text(encoding="utf-8")
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+),(\d+)$", text, re.M)}


def workspace(inst: Instance) -> dict[str, str]:
    """The instance as workspace files: {relative path: text}."""
    people = "\n".join(
        f"  - {{id: r{k + 1}, name: Resource {k + 1}, capacity_hours_per_week: {5 * cap / 4:g}}}"
        for k, cap in enumerate(inst.capacity))
    mpm = f"name: {inst.name}\nplanning:\n  level: true\nteam:\n{people}\n"
    campaign = f"name: {inst.name}\nstart: {START}\n"
    tasks = []
    preds = inst.predecessors()
    for j in range(inst.jobs):
        d = inst.durations[j]
        out = [f"- id: j{j + 1}", f"  name: Job {j + 1}"]
        if d == 0:
            out.append("  milestone: true")
        else:
            out.append(f"  duration: {d}")
            effort = {f"r{k + 1}": r * d / 4 for k, r in enumerate(inst.requests[j]) if r}
            if effort:
                out.append("  effort: {" + ", ".join(f"{p}: {h:g}" for p, h in effort.items()) + "}")
        if preds[j]:
            out.append("  depends_on: [" + ", ".join(f"j{a + 1}" for a in preds[j]) + "]")
        tasks.append("\n".join(out))
    return {"mpm.yaml": mpm, f"campaigns/{inst.name.replace('_', '-')}/campaign.yaml": campaign,
            f"campaigns/{inst.name.replace('_', '-')}/tasks.yaml": "\n".join(tasks) + "\n"}


def write_workspace(inst: Instance, root: Path) -> Path:
    for rel, text in workspace(inst).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
