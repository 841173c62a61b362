"""Writes under stress: a race with another writer, a killed run, a name that looks like YAML."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time

import pytest
from conftest import ACME, copy_workspace, run_mpm

from mpm.read.load import load_workspace

TASKS = "campaigns/black-friday-2026/tasks.yaml"


def test_an_edit_landing_while_mpm_waits_to_write_is_never_lost(tmp_path):
    ws = copy_workspace(ACME, tmp_path / "acme")
    tasks = ws / TASKS
    fd = os.open(ws, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another mpm is writing
    proc = subprocess.Popen([sys.executable, "-m", "mpm", "task", "start", "black-friday-2026/store-kits",
                             "--on", "2026-11-16", "-w", str(ws)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "MPM_NO_CACHE": "1"})
    try:
        time.sleep(4)  # it has read the file and waits for the lock
        edited = tasks.read_text().replace("# Black Friday work.", "# Black Friday work (edited).")
        tasks.write_text(edited)
    finally:
        os.close(fd)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and b"changed on disk while mpm was editing it" in err
    assert tasks.read_text() == edited


def test_temporary_files_of_a_killed_write_are_cleaned_on_the_next(tmp_path):
    ws = copy_workspace(ACME, tmp_path / "acme")
    folder = (ws / TASKS).parent
    stale = folder / ".tasks.yaml.k1ll3d_x.tmp"
    stale.write_text("half a file")
    mine = folder / ".tasks.yaml.notes.tmp"  # not a name mpm makes
    mine.write_text("keep")
    r = run_mpm("task", "start", "black-friday-2026/store-kits", "--on", "2026-11-16", "-w", str(ws))
    assert r.exit_code == 0, r.output
    assert not stale.exists() and mine.exists()


def test_a_new_campaign_is_there_whole_or_not_at_all(tmp_path, monkeypatch):
    from pathlib import Path

    ws = copy_workspace(ACME, tmp_path / "acme")
    calls = {"replace": 0, "write": 0}
    real_replace, real_write = os.replace, Path.write_bytes

    def replace(*args, **kw):  # the run dies after its first file is in place
        calls["replace"] += 1
        if calls["replace"] == 2:
            raise OSError(28, "No space left on device", str(args[1]))
        return real_replace(*args, **kw)

    def write_bytes(self, data):
        calls["write"] += 1
        if calls["write"] == 2:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    r = run_mpm("new", "campaign", "winter-sale", "--template", "email", "--start", "2027-01-04", "-w", str(ws))
    assert r.exit_code == 2
    assert not (ws / "campaigns/winter-sale").exists()
    assert not list(ws.glob(".mpm-new-*"))
    monkeypatch.undo()
    r = run_mpm("new", "campaign", "winter-sale", "--template", "email", "--start", "2027-01-04", "-w", str(ws))
    assert r.exit_code == 0, r.output
    assert run_mpm("check", "-w", str(ws)).exit_code == 0


@pytest.mark.parametrize("name", ["Acme\nteam: []", "Acme: the team", "yes", "Q1 # plan", 'say "hi"', "a\u2028b"])
def test_a_workspace_name_is_one_value_whatever_it_holds(tmp_path, name):
    target = tmp_path / "ws"
    r = run_mpm("init", str(target), "--name", name)
    assert r.exit_code == 0, r.output
    assert run_mpm("check", "-w", str(target)).exit_code == 0
    ws, _ = load_workspace(target)
    assert ws.config.name == name and len(ws.config.team) == 3
