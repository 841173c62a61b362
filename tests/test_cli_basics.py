"""The CLI's front door: version, help, init, schema, workspace discovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_mpm


def test_version_answers_without_heavy_imports():
    code = ("import sys; sys.argv = ['mpm', '--version']; from mpm.__main__ import main; main(); "
            "heavy = [m for m in ('pydantic', 'ruamel.yaml', 'yaml_rs', 'typer', 'mpm.plan.engine') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0].startswith("mpm ")
    assert lines[1] == "[]"


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("4", "4")])
def test_entry_point_keeps_openblas_to_one_thread_unless_told(given, seen):
    # numpy's BLAS threads would only spin beside the report on a two-core machine
    code = ("import os, sys; import mpm.cli.app as app; "
            "app.run = lambda: print(os.environ.get('OPENBLAS_NUM_THREADS')); "
            "sys.argv = ['mpm', 'check', '--workspace', 'no-such-folder']; "
            "from mpm.__main__ import main; main()")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.splitlines()[-1] == seen


def _imported(args: list[str]) -> set[str]:
    """Every module a real `mpm ARGS` process imports (it leaves with os._exit)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "mpm", *args], capture_output=True,
                         text=True, env={**os.environ, "COLUMNS": "100"})
    assert out.returncode == 0, out.stderr[-500:]
    return {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}


def test_help_imports_no_models_yaml_or_engine():
    modules = _imported(["--help"])
    assert "typer" in modules  # the check can see what was imported
    heavy = {"pydantic", "ruamel.yaml", "yaml_rs", "mpm.plan.engine", "mpm.read.model"} & modules
    assert heavy == set()


def _commands() -> list[list[str]]:
    from typer.main import get_command

    from mpm.cli.app import app

    root = get_command(app)
    found = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            found += [[name, sub] for sub in subs]
        else:
            found.append([name])
    return found


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help_an_example_and_a_readme_entry(command):
    r = run_mpm(*command, "--help")
    assert r.exit_code == 0
    assert "Example:" in r.stdout, f"mpm {' '.join(command)} --help shows no example"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"mpm {' '.join(command)}" in readme, f"README has no entry for mpm {' '.join(command)}"


def _process(*args: str) -> subprocess.CompletedProcess:
    """A real `mpm ARGS` process, which builds only the command it names."""
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "MPM_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "mpm", *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args", [["plan", "--help"], ["export", "--help"], ["export", "ics", "--help"],
                                  ["--no-cache", "new", "campaign", "--help"], ["--help"]],
                         ids=lambda a: " ".join(a))
def test_a_process_that_builds_one_command_helps_as_the_whole_app_does(args):
    r = _process(*args)
    whole = run_mpm(*args)  # in-process: every command built
    assert (r.returncode, r.stdout) == (whole.exit_code, whole.stdout)


def test_a_misspelt_command_is_still_matched_against_every_command():
    r = _process("plna", "--workspace", "examples/acme")
    assert r.returncode == 2 and "Did you mean 'plan'?" in r.stderr
    r = _process("export", "icss")
    assert r.returncode == 2 and "Did you mean 'ics'?" in r.stderr


def test_init_writes_a_valid_workspace_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "plan"
    r = run_mpm("init", str(target))
    assert r.exit_code == 0, r.output
    assert (target / "mpm.yaml").is_file()
    assert (target / ".gitignore").read_text().strip() == ".mpm-cache/"
    check = run_mpm("check", "--workspace", str(target))
    assert check.exit_code == 0 and "all good" in check.stdout
    plan = run_mpm("plan", "--workspace", str(target), "--format", "json")
    assert plan.exit_code == 0
    assert json.loads(plan.stdout)["campaigns"][0]["id"] == "customer-webinar"

    before = (target / "mpm.yaml").read_text()
    again = run_mpm("init", str(target))
    assert again.exit_code == 2
    assert "nothing was written" in again.stderr
    assert (target / "mpm.yaml").read_text() == before


def test_workspace_is_found_upward_and_env_overrides(tmp_path, monkeypatch):
    target = tmp_path / "ws"
    run_mpm("init", str(target))
    deep = target / "campaigns" / "customer-webinar"
    monkeypatch.chdir(deep)
    assert run_mpm("check").exit_code == 0
    monkeypatch.chdir(tmp_path)
    missing = run_mpm("check")
    assert missing.exit_code == 2 and "no mpm.yaml" in missing.stderr
    assert run_mpm("check", env={"MPM_WORKSPACE": str(target)}).exit_code == 0


@pytest.mark.parametrize("kind", ["workspace", "campaign", "goals", "tasks", "risks"])
def test_schema_describes_each_file_kind(kind):
    r = run_mpm("schema", kind)
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    if kind in ("goals", "tasks", "risks"):
        assert schema["type"] == "array"
    body = json.dumps(schema)
    assert '"additionalProperties": false' in body
    assert '"^x-"' in body


def test_schema_validates_the_example_tasks(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml_rs

    schema = json.loads(run_mpm("schema", "tasks").stdout)
    for path in (ROOT / "examples").glob("*/campaigns/*/tasks.yaml"):
        data = yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)
        jsonschema.validate(data, schema)


def test_schema_unknown_kind_is_a_usage_error():
    r = run_mpm("schema", "budgets")
    assert r.exit_code == 2 and "no file kind 'budgets'" in r.stderr


def test_broken_pipe_is_quiet(tmp_path):
    target = tmp_path / "ws"
    run_mpm("init", str(target))
    cmd = (f"{sys.executable} -m mpm plan --workspace {target} --format json | head -c 10")
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr


def test_a_real_process_exits_with_the_command_code_and_all_its_output(tmp_path):
    """`mpm` leaves with os._exit: codes and every byte written must still arrive."""
    def real(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mpm", *args], capture_output=True,
                              env={**os.environ, "MPM_NO_CACHE": "1", "NO_COLOR": "1"})

    plan = real("plan", "--workspace", str(ROOT / "examples" / "acme"), "--as-of", "2026-11-16",
                "--format", "json")
    assert plan.returncode == 0
    assert plan.stdout == run_mpm("plan", "--workspace", str(ROOT / "examples" / "acme"),
                                  "--as-of", "2026-11-16", "--format", "json").stdout.encode()
    late = real("status", "--workspace", str(ROOT / "examples" / "acme"), "--as-of", "2027-06-01")
    assert late.returncode == 1 and late.stdout
    missing = real("plan", "--workspace", str(tmp_path))
    assert missing.returncode == 2 and b"is not an mpm workspace" in missing.stderr
    usage = real("plan", "--no-such-option")
    assert usage.returncode == 2 and b"No such option" in usage.stderr


def test_repository_example_paths_exist():
    assert (ROOT / ".ci" / "run").is_file()
    assert Path(ROOT / "LICENSE").read_text().startswith("MIT License")
