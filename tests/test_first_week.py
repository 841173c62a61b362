"""What a new team hits in its first week with mpm: each case failed before its fix."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import ACME, run_mpm
from test_cli_basics import _commands

# --- the front door ---------------------------------------------------------


def test_plain_mpm_prints_help_and_exits_0():
    r = run_mpm()
    assert r.exit_code == 0
    assert "Usage: mpm" in r.stdout and "plan" in r.stdout


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_help_shows_no_python_types(command):
    text = run_mpm(*command, "--help", width=140).stdout
    for python in ("<bool>", "<str>", "<int", "<list[", "<dir>", "<path>", "{", "[["):
        assert python not in text, f"mpm {' '.join(command)} --help shows {python}"


def test_format_lists_only_the_formats_a_command_has():
    plan = run_mpm("plan", "--help", width=140).stdout
    assert "table|json|md" in plan and "github" not in plan
    status = run_mpm("status", "--help", width=140).stdout
    assert "table|json|github|md|slack|teams" in status
    r = run_mpm("plan", "-w", str(ACME), "--format", "github")
    assert r.exit_code == 2 and "github" in r.output
    check = run_mpm("check", "--help", width=140).stdout
    assert "table|json|github" in check and "text" not in check
    assert run_mpm("check", "-w", str(ACME), "--format", "table").exit_code == 0


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_the_shell_can_use(shell):
    r = run_mpm("completion", shell)
    assert r.exit_code == 0
    assert "_MPM_COMPLETE" in r.stdout
    # the script's callback answers: `mpm foreca<TAB>` completes to forecast
    env = {**os.environ, "_MPM_COMPLETE": "complete_bash", "COMP_WORDS": "mpm foreca", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "mpm"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.split() == ["forecast"]


def test_a_workspace_folder_that_does_not_exist_is_named_as_such(tmp_path):
    r = run_mpm("check", "-w", str(tmp_path / "nowhere"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr and "no mpm.yaml" not in r.stderr
