"""The only module that runs git: revisions and file contents straight from git objects.

Every call passes an argument list (never a shell), turns off the settings
of the repository's config that would run a program, puts `--end-of-options`
or `--` before anything a user typed, and reads blobs in one `cat-file
--batch` process. Nothing is checked out and no clone is made.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

WORKTREE = "working tree"
INDEX = "index (staged)"


class GitError(Exception):
    pass


@dataclass(frozen=True)
class Repo:
    top: Path  # the repository's top folder
    prefix: str  # the workspace's folder inside it, "" or "sub/dir/"


# A repository's own .git/config is as untrusted as its files: settings that
# make git run a program (a file-system monitor, hooks, signature checks,
# external diff and text conversion, a pager) are turned off on every call.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "log.showSignature=false",
         "-c", "diff.external=", "-c", "core.pager=cat", "-c", "core.untrackedCache=false",
         "--no-pager", "--no-optional-locks")
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def _git(repo_dir: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *_SAFE, "-C", str(repo_dir), *args], input=input, capture_output=True,
                              check=False, env={**os.environ, **_ENV})
    except FileNotFoundError:
        raise GitError("git is not installed, or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def find_repo(workspace: Path) -> Repo:
    try:
        top = _git(workspace, "rev-parse", "--show-toplevel").decode().strip()
        prefix = _git(workspace, "rev-parse", "--show-prefix").decode().strip()
    except GitError:
        raise GitError(f"{workspace} is not inside a git repository") from None
    return Repo(Path(top), prefix)


def resolve(repo: Repo, revision: str) -> str:
    """The commit id `revision` names, or GitError in words a user understands."""
    if not revision or revision.startswith("-"):
        raise GitError(f"'{revision}' is not a revision")
    try:
        out = _git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(f"'{revision}' does not name a commit in this repository") from None
    return out.decode().strip()


def _workspace_paths(repo: Repo, listing: list[tuple[str, str]]) -> dict[str, str]:
    """{path relative to the workspace: blob id} of the workspace's YAML files."""
    out = {}
    for path, blob in listing:
        if not path.startswith(repo.prefix):
            continue
        rel = path[len(repo.prefix):]
        if rel == "mpm.yaml" or (rel.startswith("campaigns/") and rel.endswith((".yaml", ".yml"))):
            out[rel] = blob
    return out


def _read_blobs(repo: Repo, blobs: dict[str, str]) -> dict[str, bytes]:
    if not blobs:
        return {}
    order = list(blobs.items())
    raw = _git(repo.top, "cat-file", "--batch", input="".join(f"{b}\n" for _, b in order).encode())
    out: dict[str, bytes] = {}
    pos = 0
    for rel, _ in order:
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise GitError(f"cannot read {rel} from git")
        size = int(header[2])
        out[rel] = raw[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return out


def files_at(repo: Repo, commit: str) -> dict[str, bytes]:
    """The workspace's files as they are in `commit`."""
    raw = _git(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", repo.prefix or ".")
    # entries: "<mode> <type> <blob>\t<path>"
    return _read_blobs(repo, _workspace_paths(repo, _listing(raw, blob_field=2)))


def files_staged(repo: Repo) -> dict[str, bytes]:
    """The workspace's files as they are in the index."""
    raw = _git(repo.top, "ls-files", "-s", "-z", "--", f":/{repo.prefix}" if repo.prefix else ":/")
    # entries: "<mode> <blob> <stage>\t<path>"
    return _read_blobs(repo, _workspace_paths(repo, _listing(raw, blob_field=1)))


def _listing(raw: bytes, *, blob_field: int) -> list[tuple[str, str]]:
    """(path, blob id) of the regular files in a NUL-separated git listing."""
    out = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        fields = meta.split()
        if fields[0] == b"120000":  # symlinks are not followed out of git either
            continue
        if blob_field == 2 and fields[1] != b"blob":
            continue
        out.append((path.decode("utf-8", "surrogateescape"), fields[blob_field].decode()))
    return out


def describe(repo: Repo, commit: str) -> str:
    """A short name for a commit: its abbreviated id and subject."""
    out = _git(repo.top, "log", "-1", "--format=%h %s", commit, "--").decode().strip()
    return out or commit[:8]
