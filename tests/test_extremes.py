"""Extreme and odd values are `check` errors at file:line:col, never a crash of a later command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import run_mpm

ERRORS = Path(__file__).resolve().parent / "errors"
sys.path.insert(0, str(ERRORS))
from make_cases import BASE, T  # noqa: E402


@pytest.fixture
def base(tmp_path) -> Path:
    for rel, text in BASE.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("key", ["date", "str", "int", "float", "list", "bool", "dict", "function-after",
                                 "list[str]", "union[int,str]", "nullable[str]", "json-or-python[x]"])
def test_an_unknown_key_named_like_a_type_is_a_plain_E100(base, key):
    edit(base, T, "  owner: ben\n", f"  owner: ben\n  '{key}': 1\n")
    r = run_mpm("check", "-w", str(base))
    assert r.exit_code == 2
    assert f"campaigns/spring/tasks.yaml:8:3: error[E100]: unknown key '{key}' in task 'copy'" in r.stdout


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_an_error_not_a_recursion_error(base, fast, shape):
    if shape == "flow":
        deep = "x-deep: " + "[" * 2000 + "]" * 2000 + "\n"
    else:
        deep = "x-deep:\n" + "".join("  " * i + "a:\n" for i in range(1, 600)) + "  " * 600 + "b: 1\n"
    edit(base, "campaigns/spring/campaign.yaml", "owner: ana\n", "owner: ana\n" + deep)
    if not fast:  # an anchor sends the file down the full parse
        edit(base, "campaigns/spring/campaign.yaml", "name: Spring launch", "name: &n Spring launch")
    r = run_mpm("check", "-w", str(base))
    assert r.exit_code == 2
    assert "error[E014]: this file nests lists or mappings more than 64 levels deep" in r.stdout
