"""A large workspace's YAML parsed on a second core while this one reads the rest.

On a machine with two or more cores, `load_workspace` hands most of a large
workspace's campaign files (`CHILD_SHARE` of the folders, spread through
them) to a forked child. The child reads each file, takes it only if the
fast reader would (`source.parse_text`'s first steps: UTF-8, no merge
conflict, no control character, the fast reader accepts it) and parses it;
it streams back, a few files a frame, the bytes it read of each plain file
and their data packed (`pack`: as JSON, which the parent validates without
building the data in Python, `validate.validate_json_file`, or marshalled
where JSON would not say the same), or None: the parent parses those bytes
(nothing at all for a file it did not read, which the parent reads and
words); a cold load keeps each file's packed data in the file cache as it
came. The
parent validates every file, so it can leave the child most of the parsing:
it parses its own share and takes the child's frames as they come. Reading
from the disk itself, it takes the child's bytes instead of reading the
file again (`bytes_of`); it uses a file's data only with the very bytes the
child parsed, and parses every other file itself: the load is the same as a
serial one, diagnostics included. A child that fails or is not needed is
killed.
"""

from __future__ import annotations

import contextlib
import marshal
import math
import os
import select
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpm.read.beside import Child, second_core
from mpm.read.names import CAMPAIGN_FILES as _CAMPAIGN_FILES

MIN_BYTES = 4 * 1024 * 1024  # below this a fork costs more than the second core saves
# The entry point's fork is made before the heavy imports, from a process of a few megabytes,
# and the child parses while this one imports: it pays from a workspace of a thousand tasks.
EARLY_MIN_BYTES = 256 * 1024
# Per folder the parent validates (half the work of parsing) and the child parses: with
# three folders in four parsed by the child, the child keeps ahead of the parent.
CHILD_SHARE = 4
FRAME_FILES = 8  # files per frame: small enough that the parent rarely waits for one
_HEADER = struct.Struct("<Q")
_PIPE_BYTES = 1 << 20  # F_SETPIPE_SZ where Linux allows it: the child writes ahead


_MARSHAL, _JSON = b"M", b"J"  # what packed data holds after its first byte


@dataclass
class Parsed:
    """A file's data as `pack` packed it (`body`, what the file cache keeps), unpacked: the
    data, or for JSON the JSON itself (`data` None until someone reads it as data)."""

    body: bytes
    data: Any
    json: bytes | None


def pack(data: Any, text: str) -> bytes | None:
    """The fast reader's `data` of `text` as bytes, or None where only the full parse says what
    the file holds (`compose.needs_full_parse`).

    JSON where it says what the data does (`as_json`), else marshalled. The parent takes JSON
    only as valid records, which nest no deeper than the models do, and orjson writes no key
    that is not text: of what the full parse would word otherwise, only an empty block scalar
    is looked for in it (where the text has a `|` or `>`), and data the records refuse is
    looked at whole by the parent (`load._read_records`). Marshalled data is looked at here."""
    from mpm.read.compose import MAX_DEPTH, needs_full_parse

    scalars = "|" in text or ">" in text
    if scalars and needs_full_parse(data, MAX_DEPTH, text):
        return None
    json = as_json(data, text)
    if json is not None:
        return _JSON + json
    if not scalars and needs_full_parse(data, MAX_DEPTH, text):
        return None
    return marshalled(data)


def marshalled(data: Any) -> bytes:
    """`data` packed marshalled, as `pack` packs what JSON would not say."""
    return _MARSHAL + marshal.dumps(data)


def unpack(body: bytes) -> Parsed | None:
    """What `pack` packed, or None when the bytes are not that."""
    if body[:1] == _JSON:
        return Parsed(body, None, body[1:])
    try:
        return Parsed(body, marshal.loads(body[1:]), None) if body[:1] == _MARSHAL else None
    except (EOFError, ValueError, TypeError):
        return None


def worth_it(total_bytes: int, least: int | None = None) -> bool:
    return total_bytes >= (MIN_BYTES if least is None else least) and second_core()


def childs_share(index: int) -> bool:
    """Whether the child parses the campaign folder at `index` (in name order)."""
    return index % CHILD_SHARE != 0


