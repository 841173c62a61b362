"""The example workspace, damaged at random, never makes a command crash or hang.

Each case copies examples/acme, changes a few values (semantic: extreme
numbers and dates, wrong types, unknown keys, broken references, odd RRULEs)
or the text itself (structural: a line dropped, doubled, re-indented,
truncated, odd characters), and runs `check`; when that is clean, it runs
plan, status, report, quarter and every export too. Every exit code is 0, 1
or 2, no traceback, and no case takes more than a few seconds. Bounded for
CI: MPM_FUZZ_EXAMPLES (default 30) cases, the same ones on every run.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from conftest import ACME, copy_workspace, errors_without_a_hint, run_mpm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

EXAMPLES = int(os.environ.get("MPM_FUZZ_EXAMPLES", "30"))
FILES = sorted(str(p.relative_to(ACME)) for p in ACME.rglob("*.yaml") if ".mpm-cache" not in p.parts)
AS_OF = "2026-11-16"
COMMANDS = (["plan"], ["plan", "--format", "json"], ["plan", "--gantt"], ["status"], ["status", "--format", "md"],
            ["report"], ["report", "--format", "html"], ["quarter"], ["goals"], ["risks"], ["budget"],
            ["export", "json"], ["export", "ics"], ["export", "csv"], ["export", "mermaid"])
KEYS = ("duration", "effort", "lag", "due", "start", "started_on", "done_on", "status", "depends_on", "repeat",
        "milestone", "owner", "target", "value", "date", "deadline", "likelihood", "impact", "delay_days",
        "capacity_hours_per_week", "hours_per_day", "workdays", "holidays", "launch", "end", "total", "planned",
        "checkpoints", "affects", "id", "name", "from", "to", "str", "x-note", "fiscal_year_start")
VALUES = st.one_of(
    st.sampled_from([0, -1, 1, 0.5, 1e6, 1e20, -1e20, float("inf"), float("nan"), 5000, 5001, 120000, 10**30,
                     True, False, None, "", "x", "2026-02-30", "9999-12-31", "0001-01-01", "1900-01-01",
                     "2199-12-31", "2026-11-16", "2027-Q1", "0000-Q1", "FREQ=HOURLY;BYHOUR=25",
                     "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=WEEKLY;COUNT=1000", "FREQ=DAILY",
                     "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "done", "in-progress", "blocked", "cancelled", "maya",
                     "nobody", "black-friday-2026/email-copy", "nowhere/x", "self", [], {}, [None], ["mon"],
                     [{"task": "email-copy", "type": "SS", "lag": -5000}], {"a": {"b": [1, 2]}}]),
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=12),
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    return yaml


def _places(node, path=()):
    """Every mapping in the data, with its path."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _places(v, (*path, i))


@st.composite
def semantic(draw):
    return ("semantic", draw(st.sampled_from(FILES)), draw(st.integers(0, 10**6)), draw(st.sampled_from(KEYS)),
            draw(VALUES), draw(st.booleans()))


@st.composite
def structural(draw):
    how = draw(st.sampled_from(["drop", "double", "indent", "dedent", "truncate", "insert"]))
    junk = draw(st.sampled_from(["- ", ": ", "[", "]", "{", "&a ", "*a", "!!str ", "<<: *a", "\t", "#", "'",
                                 '"', "\u2028", "\x85", "? ", "---", "_1", "0X1", ".iNf", "1e1_0"]))
    return ("structural", draw(st.sampled_from(FILES)), draw(st.integers(0, 10**6)), how, junk, False)


def _mutate(root: Path, change) -> None:
    kind, rel, pick, what, value, delete = change
    path = root / rel
    if kind == "semantic":
        yaml = _yaml()
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception:  # an earlier change broke the file: nothing to change values in
            return
        places = list(_places(data))
        if not places:
            return
        _, mapping = places[pick % len(places)]
        if delete and what in mapping:
            del mapping[what]
        else:
            mapping[what] = value
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(data, fh)
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines:
        return
    at = pick % len(lines)
    if what == "drop":
        del lines[at]
    elif what == "double":
        lines.insert(at, lines[at])
    elif what == "indent":
        lines[at] = "  " + lines[at]
    elif what == "dedent":
        lines[at] = lines[at][2:] if lines[at].startswith("  ") else lines[at]
    elif what == "truncate":
        lines = lines[:at]
    else:
        line = lines[at]
        cut = pick % (len(line) + 1)
        lines[at] = line[:cut] + value + line[cut:]
    path.write_text("".join(lines), encoding="utf-8")


class _Hang(Exception):
    pass


def _alarm(*_):
    raise _Hang


def _run(*args: str):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        return run_mpm(*args)
    except _Hang:
        pytest.fail(f"mpm {' '.join(args)} took more than 20 s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(st.one_of(semantic(), semantic(), structural()), min_size=1, max_size=3))
def test_no_damage_to_the_example_makes_a_command_crash(tmp_path_factory, changes):
    root = copy_workspace(ACME, tmp_path_factory.mktemp("fuzz") / "acme")
    for change in changes:
        _mutate(root, change)
    checked = _run("check", "-w", str(root))
    assert checked.exit_code in (0, 1, 2), checked.output
    if checked.exit_code != 0:
        assert "error[" in checked.output, checked.output
        assert errors_without_a_hint(checked.stdout) == [], checked.stdout
        return
    for args in COMMANDS:
        result = _run(*args, "-w", str(root), "--as-of", AS_OF) if args[0] != "budget" else _run(*args, "-w",
                                                                                                    str(root))
        assert result.exit_code in (0, 1, 2), (args, result.output[-2000:])
