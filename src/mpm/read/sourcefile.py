"""One workspace file as mpm holds it: its text, its data, and the position
(line, column) of any data path, found by indentation where the file is
block style and by the full parse otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mpm.read.compose import FullParseError, compose, node_mark, parse_data
from mpm.read.diagnostics import Diagnostic

Path_ = tuple[str | int, ...]


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
            # The records came from the cache; the data is parsed only now.
            try:
                self._data, _ = parse_data(self.text, self.rel, self.at)
            except FullParseError:
                self._data = None
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
                root = compose(self.text, self.rel)
            except FullParseError:
                root = None
            self._nodes = {}
            if root is not None:
                _index_nodes(root, (), None, self._nodes)
        return self._nodes

    def line_of(self, path: Path_) -> int:
        """The line of the key or item at `path`, without a full parse when the file allows."""
        from mpm.read.blockpath import block_line

        cache = self.__dict__.setdefault("_line_of", {})
        key = tuple(path)
        if key not in cache:
            if "_raw_lines" not in self.__dict__:
                self.__dict__["_raw_lines"] = self.text.split("\n")
            found = block_line(self.__dict__["_raw_lines"], key, tabs=self._tabs(),
                               memo=self.__dict__.setdefault("_block_memo", {}))
            cache[key] = found if found is not None else self.locate(path)[0]
        return cache[key]

    def _tabs(self) -> bool:
        found = self.__dict__.get("_has_tabs")
        if found is None:
            found = self.__dict__["_has_tabs"] = "\t" in self.text
        return found

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
        if self._nodes is None:  # no full parse yet: a `key: scalar` line may be read as it stands
            quick = self._block_place(tuple(path), key)
            if quick is not None:
                return quick
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
        if not key and key_node is not None and node.value == "" and node.start_mark.index == node.end_mark.index:
            # `name:` with nothing after it: the parser marks the empty value where the next
            # token starts, often the next line; the reader's eye goes right after the colon
            end = key_node.end_mark
            return (end.line + 1, end.column + 2, 0)
        return node_mark(node)

    def _block_place(self, path: Path_, key: bool) -> tuple[int, int, int] | None:
        """(line, col, width) of a `key: plain-scalar` written on one line in block style, read
        off the text; None when the value is anything else (the full parse places it)."""
        from mpm.read.blockpath import block_line

        if not path or not isinstance(path[-1], str):
            return None
        lines = self.__dict__.get("_raw_lines")
        if lines is None:
            lines = self.__dict__["_raw_lines"] = self.text.split("\n")
        odd = self.__dict__.get("_odd_breaks")
        if odd is None:  # NEL, LS and PS break lines for the full parse, not for split()
            odd = self.__dict__["_odd_breaks"] = any(ch in self.text for ch in "\x85\u2028\u2029")
        found = None if odd else block_line(lines, path, tabs=self._tabs(),
                                            memo=self.__dict__.setdefault("_block_memo", {}))
        if found is None:
            return None
        text, name = lines[found - 1].rstrip("\r"), path[-1]
        start = 0  # past the indentation and the dashes of list items
        while text.startswith((" ", "- "), start):
            start += 1 if text[start] == " " else 2
        if not text.startswith(f"{name}:", start):
            return None
        if key:
            return found, start + 1, len(name)
        after = start + len(name) + 1
        value = text[after:].lstrip(" ")
        if not value or value[0] in "#'\"[]{}|>&!*?%@`-,":
            return None  # nothing on the line, or a form whose extent needs the parser
        nxt = next((ln for ln in lines[found:] if ln.strip() and not ln.lstrip().startswith("#")), "")
        if len(nxt) - len(nxt.lstrip(" ")) > start:
            return None  # the scalar may go on over the next lines
        col = len(text) - len(value)
        comment = value.find(" #")
        return found, col + 1, len((value[:comment] if comment >= 0 else value).rstrip(" "))

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
