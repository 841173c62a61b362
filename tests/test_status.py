"""`mpm status`: every finding where expected and nowhere else, exit codes, formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ACME, ROOT, run_mpm, write_workspace

from mpm.render import github

SCENARIO = ROOT / "tests" / "scenarios" / "status"
AS_OF = "2027-01-13"


def line_of(rel: str, marker: str) -> int:
    """The line in `rel` that starts the item `marker` (found independently of mpm)."""
    lines = (SCENARIO / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if marker in text)


def status_json(root: Path, *args: str) -> tuple[int, dict]:
    r = run_mpm("status", "-w", str(root), "--as-of", AS_OF, "--format", "json", *args)
    return r.exit_code, json.loads(r.stdout)


def test_every_finding_kind_exactly_where_expected():
    code, doc = status_json(SCENARIO)
    assert code == 1
    assert list(doc) == ["schema", "as_of", "summary", "findings"]
    assert doc["schema"] == "mpm/status/1" and doc["as_of"] == AS_OF
    tasks = "campaigns/spring-sale/tasks.yaml"
    camp = "campaigns/spring-sale/campaign.yaml"
    goals = "campaigns/spring-sale/goals.yaml"
    risks = "campaigns/spring-sale/risks.yaml"
    expected = [
        ("S101", "spring-sale", "copy", tasks, line_of(tasks, "id: copy")),
        ("S102", "spring-sale", "banner", tasks, line_of(tasks, "id: banner")),
        ("S103", "spring-sale", "spring-sale", camp, line_of(camp, "end:")),
        ("S201", "spring-sale", "legal", tasks, line_of(tasks, "id: legal")),
        ("S202", "spring-sale", "brief", tasks, line_of(tasks, "id: brief")),
        ("S203", "spring-sale", "photos", tasks, line_of(tasks, "id: photos")),
        ("S204", "spring-sale", "press", tasks, line_of(tasks, "id: press")),
        ("S205", "spring-sale", "budget: media", camp, line_of(camp, "category: media")),
        ("S205", "spring-sale", "budget: total", camp, line_of(camp, "total:")),
        ("S206", "spring-sale", "signups", goals, line_of(goals, "id: signups")),
        ("S207", "spring-sale", "r-high", risks, line_of(risks, "id: r-high")),
        ("S208", None, "ben", "mpm.yaml", line_of("mpm.yaml", "id: ben")),
        ("S301", "spring-sale", "email", tasks, line_of(tasks, "id: email")),
        ("S302", "spring-sale", "r-review", risks, line_of(risks, "id: r-review")),
    ]
    got = sorted((f["code"], f["campaign"], f["item"], f["file"], f["line"]) for f in doc["findings"])
    assert got == sorted(expected, key=lambda e: (e[0], e[1] or "", e[2]))
    assert doc["summary"] == {"error": 3, "warning": 9, "info": 2}
    for f in doc["findings"]:
        assert list(f)[:7] == ["severity", "code", "campaign", "item", "message", "file", "line"]


def test_finding_messages_carry_the_numbers():
    _, doc = status_json(SCENARIO)
    by_item = {f["item"]: f for f in doc["findings"]}
    assert by_item["copy"]["message"].startswith("was due 2027-01-12 (1 working day ago)")
    assert by_item["banner"]["slip_days"] == 2
    assert "2 working days after its due date 2027-01-15" in by_item["banner"]["message"]
    assert "500 over" in by_item["budget: media"]["message"]
    # from Wednesday (the as-of day) ben has 3 of his 5 two-hour days left
    assert by_item["ben"]["message"].startswith(
        "week of 2027-01-11 (from 2027-01-13): 16 h planned, 6 h available (10 h over)")
    assert "expected 103 by then" in by_item["signups"]["message"]


def test_horizon_and_filters():
    _, wide = status_json(SCENARIO, "--horizon", "0")
    codes = {f["code"] for f in wide["findings"]}
    assert "S301" not in codes and "S204" not in codes  # nothing is "soon" with no horizon
    _, ben = status_json(SCENARIO, "--owner", "ben")
    assert [f["code"] for f in ben["findings"]] == ["S208"]
    _, last = status_json(SCENARIO, "--campaign", "last-year")
    assert last["findings"] == []  # closed campaigns have nothing to say


def _tiny(root: Path, task: str) -> Path:
    return write_workspace(root, {
        "mpm.yaml": "name: Tiny\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/c/campaign.yaml": "name: C\nstart: 2027-01-04\n",
        "campaigns/c/tasks.yaml": task,
    })


@pytest.mark.parametrize(("task", "expected"), [
    # overdue (error)
    ("- {id: a, name: A, owner: ana, duration: 1, due: 2027-01-11}\n", [1, 1, 1, 0]),
    # at risk only: forecast past due, not yet overdue
    ("- {id: a, name: A, owner: ana, duration: 5, start: 2027-01-13, due: 2027-01-14}\n", [0, 1, 1, 0]),
    # a warning only: blocked, far from any date
    ("- {id: a, name: A, owner: ana, duration: 1, start: 2027-03-01, status: blocked}\n", [0, 0, 1, 0]),
    # info only: due soon and on track
    ("- {id: a, name: A, owner: ana, duration: 1, start: 2027-01-14, due: 2027-01-15}\n", [0, 0, 0, 0]),
])
def test_fail_on_levels(tmp_path, task, expected):
    root = _tiny(tmp_path, task)
    got = [run_mpm("status", "-w", str(root), "--as-of", AS_OF, "--fail-on", level).exit_code
           for level in ("overdue", "at-risk", "warning", "never")]
    assert got == expected


def test_invalid_workspace_exits_2(tmp_path):
    root = _tiny(tmp_path, "- {id: a, name: A, duration: x}\n")
    r = run_mpm("status", "-w", str(root))
    assert r.exit_code == 2 and "tasks.yaml:1:" in r.stderr


def test_github_workflow_commands_are_escaped():
    assert github.command("error", "50% done\r\nnext", file="a:b,c.yaml", line=3, title="t: x, y") == (
        "::error file=a%3Ab%2Cc.yaml,line=3,title=t%3A x%2C y::50%25 done%0D%0Anext")
    r = run_mpm("status", "-w", str(SCENARIO), "--as-of", AS_OF, "--format", "github",
                env={"GITHUB_WORKSPACE": str(SCENARIO)})
    lines = r.stdout.splitlines()
    assert len(lines) == 14
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,title=mpm S\d{3} [^:,]*::\S.*$")
    for line in lines:
        assert pattern.match(line), line
    photos = next(line for line in lines if "photos" in line)
    assert "50%25 too dark,%0Ause the spring palette" in photos
    assert photos.startswith("::warning file=campaigns/spring-sale/tasks.yaml,line=")


def test_github_format_is_the_default_under_github_actions():
    r = run_mpm("status", "-w", str(SCENARIO), "--as-of", AS_OF, env={"GITHUB_ACTIONS": "true"})
    assert r.stdout.startswith("::error file=")


def test_markdown_summary():
    r = run_mpm("status", "-w", str(SCENARIO), "--as-of", AS_OF, "--format", "md")
    assert r.stdout.startswith("## mpm status as of 2027-01-13\n")
    assert "| ✖ | S101 | `copy` |" in r.stdout


def test_all_clear_is_quiet(tmp_path):
    root = _tiny(tmp_path, "- {id: a, name: A, owner: ana, duration: 1, start: 2027-03-01}\n")
    r = run_mpm("status", "-w", str(root), "--as-of", AS_OF)
    assert r.exit_code == 0
    assert r.stdout.strip() == "Status as of 2027-01-13: all clear — nothing overdue, at risk or waiting."


def test_acme_monday_morning_golden(golden):
    r = run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16")
    assert r.exit_code == 1
    golden("status-acme.txt", r.stdout)
    j = run_mpm("status", "-w", str(ACME), "--as-of", "2026-11-16", "--format", "json")
    golden("status-acme.json", j.stdout)
