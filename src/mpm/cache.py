"""A cache of validated files, keyed by what decides the result: the bytes.

Each entry is the validated records of one file that had nothing to report,
stored under a hash of mpm's version, the file's kind and its exact bytes:
any edit, or another mpm, Python or Pydantic, makes a new key. Entries are
written to a temporary file and renamed into place, so two mpm processes can
share the folder; an entry that cannot be read is a miss. The folder lives in
the workspace (`.mpm-cache/`, which the workspace's .gitignore lists) and
`mpm --no-cache` or MPM_NO_CACHE=1 bypasses it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

FOLDER = ".mpm-cache"
_FORMAT = 1


def _fingerprint() -> bytes:
    import pydantic

    from mpm import __version__

    return f"mpm {__version__}|py {sys.version}|pydantic {pydantic.VERSION}|{_FORMAT}".encode()


class FileCache:
    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self._salt = _fingerprint()
        self.hits = 0
        self.misses = 0

    def key(self, kind: str, raw: bytes) -> str:
        h = hashlib.blake2b(self._salt, digest_size=20)
        h.update(kind.encode())
        h.update(b"\0")
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str) -> Any | None:
        try:
            with open(self.folder / key[:2] / key, "rb") as fh:
                value = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        folder = self.folder / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        except OSError:
            return  # a read-only checkout still works, only slower
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / key)
        except (OSError, pickle.PicklingError):
            if os.path.exists(tmp):
                os.unlink(tmp)


def enabled() -> bool:
    return os.environ.get("MPM_NO_CACHE", "") in ("", "0")
