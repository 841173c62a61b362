"""The full YAML parse: ruamel.yaml's composer, YAML 1.2 core schema, safe
tags only, duplicate keys and alias bombs caught, every syntax error worded
for people. It runs when the fast reader declines, and to find positions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from mpm.read.diagnostics import Diagnostic, pointing
from mpm.read.yamlread import Declined, read_fast

# Aliases may be used, but expanding them may not build more than this many
# nodes: a "billion laughs" file fails fast instead of eating memory.
MAX_ALIAS_NODES = 10_000
# Lists and mappings nest at most this deep: mpm's own files need five
# levels; a thousand would exhaust the parser's stack.
MAX_DEPTH = 64
_DEEP = ("this file nests lists or mappings more than {n} levels deep",
         "flatten the data: mpm's files need only a few levels")

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


# Words a diagnostic at (line, col, code, message, hint, width) of the file being read.
At = Callable[..., Diagnostic]


class FullParseError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.earlier: list[Diagnostic] = []


def compose(text: str, rel: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=True)
    try:
        nodes = list(yaml.compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = (exc.problem or "invalid YAML").split("\n", 1)[0]
        unclosed = exc.context_mark is not None and message.startswith(("expected ',' or ']'",
                                                                        "expected ',' or '}'"))
        if unclosed:
            # The reader's eye belongs on the bracket that was opened, not
            # on the line where the parser gave up.
            mark = exc.context_mark
            closer = "]" if "']'" in message else "}"
            message = f"this '{(closer == ']' and '[') or '{'}' is never closed with '{closer}'"
        elif "'\\t'" in message or "found a tab" in message.lower():
            message = "a tab character here: YAML indents with spaces, never tabs"
        elif exc.context:
            message = f"{message} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        hint = (_mistake_nearby(text.splitlines(), line, message) if mark else None) or _syntax_hint(message)
        raise FullParseError(pointing(rel, text, line, col, "E001", message, hint)) from None
    except YAMLError as exc:
        raise FullParseError(pointing(rel, text, 1, 1, "E001", str(exc), _syntax_hint(str(exc)))) from None
    except RecursionError:
        line, col = deep_spot(text) or (1, 1)
        raise FullParseError(pointing(rel, text, line, col, "E014", _DEEP[0].format(n=MAX_DEPTH), _DEEP[1])) from None
    if len(nodes) > 1:
        second = nodes[1]
        line = second.start_mark.line + 1 if second is not None else 1
        raise FullParseError(pointing(rel, text,
            line, 1, "E009", "this file holds more than one YAML document",
            "remove the '---' line and merge the documents"))
    return nodes[0] if nodes else None


_ITEM = "this '- ' item is not lined up with the items or keys above it: indent it like the rest of its list"
# What the parser's message says (every word found in it) -> what to do about it.
_SYNTAX_HINTS = (
    (("mapping values are not allowed",), "a value with ': ' in it must be quoted, or the indentation is off"),
    (("special characters are not allowed",), "remove the control character (an editor may show it as a box or ^@)"),
    (("tab",), "replace the tab with spaces (your editor can insert spaces for the Tab key)"),
    (("is never closed",), "close the list or mapping on the same line, or write it as a block"),
    (("undefined alias",), "a value that starts with '*' is read as a reference: put it in quotes"),
    (("end of stream", "quoted"),
     "a quote opened here is never closed: add the closing quote, or remove the opening one"),
    (("found '-'",), _ITEM),
    (("found '<block sequence start>'",), _ITEM),
    (("could not find expected ':'",),
     "a key needs ':' after it; text that runs onto the next line needs quotes around it"),
)


_NO_SPACE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):([^\s:/].*)")  # name:Brief
_NO_COLON = re.compile(r"(\s*-\s+)([A-Za-z_][\w-]*)\s+([^:]+)")  # - id brief
_KEY_WITH_VALUE = re.compile(r"(\s*(?:-\s+)?)([A-Za-z_][\w-]*):\s+[^\s#].*")  # a key and its value
_COLON_IN_VALUE = re.compile(r"(\s*(?:-\s+)?[A-Za-z_][\w-]*):\s+([^\s'\"\[{#][^#]*?:\s.*)")  # name: A: b
_QUOTE_IN_QUOTES = re.compile(r"(.*?:\s+)'([^']*'[^']*)'\s*(#.*)?")  # name: 'Editor's notes'


def _mistake_nearby(lines: list[str], line: int, message: str) -> str | None:
    """A hint for the commonest slips, read off the line the parser stopped at (1-based) and
    the one above it, where the slip usually is; `message`: what the parser said."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    above = lines[line - 2] if 1 < line <= len(lines) + 1 else ""
    quoted = _QUOTE_IN_QUOTES.fullmatch(here)
    if quoted:
        inner = quoted.group(2)
        doubled = inner.replace("'", "''")
        return (f"inside single quotes an apostrophe is written twice: '{doubled}'"
                + (f', or use double quotes: "{inner}"' if '"' not in inner else ""))
    colon = _COLON_IN_VALUE.fullmatch(here) if message.startswith("mapping values") else None
    if colon:
        value = colon.group(2).rstrip()
        quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
        return f"a value with ': ' in it needs quotes: '{colon.group(1).strip()}: {quoted}'"
    for n, text in ((line - 1, above), (line, here)):
        m = _NO_SPACE.fullmatch(text)
        if m:
            return f"put a space after the ':' on line {n}: '{m.group(1)}: {m.group(2)}'"
    m = _NO_COLON.fullmatch(above)
    if m and ":" not in above:
        return f"line {line - 1} needs ':' after its key: '{m.group(1).strip()} {m.group(2)}: {m.group(3)}'"
    m = _KEY_WITH_VALUE.fullmatch(above)
    if m and _KEY_WITH_VALUE.fullmatch(here) and len(here) - len(here.lstrip()) > len(m.group(1)):
        return (f"line {line} is indented more than '{m.group(2)}' on the line above: "
                "the keys of one mapping line up")
    return None


