"""The checks a plan may skip really only warn: on every workspace of the error corpus, the
examples and the scenarios they yield warnings and nothing else, so a plan that leaves them
out stops on exactly the errors `mpm check` shows."""

from __future__ import annotations

from conftest import ROOT

from mpm.check.checks import WARNING_ONLY, check_workspace
from mpm.read.diagnostics import Severity
from mpm.read.load import load_workspace


def _workspaces():
    for folder in (ROOT / "tests" / "errors").iterdir():
        if (folder / "workspace" / "mpm.yaml").exists():
            yield folder / "workspace"
    yield from (p.parent for p in (ROOT / "examples").glob("*/mpm.yaml"))
    yield from (p.parent for p in (ROOT / "tests" / "scenarios").glob("**/mpm.yaml"))


def test_the_checks_a_plan_skips_yield_only_warnings():
    seen = 0
    for root in _workspaces():
        ws, _ = load_workspace(root)
        for check in WARNING_ONLY:
            for d in check(ws):
                assert d.severity is Severity.WARNING, (root, check.__name__, d)
                seen += 1
    assert seen >= 5  # the corpus holds a case of each


def test_leaving_the_warnings_out_leaves_the_same_errors():
    for root in _workspaces():
        _, every = check_workspace(root)
        _, some = check_workspace(root, warnings=False)
        errors = [d for d in every if d.severity is Severity.ERROR]
        assert [d for d in some if d.severity is Severity.ERROR] == errors, root
