"""Answers of read-only commands, replayed while nothing they depend on changed.

`mpm check`, `plan`, `forecast`, `status`, `quarter`, `goals`, `risks`, `budget`, `content`,
`report` and `export` only read the workspace: the same files, command line, folder, date and
environment give the same output, byte for byte, and the same exit code; `report` and `export`
with `-o FILE` also the same file (`export ics --output-dir`, several files, is never recorded).
When neither stdout nor stderr is a terminal (CI, scripts, pipes), `run`
records what such a command writes into `.mpm-cache/answers/`, under a key
of all of those inputs and of every byte the loader reads; the next run with
the same key writes the answer again instead of loading, checking and
scheduling. Any change to a file, a flag, the day or the environment is a
new key. Keys are hashed with the cache's secret (see `mpm.read.cache`), so an
answer committed into a repository is never replayed.

An answer file is a sequence of frames: one byte naming the stream (`O`, `E`),
the `-o` file (`F`: what was written to it) or the end (`X`), eight bytes of
length, then the bytes; `X` holds the exit code; an HMAC of it all under the
cache's key closes the file. A replay writes the `-o` file first, through the
same writer as a run (`change.output`); when that fails, the run goes on as
if there were no answer and says why itself. A run whose file could not be
written records nothing. A file that
does not end so is not an answer: an edited answer is never replayed. The
folder is opened as the cache's folders are (never through a link), and
pruning removes only files named like answers.
"""

from __future__ import annotations

import contextlib
import hmac
import io
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mpm.cli import arguments
from mpm.read import cache, cachedir

if TYPE_CHECKING:  # the files module brings the models: `mpm --help` must not
    from mpm.read.files import FileSource, RememberedFiles

FOLDER = "answers"
KEEP = 16  # answers kept per workspace; older ones are removed
KEEP_BYTES = 200 * 1024 * 1024  # and no more than this in all: one plan of 100,000 tasks is 50 MB
# What, besides the command line, decides what the output looks like.
_ENVIRONMENT = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE",
                "TTY_INTERACTIVE", "GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI", "TZ", "LANG", "LC_ALL", "LC_CTYPE",
                "PYTHONIOENCODING", "PYTHONUTF8")
_HEADER = 9
_ANSWER = re.compile(r"[0-9a-f]{40}")  # the name of an answer: its key

_session: dict[str, Any] = {"enabled": False}


def enable() -> None:
    """Called by the real entry point only: in-process callers (tests) never record."""
    _session["enabled"] = True


# The commands that may record an answer (the run decides whether this one does).
# They are the commands that read the whole workspace (`early` starts their parse).
READING = frozenset({"check", "plan", "forecast", "status", "quarter", "goals", "risks", "budget", "content",
                     "report", "export"})


def replay_early(args: list[str]) -> None:
    """Replay this run's answer before the command line, the models and the renderers are
    imported, and leave; return when there is none (the key, once made, is kept for the run).

    The answer's key holds the whole command line, so a run here finds only what a run with
    the same arguments recorded: reading the workspace folder off the arguments is enough.
    """
    streams = (sys.stdout, sys.stderr)
    if not args or args[0] not in READING or not cache.enabled() \
            or any(s is None or s.isatty() for s in streams) or arguments.writes_files(args):
        return
    from mpm.read.files import DiskFiles, RememberedFiles

    root = arguments.named_workspace(args)
    if root is None:
        return
    try:
        top = cachedir.open_folder(str(root), cache.FOLDER, create=False)
        folder = top.sub(FOLDER, create=False) if top is not None else None
        if top is not None:
            top.close()
    except cachedir.Unsafe:
        return  # the run says why
    if folder is None:
        return
    files = RememberedFiles(DiskFiles(root))
    key = _key(root, files)
    with folder:
        found = _frames(key, folder.read(key))
    if found is None:
        _session["early"] = (root, files, key)
        return
    frames, code = found
    if not _write_files(args, frames):
        return  # the run writes it, or says why it cannot
    try:
        for tag, body in frames:
            if tag == ord("F"):
                continue
            stream = sys.stdout if tag == ord("O") else sys.stderr
            stream.buffer.write(body)
            stream.buffer.flush()
    except BrokenPipeError:  # the reader left: not an error of ours
        code = 0
    except OSError:
        code = 2
    os._exit(code)


