"""User text made safe for each output format, in one place: one function per target.

Names, notes and reasons in plan files are hostile input to every program
that reads mpm's output: a terminal obeys escape sequences, Markdown turns
`**x**` bold and `[x](javascript:…)` into a link, Mermaid reads `title` at
the start of a line as a directive, a spreadsheet runs `=HYPERLINK(…)`.
Every renderer passes user text through the function for its target here.
"""

from __future__ import annotations

import re
from html import escape as _html_escape

from mpm.read.controls import BIDI, CONTROLS

# What `mpm check` flags (C0/C1 controls, bidi controls), and CR: tab and newline stay.
_STRIP = re.compile(f"[{re.escape(CONTROLS + chr(13) + BIDI)}]")
_STRIP_KEEP_CR = re.compile(f"[{re.escape(CONTROLS + BIDI)}]")


def clean(text: str, *, keep_cr: bool = False) -> str:
    """Without C0/C1 controls (tab and newline stay) and bidi controls."""
    if text.isprintable():  # every character taken out is one Python calls unprintable
        return text
    return (_STRIP_KEEP_CR if keep_cr else _STRIP).sub("", text)


def terminal(text: str) -> str:
    """Text a terminal shows and never obeys: no escape sequence, no bell, no reordering."""
    return clean(text)


def visible(text: str) -> str:
    """Each control or bidi character shown as U+FFFD, so a caret under the text stays aligned."""
    return _STRIP.sub("\ufffd", text)


_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str) -> str:
    """Clean text with every run of line breaks made one space."""
    if text.isprintable():  # no line break, nothing to take out
        return text.strip()
    return _BREAKS.sub(" ", clean(text, keep_cr=True)).strip()


# --- Markdown (GitHub, cmark-gfm, markdown-it) ------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#+\-=])")
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


# Text with none of these, printable, and not starting like a block (`#`, `-`, `1.`, a space),
# reads as itself: most names in a report; the rest take the whole escape.
_MD_ANY = re.compile(r"[\\`*_\[\]|~&<>]")


def markdown(text: str | None) -> str:
    """Inline Markdown that reads as the literal text: emphasis, links, code, tables and HTML
    are escaped (HTML as entities, so `<draft>` stays visible and no tag reaches the page)."""
    if not text:
        return ""
    if text.isprintable() and not _MD_ANY.search(text) and text[0] not in " #+-=" \
            and not text[0].isdigit() and text[-1] != " ":
        return text
    return escaped_markdown(text)


def escaped_markdown(text: str) -> str:
    """`markdown` without its shortcut for text that reads as itself."""
    s = _MD_INLINE.sub(_backslash_before_first, _html_escape(one_line(text), quote=False))
    return _MD_LIST_NUMBER.sub(_backslash_before_second, _MD_BLOCK_START.sub(_backslash_before_second, s))


# Replacements as functions: a template such as r"\\\1" is expanded on every call of `sub`, even
# when nothing matches, and the Markdown report escapes a few hundred thousand names.
def _backslash_before_first(m: re.Match[str]) -> str:
    return "\\" + m.group(1)


def _backslash_before_second(m: re.Match[str]) -> str:
    return m.group(1) + "\\" + m.group(2)


def markdown_cell(text: str | None) -> str:
    """A GFM table cell: escaped like `markdown`, newlines as `<br>` so one row stays one row."""
    if not text:
        return ""
    lines = [markdown(line) for line in clean(text, keep_cr=True).splitlines()]
    return "<br>".join(line for line in lines if line)


def code_span(text: str) -> str:
    """A Markdown code span around text that may hold backticks."""
    s = one_line(text)
    run = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (run + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{fence}{pad}{s.replace('|', chr(92) + '|')}{pad}{fence}"


# --- HTML ------------------------------------------------------------------------------------


_HTML_SPECIAL = re.compile("[&<>\"']")


def html(text: str | None) -> str:
    """HTML text or attribute value: `& < > " '` as entities, no forbidden code points."""
    if not text:
        return ""
    if text.isprintable() and _HTML_SPECIAL.search(text) is None:  # most names: as they are
        return text
    return _html_escape(clean(text), quote=True)


# --- Mermaid ---------------------------------------------------------------------------------

# Words Mermaid's gantt grammar reads at the start of a line (case-insensitive).
_MERMAID_KEYWORDS = ("title", "section", "dateformat", "axisformat", "tickinterval", "includes",
                     "excludes", "todaymarker", "inclusiveenddates", "topaxis", "weekday", "weekend",
                     "click", "call", "href", "acctitle", "accdescr", "gantt", "displaymode")
_MERMAID_ENTITY = {"#": "#35;", ":": "#58;", ";": "#59;", "%": "#37;", "<": "#lt;", ">": "#gt;"}
_MERMAID_TABLE = str.maketrans(_MERMAID_ENTITY)
_MERMAID_ANY = re.compile("[" + re.escape("".join(_MERMAID_ENTITY)) + "]")


def mermaid(text: str | None, fallback: str = "task") -> str:
    """Text for a Mermaid line: entity codes keep `# : ;` exact; a keyword-like or date-like
    first character becomes an entity so the line is never read as a directive."""
    s = one_line(text or "")
    if not s:
        return fallback
    out = s.translate(_MERMAID_TABLE) if _MERMAID_ANY.search(s) else s  # translating is per character
    low = s[:18].lower()  # as long as the longest keyword
    if s[0].isdigit() or s[0] in "-+" or low.startswith(_MERMAID_KEYWORDS):
        out = f"#{ord(s[0])};" + out[1:] if s[0] not in _MERMAID_ENTITY else out
    return out


# --- CSV (spreadsheets) ----------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A spreadsheet cell that is never a formula (OWASP): a leading `= + - @`, tab or CR gets `'`."""
    s = clean("" if value is None else str(value), keep_cr=True)
    if s.startswith(_FORMULA_START) and not _is_number(s):
        return "'" + s
    return s


def _is_number(s: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", s) is not None


# --- GitHub workflow commands ----------------------------------------------------------------


def workflow_data(value: str) -> str:
    """The message of `::error ...::message`: %, CR and LF encoded, no other controls."""
    return clean(value, keep_cr=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(value: str) -> str:
    """A `key=value` of a workflow command: also `:` and `,` encoded."""
    return workflow_data(value).replace(":", "%3A").replace(",", "%2C")
