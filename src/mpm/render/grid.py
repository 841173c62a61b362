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


def write_grid(con: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
               width: int | None = None) -> None:
    """Print the header, a rule and one line per row to `con` (`width`: the console's)."""
    widths = column_widths(columns, rows, con.width if width is None else width)
    paint = _painter(con)
    header = [(c.header, "bold") for c in columns]
    lines = [_line(header, widths, columns, paint), "─" * (sum(widths) + len(GAP) * (len(widths) - 1))]
    lines += [_line(row, widths, columns, paint) for row in rows]
    con.file.write("\n".join(lines) + "\n")
    con.file.flush()


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
    system = _SYSTEMS.get(con.color_system or "")
    parts = []
    for segment in _segments(text, con):
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


def _segments(text: Text, con: Console):
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
        w = widths[i]
        if not text.isprintable():
            text = terminal(text)
        if text.isascii():  # one cell a character: measured by len, cut only when too long
            if len(text) > w:
                text = fit(text, w)
            n = len(text)
        else:
            text = fit(text, w)
            n = cell_len(text)
        shown = paint(text, style) if style and text else text
        if columns[i].right:
            parts.append(" " * (w - n) + shown)
        else:
            parts.append(shown if i == last else shown + " " * (w - n))
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


# -- the same, as Rich renderables for views printed as one Group ----------------------------

Row = Sequence[Cell] | None  # None: a blank line between sections


class Grid:
    """A long table as a Rich renderable: columns sized once, one line per row.

    Looks as `write_grid` writes (a bold header, a rule, columns three spaces
    apart). With `header=False` and `gap=" "` it is a plain grid. The last
    column may `wrap`: a long cell goes on over lines of its own width, under
    itself, instead of being cut. A cell's text may be a sequence of (text,
    style) pieces, for a last column that mixes styles.
    """

    def __init__(self, columns: Sequence[Column], rows: Sequence[Row], *, header: bool = True,
                 gap: str = GAP, wrap: bool = False) -> None:
        self.columns, self.rows, self.header, self.gap, self.wrap = columns, rows, header, gap, wrap

    def __rich_console__(self, console: Console, options):  # -> segments
        from rich.segment import Segment

        cols, gap = self.columns, self.gap
        flat = [None if row is None else [(_plain(t), s) for t, s in row] for row in self.rows]
        widths = column_widths(cols, [r for r in flat if r is not None], 10**6)
        width = options.max_width
        if self.wrap and len(cols) > 1:
            before = sum(widths[:-1]) + len(gap) * (len(cols) - 1)
            widths[-1] = max(min(widths[-1], width - before), 12)
        else:
            widths = column_widths(cols, [r for r in flat if r is not None], width)
        styles: dict[str, Style] = {}

        def seg(text: str, style: str) -> Segment:
            if not style:
                return Segment(text)
            found = styles.get(style)
            if found is None:
                found = styles[style] = Style.parse(style)
            return Segment(text, found)

        newline = Segment.line()
        total = sum(widths) + len(gap) * (len(widths) - 1)

        def lines():
            if self.header:
                yield from _row_segments([(c.header, "bold") for c in cols], None, widths, cols, gap, seg)
                yield newline
                yield Segment("─" * total)
                yield newline
            for row, cells in zip(flat, self.rows, strict=True):
                if row is None:
                    yield newline
                    continue
                pieces = None
                if self.wrap:
                    text, style = cells[-1]
                    parts = [(text, style)] if isinstance(text, str) else text
                    pieces = [(t if t.isprintable() else terminal(t), s) for t, s in parts]
                yield from _row_segments(row, pieces, widths, cols, gap, seg)
                yield newline

        if total <= width:  # no line can run past the console: nothing for anyone to crop
            yield from lines()
        else:  # columns that cannot shrink enough: each line cut at the edge, as Rich cuts them
            for line in Segment.split_and_crop_lines(lines(), width, pad=False):
                yield from line

    def __rich_measure__(self, console: Console, options):
        from rich.measure import Measurement

        return Measurement(1, options.max_width)


