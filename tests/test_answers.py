"""Recorded answers: replayed byte for byte while nothing changed, never after a change.

These run `mpm` as real processes: answers are recorded only by the real
entry point, with stdout and stderr not on a terminal.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ACME, ROOT, copy_workspace

AS_OF = ("--as-of", "2026-11-16")


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    return root


def mpm(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "MPM_NO_CACHE": "0", "COLUMNS": "100", "NO_COLOR": "1", **env}
    return subprocess.run([sys.executable, "-m", "mpm", *args], capture_output=True, env=full, timeout=120)


def answers(root: Path) -> list[Path]:
    folder = root / ".mpm-cache" / "answers"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def forge(answer: Path, stdout: bytes) -> None:
    """Rewrite a recorded answer's output, signed with this user's key as mpm would sign it.

    A test's way to see that a replay happened.
    """
    from mpm.cli.answers import _signer
    from mpm.read.cache import SIGNATURE

    code = answer.read_bytes()[-SIGNATURE - 4:-SIGNATURE]
    body = b"O" + len(stdout).to_bytes(8, "big") + stdout + b"X" + (4).to_bytes(8, "big") + code
    mac = _signer(answer.name)
    mac.update(body)
    answer.write_bytes(body + mac.digest())


@pytest.mark.parametrize("args", [
    ("plan", "--format", "json", *AS_OF),
    ("plan", "--gantt", *AS_OF),
    ("status", *AS_OF),  # exit 1: findings
    ("status", "--format", "github", "--as-of", "2027-06-01"),
    ("check", "--format", "json"),
    ("quarter", "2027-Q1", *AS_OF),
    ("report", "--format", "html", *AS_OF),
    ("export", "csv", *AS_OF),
    ("export", "ics", *AS_OF),
])
def test_a_replay_is_the_run_byte_for_byte(ws, args):
    first = mpm(*args, "-w", str(ws))
    assert len(answers(ws)) == 1
    again = mpm(*args, "-w", str(ws))
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert len(answers(ws)) == 1


def test_the_replayed_answer_is_what_is_written_and_any_edit_is_a_new_run(ws):
    args = ("plan", "--format", "json", "--no-level", *AS_OF, "-w", str(ws))
    real = mpm(*args)
    [answer] = answers(ws)
    forge(answer, b"recorded\n")
    assert mpm(*args).stdout == b"recorded\n"  # unchanged files: the answer stands in for the run

    tasks = ws / "campaigns/black-friday-2026/tasks.yaml"
    tasks.write_text(tasks.read_text().replace("  duration: 5\n  effort: 20\n", "  duration: 8\n  effort: 20\n"))
    edited = mpm(*args)
    assert edited.stdout not in (b"recorded\n", real.stdout)
    assert b'"finish": "2026-12-04"' in edited.stdout


@pytest.mark.parametrize("change", [
    {"args": ("--as-of", "2026-11-17")},
    {"env": {"COLUMNS": "120"}},
    {"env": {"MPM_TODAY": "2026-11-20"}},
    {"env": {"GITHUB_ACTIONS": "true"}},
])
def test_flags_and_environment_are_part_of_the_key(ws, change):
    base = ("status", "-w", str(ws))
    mpm(*base, *AS_OF)
    [answer] = answers(ws)
    forge(answer, b"recorded\n")
    args = change.get("args", AS_OF)
    assert mpm(*base, *args, **change.get("env", {})).stdout != b"recorded\n"


def test_a_new_file_in_a_campaign_folder_is_a_change(ws):
    args = ("check", "-w", str(ws))
    mpm(*args)
    [answer] = answers(ws)
    forge(answer, b"recorded\n")
    (ws / "campaigns/black-friday-2026/budget.yaml").write_text("total: 1\n")
    out = mpm(*args)
    assert out.stdout != b"recorded\n" and b"E013" in out.stdout + out.stderr


def test_an_edited_answer_is_never_replayed(ws):
    args = ("status", "-w", str(ws), *AS_OF)
    real = mpm(*args)
    [answer] = answers(ws)
    data = bytearray(answer.read_bytes())
    assert data[0:1] == b"O"
    data[9:12] = b"ok!"  # the first bytes of what was written, as someone editing the file would
    answer.write_bytes(bytes(data))
    again = mpm(*args)
    assert again.stdout == real.stdout and again.returncode == real.returncode == 1


def test_a_damaged_answer_is_a_miss(ws):
    args = ("plan", "--format", "json", "--no-level", *AS_OF, "-w", str(ws))
    real = mpm(*args)
    [answer] = answers(ws)
    answer.write_bytes(answer.read_bytes()[:-3])
    assert mpm(*args).stdout == real.stdout


def test_commands_that_write_and_terminals_are_never_recorded(ws):
    assert mpm("task", "start", "black-friday-2026/store-kits", "--on", "2026-11-16", "-w", str(ws)).returncode == 0
    assert answers(ws) == []
    # a terminal: Rich's output depends on it, and people there do not need it
    leader, follower = pty.openpty()
    env = {**os.environ, "MPM_NO_CACHE": "0"}
    proc = subprocess.run([sys.executable, "-m", "mpm", "plan", "-w", str(ws), *AS_OF], stdout=follower,
                          stderr=follower, env=env, timeout=120)
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 0 and answers(ws) == []


def test_a_reader_that_leaves_early_leaves_no_answer(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    big = tmp_path / "big"
    generate(big, 2000)  # a plan of about a megabyte: more than a pipe holds
    cmd = f"{sys.executable} -m mpm plan -w {big} --format json | head -c 10"
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, env={**os.environ, "MPM_NO_CACHE": "0"},
                         timeout=120)
    assert out.stdout == b'{\n  "schem'
    assert answers(big) == []
    assert not list((big / ".mpm-cache").rglob(".tmp-*"))


def test_old_answers_are_removed(ws):
    from mpm.cli.answers import KEEP

    for day in range(1, KEEP + 4):
        mpm("plan", "-w", str(ws), "--as-of", f"2026-11-{day:02d}")
    assert len(answers(ws)) == KEEP


def test_answers_are_bounded_in_bytes_too(tmp_path, monkeypatch):
    """A few large answers (a plan of 100,000 tasks is 50 MB) do not fill the disk: the newest
    are kept up to the byte bound, and the newest one always."""
    from mpm.cli import answers as module
    from mpm.read import cache

    monkeypatch.setattr(module, "KEEP_BYTES", 2500)
    folder = cache.open_folder(tmp_path, module.FOLDER)
    assert folder is not None
    where = tmp_path / ".mpm-cache" / module.FOLDER
    names = [f"{k:040x}" for k in range(5)]
    for k, name in enumerate(names):
        (where / name).write_bytes(b"x" * 1000)
        os.utime(where / name, (1_000_000 + k, 1_000_000 + k))
    (where / "notes.txt").write_bytes(b"y" * 5000)  # not an answer: never touched
    module._prune(folder)
    assert sorted(p.name for p in where.iterdir()) == sorted([names[4], names[3], "notes.txt"])
    monkeypatch.setattr(module, "KEEP_BYTES", 10)
    module._prune(folder)
    folder.close()
    assert sorted(p.name for p in where.iterdir()) == sorted([names[4], "notes.txt"])


def _frames_of(answer: Path) -> list[tuple[bytes, bytes]]:
    from mpm.read.cache import SIGNATURE

    data, out, at = answer.read_bytes()[:-SIGNATURE], [], 0
    while at < len(data):
        size = int.from_bytes(data[at + 1:at + 9], "big")
        out.append((data[at:at + 1], data[at + 9:at + 9 + size]))
        at += 9 + size
    return out


def _signed(answer: Path, frames: list[tuple[bytes, bytes]]) -> None:
    from mpm.cli.answers import _signer

    body = b"".join(tag + len(b).to_bytes(8, "big") + b for tag, b in frames)
    mac = _signer(answer.name)
    mac.update(body)
    answer.write_bytes(body + mac.digest())


def test_a_file_written_with_o_is_written_again_by_the_replay(ws, tmp_path):
    """`-o FILE` records the file's bytes with the answer: the replay writes the file (through
    the same writer) and says so, even when the file was removed meanwhile."""
    target = tmp_path / "out" / "plan.ics"
    target.parent.mkdir()
    args = ("export", "ics", *AS_OF, "-w", str(ws), "-o", str(target))
    first = mpm(*args)
    assert first.returncode == 0 and first.stderr == f"wrote the calendar to {target}\n".encode()
    made = target.read_bytes()
    [answer] = answers(ws)
    frames = _frames_of(answer)
    assert [tag for tag, _ in frames] == [b"F", b"E", b"X"] and frames[0][1] == made
    _signed(answer, [(b"F", b"BEGIN:VCALENDAR\r\nREPLAYED\r\n"), *frames[1:]])  # a replay shows
    target.unlink()
    again = mpm(*args)
    assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\nREPLAYED\r\n"


def test_a_file_the_replay_cannot_write_is_the_runs_to_report_and_no_failure_is_kept(ws, tmp_path):
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    args = ("report", "--format", "md", *AS_OF, "-w", str(ws), "-o", str(target))
    assert mpm(*args).returncode == 0
    made = target.read_bytes()
    target.unlink()
    target.mkdir()  # the answer's file can no longer be written: the run says why
    failed = mpm(*args)
    assert failed.returncode == 2 and f"{target} is a folder".encode() in failed.stderr
    target.rmdir()  # and the failure was not recorded: the next run writes the file
    assert mpm(*args).returncode == 0 and target.read_bytes() == made
    assert len(answers(ws)) == 1


def test_several_files_are_never_recorded(ws, tmp_path):
    out = mpm("export", "ics", *AS_OF, "-w", str(ws), "--output-dir", str(tmp_path / "cals"))
    assert out.returncode == 0 and list((tmp_path / "cals").glob("*.ics"))
    assert answers(ws) == []


def test_a_run_whose_file_the_early_reading_would_misname_is_not_recorded(ws, tmp_path):
    """`--title -o -o FILE`: click writes FILE; read before click, the line names a file `-o`.
    Such a run records nothing, so no replay ever writes a file the command line did not mean."""
    target = tmp_path / "report.md"
    args = ("report", "--format", "md", *AS_OF, "-w", str(ws), "--title", "-o", "-o", str(target))
    run = mpm(*args)
    assert run.returncode == 0 and target.read_bytes().startswith(rb"# \-o" b"\n")
    assert answers(ws) == []
    plain = mpm("report", "--format", "md", *AS_OF, "-w", str(ws), "--title", "Q1", "-o", str(target))
    assert plain.returncode == 0 and len(answers(ws)) == 1  # the same run, read the same way, is kept
