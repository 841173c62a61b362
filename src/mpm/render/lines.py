"""Long views as Rich renderables: a table (`Grid`) and parts printed one after another
(`Lines`), for views printed as one Group.

They look as `grid.write_grid` writes and print what Rich would, without its
table layout or its wrapping of every short line: a content calendar or a
status view of thousands of rows prints in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from mpm.render.escape import terminal
from mpm.render.grid import (
    GAP,
    Cell,
    Column,
    column_texts,
    column_widths,
    fit,
    fits,
    laid_out,
    segments,
    sized,
    write_text,
)

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

    def unstyled(self, width: int) -> list[str] | None:
        """Its lines as a console that shows no styles prints them, laid out a column at a time
        (`grid.laid_out`); None when a line would run past `width` or the last column wraps
        (Rich lays those out)."""
        if self.wrap:
            return None
        cols = self.columns
        texts = column_texts([[(_plain(t), s) for t, s in row] for row in self.rows if row is not None], len(cols))
        widths = sized(cols, texts, width)
        total = sum(widths) + len(self.gap) * (len(cols) - 1)
        if total > width:
            return None
        rows = iter(laid_out(cols, texts, widths, self.gap))
        head = [*laid_out(cols, [[c.header] for c in cols], widths, self.gap), "─" * total] if self.header else []
        return head + ["" if row is None else next(rows) for row in self.rows]

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

    def write(self, con: Console, width: int) -> None:
        """`con.print(self, crop=False)` on a console that shows no styles (`width`: its width):
        texts that fit and grids that fit go out as their lines, anything else through Rich."""
        for part in self.parts:
            lines = part.unstyled(width) if type(part) is Grid else None
            if lines is not None:
                con.file.write("\n".join(lines) + "\n" if lines else "")
            elif type(part) is Text:
                write_text(con, part, width)
            else:
                con.print(part, crop=False)

    def __rich_console__(self, console: Console, options):
        from rich.text import Text

        width = options.max_width
        for part in self.parts:
            if type(part) is Text and fits(part, width):
                yield from segments(part, console)
            else:
                yield part
