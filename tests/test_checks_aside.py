"""The checks on a second core while the plan is made: the command says what it said before."""

from __future__ import annotations

import os

import pytest
from conftest import run_mpm

from mpm.check import aside

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                                reason="needs fork and two cores")

COMMANDS = [
    ["plan", "--no-level", "--format", "json"],
    ["status", "--no-level", "--format", "json", "--fail-on", "never"],
    ["quarter", "--no-level", "--format", "json"],
    ["report", "--no-level", "--format", "md"],
    ["export", "csv", "--no-level"],
]


def both(monkeypatch, args: list[str]):
    """(result with the checks aside, result checked first, whether the aside was used)."""
    used = []
    real = aside.ChecksAside.__init__

    def spy(self, ws):
        used.append(True)
        real(self, ws)

    monkeypatch.setattr(aside.ChecksAside, "__init__", spy)
    monkeypatch.setattr(aside, "MIN_TASKS", 0)
    aside_result = run_mpm(*args)
    monkeypatch.setattr(aside, "MIN_TASKS", 10**9)
    first_result = run_mpm(*args)
    return aside_result, first_result, bool(used)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_clean_workspace_gives_the_same_output(monkeypatch, acme_copy, args):
    fast, serial, used = both(monkeypatch, [*args, "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert used
    assert (fast.exit_code, fast.stdout, fast.stderr) == (serial.exit_code, serial.stdout, serial.stderr)
    assert fast.exit_code == 0 and fast.stdout


def _break(root, old: str, new: str) -> None:
    tasks = sorted((root / "campaigns").glob("*/tasks.yaml"))[0]
    text = tasks.read_text(encoding="utf-8")
    assert old in text
    tasks.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_errors_the_checks_find_stop_the_command_as_before(monkeypatch, acme_copy):
    tasks = sorted((acme_copy / "campaigns").glob("*/tasks.yaml"))[0]
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text + "- id: orphan\n  name: Waits for nothing there\n  duration: 1\n"
                            "  depends_on: [no-such-task]\n", encoding="utf-8")
    fast, serial, used = both(monkeypatch, ["plan", "--no-level", "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert used
    assert fast.exit_code == serial.exit_code == 2
    assert fast.stdout == serial.stdout == ""
    assert fast.stderr == serial.stderr and "E201" in fast.stderr and "nothing was planned" in fast.stderr


def test_a_cycle_the_plan_trips_on_is_reported_by_the_checks(monkeypatch, acme_copy):
    tasks = sorted((acme_copy / "campaigns").glob("*/tasks.yaml"))[0]
    tasks.write_text(tasks.read_text(encoding="utf-8")
                     + "- id: loop-a\n  name: A\n  duration: 1\n  depends_on: [loop-b]\n"
                     + "- id: loop-b\n  name: B\n  duration: 1\n  depends_on: [loop-a]\n", encoding="utf-8")
    fast, serial, used = both(monkeypatch, ["status", "--no-level", "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert used
    assert fast.exit_code == serial.exit_code == 2
    assert fast.stderr == serial.stderr and "E203" in fast.stderr


def test_the_workspaces_errors_come_before_a_bad_as_of(monkeypatch, acme_copy):
    tasks = sorted((acme_copy / "campaigns").glob("*/tasks.yaml"))[0]
    tasks.write_text(tasks.read_text(encoding="utf-8")
                     + "- id: orphan\n  name: O\n  duration: 1\n  depends_on: [nowhere]\n", encoding="utf-8")
    fast, serial, used = both(monkeypatch, ["plan", "--no-level", "-w", str(acme_copy), "--as-of", "2026-13-01"])
    assert used
    assert fast.exit_code == serial.exit_code == 2 and "E201" in fast.stderr
    assert fast.stderr == serial.stderr


def test_levelled_plans_and_unreadable_files_are_checked_first(monkeypatch, acme_copy):
    _, _, used = both(monkeypatch, ["plan", "--level", "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert not used  # a levelled plan waits for the checks
    _break(acme_copy, "duration: ", "duration: soon-ish ")
    fast, serial, used = both(monkeypatch, ["plan", "--no-level", "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert not used and fast.exit_code == serial.exit_code == 2 and fast.stderr == serial.stderr


def test_no_child_is_left_behind(monkeypatch, acme_copy):
    monkeypatch.setattr(aside, "MIN_TASKS", 0)
    run_mpm("plan", "--no-level", "-w", str(acme_copy), "--as-of", "2026-11-16")
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_several_errors_come_in_the_order_of_their_places(monkeypatch, acme_copy):
    """The checks run in their own order; the errors are shown by file and line, as before."""
    first = acme_copy / "campaigns/always-on-content/tasks.yaml"
    first.write_text(first.read_text(encoding="utf-8")
                     + "- id: orphan\n  name: O\n  duration: 1\n  depends_on: [nowhere]\n", encoding="utf-8")
    last = acme_copy / "campaigns/trailhead-b2b-launch/tasks.yaml"
    text = last.read_text(encoding="utf-8")
    last.write_text(text + text[text.index("- id:"):text.index("\n- id:", text.index("- id:") + 1) + 1],
                    encoding="utf-8")  # its first task twice: a duplicate id
    fast, serial, used = both(monkeypatch, ["plan", "--no-level", "-w", str(acme_copy), "--as-of", "2026-11-16"])
    assert used and fast.exit_code == serial.exit_code == 2
    assert "E201" in fast.stderr and "E202" in fast.stderr
    assert fast.stderr.index("E201") < fast.stderr.index("E202")
    assert fast.stderr == serial.stderr
