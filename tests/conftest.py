"""Shared test helpers: run the CLI as a user would, and compare with golden files.

Golden files live in tests/golden/. Regenerate them with
`pytest --update-golden` and review the diff before committing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ACME = EXAMPLES / "acme"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output")


def pytest_configure(config: pytest.Config) -> None:
    # The cache keeps its key under $XDG_CACHE_HOME: tests never touch the
    # real one, and every run starts with no key.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="mpm-tests-")


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_mpm(*args: str, width: int = 100, env: dict[str, str] | None = None) -> Result:
    """Run `mpm ARGS` in-process, no colour, fixed width."""
    from mpm.cli.app import app

    runner = CliRunner()
    # No cache by default: tests must not write into examples/; the cache has
    # tests of its own.
    full_env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb", "GITHUB_ACTIONS": "",
                "MPM_NO_CACHE": "1"}
    full_env.update(env or {})
    result = runner.invoke(app, list(args), env=full_env, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def mpm():
    return run_mpm


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path.name} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from tests/golden/{name} (pytest --update-golden)"

    return check


def copy_workspace(source: Path, target: Path, **options) -> Path:
    """A copy of a workspace without what mpm keeps between runs (.mpm-cache/)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".mpm-cache"), **options)
    return target


@pytest.fixture
def acme_copy(tmp_path: Path) -> Path:
    """A private copy of examples/acme that a test may change."""
    return copy_workspace(ACME, tmp_path / "acme")


def write_workspace(root: Path, files: dict[str, str]) -> Path:
    """Write a small workspace from {relative path: text}."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_without_a_hint(check_output: str) -> list[str]:
    """The `error[...]` lines of `mpm check` text output that no `hint:` line follows."""
    out: list[str] = []
    current: str | None = None
    for line in check_output.splitlines():
        if "error[" in line or "warning[" in line or line.startswith(("checked ", "1 error", "2 errors")):
            if current is not None:
                out.append(current)
            current = line if "error[" in line else None
        elif line.startswith("  hint: "):
            current = None
    if current is not None:
        out.append(current)
    return out
