"""Extreme and odd values are `check` errors at file:line:col, never a crash of a later command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_mpm

ERRORS = Path(__file__).resolve().parent / "errors"
sys.path.insert(0, str(ERRORS))
from make_cases import BASE, T  # noqa: E402


@pytest.fixture
def base(tmp_path) -> Path:
    for rel, text in BASE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("key", ["date", "str", "int", "float", "list", "bool", "dict", "function-after",
                                 "list[str]", "union[int,str]", "nullable[str]", "json-or-python[x]"])
def test_an_unknown_key_named_like_a_type_is_a_plain_E100(base, key):
    edit(base, T, "  owner: ben\n", f"  owner: ben\n  '{key}': 1\n")
    r = run_mpm("check", "-w", str(base))
    assert r.exit_code == 2
    assert f"campaigns/spring/tasks.yaml:8:3: error[E100]: unknown key '{key}' in task 'copy'" in r.stdout


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_an_error_not_a_recursion_error(base, fast, shape):
    if shape == "flow":
        deep = "x-deep: " + "[" * 2000 + "]" * 2000 + "\n"
    else:
        deep = "x-deep:\n" + "".join("  " * i + "a:\n" for i in range(1, 600)) + "  " * 600 + "b: 1\n"
    edit(base, "campaigns/spring/campaign.yaml", "owner: ana\n", "owner: ana\n" + deep)
    if not fast:  # an anchor sends the file down the full parse
        edit(base, "campaigns/spring/campaign.yaml", "name: Spring launch", "name: &n Spring launch")
    r = run_mpm("check", "-w", str(base))
    assert r.exit_code == 2
    assert "error[E014]: this file nests lists or mappings more than 64 levels deep" in r.stdout


# (file, old, new, code, line:col) — values that once passed `check` and crashed later commands
OUT_OF_BOUNDS = {
    "duration-inf": (T, "  duration: 2\n", "  duration: .inf\n", "E105", "4:13"),
    "duration-nan": (T, "  duration: 2\n", "  duration: .nan\n", "E105", "4:13"),
    "duration-1e6": (T, "  duration: 2\n", "  duration: 1e6\n", "E105", "4:13"),
    "lag-1e20": (T, "depends_on: [brief]", "depends_on: [{task: brief, lag: 100000000000000000000}]", "E105",
                 "9:35"),
    "effort-inf": (T, "  duration: 2\n", "  duration: 2\n  effort: .inf\n", "E105", "5:11"),
    "target-inf": ("campaigns/spring/goals.yaml", "  target: 120\n", "  target: .inf\n", "E105", "6:11"),
    "baseline-nan": ("campaigns/spring/goals.yaml", "{value: 100,", "{value: .nan,", "E105", "5:21"),
    "done-9999": (T, "  duration: 2\n", "  duration: 2\n  status: done\n  started_on: 2027-01-04\n"
                  "  done_on: 9999-12-31\n", "E104", "7:12"),
    "due-9999": (T, "  duration: 2\n", "  duration: 2\n  due: 9999-12-31\n", "E104", "5:8"),
    "started-0001": (T, "  duration: 2\n", "  duration: 2\n  status: in-progress\n  started_on: 0001-01-01\n",
                     "E104", "6:15"),
    "checkpoint-0000": ("campaigns/spring/goals.yaml", "  target: 120\n",
                        "  target: 120\n  checkpoints: {\"0000-Q1\": 110}\n", "E103", "7:17"),
    "hourly": (T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=HOURLY;BYHOUR=25\n", "E204", "5:11"),
    "never": (T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\n", "E204", "5:11"),
    "until-9999": (T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=WEEKLY;UNTIL=99991231\n", "E204", "5:11"),
}


@pytest.mark.parametrize("case", sorted(OUT_OF_BOUNDS))
def test_values_beyond_what_mpm_plans_are_check_errors_at_the_value(base, case):
    rel, old, new, code, where = OUT_OF_BOUNDS[case]
    edit(base, rel, old, new)
    r = run_mpm("check", "-w", str(base))
    assert r.exit_code == 2
    assert f"{rel}:{where}: error[{code}]" in r.stdout, r.stdout
    for args in (["plan"], ["status"], ["report"], ["quarter"], ["export", "json"]):
        assert run_mpm(*args, "-w", str(base), "--as-of", "2027-01-04").exit_code == 2


# the largest and earliest values `check` accepts: every command still runs
AT_THE_BOUNDS = {
    "duration": (T, "  duration: 2\n", "  duration: 5000\n"),
    "lag": (T, "depends_on: [brief]", "depends_on: [{task: brief, lag: 5000}]"),
    "lead": (T, "depends_on: [brief]", "depends_on: [{task: brief, type: SS, lag: -5000}]"),
    "effort": (T, "  duration: 2\n", "  duration: 2\n  effort: 120000\n"),
    "target": ("campaigns/spring/goals.yaml", "  target: 120\n", "  target: 1000000000000\n"),
    "late-start": (T, "  duration: 2\n", "  duration: 2\n  start: 2199-12-31\n"),
    "early-work": (T, "  duration: 2\n", "  duration: 2\n  status: in-progress\n  started_on: 1900-01-01\n"),
    "repeat-late": (T, "  duration: 2\n", "  duration: 2\n  start: 2199-12-01\n  repeat: FREQ=DAILY;COUNT=1000\n"),
}


@pytest.mark.parametrize("case", sorted(AT_THE_BOUNDS))
def test_every_command_runs_at_the_bounds(base, case):
    as_of = "1900-01-01" if case in ("early-work", "lead") else "2199-12-31"
    rel, old, new = AT_THE_BOUNDS[case]
    edit(base, rel, old, new)
    assert run_mpm("check", "-w", str(base)).exit_code == 0
    for args in (["plan"], ["status"], ["report"], ["quarter"], ["export", "json"], ["export", "ics"],
                 ["export", "csv"], ["goals"]):
        r = run_mpm(*args, "-w", str(base), "--as-of", as_of)
        assert r.exit_code in (0, 1), (args, r.output[-500:])


@pytest.mark.parametrize("args", [["plan", "--as-of", "9999-12-31"], ["status", "--as-of", "0001-01-01"],
                                  ["quarter", "0000-Q1"], ["quarter", "9999-Q4"]])
def test_days_and_quarters_on_the_command_line_are_bounded_too(base, args):
    r = run_mpm(*args, "-w", str(base))
    assert r.exit_code == 2 and "outside the" in r.output
