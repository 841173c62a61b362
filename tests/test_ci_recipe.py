"""The documented CI workflow, run as GitHub runs it, and annotation paths from the repository root.

GitHub runs each `run:` script with `bash -eo pipefail`: a command that exits
non-zero ends the step, and a failed step skips the steps after it. The
recipe in examples/ci/mpm.yml (the same as the README's) must still write the
job summary and the annotations when work is overdue, and fail at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ACME, ROOT, run_mpm
from ruamel.yaml import YAML

RECIPE = ROOT / "examples" / "ci" / "mpm.yml"
OVERDUE_DAY = "2026-11-16"  # examples/acme has overdue work on this day


def _steps() -> list[dict]:
    doc = YAML(typ="safe").load(RECIPE.read_text(encoding="utf-8"))
    return [s for s in doc["jobs"]["plan"]["steps"] if "run" in s and "pip install" not in s["run"]]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _runner_env(tmp_path: Path, checkout: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    mpm = bin_dir / "mpm"
    mpm.write_text(f"#!/bin/sh\nexec {sys.executable} -m mpm \"$@\"\n")
    mpm.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MPM_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", GITHUB_ACTIONS="true", CI="true",
               GITHUB_WORKSPACE=str(checkout), GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
               MPM_TODAY=OVERDUE_DAY, MPM_NO_CACHE="1", NO_COLOR="1", COLUMNS="100")
    return env


def _run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_recipe_reports_then_fails_under_bash_pipefail(tmp_path):
    checkout = tmp_path / "repo"
    shutil.copytree(ACME, checkout)
    env = _runner_env(tmp_path, checkout)
    results = []
    for step in _steps():  # as GitHub does: a failed step skips the rest
        done = _run_step(step["run"], checkout, env)
        results.append((step.get("name"), done))
        if done.returncode != 0:
            break
    names = [name for name, _ in results]
    assert names == ["Files are valid", "Status summary and annotations", "Nothing is overdue"], results
    summary, annotations, last = (r for _, r in results)
    assert summary.returncode == 0 and annotations.returncode == 0
    assert "## mpm status as of 2026-11-16" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "::error file=campaigns/black-friday-2026/tasks.yaml,line=" in annotations.stdout
    assert last.returncode == 1, "the job still fails when work is overdue"


def test_the_old_recipe_lost_the_annotations(tmp_path):
    """Why the recipe changed: the summary line alone ended the step with exit 1."""
    checkout = tmp_path / "repo"
    shutil.copytree(ACME, checkout)
    old = ('mpm status --format md >> "$GITHUB_STEP_SUMMARY"\n'
           "mpm status --format github --fail-on overdue\n")
    done = _run_step(old, checkout, _runner_env(tmp_path, checkout))
    assert done.returncode == 1 and "::error" not in done.stdout


def test_readme_shows_the_recipe():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = RECIPE.read_text(encoding="utf-8").split("\n", 1)[1]  # without the path comment
    assert body in readme


def _repo_with_workspace_in(tmp_path: Path, sub: str) -> Path:
    repo = tmp_path / "repo"
    ws = repo / sub
    shutil.copytree(ACME, ws)
    _git(repo, "init", "-q")
    return ws


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_annotation_paths_start_at_the_repository_root(tmp_path):
    ws = _repo_with_workspace_in(tmp_path, "marketing/plans")
    r = run_mpm("status", "-w", str(ws), "--as-of", OVERDUE_DAY, "--format", "github",
                env={"GITHUB_WORKSPACE": ""})
    files = set(re.findall(r"file=([^,]+),", r.stdout))
    assert files and all(f.startswith("marketing/plans/") for f in files), files
    # GITHUB_WORKSPACE, where set, is the root GitHub reads paths from
    r = run_mpm("status", "-w", str(ws), "--as-of", OVERDUE_DAY, "--format", "github",
                env={"GITHUB_WORKSPACE": str(tmp_path / "repo" / "marketing")})
    assert "file=plans/campaigns/" in r.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_check_annotations_start_at_the_repository_root(tmp_path):
    ws = _repo_with_workspace_in(tmp_path, "plans")
    tasks = ws / "campaigns" / "black-friday-2026" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("owner: leo", "owner: nobody", 1), encoding="utf-8")
    r = run_mpm("check", "-w", str(ws), "--format", "github", env={"GITHUB_WORKSPACE": ""})
    assert r.exit_code == 2
    assert "::error file=plans/campaigns/black-friday-2026/tasks.yaml,line=" in r.stdout


def test_no_repository_no_prefix(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ACME, ws)
    r = run_mpm("status", "-w", str(ws), "--as-of", OVERDUE_DAY, "--format", "github",
                env={"GITHUB_WORKSPACE": "", "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert "::error file=campaigns/" in r.stdout
