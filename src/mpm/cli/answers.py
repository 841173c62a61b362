"""Answers of read-only commands, replayed while nothing they depend on changed.

`mpm check`, `plan`, `forecast`, `status`, `quarter`, `goals`, `risks` and `budget` only
read the workspace: the same files, command line, folder, date and
environment give the same output, byte for byte, and the same exit code.
When neither stdout nor stderr is a terminal (CI, scripts, pipes), `run`
records what such a command writes into `.mpm-cache/answers/`, under a key
of all of those inputs and of every byte the loader reads; the next run with
the same key writes the answer again instead of loading, checking and
scheduling. Any change to a file, a flag, the day or the environment is a
new key. Keys are hashed with the cache's secret (see `mpm.read.cache`), so an
answer committed into a repository is never replayed.

An answer file is a sequence of frames: one byte naming the stream (`O`, `E`)
or the end (`X`), eight bytes of length, then the bytes; `X` holds the exit
code. A file that does not end with `X` is not an answer.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mpm.read import cache

if TYPE_CHECKING:  # the files module brings the models: `mpm --help` must not
    from mpm.read.files import FileSource, RememberedFiles

FOLDER = "answers"
KEEP = 16  # answers kept per workspace; older ones are removed
# What, besides the command line, decides what the output looks like.
_ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE",
                "TTY_INTERACTIVE", "GITHUB_ACTIONS", "CI", "TZ", "LANG", "LC_ALL", "LC_CTYPE",
                "PYTHONIOENCODING", "PYTHONUTF8")
_HEADER = 9

_session: dict[str, Any] = {"enabled": False}


def enable() -> None:
    """Called by the real entry point only: in-process callers (tests) never record."""
    _session["enabled"] = True


def replay_or_record(root: Path) -> FileSource | None:
    """Replay the answer for this run and exit, or start recording it.

    Returns the workspace's files, already read for the key, for the loader;
    None when answers are off for this run.
    """
    streams = (sys.stdout, sys.stderr)
    if not (_session["enabled"] and cache.enabled()) or any(s is None or s.isatty() for s in streams):
        return None
    from mpm.read.files import DiskFiles, RememberedFiles

    files = RememberedFiles(DiskFiles(root))
    key = _key(root, files)
    folder = root / cache.FOLDER / FOLDER
    found = _frames(folder / key)
    if found is not None:
        _replay(*found)
    _record(folder, key)
    return files


def finish(code: int) -> None:
    """The command ended with `code`: keep its answer (when one is being recorded)."""
    tape = _session.pop("tape", None)
    if tape is None:
        return
    _restore()
    fh, tmp, folder, key = tape
    if _session.pop("broken", False):
        _discard(fh, tmp)
        return
    try:
        fh.write(b"X" + (4).to_bytes(8, "big") + code.to_bytes(4, "big", signed=True))
        fh.close()
        os.replace(tmp, folder / key)
    except OSError:
        _discard(fh, tmp)
        return
    _prune(folder)


def abandon() -> None:
    """The command did not end normally: keep nothing."""
    tape = _session.pop("tape", None)
    if tape is not None:
        _restore()
        _discard(tape[0], tape[1])


# -- the key -------------------------------------------------------------------


def _key(root: Path, files: RememberedFiles) -> str:
    from mpm.read.load import feed_contents

    h = cache.keyed_hash()
    env = sorted((k, v) for k, v in os.environ.items() if k in _ENVIRONMENT or k.startswith("MPM_"))
    inputs = (FOLDER, sys.argv[1:], os.getcwd(), str(root), date.today().isoformat(), env,
              sys.stdout.encoding, sys.stderr.encoding)
    h.update(repr(inputs).encode())
    feed_contents(files, h)
    return h.hexdigest()


# -- replaying -------------------------------------------------------------------


def _frames(path: Path) -> tuple[list[tuple[int, memoryview]], int] | None:
    """The frames and exit code of a whole answer file, or None."""
    try:
        data = memoryview(path.read_bytes())
    except OSError:
        return None
    frames: list[tuple[int, memoryview]] = []
    at = 0
    while at + _HEADER <= len(data):
        tag = data[at]
        size = int.from_bytes(data[at + 1:at + _HEADER], "big")
        body = data[at + _HEADER:at + _HEADER + size]
        at += _HEADER + size
        if len(body) != size:
            return None
        if tag == ord("X") and size == 4 and at == len(data):
            return frames, int.from_bytes(body, "big", signed=True)
        if tag not in (ord("O"), ord("E")):
            return None
        frames.append((tag, body))
    return None


def _replay(frames: list[tuple[int, memoryview]], code: int) -> None:
    import typer

    streams = {ord("O"): sys.stdout, ord("E"): sys.stderr}
    for tag, body in frames:
        stream = streams[tag]
        stream.flush()
        stream.buffer.write(body)
        stream.buffer.flush()
    raise typer.Exit(code)


# -- recording -------------------------------------------------------------------


class _Tee(io.RawIOBase):
    """A stream's bytes go on to the real stream and, as frames, onto the tape."""

    def __init__(self, tag: bytes, real: BinaryIO, tape: BinaryIO) -> None:
        self.tag, self.real, self.tape = tag, real, tape

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.real.fileno()

    def write(self, b: Any) -> int:
        data = bytes(b)
        try:
            self.real.write(data)
            self.real.flush()
        except OSError:  # the reader left (Click turns that into exit 1): not an answer
            _session["broken"] = True
            raise
        self.tape.write(self.tag + len(data).to_bytes(8, "big") + data)
        return len(data)


def _record(folder: Path, key: str) -> None:
    if not cache.make_folder(folder):
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    tape = os.fdopen(fd, "wb")
    _session["tape"] = (tape, tmp, folder, key)
    _session["real"] = (sys.stdout, sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stdout = _wrap(b"O", sys.stdout, tape)
    sys.stderr = _wrap(b"E", sys.stderr, tape)


def _wrap(tag: bytes, real: Any, tape: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(_Tee(tag, real.buffer, tape)), encoding=real.encoding,
                            errors=real.errors, line_buffering=real.line_buffering)


def _restore() -> None:
    real = _session.pop("real", None)
    if real is None:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    sys.stdout, sys.stderr = real


def _discard(fh: BinaryIO, tmp: str) -> None:
    with contextlib.suppress(OSError):
        fh.close()
    if os.path.exists(tmp):
        os.unlink(tmp)


def _prune(folder: Path) -> None:
    try:
        entries = [e for e in os.scandir(folder) if not e.name.startswith(".")]
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            os.unlink(old.path)
    except OSError:
        pass  # another mpm pruned first
