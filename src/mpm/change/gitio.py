"""The only module that runs git: revisions and file contents straight from git objects.

Every call passes an argument list (never a shell), refuses a revision that
looks like an option, puts `--end-of-options` or `--` before anything a user
typed, turns off the configuration that could run a program (fsmonitor,
pagers, external diffs, signature checks) and reads blobs in one `cat-file
--batch` process. Nothing is checked out, no clone is made, no lock is taken.
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
# external diff and text conversion, a pager) are turned off on every call,
# and nothing mpm asks git to do needs colour, quoting or replace objects.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "log.showSignature=false",
         "-c", "diff.external=", "-c", "core.pager=cat", "-c", "core.untrackedCache=false",
         "-c", "color.ui=false", "-c", "core.quotePath=false",
         "--no-pager", "--no-optional-locks", "--no-replace-objects")
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}


def _git(repo_dir: Path, *args: str, input: bytes | None = None) -> bytes:

    env = {**os.environ, **_ENV}
    try:
        done = subprocess.run(["git", *_SAFE, "-C", str(repo_dir), *args], input=input, capture_output=True,
                              check=False, env=env)
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


@dataclass(frozen=True)
class Sides:
    """What `mpm diff` compares: two revisions, or a revision and the index or working tree."""

    before: str
    after: str
    merge_base: bool = False  # `A...B`: compare from the merge base of A and B


def parse_sides(revisions: list[str], staged: bool) -> Sides:
    """`A B`, `A..B`, `A...B`, `A` (against the working tree), none (HEAD), `--staged [A]`."""
    if len(revisions) > 2:
        raise GitError("give at most two revisions")
    for rev in revisions:
        if rev.startswith("-"):
            raise GitError(f"'{rev}' is not a revision")
    if len(revisions) == 1 and ".." in revisions[0]:
        if staged:
            raise GitError("--staged compares one revision with the index, not a range")
        rev = revisions[0]
        three = "..." in rev
        a, _, b = rev.partition("..." if three else "..")
        if a.startswith("-") or b.startswith("-") or b.startswith("."):
            raise GitError(f"'{rev}' is not a revision range")
        return Sides(a or "HEAD", b or "HEAD", three)
    if staged:
        if len(revisions) > 1:
            raise GitError("--staged compares one revision with the index")
        return Sides(revisions[0] if revisions else "HEAD", INDEX)
    if len(revisions) == 2:
        return Sides(revisions[0], revisions[1])
    return Sides(revisions[0] if revisions else "HEAD", WORKTREE)


def _revision(revision: str) -> str:
    if not revision or revision.startswith("-"):
        raise GitError(f"'{revision}' is not a revision")
    return revision


def is_shallow(repo: Repo) -> bool:
    try:
        return _git(repo.top, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except GitError:
        return False


def _shallow_hint(repo: Repo) -> str:
    return (" (this is a shallow clone: fetch the whole history, e.g. `git fetch --unshallow`"
            " or `fetch-depth: 0` in actions/checkout)" if is_shallow(repo) else "")


def resolve(repo: Repo, revision: str) -> str:
    """The commit id `revision` names, or GitError in words a user understands."""
    _revision(revision)
    try:
        out = _git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(f"'{revision}' does not name a commit in this repository{_shallow_hint(repo)}") from None
    return out.decode().strip()


def merge_base(repo: Repo, a: str, b: str) -> str:
    """The best common ancestor of commits `a` and `b` (what `a...b` compares from)."""
    try:
        out = _git(repo.top, "merge-base", "--end-of-options", a, b)
    except GitError:
        out = b""
    if not out.strip():
        raise GitError(f"{a[:8]} and {b[:8]} have no common ancestor in this repository{_shallow_hint(repo)}")
    return out.decode().split()[0]


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


def read_blobs(repo: Repo, blobs: dict[str, str]) -> dict[str, bytes]:
    """{name: bytes} of {name: blob id}, in one `cat-file --batch`."""
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


class NotInRevision(GitError):
    """The workspace's folder, or its mpm.yaml, is not in that revision."""