def _write_files(args: list[str], frames: list[tuple[int, memoryview]]) -> bool:
    """Write the `-o` file an answer holds; False when it cannot be written (or the answer
    holds a file the command line does not name)."""
    bodies = [body for tag, body in frames if tag == ord("F")]
    if not bodies:
        return True
    named = arguments.output_file(args)
    if named is None or len(bodies) != 1:
        return False
    from mpm.change.output import OutputError, write_output

    sys.stdout.flush()
    try:
        write_output(Path(named), bytes(bodies[0]))
    except OutputError:
        return False
    return True


def wrote_file(path: Path, raw: bytes | bytearray) -> None:
    """The run wrote `raw` to its `-o` file `path`: the answer being recorded holds it (unless a
    replay would read another file off the command line: then it is not an answer)."""
    tape = _session.get("tape")
    if tape is None or _session.get("broken") or _session.get("unkept"):
        return
    named = arguments.output_file(sys.argv[1:])
    if named is None or Path(named) != path:
        not_an_answer()
        return
    for stream in (sys.stdout, sys.stderr):  # what came before stays before
        stream.flush()
    fh, _, _, _, mac = tape
    frame = b"F" + len(raw).to_bytes(8, "big")
    mac.update(frame)
    mac.update(raw)
    fh.write(frame)
    fh.write(raw)


def not_an_answer() -> None:
    """What this run does is not to be replayed (its output could not be written)."""
    if "tape" in _session:
        _session["unkept"] = True


def replay_or_record(root: Path) -> FileSource | None:
    """Replay the answer for this run and exit, or start recording it.

    Returns the workspace's files, already read for the key, for the loader;
    None when answers are off for this run.
    """
    streams = (sys.stdout, sys.stderr)
    if not (_session["enabled"] and cache.enabled()) or any(s is None or s.isatty() for s in streams):
        return None
    from mpm.read.files import DiskFiles, RememberedFiles

    folder = cache.open_folder(root, FOLDER)
    if folder is None:
        return None
    early = _session.pop("early", None)
    if early is not None and early[0] == root:  # the key made before the imports
        files, key = early[1], early[2]
    else:
        files = RememberedFiles(DiskFiles(root))
        key = _key(root, files)
    found = _frames(key, folder.read(key))
    if found is not None and _write_files(sys.argv[1:], found[0]):
        folder.close()
        _replay(*found)
    _record(folder, key)
    return files


def finish(code: int) -> None:
    """The command ended with `code`: keep its answer (when one is being recorded)."""
    tape = _session.pop("tape", None)
    if tape is None:
        return
    _restore()
    fh, tmp, folder, key, mac = tape
    with folder:
        if _session.pop("broken", False) | _session.pop("unkept", False):
            _discard(fh, folder, tmp)
            return
        try:
            end = b"X" + (4).to_bytes(8, "big") + code.to_bytes(4, "big", signed=True)
            mac.update(end)
            fh.write(end + mac.digest())
            fh.close()
        except OSError:
            _discard(fh, folder, tmp)
            return
        if folder.commit(tmp, key):
            _prune(folder)


def abandon() -> None:
    """The command did not end normally: keep nothing."""
    tape = _session.pop("tape", None)
    _session.pop("unkept", None)
    if tape is not None:
        _restore()
        with tape[2]:
            _discard(tape[0], tape[2], tape[1])


# -- the key -------------------------------------------------------------------


