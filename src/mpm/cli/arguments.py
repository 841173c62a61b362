"""The command line read as click will read it, before click is imported.

`answers` and `early` act on a run before the command line, the models and the
renderers are imported: they need the workspace folder, the `-o` file and
whether the run writes several files, taken off the raw arguments. The reading
stops at `--`, as click does, and accepts the spellings click accepts
(`-w DIR`, `-wDIR`, `--workspace DIR`, `--workspace=DIR`) and, as click does, takes
the last of an option given twice. Not knowing every command's options, a reader
takes a value of another option that looks like one of these (`--title -w`) for
that option: then the answer's key (which holds the folder) is not found, and a
run whose `-o` file is not the one read here records no answer, so a misreading
costs a replay, never a wrong file.
"""

from __future__ import annotations

import os
from pathlib import Path

# The options read here: what click names them, and their spellings.
_OPTIONS = {"workspace": ("-w", "--workspace"), "output": ("-o", "--output"), "output_dir": (None, "--output-dir")}


def writes_files(args: list[str]) -> bool:
    """Whether the run writes several files (--output-dir)."""
    return _read(args).get("output_dir") is not None


def output_file(args: list[str]) -> str | None:
    """The file `-o`/`--output` names; None for none or `-` (stdout)."""
    named = _read(args).get("output")
    return None if named in (None, "-") else named


def workspace_argument(args: list[str]) -> str | None:
    """The value of --workspace/-w, else of MPM_WORKSPACE (when set and not empty), or None."""
    return _read(args).get("workspace") or os.environ.get("MPM_WORKSPACE") or None


def named_workspace(args: list[str]) -> Path | None:
    """The workspace the command line names (--workspace or MPM_WORKSPACE, else the folder's),
    when it has an mpm.yaml; None otherwise (the run itself says what is wrong)."""
    from mpm.read.files import WorkspaceNotFound, find_root
    from mpm.read.names import WORKSPACE_FILE

    named = workspace_argument(args)
    try:
        root = find_root(Path.cwd()) if named is None else Path(named).resolve()
    except (WorkspaceNotFound, OSError):
        return None
    return root if (root / WORKSPACE_FILE).is_file() else None


def _read(args: list[str]) -> dict[str, str | None]:
    """The options of _OPTIONS the arguments give, each as `-x VALUE`, `-xVALUE`, `--long VALUE`
    or `--long=VALUE`; an option given twice, the last value (a value is never read as an option)."""
    found: dict[str, str | None] = {}
    i = 0
    while i < len(args) and args[i] != "--":
        arg = args[i]
        i += 1
        for name, (short, long) in _OPTIONS.items():
            if arg in (short, long):
                found[name] = args[i] if i < len(args) else None
                i += 1
            elif arg.startswith(long + "="):
                found[name] = arg.split("=", 1)[1]
            elif short and arg.startswith(short) and not arg.startswith("--"):
                found[name] = arg[len(short):]
            else:
                continue
            break
    return found