def _syntax_hint(message: str) -> str:
    for words, hint in _SYNTAX_HINTS:
        if all(w in message for w in words):
            return hint
    return ("check the indentation here and on the line above (items of one list, keys of one "
            "mapping line up), and put quotes around a value that holds ': ' or ' #'")


def to_data(node: Any, at: At, budget: list[int], problems: list[Diagnostic], depth: int = 0) -> Any:
    """Plain data from a composed node, YAML 1.2 core schema, safe tags only.

    A duplicate key is reported in `problems` and the first value kept, so
    the rest of the file is still checked; unsafe tags, alias bombs and
    nesting past MAX_DEPTH stop.
    """
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if depth > MAX_DEPTH:
        line, col, width = node_mark(node)
        raise FullParseError(at(line, col, "E014", _DEEP[0].format(n=MAX_DEPTH), _DEEP[1]))
    if node.tag not in _ALLOWED_TAGS:
        line, col, width = node_mark(node)
        raise FullParseError(at(line, col, "E003", f"the tag '{node.tag.replace(_CORE, '!!')}' is not allowed",
                                    "mpm reads plain YAML only: remove the tag", width))
    if getattr(node, "anchor", None) is not None:
        budget[0] += 1
        if budget[0] > MAX_ALIAS_NODES:
            line, col, width = node_mark(node)
            raise FullParseError(at(line, col, "E008",
                                        f"anchors and aliases expand to more than {MAX_ALIAS_NODES} "
                                        "values", "write the values out instead of nesting aliases"))
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [to_data(item, at, budget, problems, depth + 1) for item in node.value]
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        seen: dict[Any, Any] = {}
        for k, v in node.value:
            key = to_data(k, at, budget, problems, depth + 1)
            if isinstance(key, (list, dict)):
                line, col, width = node_mark(k)
                raise FullParseError(at(line, col, "E001", "a key must be a plain value, not a list or mapping",
                                        "a ':' after a closing ']' or '}' makes what comes before it a key: "
                                        "remove that ':' (or quote the key)"))
            if key in seen:
                line, col, width = node_mark(k)
                first = seen[key].start_mark.line + 1
                problems.append(at(line, col, "E002", f"duplicate key '{key}' (first at line {first})",
                                       "only one of them can count: delete or rename one", width))
                continue
            seen[key] = k
            out[key] = to_data(v, at, budget, problems, depth + 1)
        return out
    raise FullParseError(at(1, 1, "E001", "unexpected YAML node"))  # pragma: no cover


