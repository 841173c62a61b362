"""One canonical layout for every file, so diffs show changes and not styles.

Keys in the order of the file format (the team's own `x-…` keys after them),
two-space indentation with list dashes indented under their key (top-level
lists at the margin), dates unquoted, one newline at the end. Comments stay
with what they describe; flow `{…}` and `[…]` stay flow. Running it twice
changes nothing the second time.
"""

from __future__ import annotations

import contextlib
import io
import re
import typing
from datetime import date
from pathlib import Path
from typing import Any

from mpm.read.fields import is_record, record_fields
from mpm.read.model import FILE_KINDS

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = True
    return y


def canonical(text: str, kind: str) -> str:
    """`text` of a file of `kind` (e.g. "tasks.yaml") in the canonical layout."""
    y = _yaml()
    data = y.load(text)
    if data is None:
        return "" if not text.strip() else text
    _shape, model = FILE_KINDS[kind]
    root_list = isinstance(data, list)
    for item in (data if root_list else [data]):
        _normalize(item, model)
    out = io.StringIO()
    y.dump(data, out)
    result = out.getvalue()
    if root_list:
        # ruamel indents a top-level list by two; the file format puts it at
        # the margin. Comment lines are written as they were read (at their
        # own column): moving them again each run would never settle.
        result = "".join(line[2:] if line.startswith("  ") and not line.lstrip().startswith("#") else line
                         for line in result.splitlines(keepends=True))
    result = result.rstrip("\n") + "\n"
    # ruamel's emitter can join lines around some comments when keys move; a
    # layout that does not read back as the same data is no layout: the file
    # stays as it is (and `fmt --check` agrees with `fmt`).
    return result if _data(result) == _data(text) else text


def _data(text: str) -> Any:
    """What `text` holds, dates as written (for comparing two layouts); None when it does not parse."""
    from mpm.read.yamlread import Declined, read_fast

    try:
        return read_fast(text)
    except Declined:
        pass
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return _as_text_dates(YAML(typ="safe", pure=True).load(text))
    except YAMLError:
        return None


def _as_text_dates(node: Any) -> Any:
    if isinstance(node, dict):
        return {_as_text_dates(k): _as_text_dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_text_dates(x) for x in node]
    return node.isoformat() if isinstance(node, date) else node


def _normalize(node: Any, model: Any) -> None:
    """Order keys like the model and unquote dates, all the way down."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        fields = _fields(model)
        order = [name for name in fields if name in node]
        rest = [k for k in node if k not in fields]
        wanted = order + rest
        if list(node) != wanted:
            # Comment lines after the mapping belong to what follows it, not to
            # the key that happened to be last: they stay at the end.
            tail = _take_tail(node) if list(node)[-1] != wanted[-1] else ""
            for key in wanted:
                node.move_to_end(key)
            _put_tail(node, tail)
        for key in list(node):
            value = node[key]
            if isinstance(value, str) and _DATE.match(value) and not _is_text_field(fields.get(key)):
                with contextlib.suppress(ValueError):
                    node[key] = date.fromisoformat(value)
            else:
                _normalize(value, _inner(fields.get(key)))
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            if isinstance(item, str) and _DATE.match(item) and model is date:
                node[i] = date.fromisoformat(item)
            else:
                _normalize(item, model)


def _leaf_slot(node: Any) -> tuple[dict, Any, int] | None:
    """Where ruamel keeps the comment after the last thing written in `node`: (items, key, position)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and node:
        key = next(reversed(node))
        inner = _leaf_slot(node[key]) if not _is_flow(node[key]) else None
        return inner or (node.ca.items, key, 2)
    if isinstance(node, CommentedSeq) and node:
        i = len(node) - 1
        inner = _leaf_slot(node[i]) if not _is_flow(node[i]) else None
        return inner or (node.ca.items, i, 0)
    return None


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa and fa.flow_style())


def _take_tail(node: Any) -> str:
    """Detach the whole-line comments after the end of `node`'s last line; they are returned."""
    slot = _leaf_slot(node)
    entry = slot[0].get(slot[1]) if slot else None
    token = entry[slot[2]] if entry and len(entry) > slot[2] else None  # type: ignore[index]
    if token is None or "\n" not in token.value:
        return ""
    cut = token.value.index("\n") + 1
    rest = token.value[cut:]
    token.value = token.value[:cut]
    return rest


def _put_tail(node: Any, rest: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _leaf_slot(node)
    if not rest or slot is None:
        return
    items, key, pos = slot
    entry = items.setdefault(key, [None, None, None, None])
    if entry[pos] is None:
        entry[pos] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        entry[pos].value = entry[pos].value + rest


def _fields(model: Any) -> dict[str, Any]:
    if is_record(model):
        return {key: f.annotation for key, f in record_fields(model).items()}
    return {}


def _inner(annotation: Any) -> Any:
    """The record type inside Optional[...], list[...], Annotated[...]."""
    import types

    t = annotation
    for _ in range(6):
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(t) if a is not type(None)]
            models = [a for a in rest if is_record(a)]
            t = models[0] if models else rest[0]
        elif origin in (list, dict):
            t = typing.get_args(t)[-1]
        else:
            break
    return t


def _is_text_field(annotation: Any) -> bool:
    return _inner(annotation) is str


def workspace_files(root: Path) -> list[str]:
    """The files the loader reads, relative to `root`: only these are formatted.

    A YAML file elsewhere in the folder, or named like a workspace file in a
    folder the loader does not read, is not mpm's to rewrite.
    """
    from mpm.read.files import DiskFiles
    from mpm.read.load import CAMPAIGN_FILES, WORKSPACE_FILE

    files = DiskFiles(root)
    found = [WORKSPACE_FILE]
    for folder, problem in files.campaign_folders():
        if problem is None:
            present = files.files_in(folder)
            found += [f"campaigns/{folder}/{name}" for name in CAMPAIGN_FILES if name in present]
    return found


def format_files(root, rels: list[str]) -> dict[str, tuple[str, str]]:
    """{rel: (text now, canonical text)} for each file in `rels` (relative to `root`)."""
    out = {}
    for rel in rels:
        kind = rel.rsplit("/", 1)[-1]
        if kind not in FILE_KINDS:
            continue
        text = (root / rel).read_text(encoding="utf-8")
        out[rel] = (text, canonical(text, kind))
    return out
