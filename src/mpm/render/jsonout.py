"""JSON documents: one per command, `schema` first, dates ISO, stable key order."""

from __future__ import annotations

import json
from datetime import date
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def document(kind: str, body: dict[str, Any]) -> str:
    doc = {"schema": f"mpm/{kind}/1", **body}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=_default) + "\n"