def campaign_files(files: Any, folders: list, *, every: bool = False) -> list[str]:
    """The campaign files of `folders` (a FileSource's `campaign_folders()`) the child parses:
    the child's share of the folders, or with `every` all of them."""
    rels = []
    for i, (folder, problem) in enumerate(folders):
        if not problem and (every or childs_share(i)):
            present = files.files_in(folder)
            rels += [f"campaigns/{folder}/{name}" for name in _CAMPAIGN_FILES if name in present]
    return rels


def fork_pays(root: Path, rels: list[str], share: float, least: int | None = None) -> bool:
    """Whether a child parsing `rels`, `share` of the workspace, is worth a fork: at least
    `least` bytes (default MIN_BYTES) in the workspace. The sizes are added up only until it is."""
    total = 0
    for rel in rels:
        try:
            total += os.stat(os.path.join(root, rel)).st_size
        except OSError:
            return False
        if worth_it(int(total / share), least):
            return True
    return False


# The child the entry point started before the command's imports, for the workspace at a root,
# and the FileSource that listed the files it was given.
_early: list[tuple[Path, Any, Prefetch]] = []


def start_early(root: Path, files: Any) -> None:
    """Before the command's imports: fork a child for every campaign file of the workspace at
    `root` (read through `files`, a FileSource of the disk) when that pays; the imports give it
    the head start to parse them all. `load_workspace` adopts it (and `files`, which has
    listed the folders already: `early_files`); `abandon` stops it."""
    if not second_core():
        return
    rels = campaign_files(files, files.campaign_folders(), every=True)
    if fork_pays(root, rels, 1.0, EARLY_MIN_BYTES):
        _early.append((root, files, Prefetch(root, rels)))


def early_files(root: Path) -> Any | None:
    """The FileSource that listed the workspace at `root` for the child started early, if one
    was: the load lists the same files, and none twice."""
    return next((files for at, files, _ in _early if at == root), None)


def started_early() -> bool:
    """Whether a child was started early: the workspace is large, and the load will be cold."""
    return bool(_early)


def adopt(root: Path) -> Prefetch | None:
    """The child started early for `root`, handed over once; one for another root is stopped."""
    found = None
    while _early:
        at, _, job = _early.pop()
        if at == root and found is None:
            found = job
        else:
            job.close()
    return found


def abandon() -> None:
    """The run ends without having loaded: a child started early is stopped and reaped."""
    while _early:
        _early.pop()[2].close()


class Prefetch(Child):
    """The child's parse of `rels` (paths under `root`), taken frame by frame as asked for."""

    def __init__(self, root: Path, rels: list[str]) -> None:
        # frames taken, not yet asked for: rel -> (bytes read, their data packed or None)
        self.found: dict[str, tuple[bytes, bytes | None] | None] = {}
        self.mine = frozenset(rels)  # asked about any other file, the parent parses it at once
        self.pid = 0
        self.buffer = bytearray()
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):
            import fcntl

            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)  # type: ignore[attr-defined]
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self.fd = -1
            return
        if self.pid == 0:  # the child: parse, send, leave without running anything of the parent's
            code = 1
            try:
                os.close(read_end)
                _send(write_end, (marshal.dumps(frame) for frame in _parse_all(root, rels)))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        os.set_blocking(read_end, False)
        self.fd = read_end

    def bytes_of(self, rel: str) -> bytes | None:
        """The bytes the child read of `rel`, a plain file no larger than mpm reads, for a parent
        that would read them from the same disk; None when the child did not read it: the
        parent reads it, and words why it cannot when it cannot."""
        hit = self._frame_of(rel)
        return hit[0] if hit is not None else None

    def take(self, rel: str, raw: bytes) -> Parsed | None:
        """What the child parsed of exactly these bytes of `rel`, or None."""
        self._frame_of(rel)  # waited for
        hit = self.found.pop(rel, None)  # handed over once: the parent keeps what it needs
        if hit is None or hit[1] is None or hit[0] != raw:  # the child's own bytes compare at once
            return None
        return unpack(hit[1])

    def _frame_of(self, rel: str) -> tuple[bytes, bytes | None] | None:
        """What the child sent for `rel`, waiting for its frame; None for a file it was not given."""
        self._take(wait=False)  # keep the pipe drained, so the child never waits for room
        if rel not in self.mine:
            return None
        while rel not in self.found and self.fd >= 0:
            self._take(wait=True)
        return self.found.get(rel)

    def _take(self, *, wait: bool) -> None:
        """Read what the pipe holds (with `wait`, at least some bytes or its end) and file
        every whole frame; at the end, or on a broken frame, whatever is missing is the parent's."""
        if self.fd < 0:
            return
        if wait:
            select.select([self.fd], [], [])
        ended = False
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                ended = True
                break
            self.buffer += chunk
        at = 0
        with memoryview(self.buffer) as view:  # frames unmarshalled in place, not copied out first
            try:
                while len(view) - at >= _HEADER.size:
                    (size,) = _HEADER.unpack_from(view, at)
                    if len(view) - at - _HEADER.size < size:
                        break
                    frame = marshal.loads(view[at + _HEADER.size:at + _HEADER.size + size])
                    self.found.update(frame)
                    at += _HEADER.size + size
            except (EOFError, ValueError, TypeError):
                ended = True
        del self.buffer[:at]
        if ended:
            os.close(self.fd)
            self.fd = -1
            self._reap()

    def close(self) -> None:
        """Done loading: a child whose answer was never asked for is stopped, then reaped."""
        self.stop()


