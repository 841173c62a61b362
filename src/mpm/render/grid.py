"""Long tables of short cells, written one line per row.

Rich's Table measures, wraps and renders every cell through its layout
engine, about a third of a millisecond a row: a plan of 100,000 tasks would
take half a minute. Plan rows are short cells that never wrap, so here the
columns are sized once, each row becomes one line of text, and colour is
added with Rich's own Style where the console shows colour; where it shows
none (a pipe, a file, NO_COLOR), whole columns are cut and padded at once.
Cells from plan files lose control and bidi characters here, as they do in
the console.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

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
    return sized(columns, column_texts(rows, len(columns)), width)


def column_texts(rows: Sequence[Sequence[Cell]], n: int) -> list[list[str]]:
    """Each column's texts, top to bottom."""
    if not rows:
        return [[] for _ in range(n)]
    first = itemgetter(0)
    return [list(map(first, cells)) for cells in zip(*rows, strict=True)]


def _widest(texts: list[str]) -> int:
    if "".join(texts).isascii():  # one cell a character, printable or not
        return max(map(len, texts), default=0)
    return max((len(t) if t.isascii() else cell_len(t if t.isprintable() else terminal(t)) for t in set(texts)),
               default=0)


def sized(columns: Sequence[Column], texts: list[list[str]], width: int) -> list[int]:
    """`column_widths` of the columns' texts (`column_texts`)."""
    widths = [max(cell_len(c.header), _widest(col)) for c, col in zip(columns, texts, strict=True)]
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


def write_grid(con: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
               width: int | None = None) -> None:
    """Print the header, a rule and one line per row to `con` (`width`: the console's)."""
    texts = column_texts(rows, len(columns))
    widths = sized(columns, texts, con.width if width is None else width)
    paint = _painter(con)
    header = [(c.header, "bold") for c in columns]
    lines = [_line(header, widths, columns, paint), "─" * (sum(widths) + len(GAP) * (len(widths) - 1))]
    if _system(con) is None:  # no styles to paint: the rows are laid out a column at a time
        lines += laid_out(columns, texts, widths)
    else:
        lines += [_line(row, widths, columns, paint) for row in rows]
    con.file.write("\n".join(lines) + "\n")
    con.file.flush()


def laid_out(columns: Sequence[Column], texts: list[list[str]], widths: list[int], gap: str = GAP) -> list[str]:
    """The rows as a console without styles shows them, one line each, laid out a column at a
    time from the columns' texts (`column_texts`) and widths: what `_line` makes of each row."""
    last = len(columns) - 1
    shown = [_column(col, w, c.right, i == last)
             for i, (col, w, c) in enumerate(zip(texts, widths, columns, strict=True))]
    return [gap.join(parts).rstrip(" ") for parts in zip(*shown, strict=True)]


def _column(texts: list[str], width: int, right: bool, last: bool) -> list[str]:
    """A column's texts cut and padded to `width`, as `_line` lays out each of them."""
    joined = "".join(texts)
    if not (joined.isascii() and joined.isprintable()):  # each text measured once (markers, owners)
        shown = {t: _padded(*_cut(t, width), width, right, last) for t in set(texts)}
        return list(map(shown.__getitem__, texts))
    if max(map(len, texts), default=0) > width:
        texts = [t if len(t) <= width else fit(t, width) for t in texts]
    if right:
        return [t.rjust(width) for t in texts]
    return texts if last else [t.ljust(width) for t in texts]


def _cut(text: str, width: int) -> tuple[str, int]:
    """A cell's text as shown (control characters out, cut to `width`) and the cells it takes."""
    if not text.isprintable():
        text = terminal(text)
    if text.isascii():  # one cell a character: measured by len, cut only when too long
        if len(text) > width:
            text = fit(text, width)
        return text, len(text)
    text = fit(text, width)
    return text, cell_len(text)


def _padded(text: str, n: int, width: int, right: bool, last: bool) -> str:
    if right:
        return " " * (width - n) + text
    return text if last else text + " " * (width - n)


def write_text(con: Console, text: Text | None = None, width: int | None = None) -> None:
    """`con.print(text)` (a blank line without one), without Rich's layout engine when the
    text `fits`: the same characters and styles, a fraction of the time. Anything else Rich
    prints. `width`: the console's, when the caller has it (asking costs system calls)."""
    if text is None:
        con.file.write("\n")
        return
    if not fits(text, con.width if width is None else width):
        con.print(text)
        return
    system = _system(con)
    if system is None and not text.spans:  # no styles to show: its segments are its text
        con.file.write(text.plain + text.end)
        return
    parts = []
    for segment in segments(text, con):
        style = segment.style
        if system is None or not style:
            parts.append(segment.text)
            continue
        if con.no_color:
            style = style.without_color
        # styled per line, as Rich writes a style that spans a line break
        parts.append("\n".join(style.render(piece, color_system=system) if piece else ""
                                for piece in segment.text.split("\n")))
    con.file.write("".join(parts))


def fits(text: Text, width: int) -> bool:
    """Whether every line of `text` is printable and at most `width` cells: then it goes out as
    its segments, with nothing for Rich to wrap, measure or clean."""
    for line in text.plain.split("\n"):
        if not line.isprintable() or (len(line) if line.isascii() else cell_len(line)) > width:
            return False
    return True


def segments(text: Text, con: Console):
    """The text's segments as Rich prints them: `Text.render` leaves the style of a text without
    spans to the wrapping step, which a text that fits skips."""
    if text.style and not text.spans:
        from rich.segment import Segment

        yield Segment(text.plain, con.get_style(text.style))
        if text.end:
            yield Segment(text.end)
        return
    yield from text.render(con, end=text.end)


def _line(row: Sequence[Cell], widths: list[int], columns: Sequence[Column], paint: Callable[[str, str], str]) -> str:
    parts = []
    last = len(widths) - 1
    for i, (text, style) in enumerate(row):
        text, n = _cut(text, widths[i])
        shown = paint(text, style) if style and text else text
        parts.append(_padded(shown, n, widths[i], columns[i].right, i == last))
    return GAP.join(parts).rstrip(" ")


def _system(con: Console) -> ColorSystem | None:
    """The colours the console shows; None: it shows no styles."""
    return _SYSTEMS.get(con.color_system or "")


def _painter(con: Console) -> Callable[[str, str], str]:
    """text, style -> the text as the console shows it (styled only where it has colour)."""
    system = _system(con)
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