def _scalar(node: Any) -> Any:
    tag = node.tag[len(_CORE):]
    value: str = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return value.lower() == "true"
    if tag == "int":
        v = value.replace("_", "")
        sign = -1 if v.startswith("-") else 1
        body = v.lstrip("+-")
        if body[:2] in ("0o", "0O"):
            return sign * int(body[2:], 8)
        if body[:2] in ("0x", "0X"):
            return sign * int(body[2:], 16)
        if body[:2] in ("0b", "0B"):
            return sign * int(body[2:], 2)
        return sign * int(body)
    if tag == "float":
        v = value.replace("_", "").lower()
        if v.endswith(".inf"):
            return -math.inf if v.startswith("-") else math.inf
        if v.endswith(".nan"):
            return math.nan
        return float(v)
    return value  # str, and timestamps stay text: the models parse dates


def parse_data(text: str, rel: str, at: At, *, fast: bool = True) -> tuple[Any, list[Diagnostic]]:
    """The data of `text`: the fast reader when it accepts the file, else the
    full parse. Raises FullParseError when the file cannot be read at all."""
    if fast:
        try:
            data = read_fast(text)
            if not needs_full_parse(data, MAX_DEPTH, text):
                return data, []
        except Declined:
            pass
    problems: list[Diagnostic] = []
    if text.count("[") + text.count("{") > MAX_DEPTH:
        spot = deep_spot(text)
        if spot is not None:
            raise FullParseError(at(*spot, "E014", _DEEP[0].format(n=MAX_DEPTH), _DEEP[1]))
    root = compose(text, rel)
    try:
        return (None if root is None else to_data(root, at, [0], problems)), problems
    except FullParseError as err:
        err.earlier = problems  # what was found before the parse had to stop
        raise


def needs_full_parse(data: Any, limit: int, text: str) -> bool:
    """Whether the fast reader's data is not what the full parse would give: nesting deeper
    than `limit` and a list or mapping as a key (the full parse words the error), an empty
    block scalar.

    The text says which of these can be there at all: a list key needs `]` and then `:`
    (with or without spaces between), an empty block scalar `|` or `>`."""
    keys = "]:" in text or "}:" in text or " :" in text
    scalars = "|" in text or ">" in text
    if type(data) is str:
        return scalars and bool(data) and not data.strip("\n")
    return type(data) in (dict, list) and _odd(data, 0, limit, keys, scalars)


def _odd(node: dict | list, depth: int, limit: int, keys: bool, scalars: bool) -> bool:
    if depth > limit:
        return True
    if type(node) is dict:
        # yaml-rs gives a list key as a tuple and a mapping key as a frozenset
        if keys and any(type(k) is tuple or type(k) is frozenset for k in node):
            return True
        values: Any = node.values()
    else:
        values = node
    for value in values:
        kind = type(value)
        if kind is dict or kind is list:
            if _odd(value, depth + 1, limit, keys, scalars):
                return True
        elif scalars and kind is str and value and not value.strip("\n"):
            return True
    return False


def deep_spot(text: str) -> tuple[int, int] | None:
    """(line, column) where flow brackets first nest past MAX_DEPTH, or None.

    Quoted text and comments are skipped; it is a cheap look before the
    full parse, whose stack a thousand brackets would exhaust slowly.
    """
    depth, line, start, quote = 0, 1, 0, ""
    prev = "\n"
    at = 0
    while at < len(text):
        ch = text[at]
        if ch == "\n":
            line, start = line + 1, at + 1
            if quote == "#":
                quote = ""
        elif quote == "#":
            pass
        elif quote:
            if ch == "\\" and quote == '"':
                at += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"" and prev in " \n[{,:":
            quote = ch
        elif ch == "#" and prev in " \n":
            quote = "#"
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, at - start + 1
        elif ch in "]}":
            depth = max(depth - 1, 0)
        prev = ch
        at += 1
    return None


def node_mark(node: Any) -> tuple[int, int, int]:
    start, end = node.start_mark, node.end_mark
    width = end.column - start.column if end.line == start.line else 0
    return (start.line + 1, start.column + 1, max(width, 0))
