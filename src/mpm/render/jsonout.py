"""JSON documents: one per command, `schema` first, dates ISO, stable key order.

orjson writes them: plans of 100,000 tasks are several megabytes of JSON,
and the standard library's indenting encoder runs in pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

_INDENT = orjson.OPT_INDENT_2


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def document_bytes(kind: str, body: dict[str, Any]) -> bytes:
    doc = {"schema": f"mpm/{kind}/1", **body}
    return orjson.dumps(doc, default=_default, option=_INDENT) + b"\n"


def document_chunks(kind: str, body: dict[str, Any], items: Iterable[dict[str, Any]],
                    key: str) -> Iterator[bytes]:
    """The bytes of `document_bytes(kind, {**body, key: list(items)})`, one item at a time.

    A plan of 100,000 tasks never exists as one tree of dicts: each item is
    encoded as it is made and can be written out before the next is built.
    """
    items = iter(items)
    first = next(items, None)
    if first is None:
        yield document_bytes(kind, {**body, key: []})
        return
    head = orjson.dumps({"schema": f"mpm/{kind}/1", **body}, default=_default, option=_INDENT)
    yield head[:-2] + b",\n  " + orjson.dumps(key) + b": [\n    "
    yield _nested(first)
    for item in items:
        yield b",\n    " + _nested(item)
    yield b"\n  ]\n}\n"


def _nested(item: dict[str, Any]) -> bytes:
    # JSON text never holds a raw newline inside a string, so every newline
    # starts a line that moves two levels in.
    return orjson.dumps(item, default=_default, option=_INDENT).replace(b"\n", b"\n    ")


def document(kind: str, body: dict[str, Any]) -> str:
    return document_bytes(kind, body).decode()
