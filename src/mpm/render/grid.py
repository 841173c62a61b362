"""Long tables of short cells, written one line per row.

Rich's Table measures, wraps and renders every cell through its layout
engine, about a third of a millisecond a row: a plan of 100,000 tasks would
take half a minute. Plan rows are short cells that never wrap, so here the
columns are sized once, each row becomes one line of text, and colour is
added with Rich's own Style where the console shows colour. Cells from plan
files lose control and bidi characters here, as they do in the console.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from mpm.render.escape import terminal

Cell = tuple[str, str]  # (text, style; "" for none)

GAP = "   "  # between columns: what Rich's SIMPLE_HEAD box with padding 1 shows
_SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
            "truecolor": ColorSystem.TRUECOLOR, "windows": ColorSystem.WINDOWS}


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # right-justified (numbers)
    max_width: int | None = None
    shrinks: bool = False  # gives way first when the table is wider than the console
    yields_first: bool = False  # among the columns that shrink, gives way before the others


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> list[int]:
    """Each column as wide as its widest cell, within its maximum and the console's width."""
    widths = [cell_len(c.header) for c in columns]
    for row in rows:
        for i, (text, _) in enumerate(row):
            n = len(text) if text.isascii() else cell_len(text if text.isprintable() else terminal(text))
            if n > widths[i]:
                widths[i] = n
    widths = [min(w, c.max_width) if c.max_width else w for w, c in zip(widths, columns, strict=True)]
    over = sum(widths) + len(GAP) * (len(widths) - 1) - width
    order = sorted(range(len(columns)), key=lambda i: not columns[i].yields_first)
    for i in order:
        c = columns[i]
        if over <= 0:
            break
        if c.shrinks:
            cut = min(over, widths[i] - max(4, cell_len(c.header)))
            if cut > 0:
                widths[i] -= cut
                over -= cut
    return widths


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, an ellipsis marking the cut."""
    if (len(text) if text.isascii() else cell_len(text)) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def write_grid(con: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    """Print the header, a rule and one line per row to `con`."""
    widths = column_widths(columns, rows, con.width)
    paint = _painter(con)
    header = [(c.header, "bold") for c in columns]
    lines = [_line(header, widths, columns, paint), "─" * (sum(widths) + len(GAP) * (len(widths) - 1))]
    lines += [_line(row, widths, columns, paint) for row in rows]
    con.file.write("\n".join(lines) + "\n")
    con.file.flush()


def _line(row: Sequence[Cell], widths: list[int], columns: Sequence[Column], paint: Callable[[str, str], str]) -> str:
    parts = []
    last = len(widths) - 1
    for i, (text, style) in enumerate(row):
        w = widths[i]
        text = fit(text if text.isprintable() else terminal(text), w)
        n = len(text) if text.isascii() else cell_len(text)
        pad = " " * (w - n)
        shown = paint(text, style) if style and text else text
        if columns[i].right:
            parts.append(pad + shown)
        else:
            parts.append(shown if i == last else shown + pad)
    return GAP.join(parts).rstrip(" ")


def _painter(con: Console) -> Callable[[str, str], str]:
    """text, style -> the text as the console shows it (styled only where it has colour)."""
    system = _SYSTEMS.get(con.color_system or "")
    if system is None:
        return lambda text, style: text
    cache: dict[str, Style] = {}

    def paint(text: str, style: str) -> str:
        found = cache.get(style)
        if found is None:
            found = Style.parse(style)
            found = cache[style] = found.without_color if con.no_color else found
        return found.render(text, color_system=system)

    return paint
