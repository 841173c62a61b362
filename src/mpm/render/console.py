"""The Rich console every renderer writes to.

Colour only on a terminal (Rich's own detection, which honours NO_COLOR and
FORCE_COLOR); width from the terminal or COLUMNS, else 100 for pipes. The
console never writes a control character it did not make itself: text from
plan files loses its escape sequences, bells and bidi controls on the way out.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


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


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 100
    return _safe_console()(file=stream, highlight=False, width=width, soft_wrap=False, emoji=False)


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
