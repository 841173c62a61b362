"""The plan table's line-per-row renderer: widths, cuts, alignment and colour."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
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


def _printed(text, width: int, color: str | None, fast: bool) -> str:
    from mpm.render.grid import write_text

    con = Console(file=io.StringIO(), width=width, color_system=color, force_terminal=color is not None,
                  highlight=False, soft_wrap=False, emoji=False)
    if fast:
        write_text(con, text)
    elif text is None:
        con.print()
    else:
        con.print(text)
    return con.file.getvalue()  # type: ignore[attr-defined]


def test_a_text_written_directly_is_what_rich_prints():
    from rich.text import Text

    head = Text()
    head.append("Spring launch", style="bold")
    head.append("  (spring-2027)", style="dim")
    head.append("\nlaunch 2027-03-02 — 4 working days late", style="bold red")
    head.append("\ncritical path: ", style="dim")
    head.append("brief → copy → 中文 → go-live")
    spanning = Text("two lines\nunder one style", style="yellow")
    mixed = Text("a dim heading ", style="dim")
    mixed.append("with a red part", style="red")
    texts = [head, spanning, mixed, Text("Budgets (EUR)", style="bold"), Text("plain"), Text(""), None,
             Text("a line far wider than the console it is printed to, so Rich wraps it"),
             Text("a bell \x07 and an escape \x1b[31m from a file")]
    for text in texts:
        for color in (None, "standard", "truecolor"):
            for width in (40, 100):
                assert _printed(text, width, color, True) == _printed(text, width, color, False), \
                    (text, color, width)
    assert "\x1b[" in _printed(head, 100, "standard", True)


def test_lines_print_what_rich_prints_part_by_part():
    from rich.text import Text

    from mpm.render.lines import Grid, Lines

    parts = [Text("Budgets (EUR)", style="bold"), Text("\nSpring launch  (spring-2027, active)", style="bold"),
             Grid(COLUMNS, ROWS), Text("! spent more than planned", style="dim"),
             Text("a line far wider than the console it is printed to, so Rich wraps it at forty")]
    for color in (None, "standard"):
        con = Console(file=io.StringIO(), width=40, color_system=color, force_terminal=color is not None)
        con.print(Lines(*parts))
        ours = con.file.getvalue()  # type: ignore[attr-defined]
        for part in parts:
            if not isinstance(part, Grid):
                with con.capture() as capture:
                    con.print(part)
                assert capture.get() in ours, (part, color)
    assert "\x1b[1mBudgets (EUR)\x1b[0m" in ours


def test_a_view_that_crops_itself_prints_what_rich_crops():
    """`console.show` leaves out Rich's cut at the console's edge for a view of texts and
    grids: a grid wider than the console cuts its own lines, the same way."""
    from rich.text import Text

    from mpm.render.lines import Grid, Lines

    wide = [Column(f"week {i}", right=True) for i in range(12)]  # none shrinks: wider than 40
    rows = [[(f"{i * j}/40", "bold red" if i == j else "") for j in range(12)] for i in range(5)]
    parts = [Text("People: hours available vs planned", style="bold"), Grid(wide, rows),
             Grid(COLUMNS, ROWS), Grid(COLUMNS, ROWS, wrap=True), Text("中文 " * 30)]
    view = Lines(*parts)
    assert view.crops_itself() and not Lines(*parts, object()).crops_itself()
    for color in (None, "standard"):
        for width in (40, 200):
            printed = []
            for crop in (True, False):
                con = Console(file=io.StringIO(), width=width, color_system=color, force_terminal=color is not None)
                con.print(view, crop=crop)
                printed.append(con.file.getvalue())  # type: ignore[attr-defined]
            assert printed[0] == printed[1], (color, width)
            assert max(cell_len(line) for line in printed[0].splitlines()) <= width or color


_CELL_TEXT = st.text(st.sampled_from(list("ab -9")), max_size=18) | st.text(
    st.sampled_from(list("ab -9é中\x1b\u202e…\t")), max_size=18)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CELL_TEXT, _CELL_TEXT, _CELL_TEXT), max_size=6), st.integers(8, 60),
       st.booleans())
def test_a_table_without_colour_is_laid_out_a_column_at_a_time_as_row_by_row(texts, width, right):
    """Without styles to paint, `write_grid` lays out whole columns; each line is what the
    row-by-row layout, which painting needs, makes of that row."""
    from mpm.render.grid import _line, column_widths

    columns = [Column("id", max_width=10, shrinks=True), Column("name", shrinks=True),
               Column("n", right=right)]
    rows = [[(t, "bold") for t in row] for row in texts]
    con = Console(file=io.StringIO(), width=width, color_system=None)
    write_grid(con, columns, rows)
    widths = column_widths(columns, rows, width)
    expected = [_line(row, widths, columns, lambda text, style: text) for row in rows]
    assert con.file.getvalue().split("\n")[2:-1] == expected  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.tuples(_CELL_TEXT, _CELL_TEXT, _CELL_TEXT)), max_size=8),
       st.integers(8, 60), st.booleans(), st.booleans(), _CELL_TEXT)
def test_a_view_on_a_console_without_styles_writes_what_rich_prints(rows, width, header, wrap, text):
    """Where the console shows no styles, `console.show` writes a view's lines itself
    (`Lines.write`): blank lines between sections, cut and padded cells, a grid too wide
    to fit or a wrapping one left to Rich. What it writes is what Rich prints."""
    from rich.text import Text

    from mpm.render.lines import Grid, Lines

    columns = [Column("id", max_width=10, shrinks=True), Column("name", shrinks=True), Column("n", right=True)]
    cells = [None if row is None else [(t, "bold") for t in row] for row in rows]
    view = Lines(Text(text, style="bold"), Grid(columns, cells, header=header, wrap=wrap),
                 Grid(columns, cells, header=False, gap=" "), Text("planned/available", style="dim"))
    assert view.crops_itself()
    printed = Console(file=io.StringIO(), width=width, color_system=None)
    printed.print(view, crop=False)
    written = Console(file=io.StringIO(), width=width, color_system=None)
    view.write(written, width)
    assert written.file.getvalue() == printed.file.getvalue()  # type: ignore[attr-defined]