def _key(root: Path, files: RememberedFiles) -> str:
    from mpm.read.files import feed_contents

    h = cache.keyed_hash()
    env = sorted((k, v) for k, v in os.environ.items() if k in _ENVIRONMENT or k.startswith("MPM_"))
    inputs = (FOLDER, sys.argv[1:], os.getcwd(), str(root), date.today().isoformat(), env,
              sys.stdout.encoding, sys.stderr.encoding)
    h.update(repr(inputs).encode())
    feed_contents(files, h)
    return h.hexdigest()


# -- replaying -------------------------------------------------------------------


def _signer(key: str) -> Any:
    mac = cache.signer()
    mac.update(f"{FOLDER}\0{key}\0".encode())
    return mac


def _frames(key: str, raw: bytes | None) -> tuple[list[tuple[int, memoryview]], int] | None:
    """The frames and exit code of a whole answer signed with this user's key, or None."""
    if raw is None or len(raw) < cache.SIGNATURE:
        return None
    data = memoryview(raw)[:-cache.SIGNATURE]
    mac = _signer(key)
    mac.update(data)
    if not hmac.compare_digest(mac.digest(), raw[-cache.SIGNATURE:]):
        return None  # damaged, edited, or someone else's
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
        if tag not in (ord("O"), ord("E"), ord("F")):
            return None
        frames.append((tag, body))
    return None


def _replay(frames: list[tuple[int, memoryview]], code: int) -> None:
    import typer

    streams = {ord("O"): sys.stdout, ord("E"): sys.stderr}
    for tag, body in frames:
        if tag == ord("F"):
            continue  # written already
        stream = streams[tag]
        stream.flush()
        stream.buffer.write(body)
        stream.buffer.flush()
    raise typer.Exit(code)


# -- recording -------------------------------------------------------------------


class _Tee(io.RawIOBase):
    """A stream's bytes go on to the real stream and, as frames, onto the tape."""

    def __init__(self, tag: bytes, real: BinaryIO, tape: BinaryIO, mac: Any) -> None:
        self.tag, self.real, self.tape, self.mac = tag, real, tape, mac

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.real.fileno()

    def write(self, b: Any) -> int:
        data = bytes(b)
        if _session.get("broken"):
            return len(data)  # the stream failed once: nothing more reaches it or the tape
        try:
            self.real.write(data)
            self.real.flush()
        except BaseException:  # the reader left, or the output cannot be written: not an answer
            _session["broken"] = True
            raise
        frame = self.tag + len(data).to_bytes(8, "big") + data
        self.mac.update(frame)
        self.tape.write(frame)
        return len(data)


def _record(folder: cachedir.Folder, key: str) -> None:
    try:
        fd, tmp = folder.temp()
    except OSError:
        folder.close()
        return
    tape = os.fdopen(fd, "wb")
    mac = _signer(key)
    _session["tape"] = (tape, tmp, folder, key, mac)
    _session["real"] = (sys.stdout, sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stdout = _wrap(b"O", sys.stdout, tape, mac)
    sys.stderr = _wrap(b"E", sys.stderr, tape, mac)


def _wrap(tag: bytes, real: Any, tape: BinaryIO, mac: Any) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(_Tee(tag, real.buffer, tape, mac)), encoding=real.encoding,
                            errors=real.errors, line_buffering=real.line_buffering)


def _restore() -> None:
    real = _session.pop("real", None)
    if real is None:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):  # how the run ends is decided by the caller
            stream.flush()
    sys.stdout, sys.stderr = real


def _discard(fh: BinaryIO, folder: cachedir.Folder, tmp: str) -> None:
    with contextlib.suppress(OSError):
        fh.close()
    folder.remove(tmp)


def _prune(folder: cachedir.Folder) -> None:
    """Keep the newest answers, at most KEEP of them and KEEP_BYTES in all (the newest one always);
    only files named as mpm names answers are touched."""
    ours = [(mtime, name, size) for name, mtime, size in folder.own_files() if _ANSWER.fullmatch(name)]
    ours.sort(reverse=True)
    total = 0
    for k, (_, name, size) in enumerate(ours):
        total += size
        if k >= KEEP or (k and total > KEEP_BYTES):
            folder.remove(name)  # another mpm may have removed it first
