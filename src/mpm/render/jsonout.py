"""JSON documents: one per command, `schema` first, dates ISO, stable key order.

orjson writes them: plans of 100,000 tasks are several megabytes of JSON,
and the standard library's indenting encoder runs in pure Python.
"""

from __future__ import annotations

from typing import Any

import orjson


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def document_bytes(kind: str, body: dict[str, Any]) -> bytes:
    doc = {"schema": f"mpm/{kind}/1", **body}
    return orjson.dumps(doc, default=_default, option=orjson.OPT_INDENT_2) + b"\n"


def document(kind: str, body: dict[str, Any]) -> str:
    return document_bytes(kind, body).decode()
