"""How a real mpm process ends: crashes exit 3, a reader leaving is exit 0, unwritable output exit 2.

These run mpm as real processes, with real pipes and devices.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ACME, ROOT, copy_workspace

AS_OF = ("--as-of", "2026-11-16")
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    root = tmp_path_factory.mktemp("big") / "ws"
    generate(root, 1500)  # a plan larger than a pipe holds
    return root


def sh(command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], capture_output=True, env={**ENV, **env}, timeout=120)


def mpm_cmd(*args: str) -> str:
    return " ".join([sys.executable, "-m", "mpm", *args])


def with_a_bug(*args: str, where: str = "mpm.plan.schedule.build_plan",
               error: str = "ZeroDivisionError('boom')") -> str:
    """A command line running mpm's real entry point with `where` replaced by code raising `error` (of `a`)."""
    module, name = where.rsplit(".", 1)
    code = (f"import sys, {module} as m; "
            f"m.{name} = lambda *a, **k: (_ for _ in ()).throw({error}); "
            f"sys.argv = ['mpm', *{list(args)!r}]; from mpm.cli.app import run; run()")
    return f"{sys.executable} -c \"{code}\""


@pytest.mark.parametrize("args", [("plan", *AS_OF), ("status", "--fail-on", "never", *AS_OF)])
def test_an_internal_error_exits_3_with_one_line_and_the_traceback_in_a_file(args, tmp_path):
    out = sh(with_a_bug(*args, "-w", str(ACME)), MPM_NO_CACHE="1", TMPDIR=str(tmp_path))
    assert out.returncode == 3
    lines = out.stderr.decode().splitlines()
    assert len(lines) == 1 and "internal error (ZeroDivisionError): this is a bug in mpm" in lines[0]
    assert b"Traceback" not in out.stdout + out.stderr
    [path] = re.findall(r"the traceback is in (\S+)", lines[0])
    report = Path(path).read_text()
    assert Path(path).parent == tmp_path and "ZeroDivisionError: boom" in report and "build_plan" in report


@pytest.mark.parametrize("cache", ["0", "1"])
def test_a_reader_that_leaves_is_a_normal_end(big, cache):
    out = sh(mpm_cmd("plan", "-w", str(big), *AS_OF) + ' | head -1; exit "${PIPESTATUS[0]}"', MPM_NO_CACHE=cache)
    assert (out.returncode, out.stderr) == (0, b""), out.stderr
    assert out.stdout == b"Plan as of 2026-11-16\n"


@pytest.mark.parametrize("redirect, reason", [(">&-", "standard output is closed"),
                                              (">/dev/full", "the disk is full")])
@pytest.mark.parametrize("cache", ["0", "1"])
def test_output_that_cannot_be_written_is_said_in_one_line(tmp_path, redirect, reason, cache):
    ws = copy_workspace(ACME, tmp_path / "acme")
    out = sh(mpm_cmd("plan", "-w", str(ws), *AS_OF) + f" {redirect}", MPM_NO_CACHE=cache)
    assert out.returncode == 2
    assert out.stderr.decode() == f"error: cannot write output: {reason}\n"


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "latin-1"}, {"LC_ALL": "C", "PYTHONUTF8": "0",
                                                                    "PYTHONIOENCODING": ""}])
@pytest.mark.parametrize("args", [("status", *AS_OF), ("plan", *AS_OF), ("check",), ("quarter", "2026-Q4")])
def test_a_stream_that_cannot_encode_the_glyphs_gets_ascii(env, args):
    out = sh(mpm_cmd(*args, "-w", str(ACME)), MPM_NO_CACHE="1", **env)
    assert out.returncode in (0, 1), out.stderr
    assert b"Traceback" not in out.stderr
    text = out.stdout.decode("latin-1")
    assert text and "\u2014" not in text and "\u2716" not in text


def test_a_file_that_cannot_be_written_is_an_error_not_a_crash(tmp_path):
    ws = copy_workspace(ACME, tmp_path / "acme")
    tasks = ws / "campaigns/black-friday-2026/tasks.yaml"
    before = tasks.read_bytes()
    bug = with_a_bug("task", "start", "black-friday-2026/store-kits", "--on", "2026-11-16", "-w", str(ws),
                     where="os.replace", error="OSError(30, 'Read-only file system', a[1])")
    out = sh(bug, MPM_NO_CACHE="1")
    assert out.returncode == 2, out.stderr
    assert b"cannot write campaigns/black-friday-2026/tasks.yaml: the file system is read-only" in out.stderr
    assert b"Traceback" not in out.stderr and tasks.read_bytes() == before
