"""`report` and `export -o PATH`: the target is never read; only a regular file is replaced.

These run mpm as a real process: what is at stake is what happens to files,
pipes and devices outside mpm.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

import pytest
from conftest import ACME, copy_workspace

AS_OF = ("--as-of", "2026-11-16")


def mpm(*args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPM_NO_CACHE": "1", "COLUMNS": "100", "NO_COLOR": "1"}
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "mpm", *args], env=env, timeout=timeout, **kw)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return copy_workspace(ACME, tmp_path_factory.mktemp("out") / "acme")


def test_a_folder_is_refused_in_words(ws, tmp_path):
    out = mpm("export", "csv", "--no-bom", "-w", str(ws), *AS_OF, "-o", str(tmp_path))
    assert out.returncode == 2
    assert b"Traceback" not in out.stderr and b"is a folder" in out.stderr


def test_a_pipe_is_written_not_replaced_and_a_pipe_nobody_reads_is_refused(ws, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    alone = mpm("export", "csv", "--no-bom", "-w", str(ws), *AS_OF, "-o", str(fifo), timeout=30)
    assert alone.returncode == 2 and b"nobody is reading" in alone.stderr
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read)
    reader.start()
    out = mpm("export", "csv", "--no-bom", "-w", str(ws), *AS_OF, "-o", str(fifo), timeout=30)
    reader.join(30)
    assert out.returncode == 0, out.stderr
    assert got and got[0].startswith(b"campaign,")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_full_device_is_an_error_not_a_read(ws):
    out = mpm("export", "json", "-w", str(ws), *AS_OF, "-o", "/dev/full", timeout=30)
    assert out.returncode == 2
    assert b"Traceback" not in out.stderr and b"cannot write /dev/full: the disk is full" in out.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_stdout_and_dash_write_to_stdout(ws, tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"first line\n")
    with open(target, "ab") as fh:  # the shell's `>>`: appended to, never replaced
        out = mpm("export", "csv", "--no-bom", "-w", str(ws), *AS_OF, "-o", "/dev/stdout",
                  stdout=fh, stderr=subprocess.PIPE)
    assert out.returncode == 0, out.stderr
    text = target.read_bytes()
    assert text.startswith(b"first line\ncampaign,")
    dash = mpm("export", "csv", "--no-bom", "-w", str(ws), *AS_OF, "-o", "-")
    assert dash.stdout == text[len(b"first line\n"):]
    assert not (ws / "-").exists() and not (tmp_path / "-").exists()


def test_a_file_is_replaced_whole_and_a_link_stays_a_link(ws, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old report\n")
    os.chmod(real, 0o640)
    link = tmp_path / "report.md"
    link.symlink_to(real)
    out = mpm("report", "-w", str(ws), *AS_OF, "-o", str(link))
    assert out.returncode == 0, out.stderr
    assert link.is_symlink() and real.read_text().startswith("# ")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
