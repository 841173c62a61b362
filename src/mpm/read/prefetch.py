"""A large workspace's YAML parsed on a second core while this one reads the rest.

On a machine with two or more cores, `load_workspace` hands the second half
of a large workspace's campaign files to a forked child. The child reads
each file, takes it only if the fast reader would (`source.parse_text`'s
first steps: UTF-8, no merge conflict, no control character, the fast
reader accepts it) and parses it; it sends the data back marshalled, with
the length and CRC-32 of the bytes it read. The parent uses a file's data
only when the bytes it read itself have the same length and checksum, and
parses every other file itself: the load is the same as a serial one,
diagnostics included. A child that fails or is not needed is killed.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import zlib
from pathlib import Path
from typing import Any

MIN_BYTES = 4 * 1024 * 1024  # below this a fork costs more than the second core saves


def worth_it(total_bytes: int) -> bool:
    return total_bytes >= MIN_BYTES and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Prefetch:
    """The child's parse of `rels` (paths under `root`), collected when first asked for."""

    def __init__(self, root: Path, rels: list[str]) -> None:
        self.found: dict[str, tuple[int, int, Any]] | None = None
        self.mine = frozenset(rels)  # asked about any other file, the parent parses it at once
        self.pid = 0
        read_end, write_end = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self.found, self.fd = {}, -1
            return
        if self.pid == 0:  # the child: parse, send, leave without running anything of the parent's
            code = 1
            try:
                os.close(read_end)
                blob = marshal.dumps(_parse_all(root, rels))
                with os.fdopen(write_end, "wb") as out:
                    out.write(blob)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.fd = read_end

    def data(self, rel: str, raw: bytes) -> tuple[bool, Any]:
        """(True, data) when the child parsed exactly these bytes of `rel`; else (False, None)."""
        if rel not in self.mine:
            return False, None
        if self.found is None:
            self.found = self._collect()
        hit = self.found.get(rel)
        if hit is None or hit[0] != len(raw) or hit[1] != zlib.crc32(raw):
            return False, None
        return True, hit[2]

    def _collect(self) -> dict[str, tuple[int, int, Any]]:
        chunks = []
        with os.fdopen(self.fd, "rb") as inp:
            while chunk := inp.read(1 << 20):
                chunks.append(chunk)
        self.fd = -1
        code = self._reap()
        try:
            return marshal.loads(b"".join(chunks)) if code == 0 else {}
        except (EOFError, ValueError, TypeError):
            return {}

    def close(self) -> None:
        """Done loading: a child whose answer was never asked for is stopped, then reaped."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            if self.pid:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        if not self.pid:
            return 1
        pid, self.pid = self.pid, 0
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return 1
        return os.waitstatus_to_exitcode(status)


def _parse_all(root: Path, rels: list[str]) -> dict[str, tuple[int, int, Any]]:
    from mpm.read.compose import MAX_DEPTH, _needs_full_parse
    from mpm.read.controls import has_raw_characters
    from mpm.read.source import may_conflict
    from mpm.read.yamlread import Declined, read_fast

    out = {}
    for rel in rels:
        try:
            with open(os.path.join(root, rel), "rb") as fh:
                raw = fh.read()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        if may_conflict(text) or has_raw_characters(text):
            continue
        try:
            data = read_fast(text)
        except Declined:
            continue
        if not _needs_full_parse(data, MAX_DEPTH, text):
            out[rel] = (len(raw), zlib.crc32(raw), data)
    return out
