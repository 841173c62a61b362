"""A due date the predecessors rule out is a warning (W307) before anything is planned, never a
false one, and the plan is still made with the negative float (DESIGN §3)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from conftest import run_mpm, write_workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from mpm.check.checks import check_workspace
from mpm.plan.schedule import build_plan
from mpm.read.files import MemoryFiles

START = date(2027, 1, 4)  # a Monday


def test_a_due_the_predecessors_rule_out_is_a_warning_and_the_plan_is_made(tmp_path):
    root = write_workspace(tmp_path, {
        "mpm.yaml": "name: W\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": "- {id: draft, name: Draft, owner: ana, duration: 5}\n"
                                  "- id: ship\n  name: Ship\n  owner: ana\n  duration: 2\n"
                                  "  depends_on: [draft]\n  due: 2027-01-06\n",
    })
    check = run_mpm("check", "-w", str(root))
    assert check.exit_code == 0, check.output
    assert "campaigns/c/tasks.yaml:7:8: warning[W307]" in check.stdout
    assert "after 'draft' it cannot end before 2027-01-10" in check.stdout
    plan = json.loads(run_mpm("plan", "-w", str(root), "--as-of", "2027-01-04", "--format", "json").stdout)
    ship = next(t for c in plan["campaigns"] for t in c["tasks"] if t["id"] == "ship")
    assert ship["finish"] == "2027-01-12" and ship["total_float"] < 0


@st.composite
def chains(draw):
    n = draw(st.integers(2, 9))
    lines = []
    for i in range(n):
        d = draw(st.integers(0, 6))
        task = [f"- id: t{i}", f"  name: Task {i}", "  owner: ana"]
        task.append("  milestone: true" if d == 0 else f"  duration: {d}")
        if i:
            deps = []
            for j in sorted(draw(st.sets(st.integers(0, i - 1), min_size=1, max_size=2))):
                kind = draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"]))
                lag = draw(st.integers(-2, 4))
                deps.append(f"{{task: t{j}, type: {kind}, lag: {lag}}}")
            task.append("  depends_on: [" + ", ".join(deps) + "]")
        if draw(st.booleans()):
            task.append(f"  start: {START + timedelta(days=draw(st.integers(0, 20)))}")
        state = draw(st.sampled_from(["todo", "todo", "todo", "done", "in-progress"]))
        if state == "done":
            began = START + timedelta(days=draw(st.integers(0, 10)))
            task += ["  status: done", f"  started_on: {began}",
                     f"  done_on: {began + timedelta(days=draw(st.integers(0, 8)))}"]
        elif state == "in-progress":
            task += ["  status: in-progress", f"  started_on: {START + timedelta(days=draw(st.integers(0, 10)))}"]
        if draw(st.booleans()):
            task.append(f"  due: {START + timedelta(days=draw(st.integers(0, 40)))}")
        lines += task
    return {"mpm.yaml": "name: Random\nteam:\n  - {id: ana, name: Ana}\n",
            "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
            "campaigns/c/tasks.yaml": "\n".join(lines) + "\n"}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(chains())
def test_the_warning_is_never_wrong(files):
    """Whatever W307 says a task cannot beat, the plan does not beat either: it finishes after its due."""
    ws, found = check_workspace(Path("/nonexistent"), files=MemoryFiles({k: v.encode() for k, v in files.items()}))
    if any(d.severity.value == "error" for d in found):
        return
    plan = build_plan(ws, START - timedelta(days=30), level=False)
    for d in found:
        m = re.search(r"before '([^']+)' can finish: .* cannot end before (\d{4}-\d\d-\d\d)", d.message)
        if d.code != "W307" or m is None:
            continue
        t = plan.find(m.group(1), "c")
        assert t.finish >= date.fromisoformat(m.group(2)), (d.message, t.finish)
        assert t.finish > t.due and t.total_float < 0, (d.message, t.finish, t.due)
