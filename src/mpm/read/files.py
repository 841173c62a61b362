"""Where a workspace's files come from: the disk, git objects, or an edit in memory.

The loader asks a FileSource which campaign folders there are, which files a
folder holds, and for a file's bytes; it never touches the disk itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Protocol

from mpm.read.diagnostics import Diagnostic
from mpm.read.names import CAMPAIGN_FILES, SLUG_PATTERN, WORKSPACE_FILE, slug_of
from mpm.read.source import read_bytes

_SLUG = re.compile(SLUG_PATTERN)


class WorkspaceNotFound(Exception):
    pass


def find_root(start: Path) -> Path:
    """The nearest folder from `start` upward that holds mpm.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    raise WorkspaceNotFound(f"no {WORKSPACE_FILE} in {here} or any folder above it")


class FileSource(Protocol):
    def campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        """Campaign ids in name order, or a problem with a folder."""
        ...

    def files_in(self, campaign: str) -> set[str]:
        """File names directly in campaigns/<campaign>/."""
        ...

    def read(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        """The bytes of workspace file `rel`, or why there are none."""
        ...


def folder_problem(rel: str, name: str) -> Diagnostic | None:
    if _SLUG.match(name):
        return None
    return Diagnostic(rel, 1, 1, "E012", f"campaign folder '{name}' is not a valid campaign id",
                      f"rename it to lowercase letters, digits and dashes, e.g. '{slug_of(name) or 'spring-launch'}'")


class DiskFiles:
    """The workspace folder on disk; nothing outside it is read, even through symlinks."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        # one load asks twice about a folder, and a run that parses early lists them first
        self._folders: list[tuple[str, Diagnostic | None]] | None = None
        self._listed: dict[str, set[str]] = {}

    def campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        if self._folders is None:
            self._folders = self._campaign_folders()
        return list(self._folders)

    def _campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        base = self.root / "campaigns"
        if not base.is_dir():
            return []
        if not base.resolve().is_relative_to(self.root):
            return [("campaigns", Diagnostic("campaigns", 1, 1, "E007",
                                             "the campaigns folder is a symlink outside the workspace"))]
        out: list[tuple[str, Diagnostic | None]] = []
        for entry in sorted(os.scandir(base), key=lambda e: e.name):
            if not entry.is_dir() or entry.name.startswith("."):
                continue
            rel = f"campaigns/{entry.name}"
            if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(self.root):
                out.append((rel, Diagnostic(rel, 1, 1, "E007",
                                            f"{rel} is a symlink to a folder outside the workspace",
                                            "mpm reads nothing outside the workspace")))
                continue
            problem = folder_problem(rel, entry.name)
            out.append((rel if problem else entry.name, problem))
        return out

    def files_in(self, campaign: str) -> set[str]:
        found = self._listed.get(campaign)
        if found is None:
            folder = os.path.join(self.root, "campaigns", campaign)
            # everything but folders: a pipe named like a plan file is worded by `read`, not passed over
            found = self._listed[campaign] = {e.name for e in os.scandir(folder)
                                              if not e.is_dir(follow_symlinks=False)}
        return set(found)

    def read(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        return read_bytes(self.root, rel)


class MemoryFiles:
    """A workspace held as {relative path: bytes}: a git revision, for example."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        names = sorted({rel.split("/")[1] for rel in self.files
                        if rel.startswith("campaigns/") and rel.count("/") >= 2})
        out: list[tuple[str, Diagnostic | None]] = []
        for name in names:
            problem = folder_problem(f"campaigns/{name}", name)
            out.append((f"campaigns/{name}" if problem else name, problem))
        return out

    def files_in(self, campaign: str) -> set[str]:
        prefix = f"campaigns/{campaign}/"
        return {rel[len(prefix):] for rel in self.files
                if rel.startswith(prefix) and "/" not in rel[len(prefix):]}

    def read(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        from mpm.read.source import MAX_FILE_BYTES

        raw = self.files.get(rel)
        if raw is None:
            return None, [Diagnostic(rel, 1, 1, "E011", f"cannot read {rel}: no such file")]
        if len(raw) > MAX_FILE_BYTES:
            return None, [Diagnostic(rel, 1, 1, "E005",
                                     f"file is {len(raw) / 1024 / 1024:.1f} MB; the limit is "
                                     f"{MAX_FILE_BYTES // 1024 // 1024} MB")]
        return raw, []


class OverlayFiles:
    """Another source with some files replaced: an edit, checked before it is written."""

    def __init__(self, base: FileSource, changed: dict[str, bytes]) -> None:
        self.base = base
        self.changed = changed

    def campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        found = dict(self.base.campaign_folders())
        for rel in self.changed:
            parts = rel.split("/")
            if len(parts) == 3 and parts[0] == "campaigns" and parts[1] not in found:
                found[parts[1]] = folder_problem(f"campaigns/{parts[1]}", parts[1])
        return sorted(found.items())

    def files_in(self, campaign: str) -> set[str]:
        try:
            names = self.base.files_in(campaign)
        except OSError:
            names = set()
        prefix = f"campaigns/{campaign}/"
        return names | {rel[len(prefix):] for rel in self.changed if rel.startswith(prefix)}

    def read(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        if rel in self.changed:
            return self.changed[rel], []
        return self.base.read(rel)


class RememberedFiles:
    """Another source with every answer kept: read once, for a digest and then the loader."""

    def __init__(self, base: FileSource) -> None:
        self.base = base
        self._folders: list[tuple[str, Diagnostic | None]] | None = None
        self._names: dict[str, set[str]] = {}
        self._reads: dict[str, tuple[bytes | None, list[Diagnostic]]] = {}

    def campaign_folders(self) -> list[tuple[str, Diagnostic | None]]:
        if self._folders is None:
            self._folders = self.base.campaign_folders()
        return self._folders

    def files_in(self, campaign: str) -> set[str]:
        if campaign not in self._names:
            self._names[campaign] = self.base.files_in(campaign)
        return self._names[campaign]

    def read(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        found = self._reads.pop(rel, None)  # the loader reads each file once: let the bytes go
        return found if found is not None else self.base.read(rel)

    def keep(self, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
        """Read `rel` now and hold it for the next `read`."""
        found = self._reads[rel] = self.base.read(rel)
        return found


def feed_contents(files: RememberedFiles, h: Any) -> None:
    """Feed hash `h` everything `load_workspace` will read from `files`: names, bytes, problems.

    The bytes stay in `files` for the load that follows, so nothing is read twice.
    """
    def feed(rel: str) -> None:
        raw, problems = files.keep(rel)
        h.update(f"{rel}\0".encode())
        if raw is None:
            h.update(f"-{[(d.code, d.message) for d in problems]!r}\0".encode())
        else:
            h.update(f"{len(raw)}\0".encode())
            h.update(raw)

    feed(WORKSPACE_FILE)
    for folder, problem in files.campaign_folders():
        h.update(f"{folder}\0{problem and (problem.code, problem.message)!r}\0".encode())
        if problem:
            continue
        present = files.files_in(folder)
        h.update(("/".join(sorted(present)) + "\0").encode())
        for name in CAMPAIGN_FILES:
            if name in present:
                feed(f"campaigns/{folder}/{name}")
