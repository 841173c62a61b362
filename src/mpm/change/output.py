"""Writing a report or an export to the path the user named with `-o`.

The target is never read. A regular file (or a new one) is replaced
atomically: a temporary file beside it, renamed into place, so a reader
never sees half a report; a link to a file keeps being a link. What is not
a regular file — a pipe, a terminal, `/dev/stdout`, `/dev/null` — is
written directly and stays what it is; a folder or anything else is refused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


class OutputError(Exception):
    """The output could not be written: a message in the user's words, and a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def reason(exc: OSError) -> str:
    """An OSError in a user's words."""
    words = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
             errno.EACCES: "permission denied", errno.EPERM: "the file may not be changed (it is immutable?)",
             errno.EDQUOT: "the disk quota is used up", errno.EPIPE: "nobody is reading it"}
    return words.get(exc.errno or 0, exc.strerror or str(exc))


def remedy(exc: OSError) -> str:
    """What to do about an OSError, in a user's words."""
    return {errno.ENOSPC: "free some space, or write elsewhere", errno.EDQUOT: "free some space, or write elsewhere",
            errno.EROFS: "write to another folder", errno.EACCES: "check the folder's permissions, or write elsewhere",
            errno.EPERM: "check the file's flags (chattr, chflags), or write elsewhere",
            errno.ENOENT: "create the folder first, or check the path",
            errno.ENOTDIR: "a part of the path is a file, not a folder: check the path"}.get(
        exc.errno or 0, "check the path, or write elsewhere")


def write_output(path: Path, raw: bytes) -> None:
    """Write `raw` to `path` as described above; OutputError when it cannot be done."""
    own = _own_stream(path)
    if own is not None:  # written as the shell opened it (appending, say), never replaced
        try:
            with os.fdopen(os.dup(own), "wb") as fh:
                fh.write(raw)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {reason(exc)}", remedy(exc)) from None
        return
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {reason(exc)}", remedy(exc)) from None
    try:
        if info is None:
            _replace(path, raw, None)
        elif stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path} is a folder", f"name a file, e.g. -o {path / 'report.html'}")
        elif stat.S_ISREG(info.st_mode):
            _replace(Path(os.path.realpath(path)), raw, info)
        elif stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            _direct(path, raw, info)
        else:
            raise OutputError(f"{path} is not a file mpm can write to", "name a regular file, or - for stdout")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {reason(exc)}", remedy(exc)) from None


_STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2}


def _own_stream(path: Path) -> int | None:
    """The descriptor `/dev/stdout`, `/dev/fd/N` or `/proc/self/fd/N` names: a stream, not a file to replace."""
    text = os.path.normpath(str(path))
    if text in _STREAMS:
        return _STREAMS[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if text.startswith(prefix) and text[len(prefix):].isdigit():
            return int(text[len(prefix):])
    return None


def _direct(path: Path, raw: bytes, info: os.stat_result) -> None:
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISFIFO(info.st_mode):
        try:  # a pipe nobody reads would wait forever
            fd = os.open(path, flags | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                raise OutputError(f"cannot write {path}: nobody is reading the pipe",
                                  "start the program that reads it first, or write to a file") from None
            raise
        os.set_blocking(fd, True)
    else:
        fd = os.open(path, flags)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)


def _replace(path: Path, raw: bytes, info: os.stat_result | None) -> None:
    replace_file(path, raw, info.st_mode if info is not None else None)


def replace_file(path: Path, raw: bytes, mode: int | None = None,
                 before_rename: Callable[[], None] | None = None) -> None:
    """Write `raw` beside `path` and rename it into place, so nobody sees half a file.

    `mode`: the permissions to keep (a new file gets the usual ones, not
    mkstemp's private ones); `before_rename`: a last check that may refuse.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode & 0o777)
        if before_rename is not None:
            before_rename()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
