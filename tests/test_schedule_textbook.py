"""Textbook CPM networks with published answers, run through `mpm plan --format json`.

The workspaces use a seven-day calendar so that one working day is one
calendar day and offsets read straight off the dates.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import run_mpm, write_workspace

START = date(2027, 1, 4)


def network_workspace(root: Path, tasks: list[dict], *, cid: str = "project") -> Path:
    lines = []
    for t in tasks:
        lines.append(f"- id: {t['id']}")
        lines.append(f"  name: Activity {t['id'].upper()}")
        if t["duration"] == 0:
            lines.append("  milestone: true")
        else:
            lines.append(f"  duration: {t['duration']}")
        deps = t.get("deps", [])
        if deps:
            items = []
            for d in deps:
                if isinstance(d, str):
                    items.append(d)
                else:
                    items.append("{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}")
            lines.append(f"  depends_on: [{', '.join(items)}]")
        for key in ("start", "due"):
            if key in t:
                lines.append(f"  {key}: {t[key]}")
    return write_workspace(root, {
        "mpm.yaml": "name: Textbook\ncalendar:\n  workdays: [mon, tue, wed, thu, fri, sat, sun]\n",
        f"campaigns/{cid}/campaign.yaml": f"name: Textbook network\nstart: {START}\n",
        f"campaigns/{cid}/tasks.yaml": "\n".join(lines) + "\n",
    })


def plan_json(root: Path, as_of: str = "2027-01-01") -> dict:
    result = run_mpm("plan", "--workspace", str(root), "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def assert_cpm(doc: dict, expected: dict[str, tuple[int, int, int, int]]) -> None:
    """expected[id] = (ES, EF, LS, LF) as offsets, half-open [ES, EF)."""
    tasks = {t["id"]: t for t in doc["campaigns"][0]["tasks"]}
    assert set(tasks) == set(expected)
    for tid, (es, ef, ls, lf) in expected.items():
        t = tasks[tid]
        got = (t["early_start"], t["early_finish"], t["late_start"], t["late_finish"], t["total_float"])
        want = (day(es), day(ef - 1), day(ls), day(lf - 1), ls - es)
        assert got == want, f"{tid}: got {got}, want {want}"


# Hillier & Lieberman, Introduction to Operations Research (Reliable
# Construction Co. project, "Project Management with PERT/CPM"): 14 activities
# in weeks; the project takes 44 weeks and the critical path is
# A-B-C-E-F-J-L-N. Published slacks: D 4, G 4, H 4, I 2, K 1, M 4, others 0.
RELIABLE = [
    {"id": "a", "duration": 2},
    {"id": "b", "duration": 4, "deps": ["a"]},
    {"id": "c", "duration": 10, "deps": ["b"]},
    {"id": "d", "duration": 6, "deps": ["c"]},
    {"id": "e", "duration": 4, "deps": ["c"]},
    {"id": "f", "duration": 5, "deps": ["e"]},
    {"id": "g", "duration": 7, "deps": ["d"]},
    {"id": "h", "duration": 9, "deps": ["e", "g"]},
    {"id": "i", "duration": 7, "deps": ["c"]},
    {"id": "j", "duration": 8, "deps": ["f", "i"]},
    {"id": "k", "duration": 4, "deps": ["j"]},
    {"id": "l", "duration": 5, "deps": ["j"]},
    {"id": "m", "duration": 2, "deps": ["h"]},
    {"id": "n", "duration": 6, "deps": ["k", "l"]},
]
RELIABLE_ANSWER = {
    "a": (0, 2, 0, 2), "b": (2, 6, 2, 6), "c": (6, 16, 6, 16), "d": (16, 22, 20, 26),
    "e": (16, 20, 16, 20), "f": (20, 25, 20, 25), "g": (22, 29, 26, 33), "h": (29, 38, 33, 42),
    "i": (16, 23, 18, 25), "j": (25, 33, 25, 33), "k": (33, 37, 34, 38), "l": (33, 38, 33, 38),
    "m": (38, 40, 42, 44), "n": (38, 44, 38, 44),
}

# Heizer & Render, Operations Management (Milwaukee Paper Manufacturing,
# chapter "Project Management"): 8 activities in weeks, 15 weeks in all,
# critical path A-C-E-G-H; slacks B 1, D 1, F 6.
MILWAUKEE = [
    {"id": "a", "duration": 2},
    {"id": "b", "duration": 3},
    {"id": "c", "duration": 2, "deps": ["a"]},
    {"id": "d", "duration": 4, "deps": ["a", "b"]},
    {"id": "e", "duration": 4, "deps": ["c"]},
    {"id": "f", "duration": 3, "deps": ["c"]},
    {"id": "g", "duration": 5, "deps": ["d", "e"]},
    {"id": "h", "duration": 2, "deps": ["f", "g"]},
]
MILWAUKEE_ANSWER = {
    "a": (0, 2, 0, 2), "b": (0, 3, 1, 4), "c": (2, 4, 2, 4), "d": (3, 7, 4, 8),
    "e": (4, 8, 4, 8), "f": (4, 7, 10, 13), "g": (8, 13, 8, 13), "h": (13, 15, 13, 15),
}


@pytest.mark.parametrize(("network", "answer", "path", "finish"), [
    (RELIABLE, RELIABLE_ANSWER, ["a", "b", "c", "e", "f", "j", "l", "n"], 44),
    (MILWAUKEE, MILWAUKEE_ANSWER, ["a", "c", "e", "g", "h"], 15),
], ids=["hillier-lieberman-reliable", "heizer-render-milwaukee"])
def test_textbook_network(tmp_path, network, answer, path, finish):
    doc = plan_json(network_workspace(tmp_path, network))
    assert_cpm(doc, answer)
    camp = doc["campaigns"][0]
    assert camp["critical_path"] == path
    assert camp["finish"] == day(finish - 1)
    assert [t["id"] for t in camp["tasks"] if t["critical"]] == sorted(path, key=lambda x: answer[x][0])


def test_free_float_on_milwaukee(tmp_path):
    # Free float: B can slip 1 before D moves; D 1 before G; F 6 before H.
    doc = plan_json(network_workspace(tmp_path, MILWAUKEE))
    free = {t["id"]: t["free_float"] for t in doc["campaigns"][0]["tasks"]}
    assert free == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 0, "f": 6, "g": 0, "h": 0}


# Precedence-diagram network with every dependency type, lags and a lead,
# computed by hand from DESIGN §3:
#   a(5)
#   b(3)  SS a +2          ES 2  EF 5
#   c(4)  FF a +1          EF>=6 -> ES 2, EF 6
#   d(2)  SF b +4          EF>=ES(b)+4=6 -> ES 4, EF 6
#   e(3)  FS c -2 (lead)   ES>=4, and FS d -> ES>=6: ES 6, EF 9
#   f(0)  milestone, FS e  at 9
# Backward from the finish 9:
#   f: LF 9, LS 9      e: LF 9, LS 6
#   d: FS e -> LF<=6  -> LS 4     c: FS e lag -2 -> LF<=8 -> LS 4
#   b: SF d lag 4 -> LF<=LF(d)-4+3=5 -> LS 2
#   a: SS b lag 2 -> LF<=LS(b)-2+5=5; FF c lag 1 -> LF<=LF(c)-1=7 -> LF 5, LS 0
PDM = [
    {"id": "a", "duration": 5},
    {"id": "b", "duration": 3, "deps": [{"task": "a", "type": "SS", "lag": 2}]},
    {"id": "c", "duration": 4, "deps": [{"task": "a", "type": "FF", "lag": 1}]},
    {"id": "d", "duration": 2, "deps": [{"task": "b", "type": "SF", "lag": 4}]},
    {"id": "e", "duration": 3, "deps": [{"task": "c", "lag": -2}, "d"]},
    {"id": "f", "duration": 0, "deps": ["e"]},
]


def test_precedence_types_lags_and_leads(tmp_path):
    doc = plan_json(network_workspace(tmp_path, PDM))
    tasks = {t["id"]: t for t in doc["campaigns"][0]["tasks"]}
    expected = {"a": (0, 5, 0, 5), "b": (2, 5, 2, 5), "c": (2, 6, 4, 8), "d": (4, 6, 4, 6),
                "e": (6, 9, 6, 9)}
    for tid, (es, ef, ls, lf) in expected.items():
        t = tasks[tid]
        assert (t["early_start"], t["early_finish"], t["late_start"], t["late_finish"]) == (
            day(es), day(ef - 1), day(ls), day(lf - 1)), tid
        assert t["total_float"] == ls - es, tid
    # The milestone follows e's finish with no lag: an end-of-day instant,
    # shown on e's last day.
    assert tasks["f"]["milestone"] is True
    assert tasks["f"]["early_start"] == tasks["f"]["early_finish"] == day(8)
    assert doc["campaigns"][0]["critical_path"] == ["a", "b", "d", "e", "f"]
