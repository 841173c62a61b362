"""Reading one workspace file safely: bytes to data, and data paths to positions.

Every file goes through the same gate: it must stay inside the workspace, be
under the size limit, be UTF-8 and hold no merge-conflict markers. Then the
fast reader turns it into data. The full parse (ruamel.yaml's composer) runs
only when the fast reader declines or when someone asks where something is;
it is also the one place that words YAML syntax errors, so a diagnostic reads
the same whichever path found it.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpm.diagnostics import Diagnostic
from mpm.yamlread import Declined, read_fast

MAX_FILE_BYTES = 5 * 1024 * 1024
# Aliases may be used, but expanding them may not build more than this many
# nodes: a "billion laughs" file fails fast instead of eating memory.
MAX_ALIAS_NODES = 10_000

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Path_ = tuple[str | int, ...]


class FullParseError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_UNREAD = object()


@dataclass
class SourceFile:
    """One file's text, its data, and (computed on demand) its positions.

    A file whose records came from the cache has its data parsed again only
    if someone asks for it.
    """

    rel: str
    text: str
    _data: Any = field(default=None, repr=False)
    _nodes: dict[Path_, tuple[Any, Any]] | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def data(self) -> Any:
        if self._data is _UNREAD:
            parsed, _ = parse_text(self.rel, self.text.encode("utf-8"))
            self._data = parsed.data if parsed else None
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value

    @classmethod
    def unread(cls, rel: str, text: str) -> SourceFile:
        return cls(rel, text, _UNREAD)

    # -- positions --------------------------------------------------------
    def line_text(self, line: int) -> str:
        if self._lines is None:
            self._lines = self.text.splitlines()
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1]
        return ""

    def _index(self) -> dict[Path_, tuple[Any, Any]]:
        if self._nodes is None:
            try:
                root = _compose(self.text, self.rel)
            except FullParseError:
                root = None
            self._nodes = {}
            if root is not None:
                _index_nodes(root, (), None, self._nodes)
        return self._nodes

    def line_of(self, path: Path_) -> int:
        """The line of the key or item at `path`, without a full parse when the file allows."""
        from mpm.blockpath import block_line

        cache = self.__dict__.setdefault("_line_of", {})
        key = tuple(path)
        if key not in cache:
            if "_raw_lines" not in self.__dict__:
                self.__dict__["_raw_lines"] = self.text.split("\n")
            found = block_line(self.__dict__["_raw_lines"], key)
            cache[key] = found if found is not None else self.locate(path)[0]
        return cache[key]

    def item_line(self, row: int, count: int | None = None) -> int:
        """The line where item `row` of a top-level list starts.

        A block list at the margin has one "- " line per item, so the lines
        can be counted without a full parse; anything else asks `locate`.
        """
        starts = self.__dict__.get("_item_starts")
        if starts is None:
            starts = [i + 1 for i, line in enumerate(self.text.split("\n"))
                      if line[:1] == "-" and (len(line) == 1 or line[1] in " \t") ]
            if count is None:
                data = self.data
                count = len(data) if isinstance(data, list) else -1
            if len(starts) != count:
                starts = []
            self.__dict__["_item_starts"] = starts
        if 0 <= row < len(starts):
            return starts[row]
        return self.locate((row,))[0]

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int, int]:
        """(line, col, width) of the value at `path`, or of its key.

        A path that does not exist (a missing key) falls back to the nearest
        enclosing node that does.
        """
        nodes = self._index()
        p = tuple(path)
        while p and p not in nodes:
            p = p[:-1]
        if p not in nodes:
            return (1, 1, 0)
        key_node, value_node = nodes[p]
        node = key_node if (key and key_node is not None) else value_node
        if not key and p != tuple(path) and isinstance(getattr(node, "value", None), list):
            node = _first_key_node(node) or node
        return _mark(node)

    def diagnostic(
        self, path: Path_, code: str, message: str, hint: str | None = None, *, key: bool = False
    ) -> Diagnostic:
        line, col, width = self.locate(path, key=key)
        return self.at(line, col, code, message, hint, width)

    def at(self, line: int, col: int, code: str, message: str, hint: str | None = None,
           width: int = 0) -> Diagnostic:
        excerpt = self.line_text(line) if self.text else None
        return Diagnostic(self.rel, line, col, code, message, hint, width, excerpt)


def _first_key_node(node: Any) -> Any:
    # A mapping "starts" where its first key does: for a list item that is
    # just after the dash, which is where a reader's eye goes.
    from ruamel.yaml.nodes import MappingNode

    if isinstance(node, MappingNode) and node.value:
        return node.value[0][0]
    return None


def _mark(node: Any) -> tuple[int, int, int]:
    start, end = node.start_mark, node.end_mark
    width = end.column - start.column if end.line == start.line else 0
    return (start.line + 1, start.column + 1, max(width, 0))


def _index_nodes(node: Any, path: Path_, key_node: Any, out: dict) -> None:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if path in out:  # an alias seen twice: its first place is where it is written
        return
    out[path] = (key_node, node)
    if isinstance(node, MappingNode):
        for k, v in node.value:
            kv = k.value if not isinstance(k.value, list) else None
            if isinstance(kv, str):
                _index_nodes(v, (*path, kv), k, out)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _index_nodes(item, (*path, i), None, out)


# -- reading ------------------------------------------------------------------


def read_source(root: Path, rel: str, *, fast: bool = True) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and parse workspace file `rel`; (None, diagnostics) when it cannot be used."""
    raw, problems = read_bytes(root, rel)
    if raw is None:
        return None, problems
    return parse_text(rel, raw, fast=fast)


