"""Reading one workspace file safely: the gate every file goes through.

A file must stay inside the workspace, be under the size limit, be UTF-8 and
hold no merge-conflict markers. Then `compose.parse_data` turns it into data
(the fast reader, or the full parse when the fast reader declines) and a
`SourceFile` keeps text and data together.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

from mpm.read.compose import FullParseError, parse_data
from mpm.read.controls import escaped_characters, raw_characters
from mpm.read.diagnostics import Diagnostic
from mpm.read.sourcefile import SourceFile

MAX_FILE_BYTES = 5 * 1024 * 1024

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


# -- reading ------------------------------------------------------------------


def read_source(root: Path, rel: str, *, fast: bool = True) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and parse workspace file `rel`; (None, diagnostics) when it cannot be used."""
    raw, problems = read_bytes(root, rel)
    if raw is None:
        return None, problems
    return parse_text(rel, raw, fast=fast)


# Opening without following a symlink tells a plain file from a link in the same call:
# a plain file (nearly every one) then costs an open, an fstat, two reads and a close.
# O_NONBLOCK: a pipe named like a plan file must not hold the run until someone writes to it
PLAIN_FILE = (os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NONBLOCK", 0))
_OPEN = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes(root: Path, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of workspace file `rel`, or why they cannot be used.

    `root` is the resolved workspace folder and `rel`'s folder is known to be
    inside it, so only a file that is itself a symlink needs resolving.
    """
    path = os.path.join(root, rel)
    blank = SourceFile(rel, "")
    try:
        fd = _open_inside(root, path, rel)
        if isinstance(fd, Diagnostic):
            return None, [fd]
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            if not stat.S_ISREG(info.st_mode):
                return None, [blank.at(1, 1, "E011", f"{rel} is {_kind(info.st_mode)}; mpm reads only plain files",
                                       "replace it with a plain file holding the YAML")]
            if info.st_size > MAX_FILE_BYTES:
                return None, [blank.at(1, 1, "E005",
                                       f"file is {info.st_size / 1024 / 1024:.1f} MB; the limit is "
                                       f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                                       "split the campaign, or check that this is the file you meant")]
            raw = read_to_limit(fd, info.st_size)
        finally:
            os.close(fd)
        if raw is None:  # it grew past the limit while being read
            return None, [blank.at(1, 1, "E005", f"file is over {MAX_FILE_BYTES // 1024 // 1024} MB",
                                   "split the campaign, or check that this is the file you meant")]
        return raw, []
    except OSError as exc:
        return None, [blank.at(1, 1, "E011", f"cannot read {rel}: {exc.strerror or exc}")]


def read_to_limit(fd: int, size_now: int) -> bytes | None:
    """The bytes of open file `fd`, or None when they pass MAX_FILE_BYTES. It reads the size
    the file has now and one byte more, to see whether it grew since: a buffer of the limit
    for every file costs more than reading it."""
    chunks, size = [], 0
    while size <= MAX_FILE_BYTES:
        chunk = os.read(fd, max(size_now + 1 - size, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_FILE_BYTES:
        return None
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_inside(root: Path, path: str, rel: str) -> int | Diagnostic:
    """A descriptor of the file at `path`, or E007 when it is a symlink to outside the workspace."""
    if PLAIN_FILE & getattr(os, "O_NOFOLLOW", 0):
        try:
            return os.open(path, PLAIN_FILE)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK):  # a symlink (EMLINK on BSD), resolved below
                raise
    elif not stat.S_ISLNK(os.lstat(path).st_mode):
        return os.open(path, _OPEN)
    real = Path(path).resolve(strict=True)
    if not real.is_relative_to(root):
        return SourceFile(rel, "").at(1, 1, "E007", f"{rel} is a symlink to {real}, outside the workspace",
                                      "mpm reads nothing outside the workspace; copy the file in instead")
    return os.open(real, _OPEN)


def _kind(mode: int) -> str:
    """What a file that is not a plain file is, in a user's words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "neither a file nor a folder"


def decode(raw: bytes) -> str | None:
    """The text of `raw` when it is UTF-8 (a BOM dropped), else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def parse_text(rel: str, raw: bytes, *, fast: bool = True,
               parsed: tuple[bool, Any] = (False, None)) -> tuple[SourceFile | None, list[Diagnostic]]:
    """The file `rel` read from `raw`. `parsed`: (True, data) when `read.prefetch` already took
    exactly these bytes through the same first steps and the fast reader."""
    if parsed[0]:
        src = SourceFile(rel, raw.decode("utf-8").removeprefix("\ufeff"))
        src.data = parsed[1]
        return src, escaped_characters(src)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [SourceFile(rel, "").at(
            line, col, "E006",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
            "save the file as UTF-8 in your editor")]
    if text.startswith("\ufeff"):
        text = text[1:]
    src = SourceFile(rel, text)

    conflicts = _conflict_diagnostics(src) if may_conflict(text) else []
    if conflicts:
        return None, conflicts
    characters = raw_characters(src)
    if any(d.code == "E015" for d in characters):
        return None, characters  # YAML refuses them too, but cannot say where

    try:
        src.data, problems = parse_data(text, rel, src.at, fast=fast)
    except FullParseError as err:
        return None, [*characters, *err.earlier, err.diagnostic]
    return src, [*characters, *problems, *escaped_characters(src)]


def may_conflict(text: str) -> bool:
    return "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text


def _conflict_diagnostics(src: SourceFile) -> list[Diagnostic]:
    """One diagnostic per conflict block (or stray marker), at its first line."""
    out: list[Diagnostic] = []
    opened: int | None = None
    for m in _CONFLICT.finditer(src.text):
        line = src.text.count("\n", 0, m.start()) + 1
        marker = m.group(1)[0]
        if marker == "<":
            opened = opened or line
        elif marker == ">":
            start = opened or line
            out.append(src.at(start, 1, "E004", f"unresolved git merge conflict (lines {start}-{line})",
                              "keep the side you want and delete the other side and the "
                              "<<<<<<< ======= >>>>>>> lines"))
            opened = None
        elif opened is None:
            opened = line
    if opened is not None:
        out.append(src.at(opened, 1, "E004", f"unresolved git merge conflict marker at line {opened}",
                          "finish the merge: remove the conflict markers"))
    return out
