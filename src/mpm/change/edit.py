"""Edits that mpm writes: checked before, atomic while, and refused on a race.

An edit reads the files it changes, computes their new text in memory,
checks the whole workspace as it would be, and only then writes: each file
to a temporary file beside it, renamed into place, after making sure nobody
changed the file since it was read. An invalid result is never written.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mpm.change.output import replace_file
from mpm.change.yamltext import YamlText
from mpm.read.diagnostics import Diagnostic, Severity


class EditRefused(Exception):
    def __init__(self, message: str, hint: str | None = None,
                 diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.diagnostics = diagnostics or []


@dataclass
class Transaction:
    root: Path
    read: dict[str, bytes | None] = field(default_factory=dict)  # as first read (None: did not exist)
    texts: dict[str, str] = field(default_factory=dict)

    def text(self, rel: str, *, create: bool = False) -> YamlText:
        if rel not in self.texts:
            path = self.root / rel
            if path.exists():
                raw = path.read_bytes()
                self.read[rel] = raw
                self.texts[rel] = raw.decode("utf-8")
            elif create:
                self.read[rel] = None
                self.texts[rel] = ""
            else:
                raise EditRefused(f"{rel} does not exist",
                                  "mpm edits the files a workspace has: create it, or check the name you gave")
        return _Tracked(self, rel)

    def changed(self) -> dict[str, bytes]:
        return {rel: text.encode("utf-8") for rel, text in self.texts.items()
                if self.read.get(rel) != text.encode("utf-8")}

    def check(self) -> list[Diagnostic]:
        """Errors of the workspace as it would be after this edit."""
        from mpm.check.checks import check_workspace
        from mpm.read.files import DiskFiles, OverlayFiles

        _, found = check_workspace(self.root, files=OverlayFiles(DiskFiles(self.root), self.changed()))
        return [d for d in found if d.severity is Severity.ERROR]

    def commit(self) -> list[str]:
        """Write every changed file; the relative paths written."""
        changed = self.changed()
        if not changed:
            return []
        errors = self.check()
        if errors:
            raise EditRefused("the change would make the workspace invalid; nothing was written",
                              "fix the problem first, or edit the file by hand", errors)
        writing: str | None = None
        try:
            with _locked(self.root):  # another mpm cannot write between the look and the rename
                for rel in changed:  # all or nothing: look at every file before writing any
                    _unchanged_since_read(self.root / rel, self.read[rel], rel)
                folder = _new_folder(self.root, changed)
                writing = folder
                if folder is not None:
                    _write_folder(self.root, folder, changed)
                else:
                    for writing, raw in changed.items():
                        write_atomic(_target(self.root, writing), raw, self.read[writing])
        except OSError as exc:
            from mpm.change.output import reason

            raise EditRefused(f"cannot write {writing or 'the workspace'}: {reason(exc)}",
                              "check that the file and its folder may be written") from None
        return sorted(changed)


class _Tracked(YamlText):
    """A YamlText whose edits land in the transaction."""

    def __init__(self, tx: Transaction, rel: str) -> None:
        self.__dict__["_tx"] = tx
        self.__dict__["_rel"] = rel

    @property
    def text(self) -> str:  # type: ignore[override]
        return self._tx.texts[self._rel]

    @text.setter
    def text(self, value: str) -> None:
        self._tx.texts[self._rel] = value


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock among mpm processes on the workspace folder itself (no lock file to leave)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _new_folder(root: Path, changed: dict[str, bytes]) -> str | None:
    """The one new folder every changed file is in (a new campaign), or None."""
    tops = {rel.split("/")[0] + "/" + rel.split("/")[1] if rel.count("/") >= 2 else "" for rel in changed}
    if len(tops) != 1:
        return None
    top = tops.pop()
    return top if top and not (root / top).exists() else None


def _write_folder(root: Path, folder: str, changed: dict[str, bytes]) -> None:
    """Write a new folder whole or not at all: staged beside the workspace's files, renamed once."""
    for old in root.glob(".mpm-new-*"):  # left by a killed run: we hold the lock
        shutil.rmtree(old, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(dir=root, prefix=".mpm-new-"))
    try:
        for rel, raw in changed.items():
            path = stage / rel[len(folder) + 1:]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        os.chmod(stage, 0o777 & ~_umask())
        (root / folder).parent.mkdir(parents=True, exist_ok=True)
        os.rename(stage, root / folder)  # fails if the folder appeared meanwhile
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _target(root: Path, rel: str) -> Path:
    """Where `rel` is written: a link inside the workspace stays a link, and its target is written."""
    path = root / rel
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        raise EditRefused(f"{rel} is a link to {real}, outside the workspace; nothing was written",
                          "mpm writes only inside the workspace: put the file itself in place of the link")
    return real


def _digest(raw: bytes | None) -> str | None:
    return None if raw is None else hashlib.sha256(raw).hexdigest()


def _unchanged_since_read(path: Path, original: bytes | None, rel: str) -> None:
    current = path.read_bytes() if path.exists() else None
    if _digest(current) != _digest(original):
        raise EditRefused(f"{rel} changed on disk while mpm was editing it; nothing was written",
                          "run the command again")


def write_atomic(path: Path, raw: bytes, original: bytes | None) -> None:
    """Write `raw` to `path` by a rename, refusing if the file changed since it was read.

    Called under `_locked`: a temporary file of ours left beside `path` is
    from a run that was killed, and goes.
    """
    _remove_stale(path)
    mode = path.stat().st_mode if path.exists() else None
    replace_file(path, raw, mode, before_rename=lambda: _unchanged_since_read(path, original, path.name))


def _remove_stale(path: Path) -> None:
    """Remove `.NAME.XXXXXXXX.tmp` files beside `path`: mkstemp's names for ours, from a killed run."""
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
