"""Surgical edits of YAML text: change one value, add one key or list item, touch nothing else.

Positions come from ruamel.yaml's parser. Each edit splices new text into
the file at those positions, in the style of its neighbours (block or flow,
the same indentation), so comments, key order, quoting and blank lines of
everything else stay byte for byte as the user wrote them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_(][^:#\n\[\]{},&*!|>'\"%@`]*$")
_SPECIAL = re.compile(r"^(?:true|false|null|~|yes|no|on|off|[-+]?[\d.][\d._eE+-]*|\.inf|\.nan|\d{4}-\d\d-\d\d.*)$",
                      re.IGNORECASE)


class EditConflict(Exception):
    """The file does not have the shape an edit needs."""


# What to do when a file is written in a shape mpm does not edit.
BY_HAND = ("mpm edits files written one key per line; make this change by hand, "
           "or write that part one key per line and run the command again")


def scalar(value: Any) -> str:
    """`value` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not _SPECIAL.match(text) and text == text.strip() and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_mapping(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_flow_value(v)}" for k, v in item.items()) + "}"


def _flow_value(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_flow_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return flow_mapping(v)
    text = scalar(v)
    return text if not any(c in text for c in ",[]{}") or text.startswith('"') else json.dumps(str(v))


def _compose(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="rt").compose(text)


class YamlText:
    def __init__(self, text: str) -> None:
        self.text = text

    # -- finding nodes -------------------------------------------------------
    def _root(self) -> Any:
        return _compose(self.text)

    def find(self, path: tuple) -> tuple[Any, Any] | None:
        """(key node, value node) at `path`; the key node is None for list items and the root."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        node, key_node = self._root(), None
        for part in path:
            if isinstance(node, MappingNode) and isinstance(part, str):
                hit = next(((k, v) for k, v in node.value if k.value == part), None)
                if hit is None:
                    return None
                key_node, node = hit
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                return None
        return key_node, node

    # -- edits ---------------------------------------------------------------
    def set(self, path: tuple, value: Any, *, order: list[str] | None = None) -> None:
        """Set the scalar at `path`; a missing key goes where `order` (the file format's key order) puts it."""
        found = self.find(path)
        if found is not None:
            _, node = found
            if node.tag.endswith((":map", ":seq")):
                raise EditConflict(f"{'.'.join(map(str, path))} holds a list or mapping, not a value")
            start, end = node.start_mark.index, node.end_mark.index
            if start == end:  # an empty value: "key:" with nothing after it
                self.text = self.text[:start] + " " + scalar(value) + self.text[end:]
            else:
                self.text = self.text[:start] + scalar(value) + self.text[end:]
            return
        after = None
        if order and path[-1] in order:
            found_parent = self.find(path[:-1])
            present = [k.value for k, _ in found_parent[1].value] if found_parent else []
            earlier = set(order[: order.index(path[-1])])
            before_it = [k for k in present if k in earlier]
            # nothing may go before a list item's first key (it shares the dash's line)
            after = before_it[-1] if before_it else (present[0] if present else None)
        self.add_key(path[:-1], path[-1], scalar(value), after=after)

    def add_key(self, path: tuple, key: str, rendered: str, *, after: str | None = None,
                block: list[str] | None = None, first: bool = False) -> None:
        """Add `key: rendered` to the mapping at `path` (or `key:` + `block` lines).

        It goes after the key `after`, before every key with `first`, else last.
        """
        found = self.find(path)
        if found is None:
            raise EditConflict(f"no mapping at {'.'.join(map(str, path)) or 'the top'}")
        node = found[1]
        if not node.tag.endswith(":map"):
            raise EditConflict(f"{'.'.join(map(str, path))} is not a mapping")
        if node.flow_style:
            if block:
                raise EditConflict("cannot add a list to a one-line mapping")
            close = node.end_mark.index - 1
            sep = ", " if node.value else ""
            self.text = self.text[:close] + f"{sep}{key}: {rendered}" + self.text[close:]
            return
        indent = node.value[0][0].start_mark.column if node.value else 0
        pairs = node.value
        if first and pairs:
            at = pairs[0][0].start_mark.index - pairs[0][0].start_mark.column
            lines = [" " * indent + f"{key}:" + (f" {rendered}" if block is None else "")]
            self._insert_lines(at, lines + [" " * (indent + 2) + line for line in block or []])
            return
        if after is not None:
            upto = next((i for i, (k, _) in enumerate(pairs) if k.value == after), None)
            if upto is not None:
                pairs = pairs[: upto + 1]
        at = self._line_after(pairs[-1][1]) if pairs else len(self.text)
        lines = [" " * indent + f"{key}:" + (f" {rendered}" if block is None else "")]
        for line in block or []:
            lines.append(" " * (indent + 2) + line)
        self._insert_lines(at, lines)

    def set_entry(self, path: tuple, key: str, values: dict[str, Any], *, order: list[str],
                  entry_order: list[str]) -> None:
        """Set `values` in the entry `key` of the mapping at `path`, keys kept in sorted order.

        A missing entry is written on one line (`key: {a: 1, b: 2}`) where the
        sorted keys put it; a missing mapping is added where `order` puts it.
        """
        found = self.find(path)
        if found is None:
            parent = self.find(path[:-1])
            present = [k.value for k, _ in parent[1].value] if parent and parent[1].tag.endswith(":map") else []
            earlier = set(order[: order.index(path[-1])]) if path[-1] in order else set(present)
            before_it = [k for k in present if k in earlier]
            self.add_key(path[:-1], path[-1], "", block=[f"{key}: {flow_mapping(values)}"],
                         after=before_it[-1] if before_it else (present[0] if present else None))
            return
        node = found[1]
        if not node.tag.endswith(":map"):
            raise EditConflict(f"{'.'.join(map(str, path))} is not a mapping")
        keys = [k.value for k, _ in node.value]
        if key in keys:
            for name, value in values.items():
                self.set((*path, key, name), value, order=entry_order)
            return
        lower = [k for k in keys if k < key]
        self.add_key(path, key, flow_mapping(values), after=max(lower) if lower else None,
                     first=not lower and bool(keys) and not node.flow_style)

    def append(self, path: tuple, item: Any, *, key_if_missing: tuple | None = None) -> None:
        """Append `item` (a value or a flat mapping) to the list at `path`."""
        found = self.find(path)
        if found is None:
            if key_if_missing is None:
                raise EditConflict(f"no list at {'.'.join(map(str, path))}")
            rendered = flow_mapping(item) if isinstance(item, dict) else scalar(item)
            self.add_key(path[:-1], path[-1], "", block=[f"- {rendered}"])
            return
        node = found[1]
        if not node.tag.endswith(":seq"):
            raise EditConflict(f"{'.'.join(map(str, path))} is not a list")
        if node.flow_style:
            close = node.end_mark.index - 1
            sep = ", " if node.value else ""
            rendered = flow_mapping(item) if isinstance(item, dict) else _flow_value(item)
            self.text = self.text[:close] + sep + rendered + self.text[close:]
            return
        dash = node.start_mark.column
        last = node.value[-1]
        if isinstance(item, dict) and not last.flow_style and last.tag.endswith(":map"):
            content = last.value[0][0].start_mark.column if last.value else dash + 2
            keys = list(item.items())
            lines = [" " * dash + "-" + " " * (content - dash - 1) + f"{keys[0][0]}: {_block_value(keys[0][1])}"]
            lines += [" " * content + f"{k}: {_block_value(v)}" for k, v in keys[1:]]
        else:
            rendered = flow_mapping(item) if isinstance(item, dict) else scalar(item)
            lines = [" " * dash + f"- {rendered}"]
        self._insert_lines(self._line_after(last), lines)

    def extend(self, path: tuple, items: list[dict[str, Any]], *, before: int | None = None,
               key_if_missing: tuple | None = None) -> None:
        """Put flat mappings `items` into the list at `path`, before item `before` (default: at the end)."""
        if not items:
            return
        found = self.find(path)
        if found is None:
            if key_if_missing is None:
                raise EditConflict(f"no list at {'.'.join(map(str, path))}")
            self.add_key(path[:-1], path[-1], "", block=[f"- {flow_mapping(item)}" for item in items])
            return
        node = found[1]
        if not node.tag.endswith(":seq"):
            raise EditConflict(f"{'.'.join(map(str, path))} is not a list")
        if before is not None and not 0 <= before < len(node.value):
            before = None
        if node.flow_style:
            rendered = ", ".join(flow_mapping(item) for item in items)
            if before is not None:
                at = node.value[before].start_mark.index
                self.text = self.text[:at] + rendered + ", " + self.text[at:]
            else:
                close = node.end_mark.index - 1
                sep = ", " if node.value else ""
                self.text = self.text[:close] + sep + rendered + self.text[close:]
            return
        dash = node.start_mark.column
        near = node.value[before if before is not None else -1]
        lines = [line for item in items for line in _item_lines(near, dash, item)]
        # before an item: at the start of its dash's line; else after the last item
        at = self.text.rfind("\n", 0, near.start_mark.index) + 1 if before is not None else self._line_after(near)
        self._insert_lines(at, lines)

    def remove_key(self, path: tuple) -> None:
        """Remove the key at `path` (with its value) from its mapping; nothing when it is absent."""
        parent = self.find(path[:-1])
        if parent is None or not parent[1].tag.endswith(":map"):
            return
        pairs = parent[1].value
        i = next((i for i, (k, _) in enumerate(pairs) if k.value == path[-1]), None)
        if i is None:
            return
        key, value = pairs[i]
        if parent[1].flow_style:
            start, end = key.start_mark.index, value.end_mark.index
            if i + 1 < len(pairs):
                end = pairs[i + 1][0].start_mark.index
            elif i > 0:
                start = pairs[i - 1][1].end_mark.index
            self.text = self.text[:start] + self.text[end:]
            return
        if i == 0:
            raise EditConflict(f"{'.'.join(map(str, path))} shares its line with the list's dash")
        start = self.text.rfind("\n", 0, key.start_mark.index) + 1
        self.text = self.text[:start] + self.text[self._line_after(value):]

    # -- helpers -------------------------------------------------------------
    def _line_after(self, node: Any) -> int:
        """The index just after the line on which `node` (and all it holds) ends."""
        end = _last_mark(node)
        at = end.index
        if end.column == 0 and at > 0 and self.text[at - 1] == "\n":
            return at
        nl = self.text.find("\n", at)
        return len(self.text) if nl < 0 else nl + 1

    def _insert_lines(self, at: int, lines: list[str]) -> None:
        block = "".join(line + "\n" for line in lines)
        if at > 0 and not self.text[:at].endswith("\n"):
            block = "\n" + block
        self.text = self.text[:at] + block + self.text[at:]


def _item_lines(neighbour: Any, dash: int, item: dict[str, Any]) -> list[str]:
    """`item` as list-item lines in the style of `neighbour` (a block or a one-line mapping)."""
    if not neighbour.flow_style and neighbour.tag.endswith(":map"):
        content = neighbour.value[0][0].start_mark.column if neighbour.value else dash + 2
        keys = list(item.items())
        lines = [" " * dash + "-" + " " * (content - dash - 1) + f"{keys[0][0]}: {_block_value(keys[0][1])}"]
        return lines + [" " * content + f"{k}: {_block_value(v)}" for k, v in keys[1:]]
    return [" " * dash + f"- {flow_mapping(item)}"]


def _block_value(v: Any) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_flow_value(x) for x in v) + "]"
    return scalar(v)


def _last_mark(node: Any) -> Any:
    """The end mark of the last thing written inside `node`."""
    value = node.value
    if isinstance(value, list) and value and not getattr(node, "flow_style", False):
        last = value[-1]
        return _last_mark(last[1] if isinstance(last, tuple) else last)
    return node.end_mark
