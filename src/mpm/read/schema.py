"""JSON Schema for each file kind, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from mpm.read.model import FILE_KINDS, SCHEMA_KINDS


def json_schema(kind: str) -> dict[str, Any]:
    filename = SCHEMA_KINDS[kind]
    shape, model = FILE_KINDS[filename]
    target: Any = list[model] if shape == "list" else model  # type: ignore[valid-type]
    schema = TypeAdapter(target).json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"mpm {filename}",
        **schema,
    }