def read_bytes(root: Path, rel: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of workspace file `rel`, or why they cannot be used.

    `root` is the resolved workspace folder and `rel`'s folder is known to be
    inside it, so only a file that is itself a symlink needs resolving.
    """
    path = os.path.join(root, rel)
    blank = SourceFile(rel, "")
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            real = Path(path).resolve(strict=True)
            if not real.is_relative_to(root):
                return None, [blank.at(1, 1, "E007", f"{rel} is a symlink to {real}, outside the workspace",
                                       "mpm reads nothing outside the workspace; copy the file in instead")]
            info = os.stat(real)
        if info.st_size > MAX_FILE_BYTES:
            return None, [blank.at(1, 1, "E005",
                                   f"file is {info.st_size / 1024 / 1024:.1f} MB; the limit is "
                                   f"{MAX_FILE_BYTES // 1024 // 1024} MB",
                                   "split the campaign, or check that this is the file you meant")]
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1), []
    except OSError as exc:
        return None, [blank.at(1, 1, "E011", f"cannot read {rel}: {exc.strerror or exc}")]


def decode(raw: bytes) -> str | None:
    """The text of `raw` when it is UTF-8 (a BOM dropped), else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def parse_text(rel: str, raw: bytes, *, fast: bool = True) -> tuple[SourceFile | None, list[Diagnostic]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [SourceFile(rel, "").at(
            line, col, "E006",
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded",
            "save the file as UTF-8 in your editor")]
    if text.startswith("\ufeff"):
        text = text[1:]
    src = SourceFile(rel, text)

    conflicts = _conflict_diagnostics(src) if _may_conflict(text) else []
    if conflicts:
        return None, conflicts

    if fast:
        try:
            src.data = read_fast(text)
            return src, []
        except Declined:
            pass
    problems: list[Diagnostic] = []
    try:
        root = _compose(text, rel)
        src.data = None if root is None else _to_data(root, src, [0], problems)
    except FullParseError as err:
        return None, [*problems, err.diagnostic]
    return src, problems


def _may_conflict(text: str) -> bool:
    return "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text


def _conflict_diagnostics(src: SourceFile) -> list[Diagnostic]:
    """One diagnostic per conflict block (or stray marker), at its first line."""
    out: list[Diagnostic] = []
    opened: int | None = None
    for m in _CONFLICT.finditer(src.text):
        line = src.text.count("\n", 0, m.start()) + 1
        marker = m.group(1)[0]
        if marker == "<":
            opened = opened or line
        elif marker == ">":
            start = opened or line
            out.append(src.at(start, 1, "E004", f"unresolved git merge conflict (lines {start}-{line})",
                              "keep the side you want and delete the other side and the "
                              "<<<<<<< ======= >>>>>>> lines"))
            opened = None
        elif opened is None:
            opened = line
    if opened is not None:
        out.append(src.at(opened, 1, "E004", f"unresolved git merge conflict marker at line {opened}",
                          "finish the merge: remove the conflict markers"))
    return out


# -- the full parse -------------------------------------------------------------


def _compose(text: str, rel: str) -> Any:
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
        elif exc.context:
            message = f"{message} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise FullParseError(SourceFile(rel, text).at(
            line, col, "E001", message, _syntax_hint(message))) from None
    except YAMLError as exc:
        raise FullParseError(SourceFile(rel, text).at(1, 1, "E001", str(exc))) from None
    if len(nodes) > 1:
        second = nodes[1]
        line = second.start_mark.line + 1 if second is not None else 1
        raise FullParseError(SourceFile(rel, text).at(
            line, 1, "E009", "this file holds more than one YAML document",
            "remove the '---' line and merge the documents"))
    return nodes[0] if nodes else None


