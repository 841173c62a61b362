"""JSON Schema for each file kind, generated from the models.

Every field carries its `description` (from read/fielddocs.py), and the rules
`check` applies beyond types that JSON Schema can say are said too: a task
needs a `duration` unless it is a milestone.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from mpm.read.fielddocs import FIELD_DOCS
from mpm.read.model import FILE_KINDS, SCHEMA_KINDS


def json_schema(kind: str) -> dict[str, Any]:
    filename = SCHEMA_KINDS[kind]
    shape, model = FILE_KINDS[filename]
    target: Any = list[model] if shape == "list" else model  # type: ignore[valid-type]
    schema = TypeAdapter(target).json_schema(by_alias=True)
    _describe(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"mpm {filename}",
        **schema,
    }


def _describe(node: Any) -> None:
    """Add each record's field descriptions, and the Task duration rule, wherever the record appears."""
    if isinstance(node, list):
        for item in node:
            _describe(item)
        return
    if not isinstance(node, dict):
        return
    docs = FIELD_DOCS.get(node.get("title", "")) if "properties" in node else None
    if docs:
        for name, prop in node["properties"].items():
            if name in docs and isinstance(prop, dict):
                prop.setdefault("description", docs[name])
    if node.get("title") == "Task" and "properties" in node:
        # as `check` says: "task 'x' has no duration" unless it is a milestone
        milestone = {"const": True, "description": "a milestone needs no duration"}
        node["anyOf"] = [{"required": ["duration"]},
                         {"required": ["milestone"], "properties": {"milestone": milestone}}]
    for value in node.values():
        _describe(value)