def _plain(text: str | Sequence[Cell]) -> str:
    return text if isinstance(text, str) else "".join(t for t, _ in text)


def _row_segments(row: Sequence[Cell], pieces: list[Cell] | None, widths: list[int],
                  columns: Sequence[Column], gap: str, seg: Callable):
    """One row's segments, neighbours of one style joined; `pieces`: the last cell's styled parts,
    wrapped to its width."""
    last = len(widths) - 1
    indent = sum(widths[:-1]) + len(gap) * last
    parts: list[Cell] = []
    for i, (text, style) in enumerate(row):
        w = widths[i]
        if i == last and pieces is not None:
            for k, line in enumerate(_wrap(pieces, w)):
                if k:
                    parts.append(("\n" + " " * indent, ""))
                parts += line
            break
        text = fit(text if text.isprintable() else terminal(text), w)
        n = len(text) if text.isascii() else cell_len(text)
        pad = " " * (w - n)
        if columns[i].right:
            parts += [(pad, ""), (text, style)]
        else:
            parts.append((text, style))
            if i != last:
                parts.append((pad, ""))
        if i != last:
            parts.append((gap, ""))
    if pieces is None and not any(style for _, style in parts):
        # a row without styles is one line of text: what the runs below join it into, and
        # a row of the content calendar or a week's hours is nearly always one
        line = "".join(text for text, _ in parts).rstrip(" ")
        return [seg(line, "")] if line else []
    while parts:  # no trailing spaces
        text, style = parts[-1]
        kept = text.rstrip(" ")
        if kept:
            parts[-1] = (kept, style)
            break
        parts.pop()
    out = []
    run, run_style, run_ascii = "", "", True
    for text, style in parts:
        if not text:
            continue
        # ASCII runs only: Rich measures a segment with any other character one by one
        plain = text.isascii()
        if plain and run_ascii and (style == run_style or (not text.strip(" ") and not run_style)):
            run += text
        else:
            if run:
                out.append(seg(run, run_style))
            run, run_style, run_ascii = text, style, plain
    if run:
        out.append(seg(run, run_style))
    return out


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _wrap(pieces: list[Cell], width: int) -> list[list[Cell]]:
    """Styled pieces as lines of at most `width` cells, broken between words."""
    import re

    if sum(_width(t) for t, _ in pieces) <= width:
        return [list(pieces)]
    lines: list[list[Cell]] = [[]]
    used = 0
    for text, style in pieces:
        for word in re.split(r"( +)", text):
            if not word:
                continue
            n = _width(word)
            if word[0] == " ":
                if used and used + n < width:
                    lines[-1].append((word, ""))
                    used += n
                continue
            if used and used + n > width:
                while lines[-1] and not lines[-1][-1][0].strip():
                    lines[-1].pop()
                lines.append([])
                used = 0
            while n > width:  # a word longer than the line: folded
                lines[-1].append((word[:width], style))
                lines.append([])
                word = word[width:]
                n = _width(word)
            lines[-1].append((word, style))
            used += n
    return [line for line in lines if line] or [[]]


class Lines:
    """Rich renderables printed one after another, like Group, where a Text that `fits`
    goes out as its segments, without Rich's wrapping and measuring: views of thousands of
    short lines print in a fraction of the time."""

    def __init__(self, *parts) -> None:
        self.parts = parts

    def crops_itself(self) -> bool:
        """Whether no line of it runs past the console's width, so the console need not crop
        every line again: its parts are texts (which fit, or which Rich wraps) and grids
        (which cut their own lines)."""
        return all(type(part) is Text or type(part) is Grid for part in self.parts)

    def __rich_console__(self, console: Console, options):
        from rich.text import Text

        width = options.max_width
        for part in self.parts:
            if type(part) is Text and fits(part, width):
                yield from _segments(part, console)
            else:
                yield part
