"""The checks on a second core while the plan is made.

Every command that plans needs to know that the workspace has no errors
before it shows anything, but not before it starts planning. For a large
workspace planned without levelling, `load_checking_aside` forks a child
that runs the checks (`checks.run_checks`, errors only) while the parent
plans; the child answers with its exit status alone: 0, no error; anything
else, the parent runs the checks itself to word them. A §3 plan of files
with errors is linear work that ends (a dependency cycle stops it at once)
and is thrown away; levelled plans, small workspaces, and workspaces whose
reading already found an error are checked first, as before.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable

from mpm.check.checks import run_checks, with_checks
from mpm.check.graph import task_graph
from mpm.read.beside import second_core
from mpm.read.diagnostics import Diagnostic, Severity
from mpm.read.load import Workspace, load_workspace

MIN_TASKS = 10_000  # below this the checks take a few tens of milliseconds


class ChecksAside:
    """The checks of `ws` running in a forked child; `errors()` waits for their verdict."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        task_graph(ws)  # built once, before the fork: the plan needs it as much as the checks
        self.pid = os.fork()
        if self.pid == 0:  # the child: check, answer with the exit status, run nothing of the parent's
            code = 2
            try:
                code = 1 if any(d.severity is Severity.ERROR for d in run_checks(ws, warnings=False)) else 0
            finally:
                os._exit(code)

    def errors(self) -> list[Diagnostic]:
        """The workspace's errors: none when the child found none, else the checks run here."""
        pid, self.pid = self.pid, 0
        code = 2
        if pid:
            try:
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                pass
        if code == 0:
            return []
        return [d for d in with_checks(self.ws, [], warnings=False) if d.severity is Severity.ERROR]

    def stop(self) -> None:
        """Not needed after all (the command failed first): the child is killed and reaped."""
        pid, self.pid = self.pid, 0
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def load_checking_aside(root, *, cache=None, files=None, plans_without_levelling: Callable[[Workspace], bool]
                        ) -> tuple[Workspace, list[Diagnostic], ChecksAside | None]:
    """(workspace, diagnostics, checks still running or None) of the workspace at `root`.

    With a ChecksAside the diagnostics are the reading's alone (no error among
    them); without, they are every error and the reading's warnings, sorted
    by place, as `checks.check_workspace(..., warnings=False)` gives them.
    `plans_without_levelling`: whether the command's plan of this workspace
    is a §3 plan (the only kind made before the checks have answered).
    """
    ws, diagnostics = load_workspace(root, cache=cache, files=files)
    if (second_core() and not any(d.severity is Severity.ERROR for d in diagnostics)
            and sum(len(c.tasks) for c in ws.campaigns) >= MIN_TASKS and plans_without_levelling(ws)):
        with contextlib.suppress(OSError):  # no fork to be had: checked here
            return ws, diagnostics, ChecksAside(ws)
    return ws, with_checks(ws, diagnostics, warnings=False), None
