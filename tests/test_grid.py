"""The plan table's line-per-row renderer: widths, cuts, alignment and colour."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from mpm.render.grid import Column, write_grid

COLUMNS = [Column(""), Column("task", max_width=12, shrinks=True), Column("owner"), Column("float", right=True)]
ROWS = [[("●", "bold red"), ("brief", "bold"), ("maya", ""), ("0", "yellow")],
        [("", ""), ("a-very-long-task-id-indeed", ""), ("léo", ""), ("+12", "")],
        [("", ""), ("中文任务", ""), ("ines", ""), ("-3", "bold red")]]


def render(width: int, color: str | None = None) -> list[str]:
    con = Console(file=io.StringIO(), width=width, color_system=color, force_terminal=color is not None)
    write_grid(con, COLUMNS, ROWS)
    return con.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_columns_line_up_cut_long_cells_and_right_justify_numbers():
    header, rule, *rows = render(80)
    assert header == "    task           owner   float"
    assert rule == "─" * cell_len(header)
    assert rows[0] == "●   brief          maya        0"
    assert rows[1] == "    a-very-long…   léo       +12"  # cut at max_width 12
    assert rows[2] == "    中文任务       ines       -3"  # wide characters take two cells
    assert len({cell_len(r) for r in rows}) == 1


def test_a_narrow_console_shrinks_the_task_column_first():
    lines = render(26)
    assert all(cell_len(line) <= 26 for line in lines)
    assert lines[3].startswith("    a-ver") and lines[3].split()[0].endswith("…")


def test_colour_only_where_the_console_has_it():
    plain = render(80)
    coloured = render(80, "standard")
    assert "\x1b[" not in "".join(plain)
    assert "\x1b[1;31m●\x1b[0m" in coloured[2]
    assert "\x1b[33m" in coloured[2]  # the critical task's float in yellow
