"""The file cache: any change to a file is seen, and two mpm processes can share it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import ACME, copy_workspace, run_mpm

CACHED = {"MPM_NO_CACHE": "0"}


def _plan(root) -> dict:
    r = run_mpm("plan", "-w", str(root), "--as-of", "2026-11-16", "--format", "json", "--no-level", env=CACHED)
    assert r.exit_code == 0, r.output
    return {t["id"]: t for c in json.loads(r.stdout)["campaigns"] for t in c["tasks"]}


def test_an_edit_is_seen_through_the_cache(tmp_path):
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    first = _plan(root)
    entries = list((root / ".mpm-cache").rglob("*"))
    assert any(p.is_file() and not p.name.startswith(".") for p in entries), "the cache was filled"
    assert _plan(root) == first  # served from the cache, same answer
    tasks = root / "campaigns/black-friday-2026/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("  duration: 5\n  effort: 20\n", "  duration: 8\n  effort: 20\n"))
    after = _plan(root)
    assert first["store-kits"]["finish"] == "2026-12-01"
    assert after["store-kits"]["finish"] == "2026-12-04"


def test_cache_is_ignored_by_git_and_bypassed_on_request(tmp_path):
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    _plan(root)
    assert (root / ".mpm-cache" / ".gitignore").read_text() == "*\n"
    shutil.rmtree(root / ".mpm-cache")
    r = run_mpm("--no-cache", "plan", "-w", str(root), "--format", "json", env=CACHED)
    assert r.exit_code == 0 and not (root / ".mpm-cache").exists()


def test_a_damaged_cache_entry_is_a_miss(tmp_path):
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    first = _plan(root)
    for entry in (root / ".mpm-cache").rglob("*"):
        if entry.is_file() and entry.name != ".gitignore":
            entry.write_bytes(b"not a pickle")
    assert _plan(root) == first


def test_two_processes_share_the_cache(tmp_path):
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    env = {**os.environ, "MPM_NO_CACHE": "0", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "mpm", "plan", "-w", str(root), "--as-of", "2026-11-16", "--format", "json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    assert len({o[0] for o in outputs}) == 1
    assert not [p for p in (root / ".mpm-cache").rglob(".tmp-*")], "no half-written entries left"
    again = subprocess.run(cmd, capture_output=True, env=env, check=True)
    assert again.stdout == outputs[0][0]


def test_entry_names_depend_on_a_secret_kept_outside_the_workspace(tmp_path):
    """Entries planted in a repository's .mpm-cache/ can never match: their names need the user's key."""
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    names = []
    for who in ("alice", "bob"):
        env = {**os.environ, "MPM_NO_CACHE": "0", "XDG_CACHE_HOME": str(tmp_path / who)}
        cmd = [sys.executable, "-m", "mpm", "plan", "-w", str(root), "--as-of", "2026-11-16", "--format", "json"]
        before = {p.name for p in (root / ".mpm-cache").rglob("*") if p.is_file()} if names else set()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        names.append({p.name for p in (root / ".mpm-cache").rglob("*") if p.is_file()} - before - {".gitignore"})
        key = tmp_path / who / "mpm" / "key"
        assert len(key.read_bytes()) == 32
    assert names[0] and names[1] and not names[0] & names[1]


def test_a_changed_library_or_mpm_source_is_a_new_fingerprint(tmp_path, monkeypatch):
    from mpm.read import cache

    package = tmp_path / "someplugin"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = cache._stamp("someplugin")
    (package / "__init__.py").write_text("VERSION = 22\n")  # what an upgrade does
    assert cache._stamp("someplugin") != before
    assert cache._stamp("no_such_module_here") == "-"
    assert cache._stamp("mpm") != "-" and "mpm " in cache.fingerprint().decode()
