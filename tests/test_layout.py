"""The house keeps its shape: every stage package says its role, no module
grows past a few hundred lines, and docs/ARCHITECTURE.md names every module."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "mpm"
STAGES = ["read", "check", "plan", "views", "change", "render", "export", "cli"]
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" and p.parent != SRC)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_opens_with_its_role(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((SRC / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.splitlines()) >= 3, f"mpm/{stage}/__init__.py needs a docstring: role, in/out, imports"
    assert "Import" in doc or "import" in doc, f"mpm/{stage} does not say what it may import"


def test_every_module_has_a_docstring_and_stays_small() -> None:
    too_long, silent = [], []
    for path in modules():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_LINES:
            too_long.append(f"{path.relative_to(SRC)} ({len(text.splitlines())} lines)")
        if not ast.get_docstring(ast.parse(text)):
            silent.append(str(path.relative_to(SRC)))
    assert not too_long, f"split these modules: {too_long}"
    assert not silent, f"say what these modules are for: {silent}"


def test_architecture_names_every_module() -> None:
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^`(\w+)/` — .*?\n((?:- .*\n(?:  .*\n)*)+)", doc, re.M))
    assert set(sections) == set(STAGES), "ARCHITECTURE.md needs one list per stage"
    missing = []
    for stage in STAGES:
        named = set(re.findall(r"`(\w+)`", sections[stage]))
        for path in modules():
            if path.parent.name == stage and path.stem not in named:
                missing.append(f"{stage}/{path.stem}")
        for name in re.findall(r"^- `(\w+)`", sections[stage], re.M):
            assert (SRC / stage / f"{name}.py").exists(), f"ARCHITECTURE.md lists {stage}/{name}, which is gone"
    assert not missing, f"ARCHITECTURE.md does not mention {missing}"


def test_imports_only_run_downward() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint).exists():
        pytest.skip("import-linter is not installed (pip install '.[test]')")
    run = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
