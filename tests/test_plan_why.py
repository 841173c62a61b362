"""`mpm plan --why`: the binding constraint of each kind, and the driving chain."""

from __future__ import annotations

import json

import pytest
from conftest import run_mpm
from test_schedule_rules import workspace
from test_schedule_textbook import MILWAUKEE, network_workspace

TASKS = """\
- {id: base, name: Base, duration: 3}
- {id: fs, name: FS, duration: 1, depends_on: [base]}
- {id: ss, name: SS, duration: 1, depends_on: [{task: base, type: SS, lag: 1}]}
- {id: ff, name: FF, duration: 1, depends_on: [{task: base, type: FF, lag: 2}]}
- {id: sf, name: SF, duration: 1, depends_on: [{task: base, type: SF, lag: 2}]}
- {id: pinned, name: Pinned, duration: 1, start: 2027-01-13, depends_on: [base]}
- {id: free, name: Free, duration: 1}
- {id: late, name: Late start, duration: 1}
- {id: shipped, name: Shipped, duration: 1, status: done, started_on: 2027-01-04, done_on: 2027-01-04}
- {id: going, name: Going, duration: 4, status: in-progress, started_on: 2027-01-05}
"""


def why(root, task: str, as_of: str = "2027-01-01") -> dict:
    r = run_mpm("plan", "-w", str(root), "--as-of", as_of, "--why", task, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/why/1"
    return doc


@pytest.mark.parametrize(("task", "kind", "other", "dep_type"), [
    ("fs", "predecessor", "c/base", "FS"),
    ("ss", "predecessor", "c/base", "SS"),
    ("ff", "predecessor", "c/base", "FF"),
    ("sf", "predecessor", "c/base", "SF"),
    ("pinned", "start", None, None),
    ("free", "campaign-start", None, None),
])
def test_binding_kinds_before_as_of(tmp_path, task, kind, other, dep_type):
    doc = why(workspace(tmp_path, TASKS), task)
    assert doc["binding"]["kind"] == kind
    assert doc["binding"]["task"] == other
    assert doc["binding"]["type"] == dep_type


def test_binding_kinds_with_as_of(tmp_path):
    root = workspace(tmp_path, TASKS)
    assert why(root, "late", as_of="2027-01-06")["binding"]["kind"] == "as-of"
    done = why(root, "shipped", as_of="2027-01-06")
    assert done["binding"]["kind"] == "actual" and "done" in done["reason"]
    going = why(root, "going", as_of="2027-01-06")
    assert going["binding"]["kind"] == "actual" and "in progress since 2027-01-05" in going["reason"]


def test_driving_chain_on_a_textbook_network(tmp_path):
    root = network_workspace(tmp_path, MILWAUKEE)
    doc = why(root, "h")
    assert doc["chain"] == ["project/a", "project/c", "project/e", "project/g", "project/h"]
    assert doc["critical"] is True and doc["total_float"] == 0
    f = why(root, "f")
    assert f["critical"] is False and f["total_float"] == 6
    assert f["limited_by"] == {"kind": "successor", "task": "project/h", "type": "FS", "lag": 0}


def test_why_text_names_the_constraint(tmp_path):
    root = network_workspace(tmp_path, MILWAUKEE)
    r = run_mpm("plan", "-w", str(root), "--as-of", "2027-01-01", "--why", "project/d")
    assert r.exit_code == 0
    assert "it starts after b finishes (2027-01-06): dependency FS" in r.stdout
    assert "total float 1 working day" in r.stdout


def test_why_unknown_task_is_a_usage_error(tmp_path):
    root = network_workspace(tmp_path, MILWAUKEE)
    r = run_mpm("plan", "-w", str(root), "--why", "zz")
    assert r.exit_code == 2 and "no single task 'zz'" in r.stderr
