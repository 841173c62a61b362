"""What `answers` and `early` read off the command line before click is imported is what click
reads: the workspace (option, then MPM_WORKSPACE), the `-o` file, `--output-dir`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mpm.cli import arguments
from mpm.cli.app import app

# Pieces of a command line: an option read early with any value (one that looks like an option
# too), the same options joined to their values, an option it does not read with its value, a
# stray word, `--`. A value of another option that looks like -w/-o is what it misreads (see the
# module); answers then miss, which the answers tests show.
ANY = st.sampled_from(["site", "./out.html", "-", "-w", "-o", "--output", "--", "-wsite", "cal"])
PIECES = st.one_of(
    st.tuples(st.sampled_from(["-w", "--workspace", "-o", "--output"]), ANY),
    st.tuples(st.sampled_from(["-wsite", "-w-o", "--workspace=site", "-oout.html", "--output=out.html",
                               "--output=-", "-o-", "--", "-", "site"])),
    st.tuples(st.sampled_from(["--title", "--as-of", "--output-dir"]), st.sampled_from(["Q1", "2026-11-16", "cal"])),
)


@functools.cache
def mpm() -> Any:
    return typer.main.get_command(app)


def click_reads(command: list[str], args: list[str]) -> dict[str, Any] | None:
    """The options the real command line gives `mpm COMMAND... ARGS`; None when it refuses them."""
    ctx = None
    group = mpm()
    for name in command:
        ctx = group.make_context(group.name or "mpm", [name], resilient_parsing=True, parent=ctx)
        group = group.get_command(ctx, name)
    try:
        return group.make_context(command[-1], list(args), parent=ctx).params
    except typer.TyperException:  # the run says what is wrong; nothing is read early
        return None


@pytest.mark.parametrize("command", [["report"], ["export", "ics"], ["export", "csv"]])
@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(PIECES, max_size=5), env=st.sampled_from([None, "", "elsewhere"]))
@example(pieces=[("-w", "a"), ("-w", "site")], env=None)
@example(pieces=[("-o", "x.html"), ("--output=-",)], env=None)
@example(pieces=[("-o", "-o")], env=None)
@example(pieces=[], env="elsewhere")
def test_the_early_reading_of_a_command_line_is_clicks(command: list[str], pieces: list[tuple[str, ...]],
                                                       env: str | None) -> None:
    args = [token for piece in pieces for token in piece]
    with pytest.MonkeyPatch.context() as mp:
        if env is None:
            mp.delenv("MPM_WORKSPACE", raising=False)
        else:
            mp.setenv("MPM_WORKSPACE", env)
        read = click_reads(command, args)
        if read is None:
            return
        workspace = arguments.workspace_argument(args)
        output = arguments.output_file(args)
        writes_files = arguments.writes_files(args)
    assert (workspace is None) == (read["workspace"] is None)
    assert workspace is None or Path(workspace) == read["workspace"]
    clicks = read.get("output")
    assert output == (None if clicks is None or str(clicks) == "-" else output)
    assert output is None or Path(output) == clicks
    assert writes_files == (read.get("output_dir") is not None)
