"""`mpm schema` documents every field in a user's words and requires what `check` requires."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import run_mpm


def _properties(node, found):
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((node.get("title"), name, prop))
        for value in node.values():
            _properties(value, found)
    elif isinstance(node, list):
        for value in node:
            _properties(value, found)
    return found


def test_schema_describes_every_field_and_needs_duration_like_check():
    doc = json.loads(run_mpm("schema").stdout)
    found = [x for kind in doc.values() for x in _properties(kind, [])]
    assert len(found) > 100
    assert [(t, n) for t, n, p in found if not p.get("description")] == []
    task = doc["tasks"]["$defs"]["Task"]
    assert task["properties"]["duration"]["description"].startswith("Working days")
    schema = doc["tasks"]
    jsonschema.validate([{"id": "a", "name": "A", "duration": 2}, {"id": "m", "name": "M", "milestone": True}],
                        schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "a", "name": "A"}], schema)  # check: "task 'a' has no duration"
