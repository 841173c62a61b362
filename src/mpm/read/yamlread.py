"""The fast YAML reader: text to plain Python data, nothing else.

Kept behind this one function so the reader can be swapped. It must agree
with the full parse in `source` on every valid file; whatever it cannot vouch
for (tags, anchors) it declines, and the caller takes the full parse.
"""

from __future__ import annotations

import re
from typing import Any

# A tag (`!x`, or `!` alone: the non-specific tag, which yaml-rs reads as "" on an empty
# value and ruamel as null), an anchor (`&x`) or an alias (`*x`) where YAML reads one: at the
# start of a line or after an indicator. Files with these take the full parse, which checks
# tags and bounds alias expansion itself.
_NEEDS_FULL_PARSE = re.compile(r"(?:^|[\s\[\]{},:?-])(?:!|[&*]\S)", re.MULTILINE)
# Characters YAML does not allow in a stream: the full parse words the error.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Document markers: the full parse decides how many documents there are.
_DOC_MARKER = re.compile(r"^(?:---|\.\.\.)(?:\s|$)", re.MULTILINE)
# Where yaml-rs and ruamel (YAML 1.2 core schema) read the same text
# differently, found by the differential test in tests/test_loader_properties:
# - numbers: yaml-rs takes `_1`, `1e1_0`, `0X1`, `0O1`, `0B1`, `.iNf` for
#   numbers, the core schema for text (the cue: a digit beside `_`, an
#   upper-case radix, any `.inf` or `.nan`, whose spelling decides);
# - NEL, LS and PS, which YAML 1.1 took for line breaks;
# - `?` (complex keys, `[?x]`), `:` right before `]`, `}` or `,` (`[x:]`),
#   `:` right after `[`, `{` or `,` (an empty flow key, `[a,: b]`), and `<<`
#   (a merge key, which the full parse refuses);
# - `|` or `>` after a `[` or `{` on its line (yaml-rs reads text, ruamel refuses), and
#   an empty block scalar (yaml-rs "\n", ruamel ""), caught in the data.
# Each as its own pattern, behind the text it needs where an `in` test is cheaper than the
# search (measured on 10,000 files): one alternation of them all scans ten times slower.
# NEL, LS and PS cannot be in ASCII text, which Python knows without looking.
_DIFFERS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("_",), re.compile(r"_(?:\d|(?<=\d_))")),  # a literal first: the search skips ahead
    ((), re.compile(r"0[XOB]")),
    (("<<",), re.compile(r"<<")),
    ((".",), re.compile(r"\.[iInN][nNaA][fFnN]")),
    ((":",), re.compile(r":[\]},]")),
    # no spaces, or a space right before `:`; searched for at once: `in` tests of its four
    # spellings take longer than the search (every plan file has `:`, most `,` and `[`)
    ((), re.compile(r"[\[{,][ ]*:")),
    (("?",), re.compile(r"(?:^|[\s\[{,])\?")),
    (("|", ">"), re.compile(r"[\[{][^\n]*[|>]")),
)
_LINE_BREAKS = re.compile(r"[\x85\u2028\u2029]")


def plain_ascii(text: str) -> bool:
    """Whether `text` is ASCII with no control character but tab, LF and CR: most plan files,
    told in C without a search (in ASCII, the printable characters are all the others)."""
    return text.isascii() and text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable()


def _differs(text: str) -> bool:
    for cues, pattern in _DIFFERS:
        for cue in cues:  # a loop, not any(): ten thousand files would build as many generators
            if cue in text:
                break
        else:
            if cues:
                continue
        if pattern.search(text):
            return True
    return not text.isascii() and _LINE_BREAKS.search(text) is not None


class Declined(Exception):
    """The fast reader cannot read this text; use the full parse."""


def read_fast(text: str) -> Any:
    # `in` scans in C; the regexes run only when an indicator is there at all
    if ("!" in text or "&" in text or "*" in text) and _NEEDS_FULL_PARSE.search(text):
        raise Declined
    if ("---" in text or "..." in text) and _DOC_MARKER.search(text):
        raise Declined
    if "\t" in text or (not plain_ascii(text) and _NOT_PRINTABLE.search(text)):
        raise Declined  # tabs: the two parsers disagree on where they are allowed
    if _differs(text):
        raise Declined
    try:
        import yaml_rs
    except ImportError as exc:  # pragma: no cover - yaml-rs is a dependency
        raise Declined from exc
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception as exc:  # any failure: let the full parse explain it
        raise Declined from exc
    return data
