"""Control and bidi characters in plan files: the code point named, at file:line:col.

A C0 or C1 control (ESC, BEL, NUL… — tab, newline and the CR of CRLF line
ends are fine) in a name or note sets window titles and clears screens when
printed, and makes calendars and HTML invalid: an error. A Unicode bidi
control (U+202A–202E, U+2066–2069) reverses text where it is shown and can
hide what a line says: a warning. Raw characters are found in the text;
those written as YAML escapes (`"\\e"`, `"\\u202e"`) in the parsed data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mpm.read.diagnostics import Diagnostic
from mpm.read.sourcefile import SourceFile
from mpm.read.yamlread import plain_ascii

# C0 controls but tab, LF and CR (CRLF line ends are fine), DEL, C1 controls. render/escape.py
# strips the same characters (and CR) from every output.
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                                     *range(0x80, 0xA0)])
# Unicode bidi embeddings, overrides and isolates (the implicit marks LRM and RLM are fine).
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_RAW = re.compile(f"[{re.escape(CONTROLS + BIDI)}]")
_IN_DATA = re.compile(f"[{re.escape(CONTROLS + chr(13) + BIDI)}]")
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI",
          0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
          0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
          0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
          0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE"}

CONTROL_HINT = "delete it; a control character in a plan file is almost always pasted by accident"
BIDI_HINT = ("delete it unless the text really mixes right-to-left and left-to-right writing; "
             "it can make a line read differently from what it says")


def code_point(ch: str) -> str:
    """`U+001B (ESC)`: how a message names a character."""
    name = _NAMES.get(ord(ch))
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _diagnostic(src: SourceFile, line: int, col: int, chars: list[str], where: str) -> Diagnostic:
    named = ", ".join(code_point(ch) for ch in chars)
    plural = "s" if len(chars) > 1 else ""
    if all(ch in BIDI for ch in chars):
        return src.at(line, col, "W305", f"bidi control character{plural} {named} {where}", BIDI_HINT)
    return src.at(line, col, "E015", f"control character{plural} {named} {where}", CONTROL_HINT)


def has_raw_characters(text: str) -> bool:
    """Whether a control or bidi character is written as itself in `text`."""
    return not plain_ascii(text) and _RAW.search(text) is not None


def raw_characters(src: SourceFile) -> list[Diagnostic]:
    """Each control or bidi character written as itself in the file's text."""
    text = src.text
    if plain_ascii(text) or not _RAW.search(text):
        return []
    out = []
    for m in _RAW.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        out.append(_diagnostic(src, line, col, [m.group()], "in the text"))
    return out


def escaped_characters(src: SourceFile) -> list[Diagnostic]:
    """Each string value holding a control or bidi character that the text writes as an escape."""
    if "\\" not in src.text:
        return []  # no escape at all: whatever the values hold is in the text, reported there
    raw = set(src.text)
    out = []
    for path, value in _strings(src.data, ()):
        # a character written as itself is reported where it stands in the text
        found = [ch for ch in dict.fromkeys(_IN_DATA.findall(value)) if ch not in raw or ch == "\r"]
        line, col, _ = src.locate(path) if found else (0, 0, 0)
        for chars in ([c for c in found if c not in BIDI], [c for c in found if c in BIDI]):
            if chars:
                out.append(_diagnostic(src, line, col, chars, "in this value (written as an escape)"))
    return out


def _strings(node: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))
