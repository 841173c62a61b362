"""How a run of mpm meets its streams and how it ends, whatever happens.

- A reader that leaves (`mpm plan | head -1`) is a normal end: exit 0, silently.
- Output that cannot be written (stdout closed, a full disk) or a file a
  write command cannot change (read-only file system, immutable file):
  one line saying so, exit 2.
- A stream that cannot encode mpm's glyphs (`—`, `✖`, `·`; latin-1, ASCII)
  gets ASCII stand-ins instead of a UnicodeEncodeError.
- Anything else escaping a command is a bug: one line says so and where the
  traceback was written (a file in the system's temporary folder), exit 3,
  so CI can tell a crash from findings (1) and from bad input (2).
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
import tempfile
import traceback
from typing import Any

INTERNAL_ERROR = 3
_WRITE_ERRORS = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EBADF, errno.EIO)

# ASCII for the glyphs mpm prints; anything else an encoding lacks becomes "?".
_ASCII = {"—": "-", "–": "-", "✖": "x", "✔": "v", "✓": "v", "·": ".", "→": "->", "←": "<-", "×": "x",
          "≤": "<=", "≥": ">=", "…": "...", "⚠": "!", "●": "*", "○": "o", "█": "#", "░": ".", "▓": "#",
          "▒": "=", "│": "|", "─": "-", "┃": "|", "━": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
          "▲": "^", "▼": "v", "★": "*", "¹": "1", "²": "2", "³": "3"}


class ReaderLeft(BaseException):
    """The process reading stdout left: the run is over, and that is fine.

    A BaseException, so that no handler of ordinary errors on the way (Click's
    included, which would exit 1) takes it for a failure.
    """


class CannotWrite(BaseException):
    """stdout or stderr cannot be written; `reason` says why in a user's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _ascii_stand_ins(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    bad = err.object[err.start:err.end]
    return "".join(_ASCII.get(ch, "?") for ch in bad), err.end


codecs.register_error("mpm-ascii", _ascii_stand_ins)


class _Guard(io.RawIOBase):
    """fd 1 or 2, where a broken pipe is ReaderLeft and any other failure CannotWrite."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, b: Any) -> int:
        try:
            return os.write(self.fd, b)
        except BrokenPipeError:
            raise ReaderLeft from None
        except OSError as exc:
            from mpm.change.output import reason

            raise CannotWrite(reason(exc)) from None


def guard_streams() -> None:
    """Put the guards on stdout and stderr, and ASCII stand-ins where the encoding needs them."""
    if sys.stdout is None:
        raise CannotWrite("standard output is closed")
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            continue
        encoding = stream.encoding or "utf-8"
        try:
            "—✖·→".encode(encoding)
            errors = stream.errors
        except (UnicodeEncodeError, LookupError):
            errors = "mpm-ascii"
        buffered = io.BufferedWriter(_Guard(stream.fileno()))
        setattr(sys, name, io.TextIOWrapper(buffered, encoding=encoding, errors=errors,
                                            line_buffering=stream.line_buffering, write_through=False))


def say(line: str) -> None:
    """One line on stderr, if stderr is there at all."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError, ReaderLeft, CannotWrite):
        pass


def a_write_refused(exc: OSError) -> bool:
    """An OSError of writing a file the user named or mpm must change: a user's problem, not a bug."""
    return exc.errno in _WRITE_ERRORS and exc.filename is not None


def refused_write(exc: OSError) -> int:
    from mpm.change.output import reason

    say(f"error: cannot write {exc.filename}: {reason(exc)}")
    return 2


def crashed(exc: BaseException) -> int:
    """Write the traceback to a file; one line on stderr says it is a bug and where it is."""
    from mpm import __version__

    text = (f"mpm {__version__}, Python {sys.version.split()[0]}\ncommand: {sys.argv!r}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    where = None
    try:
        fd, where = tempfile.mkstemp(prefix="mpm-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        where = None
    kind = type(exc).__name__
    if where:
        say(f"mpm: internal error ({kind}): this is a bug in mpm, not a problem in your files; "
            f"the traceback is in {where} — please attach it to a bug report")
    else:
        say(f"mpm: internal error ({kind}): this is a bug in mpm, not a problem in your files")
    return INTERNAL_ERROR