def _syntax_hint(message: str) -> str | None:
    if "mapping values are not allowed" in message:
        return "a value with ': ' in it must be quoted, or the indentation is off"
    if "special characters are not allowed" in message:
        return "remove the control character (an editor may show it as a box or ^@)"
    if "found character '\\t'" in message or "tab" in message:
        return "YAML indents with spaces, not tabs"
    if "is never closed" in message:
        return "close the list or mapping on the same line, or write it as a block"
    return None


def _to_data(node: Any, src: SourceFile, budget: list[int], problems: list[Diagnostic]) -> Any:
    """Plain data from a composed node, YAML 1.2 core schema, safe tags only.

    A duplicate key is reported in `problems` and the first value kept, so
    the rest of the file is still checked; unsafe tags and alias bombs stop.
    """
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if node.tag not in _ALLOWED_TAGS:
        line, col, width = _mark(node)
        raise FullParseError(src.at(line, col, "E003", f"the tag '{node.tag.replace(_CORE, '!!')}' is not allowed",
                                    "mpm reads plain YAML only: remove the tag", width))
    if getattr(node, "anchor", None) is not None:
        budget[0] += 1
        if budget[0] > MAX_ALIAS_NODES:
            line, col, width = _mark(node)
            raise FullParseError(src.at(line, col, "E008",
                                        f"anchors and aliases expand to more than {MAX_ALIAS_NODES} "
                                        "values", "write the values out instead of nesting aliases"))
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_to_data(item, src, budget, problems) for item in node.value]
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        seen: dict[Any, Any] = {}
        for k, v in node.value:
            key = _to_data(k, src, budget, problems)
            if isinstance(key, (list, dict)):
                line, col, width = _mark(k)
                raise FullParseError(src.at(line, col, "E001", "a key must be a plain value, not a list or mapping"))
            if key in seen:
                line, col, width = _mark(k)
                first = seen[key].start_mark.line + 1
                problems.append(src.at(line, col, "E002", f"duplicate key '{key}' (first at line {first})",
                                       "only one of them can count: delete or rename one", width))
                continue
            seen[key] = k
            out[key] = _to_data(v, src, budget, problems)
        return out
    raise FullParseError(src.at(1, 1, "E001", "unexpected YAML node"))  # pragma: no cover


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
