"""The Rich console every renderer writes to.

Colour only on a terminal (Rich's own detection, which honours FORCE_COLOR);
NO_COLOR turns off every style, bold and dim too; width from the terminal or
COLUMNS, else 100 for pipes. Lines written to a pipe or file carry no
trailing spaces (Rich pads table cells to the console's width). The console
never writes a control character it did not make itself: text from plan
files loses its escape sequences, bells and bidi controls on the way out.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


class _Trimmed:
    """A text stream that drops the spaces at the end of every line written to it."""

    def __init__(self, stream) -> None:  # any text stream
        self._stream = stream
        self._rest = ""

    def write(self, text: str) -> int:
        lines = (self._rest + text).split("\n")
        self._rest = lines.pop()
        if lines:
            self._stream.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._rest:
            self._stream.write(self._rest)
            self._rest = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"


@cache
def _safe_console() -> type[Console]:
    """Rich's Console, with user text cleaned between layout and the escape codes Rich adds."""
    from rich.console import Console
    from rich.segment import Segment

    from mpm.render.escape import terminal

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                s if s.control else Segment(terminal(s.text), s.style) for s in buffer)

    return SafeConsole


def styled(stderr: bool = False) -> bool:
    """Whether `console()` would write escape codes: Rich's own test of a terminal
    (TTY_COMPATIBLE, then FORCE_COLOR, then the stream), made without importing Rich."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    return (sys.stderr if stderr else sys.stdout).isatty()


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None
    tty = stream.isatty()
    if not tty and "COLUMNS" not in os.environ:
        width = 100
    plain = bool(os.environ.get("NO_COLOR"))  # no-color.org: no styles at all, not only no colours
    return _safe_console()(file=stream if tty else _Trimmed(stream), highlight=False, width=width,
                           soft_wrap=False, emoji=False, color_system=None if plain else "auto")


def show(renderable) -> None:
    """A view on stdout. Rich cuts every line at the console's edge, measuring each; a view
    whose lines already stay within it (`lines.Lines.crops_itself`) is printed without that,
    and where the console shows no styles (a pipe, a file, NO_COLOR) writes its own lines."""
    con = console()
    crops = getattr(renderable, "crops_itself", None)
    if crops is None or not crops():
        con.print(renderable)
    elif con.color_system is None:
        renderable.write(con, con.width)
        con.file.flush()
    else:
        con.print(renderable, crop=False)


def say(text: str) -> None:
    """One line on stderr, unstyled: what `console(stderr=True).print(text, markup=False,
    soft_wrap=True)` writes (that console never highlights), without importing Rich for it."""
    from mpm.render.escape import terminal

    line = terminal(text)
    sys.stderr.write((line if sys.stderr.isatty() else line.rstrip(" ")) + "\n")


def out(text: str | bytes | Iterable[bytes] = "") -> None:
    """Plain text (JSON, Markdown, CSV) straight to stdout, no markup."""
    if not isinstance(text, str):  # large JSON goes out as it is encoded, without a str copy
        sys.stdout.flush()
        buffer = sys.stdout.buffer
        for chunk in [text] if isinstance(text, bytes) else text:
            buffer.write(chunk)
        buffer.flush()
        return
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