def _send(fd: int, blobs) -> None:  # blobs: Iterator[bytes]
    """Each blob after its length, through the pipe `fd`. While the parent is busy elsewhere
    (its imports, say) and the pipe is full, the frames wait here and the parse goes on."""
    waiting: list[bytes] = []
    os.set_blocking(fd, False)
    for blob in blobs:
        waiting += (_HEADER.pack(len(blob)), blob)
        waiting = _write_some(fd, waiting)
    os.set_blocking(fd, True)
    while waiting:
        waiting = _write_some(fd, waiting)
    os.close(fd)


def _write_some(fd: int, waiting: list[bytes]) -> list[bytes]:
    """What is left of `waiting` after writing as much of it as the pipe takes now."""
    try:
        wrote = os.writev(fd, waiting[:512])
    except BlockingIOError:
        return waiting
    done = 0
    while done < len(waiting) and wrote >= len(waiting[done]):
        wrote -= len(waiting[done])
        done += 1
    rest = waiting[done:]
    if wrote:
        rest[0] = rest[0][wrote:]
    return rest


def _parse_all(root: Path, rels: list[str]):  # -> Iterator[dict[str, tuple | None]]
    """Frames of {rel: (the bytes read, their data packed or None: the parent parses them)},
    None for a file the parent must read itself."""
    from mpm.read.controls import has_raw_characters
    from mpm.read.source import may_conflict
    from mpm.read.yamlread import Declined, read_fast

    frame: dict[str, tuple[bytes, bytes | None] | None] = {}
    for rel in rels:
        raw = _plain_bytes(os.path.join(root, rel))
        frame[rel] = (raw, None) if raw is not None else None
        try:
            text = raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            text = None
        if text is not None:
            if text.startswith("\ufeff"):
                text = text[1:]
            if not may_conflict(text) and not has_raw_characters(text):
                try:
                    data = read_fast(text)
                except Declined:
                    pass
                else:
                    # packed once, here: the parent validates it and keeps it in its file cache
                    packed = pack(data, text)
                    if packed is not None:
                        frame[rel] = (raw, packed)
        if len(frame) >= FRAME_FILES:
            yield frame
            frame = {}
    if frame:
        yield frame


def as_json(data: Any, text: str) -> bytes | None:
    """The fast reader's `data` of `text` as JSON, when validating the JSON gives what validating
    the data does: every key is text, every number finite and of 64 bits at most (else orjson
    refuses it, or writes null), and the text has no `x-` key to drop and no escape to report
    (`validate.validate_file`, `controls.escaped_characters` read the data for those)."""
    if "x-" in text or "\\" in text:
        return None
    import orjson

    try:
        body = orjson.dumps(data)
    except orjson.JSONEncodeError:
        return None
    return body if b"null" not in body or _finite(data) else None


def _finite(node: Any) -> bool:
    """Whether every float in `node` is a number (not NaN or an infinity)."""
    kind = type(node)
    if kind is float:
        return math.isfinite(node)
    if kind is dict:
        return all(_finite(v) for v in node.values())
    if kind is list:
        return all(_finite(v) for v in node)
    return True


def _plain_bytes(path: str) -> bytes | None:
    """The bytes of a plain file no larger than mpm reads, or None. A symlink, a device, a pipe
    or a larger file is the parent's: it reads nothing outside the workspace, and words why."""
    from mpm.read.source import MAX_FILE_BYTES, PLAIN_FILE, read_to_limit

    try:
        fd = os.open(path, PLAIN_FILE)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        return read_to_limit(fd, info.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
