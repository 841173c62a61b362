"""A cache of read files, keyed by what decides the result: the bytes.

Each entry is the data of one file that had nothing to report, as the YAML
reader gave it, stored under a hash of mpm's version, the file's kind and
its exact bytes: any edit, or another mpm, Python or Pydantic, makes a new
key. A hit skips the YAML reader; the data is validated again, which is
cheap, so a hit can never hold a record a full read would not give.

Entries are plain data (`marshal`: no code runs when one is read), and their
keys are hashed with a secret kept outside the workspace
(`$XDG_CACHE_HOME/mpm/key`, made on first use): an entry someone commits into
`.mpm-cache/` can never be taken for the entry of a file's content. The pack
of entries is written to a temporary file and renamed into place, so two mpm
processes can share the folder (the last to finish wins; both packs are
whole); a pack or an entry that cannot be read is a miss. The folder lives
in the workspace (`.mpm-cache/`, which holds its own .gitignore) and
`mpm --no-cache` or MPM_NO_CACHE=1 bypasses it.

`ReadMemo` keeps more, for one process only: what reading a file gave
(records, positions, problems), by path, kind and bytes. `mpm history` reads
hundreds of versions of one workspace, and most files are the same bytes in
each: they are read once.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FOLDER = ".mpm-cache"
PACK = "files"
_FORMAT = 2
_MAGIC = b"mpm-pack-2\n"


def enabled() -> bool:
    return os.environ.get("MPM_NO_CACHE", "") in ("", "0") and secret() is not None


# The libraries whose behaviour shapes what is cached: a new version of any of
# them (or an edit to mpm itself, as in a development checkout) is a new key.
_CODE = ("mpm", "pydantic", "pydantic_core", "yaml_rs", "ruamel.yaml", "rich", "typer", "click",
         "orjson", "dateutil", "jinja2", "icalendar")
_FINGERPRINT: list[bytes] = []


def fingerprint() -> bytes:
    """What makes entries of another mpm, Python or library, or of changed code, never match."""
    if not _FINGERPRINT:
        from mpm import __version__

        stamp = [f"mpm {__version__}|py {sys.version}|{_FORMAT}"]
        for name in _CODE:
            stamp.append(f"{name}:{_stamp(name)}")
        _FINGERPRINT.append("|".join(stamp).encode())
    return _FINGERPRINT[0]


def _stamp(module: str) -> str:
    """Where `module` is installed and when it last changed, without importing it.

    A library's first file is rewritten by every install; mpm's own files are
    all looked at, since a development checkout changes them in place.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return "-"
    if spec is None or not spec.origin:
        return "-"
    files = [spec.origin]
    if module == "mpm":
        folder = os.path.dirname(spec.origin)
        files = [os.path.join(base, name) for base, _, names in os.walk(folder) for name in names
                 if name.endswith((".py", ".j2", ".yaml", ".css"))]
    stamps = []
    for path in sorted(files):
        try:
            info = os.stat(path)
        except OSError:
            continue
        stamps.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(stamps).encode(), digest_size=16).hexdigest()


_SECRET: list[bytes | None] = []


def secret() -> bytes | None:
    """This user's cache key, made once; None when it cannot be kept (no cache then)."""
    if not _SECRET:
        _SECRET.append(_read_or_make_secret())
    return _SECRET[0]


def _read_or_make_secret() -> bytes | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "mpm", "key")
    for _ in range(2):
        try:
            with open(path, "rb") as fh:
                key = fh.read(64)
            return key if len(key) == 32 else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".key-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
            try:
                os.link(tmp, path)  # never replaces a key another process made first
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        except OSError:
            return None
    return None


def keyed_hash() -> Any:
    """A fresh blake2b keyed with this user's secret and salted with mpm's fingerprint."""
    h = hashlib.blake2b(key=secret() or b"", digest_size=20)
    h.update(fingerprint())
    return h


def make_folder(folder: Path) -> bool:
    """Make `folder` inside the cache folder, which git is told to ignore; False if it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        top = folder
        while top.name != FOLDER and top.parent != top:
            top = top.parent
        ignore = top / ".gitignore"
        if top.name == FOLDER and not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        return True
    except OSError:
        return False  # a read-only checkout still works, only slower


def write_atomically(folder: Path, name: str, data: bytes | list[bytes | memoryview]) -> bool:
    """Write `folder/name` whole or not at all; False when the folder cannot be written."""
    if not make_folder(folder):
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, bytes) else data:
                fh.write(chunk)
        os.replace(tmp, folder / name)
        return True
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)
        return False


class FileCache:
    """The entries of one workspace, kept in one pack file: `.mpm-cache/files`.

    One file, not one per entry: creating thousands of small files costs more
    than reading them saves on many file systems. The pack is read once; an
    entry is decoded only when asked for; `save` writes a new pack holding
    exactly the entries this load used, so entries of old file contents go.
    """

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self.path = self.folder / PACK
        self._hash = keyed_hash()
        self._pack: memoryview | None = None
        self._index: dict[str, tuple[int, int]] = {}
        self._used: dict[str, bytes | memoryview] = {}

    def key(self, kind: str, raw: bytes) -> str:
        h = self._hash.copy()
        h.update(kind.encode())
        h.update(b"\0")
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str) -> Any | None:
        if self._pack is None:
            self._open()
        where = self._index.get(key)
        if where is not None:
            blob = self._pack[where[0]:where[0] + where[1]]  # type: ignore[index]
            try:
                value = marshal.loads(blob)
            except (EOFError, ValueError, TypeError):
                value = None
            if value is not None:
                self._used[key] = blob
                return value
        return None

    def put(self, key: str, value: Any) -> None:
        with contextlib.suppress(ValueError):  # not plain data: nothing to keep
            self._used[key] = marshal.dumps(value)

    def save(self) -> None:
        """Write the pack again when this load used other entries than it holds."""
        if self._pack is None or self._used.keys() == self._index.keys():
            return
        index: dict[str, tuple[int, int]] = {}
        at = 0
        for key, blob in self._used.items():
            index[key] = (at, len(blob))
            at += len(blob)
        head = marshal.dumps(index)
        write_atomically(self.folder, PACK, [_MAGIC, len(head).to_bytes(8, "big"), head, *self._used.values()])

    def _open(self) -> None:
        self._pack = memoryview(b"")
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except OSError:
            return
        try:
            if not data.startswith(_MAGIC):
                return
            size = int.from_bytes(data[len(_MAGIC):len(_MAGIC) + 8], "big")
            start = len(_MAGIC) + 8
            index = marshal.loads(data[start:start + size])
            base = start + size
            if not isinstance(index, dict):
                return
            self._index = {k: (base + off, n) for k, (off, n) in index.items() if base + off + n <= len(data)}
            self._pack = memoryview(data)
        except (EOFError, ValueError, TypeError):
            self._index = {}


class ReadMemo:
    """What reading each file gave, by (path, kind, bytes), kept in memory for one process.

    The bytes are the key itself: a file of another version with the same
    bytes gives the same records, so the very same objects are handed out
    again (nothing downstream changes a record).
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, bytes], Any] = {}

    def get(self, rel: str, kind: str, raw: bytes) -> Any | None:
        return self._seen.get((rel, kind, raw))

    def put(self, rel: str, kind: str, raw: bytes, result: Any) -> None:
        self._seen[(rel, kind, raw)] = result