def blobs_at(repo: Repo, commit: str) -> dict[str, str]:
    """{path relative to the workspace: blob id} of the workspace's files in `commit`."""
    raw = _git(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", repo.prefix or ".")
    # entries: "<mode> <type> <blob>\t<path>"
    found = _workspace_paths(repo, _listing(raw, blob_field=2))
    if "mpm.yaml" not in found:
        raise NotInRevision(f"the workspace ({repo.prefix or 'the top folder'}) has no mpm.yaml in "
                            f"{commit[:8]}: it is not in the repository at that revision")
    return found


def files_at(repo: Repo, commit: str) -> dict[str, bytes]:
    """The workspace's files as they are in `commit`."""
    return read_blobs(repo, blobs_at(repo, commit))


def files_staged(repo: Repo) -> dict[str, bytes]:
    """The workspace's files as they are in the index."""
    raw = _git(repo.top, "ls-files", "-s", "-z", "--", f":/{repo.prefix}" if repo.prefix else ":/")
    # entries: "<mode> <blob> <stage>\t<path>"
    found = _workspace_paths(repo, _listing(raw, blob_field=1))
    if "mpm.yaml" not in found:
        raise NotInRevision(f"the workspace ({repo.prefix or 'the top folder'}) has no mpm.yaml in the index")
    return read_blobs(repo, found)


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


@dataclass(frozen=True)
class Commit:
    id: str
    day: str  # the committer's date, YYYY-MM-DD in the committer's time zone
    author: str
    subject: str


_LOG_FORMAT = "--format=%H%x1f%cs%x1f%an%x1f%s"
# control characters in a commit's author or subject would drive the reader's terminal
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7f, 0xa0)], "\ufffd")


def _plain(text: str) -> str:
    return text.translate(_CONTROLS)


def _commits(raw: bytes) -> list[Commit]:
    out = []
    for entry in raw.split(b"\0"):
        entry = entry.strip(b"\n")
        if not entry:
            continue
        cid, day, author, subject = [*entry.decode("utf-8", "replace").split("\x1f", 3), "", "", ""][:4]
        out.append(Commit(cid, day, _plain(author), _plain(subject)))
    return out


def commits(repo: Repo, until: str, since: str | None = None) -> list[Commit]:
    """The commits that touched the workspace, oldest first, along first parents.

    `until` and `since` are commit ids (from `resolve`): `since..until`, or
    every ancestor of `until` when `since` is None.
    """
    spec = [until] if since is None else [until, f"^{since}"]
    return _commits(_git(repo.top, "log", "--first-parent", "--reverse", "-z", _LOG_FORMAT,
                         "--end-of-options", *spec, "--", repo.prefix or "."))


def commit_info(repo: Repo, commit: str) -> Commit:
    """One commit's id, date, author and subject."""
    found = _commits(_git(repo.top, "log", "-1", "-z", _LOG_FORMAT, "--end-of-options", commit, "--"))
    if not found:
        raise GitError(f"cannot read commit {commit[:8]}")
    return found[0]


def snapshots(repo: Repo, ids: list[str]) -> list[dict[str, bytes] | None]:
    """The workspace's files at each commit (None where it is not there).

    Each blob is read once, in one `cat-file --batch` for all the commits: a
    file that did not change between commits is the same bytes object.
    """
    trees: list[dict[str, str] | None] = []
    for cid in ids:
        try:
            trees.append(blobs_at(repo, cid))
        except NotInRevision:
            trees.append(None)
    unique = {blob: blob for tree in trees if tree for blob in tree.values()}
    raw = read_blobs(repo, unique)
    return [{rel: raw[blob] for rel, blob in tree.items()} if tree is not None else None for tree in trees]


def describe(repo: Repo, commit: str) -> str:
    """A short name for a commit: its abbreviated id and subject."""
    out = _git(repo.top, "log", "-1", "--format=%h %s", commit, "--").decode("utf-8", "replace").strip()
    return _plain(out) or commit[:8]
