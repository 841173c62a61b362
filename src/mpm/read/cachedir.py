"""The cache's folders, opened without ever following a link out of them.

A repository can commit anything under `.mpm-cache/`, a symbolic link
included, and every CI run of a read-only command would then write or
prune wherever it points. So each folder is looked at with `lstat` and
opened with `O_NOFOLLOW`; it must be a real folder of this user. Every name
inside is opened relative to the open folder (`dir_fd`), never by path,
and never through a link. `Unsafe` says why a folder cannot be used: the
caller turns the cache off, with a notice.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_READ = os.O_RDONLY | os.O_NOFOLLOW | _CLOEXEC
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
TEMP_PREFIX = ".tmp-"


class Unsafe(Exception):
    """A cache folder that must not be used: a link, not a folder, or someone else's."""


def _owned(info: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _check(name: str, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise Unsafe(f"{name} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise Unsafe(f"{name} is not a folder")
    if not _owned(info):
        raise Unsafe(f"{name} belongs to another user")


class Folder:
    """One open cache folder; close it when done (it is a context manager)."""

    def __init__(self, fd: int, name: str) -> None:
        self.fd, self.name = fd, name

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1

    def sub(self, name: str, *, create: bool) -> Folder | None:
        """The folder `name` inside this one; None when missing (and not made)."""
        return _open(self.fd, name, f"{self.name}/{name}", create=create)

    def read(self, name: str) -> bytes | None:
        """The bytes of a regular file of this user named `name`, or None."""
        try:
            fd = os.open(name, _READ, dir_fd=self.fd)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or not _owned(info):
                return None
            try:
                return fh.read()
            except OSError:
                return None

    def create(self, name: str, data: bytes) -> bool:
        """Write a new file `name`; False when it exists or cannot be written."""
        try:
            fd = os.open(name, _NEW, 0o644, dir_fd=self.fd)
        except OSError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return True

    def temp(self) -> tuple[int, str]:
        """A new temporary file of ours, opened for writing: (fd, name)."""
        for _ in range(8):
            name = TEMP_PREFIX + secrets.token_hex(8)
            try:
                return os.open(name, _NEW, 0o600, dir_fd=self.fd), name
            except FileExistsError:
                continue
        raise FileExistsError(name)

    def commit(self, temp: str, name: str) -> bool:
        """Rename our temporary file onto `name` (a rename replaces a link, never follows it)."""
        try:
            os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            return True
        except OSError:
            self.remove(temp)
            return False

    def write(self, name: str, chunks: Iterable[bytes | memoryview]) -> bool:
        """Write `name` whole or not at all."""
        try:
            fd, temp = self.temp()
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
        except OSError:
            self.remove(temp)
            return False
        return self.commit(temp, name)

    def remove(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=self.fd)

    def own_files(self) -> Iterator[tuple[str, float, int]]:
        """(name, mtime, size) of each regular file of this user here; links and folders are not listed."""
        try:
            entries = list(os.scandir(self.fd))
        except OSError:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and _owned(info):
                yield entry.name, info.st_mtime, info.st_size


def _open(parent: int, name: str, shown: str, *, create: bool) -> Folder | None:
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        if not create:
            return None
        try:
            os.mkdir(name, 0o755, dir_fd=parent)
        except FileExistsError:
            pass
        except OSError:
            return None  # a read-only checkout still works, only slower
        try:
            info = os.stat(name, dir_fd=parent, follow_symlinks=False)
        except OSError:
            return None
    except OSError:
        return None
    _check(shown, info)
    try:
        fd = os.open(name, _DIR, dir_fd=parent)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # made a link after we looked
            raise Unsafe(f"{shown} is a symbolic link") from exc
        return None
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):  # swapped while we looked
        os.close(fd)
        raise Unsafe(f"{shown} changed while it was opened")
    return Folder(fd, shown)


def open_folder(root: str, name: str, *, create: bool) -> Folder | None:
    """The folder `name` in the workspace `root`; None when it cannot be had; Unsafe when it must not."""
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    except OSError:
        return None
    try:
        return _open(top, name, name, create=create)
    finally:
        os.close(top)


def refusal(root: str, name: str, inner: tuple[str, ...]) -> str | None:
    """Why the cache folder `name` of `root` (or a folder in it) must not be used, or None."""
    try:
        folder = open_folder(root, name, create=False)
        if folder is None:
            return None
        with folder:
            for sub in inner:
                found = folder.sub(sub, create=False)
                if found is not None:
                    found.close()
    except Unsafe as exc:
        return str(exc)
    return None
