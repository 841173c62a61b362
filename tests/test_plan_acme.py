"""`mpm plan` on examples/acme, as a PM reads it: golden files at two widths and JSON."""

from __future__ import annotations

import json

import pytest
from conftest import ACME, run_mpm

AS_OF = "2026-11-16"


@pytest.mark.parametrize("width", [80, 200])
def test_plan_table_golden(golden, width):
    r = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--gantt", width=width)
    assert r.exit_code == 0, r.output
    for line in r.stdout.splitlines():
        assert len(line) <= width, f"line wider than {width}: {line!r}"
    golden(f"plan-acme-{width}.txt", r.stdout)


def test_plan_json_golden(golden):
    r = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0
    golden("plan-acme.json", r.stdout)
    doc = json.loads(r.stdout)
    assert list(doc) == ["schema", "as_of", "levelled", "campaigns"]
    assert doc["schema"] == "mpm/plan/1" and doc["levelled"] is True  # acme plans within people's hours
    first_task = doc["campaigns"][0]["tasks"][0]
    assert list(first_task)[:11] == ["id", "start", "finish", "early_start", "early_finish",
                                     "late_start", "late_finish", "total_float", "free_float",
                                     "critical", "milestone"]
    # the §3b fields come after every field of the first version (added, none changed)
    assert list(first_task)[-4:] == ["unlevelled_start", "unlevelled_finish", "level_delay", "waits_for"]
    plain = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "json", "--no-level").stdout)
    assert plain["levelled"] is False and "level_delay" not in plain["campaigns"][0]["tasks"][0]


def test_plan_markdown_golden(golden):
    r = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "md")
    assert r.exit_code == 0
    golden("plan-acme.md", r.stdout)


def test_black_friday_story(golden):
    """The overdue signage pushes the kits and the fixed launch: the plan from
    dependencies alone (§3) says so; test_levelling tells what Leo's hours add."""
    doc = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "json", "--no-level",
                             "black-friday-2026").stdout)
    (camp,) = doc["campaigns"]
    tasks = {t["id"]: t for t in camp["tasks"]}
    assert camp["critical_path"] == ["store-signage"]
    assert tasks["store-signage"]["total_float"] == -6
    assert tasks["bf-launch"]["start"] == "2026-12-01"  # Thanksgiving is a holiday
    assert tasks["bf-launch"]["total_float"] == -2
    assert camp["finish"] == "2026-12-08"


def test_critical_only_and_unknown_campaign():
    r = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--critical", "black-friday-2026")
    assert "store-signage" in r.stdout and "offer-strategy" not in r.stdout
    bad = run_mpm("plan", "-w", str(ACME), "black-friday")
    assert bad.exit_code == 2 and "did you mean 'black-friday-2026'" in bad.stderr


def test_occurrences_flag_lists_every_occurrence():
    collapsed = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "always-on-content")
    # 52 posts, one of them skipped (a skipped occurrence is not planned)
    assert "weekly-blog ×51" in collapsed.stdout and "weekly-blog@" not in collapsed.stdout
    full = run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "always-on-content", "--occurrences")
    assert full.stdout.count("weekly-blog@") == 51 and "weekly-blog@2026-12-29" not in full.stdout


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_json_is_byte_for_byte_the_whole_document(count):
    from datetime import date

    from mpm.render.jsonout import document_bytes, document_chunks

    items = [{"id": f"c{i}", "tasks": [{"name": "Say \"hi\"\nthere", "on": date(2027, 1, i + 1)}], "empty": []}
             for i in range(count)]
    body = {"as_of": date(2026, 11, 16), "note": None}
    streamed = b"".join(document_chunks("plan", body, iter(items), "campaigns"))
    assert streamed == document_bytes("plan", {**body, "campaigns": items})
