"""A cache of read files, keyed by what decides the result: the bytes.

Each entry is the data of one file that had nothing to report, as the YAML
reader gave it, stored under a hash of mpm's version, the file's kind and
its exact bytes: any edit, or another mpm, Python or Pydantic, makes a new
key. A hit skips the YAML reader; the data is validated again, which is
cheap, so a hit can never hold a record a full read would not give.

Entries are plain data, packed as the parsing child packs it (`prefetch.pack`:
marshalled, or JSON validated as it is; no code runs when one is read), and their
keys are hashed with a secret kept outside the workspace
(`$XDG_CACHE_HOME/mpm/key`, made on first use): an entry someone commits into
`.mpm-cache/` can never be taken for the entry of a file's content, and each
entry and the pack's index carry an HMAC under that key, so a damaged or
edited entry is a miss, never other data. The folder is never reached
through a link (see `cachedir`): when `.mpm-cache/` or a folder in it is a
link or not the user's, the cache is off. The pack
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
import hmac
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from mpm.read import cachedir
from mpm.read.prefetch import Parsed, marshalled, unpack

FOLDER = ".mpm-cache"
PACK = "files"
_FORMAT = 4
_MAGIC = b"mpm-pack-4\n"


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


def user_cache_dir() -> str:
    """This user's folder for what mpm keeps between runs outside any workspace."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mpm")


def _read_or_make_secret() -> bytes | None:
    path = os.path.join(user_cache_dir(), "key")
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


def signer() -> Any:
    """A fresh HMAC (SHA-256) under this user's key, salted with mpm's fingerprint."""
    return hmac.new(secret() or b"", fingerprint(), hashlib.sha256)


def sign(*parts: bytes | memoryview) -> bytes:
    """The HMAC of `parts`, each framed by its length: what a cache entry must carry."""
    mac = signer()
    for part in parts:
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.digest()


SIGNATURE = hashlib.sha256().digest_size


def refusal(root: Path) -> str | None:
    """Why the cache of `root` must stay off (a link, not a folder, someone else's), or None."""
    return cachedir.refusal(str(root), FOLDER, ("answers",))


def open_folder(root: Path, *inner: str) -> cachedir.Folder | None:
    """`root/.mpm-cache[/inner]`, made when missing, with its .gitignore; None when it cannot or must not be used."""
    try:
        folder = cachedir.open_folder(str(root), FOLDER, create=True)
        if folder is None:
            return None
        folder.create(".gitignore", b"*\n")  # only when missing; never written through a link
        for name in inner:
            sub = folder.sub(name, create=True)
            folder.close()
            if sub is None:
                return None
            folder = sub
        return folder
    except cachedir.Unsafe:
        return None


class FileCache:
    """The entries of one workspace, kept in one pack file: `.mpm-cache/files`.

    One file, not one per entry: creating thousands of small files costs more
    than reading them saves on many file systems. The pack is read once; an
    entry is decoded only when asked for, and only once its HMAC is right
    (a damaged or planted entry is a miss); `save` writes a new pack holding
    exactly the entries this load used, so entries of old file contents go.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
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

    def empty(self) -> bool:
        """Whether the cache holds nothing yet (a first run)."""
        if self._pack is None:
            self._open()
        return not self._index

    def get(self, key: str) -> Parsed | None:
        """The data kept under `key` (or its JSON), None when there is none."""
        if self._pack is None:
            self._open()
        where = self._index.get(key)
        if where is None:
            return None
        blob = self._pack[where[0]:where[0] + where[1]]  # type: ignore[index]
        tag, body = blob[:SIGNATURE], blob[SIGNATURE:]
        if not hmac.compare_digest(tag, sign(b"entry", key.encode(), body)):
            return None
        found = unpack(bytes(body))
        if found is None or (found.data is None and found.json is None):
            return None
        self._used[key] = blob
        return found

    def put(self, key: str, value: Any, packed: bytes | None = None) -> None:
        """Keep `value` under `key`; `packed`: its file's data as a child packed it instead
        (`prefetch.pack`)."""
        with contextlib.suppress(ValueError):  # not plain data: nothing to keep
            body = packed if packed is not None else marshalled(value)
            self._used[key] = sign(b"entry", key.encode(), body) + body

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
        folder = open_folder(self.root)
        if folder is None:
            return
        with folder:
            folder.write(PACK, [_MAGIC, len(head).to_bytes(8, "big"), head, sign(b"index", head),
                                *self._used.values()])

    def _open(self) -> None:
        self._pack = memoryview(b"")
        try:
            folder = cachedir.open_folder(str(self.root), FOLDER, create=False)
        except cachedir.Unsafe:
            return
        if folder is None:
            return
        with folder:
            data = folder.read(PACK)
        if data is None or not data.startswith(_MAGIC):
            return
        start = len(_MAGIC) + 8
        size = int.from_bytes(data[len(_MAGIC):start], "big")
        head = data[start:start + size]
        base = start + size + SIGNATURE
        if len(head) != size or not hmac.compare_digest(data[start + size:base], sign(b"index", head)):
            return
        try:
            index = marshal.loads(head)
        except (EOFError, ValueError, TypeError):
            return
        if not isinstance(index, dict):
            return
        self._index = {k: (base + off, n) for k, (off, n) in index.items() if base + off + n <= len(data)}
        self._pack = memoryview(data)


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
