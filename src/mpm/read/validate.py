"""Validating one file's data against its model, in the user's words.

Pydantic reports errors as `(type, loc, ctx)`; here each becomes a Diagnostic
at the line and column of the key or value it is about, with a message a
marketing PM can act on and a hint where one helps.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import ValidationError

from mpm.read import wording
from mpm.read.diagnostics import Diagnostic, closest, did_you_mean
from mpm.read.fields import (
    QUARTER_PATTERN,
    SLUG_PATTERN,
    TASK_REF_PATTERN,
    Record,
    adapter,
    is_record,
    record_fields,
)
from mpm.read.model import FILE_KINDS
from mpm.read.names import slug_of
from mpm.read.sourcefile import SourceFile

_RECORD_NAME = {"campaign.yaml": "campaign", "goals.yaml": "goal", "tasks.yaml": "task",
                "risks.yaml": "risk", "mpm.yaml": "workspace", "assets.yaml": "asset", "playbook.yaml": "playbook"}
_LIST_WORD = {"goals.yaml": "goals", "tasks.yaml": "tasks", "risks.yaml": "risks", "assets.yaml": "assets"}

_CODES = {
    "extra_forbidden": "E100",
    "missing": "E101",
    "mpm_missing": "E101",
    "literal_error": "E103",
    "mpm_date_format": "E104",
    "mpm_date_real": "E104",
    "mpm_date_range": "E104",
    "finite_number": "E105",
    "greater_than_equal": "E105",
    "less_than_equal": "E105",
    "greater_than": "E105",
    "less_than": "E105",
    "mpm_order": "E107",
    "mpm_inconsistent": "E108",
    "mpm_rrule": "E204",
}

# Records are dataclasses: their errors, named as a model's would be.
_SAME_AS = {"unexpected_keyword_argument": "extra_forbidden", "missing_argument": "missing",
            "dataclass_type": "model_type", "dataclass_args_type": "model_type"}

_DAY_KEY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a date used as a key: `- 2026-03-20: 372`
_KEY_ERRORS = ("missing", "extra_forbidden")  # errors whose loc ends in the key itself

_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
}


def validate_file(src: SourceFile, kind: str) -> tuple[list[tuple[int, Any]] | Any, list[Diagnostic]]:
    """Records from `src` (a file of `kind`, e.g. "tasks.yaml").

    List files give `[(row, record), ...]` for the valid rows, so one bad row
    does not hide the others from later checks; mapping files give the
    record or None.
    """
    shape, model = FILE_KINDS[kind]
    data = without_extensions(src.data) if "x-" in src.text else src.data
    if shape == "list":
        if data is None:
            return [], []
        if not isinstance(data, list):
            return [], [src.at(1, 1, "E010",
                               f"{kind} must be a list of {_LIST_WORD[kind]}, found {wording.describe(data)}",
                               f"start each {_RECORD_NAME[kind]} with '- id: ...'")]
        try:
            return list(enumerate(adapter(list[model]).validate_python(data))), []
        except ValidationError:
            pass
        rows: list[tuple[int, Any]] = []
        diagnostics: list[Diagnostic] = []
        for i, item in enumerate(data):
            try:
                rows.append((i, adapter(model).validate_python(item)))
            except ValidationError as err:
                diagnostics.extend(_translate(src, kind, model, err, (i,), item))
        return rows, diagnostics
    if data is None:
        return None, [src.at(1, 1, "E010", f"{kind} is empty",
                             f"a {_RECORD_NAME[kind]} needs at least a name, e.g. 'name: Spring launch'")]
    if not isinstance(data, dict):
        return None, [src.at(1, 1, "E010",
                             f"{kind} must be a mapping of keys (like 'name: ...'), found {wording.describe(data)}",
                             "write one key and its value per line at the left edge, e.g. 'name: Spring launch'"
                             + (", with no '- ' in front" if isinstance(data, list) else ""))]
    try:
        return adapter(model).validate_python(data), []
    except ValidationError as err:
        return None, _translate(src, kind, model, err, (), data)


def validate_json_file(kind: str, body: bytes) -> list[tuple[int, Any]] | Any | None:
    """`validate_file`'s records of a file whose data is given as JSON (`prefetch.as_json`),
    when the data has the file's shape and every record is valid; else None, and the caller
    validates the data itself to word what is wrong."""
    shape, model = FILE_KINDS[kind]
    try:
        if shape == "list":
            return list(enumerate(adapter(list[model]).validate_json(body))) if body[:1] == b"[" else None
        return adapter(model).validate_json(body) if body[:1] == b"{" else None
    except ValidationError:
        return None


def without_extensions(data: Any) -> Any:
    """`data` without the team's own `x-…` keys, which mpm keeps but does not read."""
    if isinstance(data, dict):
        return {k: without_extensions(v) for k, v in data.items()
                if not (isinstance(k, str) and k.startswith("x-"))}
    if isinstance(data, list):
        return [without_extensions(v) for v in data]
    return data


def _translate(src: SourceFile, kind: str, model: type[Record], err: ValidationError,
               prefix: tuple[int, ...], item: Any) -> list[Diagnostic]:
    label = _RECORD_NAME[kind]
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        label = f"{label} '{item['id']}'"
    errors = err.errors(include_url=False)
    for e in errors:
        e["type"] = _SAME_AS.get(e["type"], e["type"])
    # A misspelt required key is one mistake, not two: the unknown key's
    # hint names the missing one, so the "missing" error is dropped.
    typos = {(tuple(e["loc"][:-1]), str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden"}
    # A value that may take several forms (effort: hours, or hours per person) is checked
    # against each. When one form says more (a bound, a wrong value inside the mapping), the
    # others' "should be a number" is noise; when none does, their type errors are one mistake,
    # expecting any of the forms.
    paths = [(tuple(_file_path(list(e["loc"]), item, names_a_key=e["type"] in _KEY_ERRORS)), e) for e in errors]
    first: dict[tuple, Any] = {}
    kept = []
    for at, e in paths:
        if e["type"] in _EXPECTED:
            if any(other[:len(at)] == at and (len(other) > len(at) or o["type"] not in _EXPECTED)
                   for other, o in paths if o is not e):
                continue
            if at in first:
                first[at].setdefault("also", []).append(e["type"])
                continue
            first[at] = e
        kept.append(e)
    # `- 2026-03-20: 372` for `- {date: 2026-03-20, value: 372}` is one mistake too: the unknown
    # key's hint writes the item out, so its missing keys are not reported.
    short = {}
    for at, e in paths:
        pair = _shorthand(model, list(at[:-1]), str(at[-1])) if e["type"] == "extra_forbidden" else None
        if pair:
            short[tuple(e["loc"][:-1])] = pair
    out = []
    for e in kept:
        if e["type"] == "missing":
            parent, key = tuple(e["loc"][:-1]), str(e["loc"][-1])
            if any(p == parent and key in closest(typo, [key]) for p, typo in typos):
                continue
            if key in short.get(parent, ()):
                continue
        out.append(_one(src, model, e, prefix, label, item))
    return out


def _one(src: SourceFile, root: type[Record], e: Any, prefix: tuple[int, ...], label: str,
         item: Any) -> Diagnostic:
    etype: str = e["type"]
    loc = list(e["loc"])
    ctx = e.get("ctx") or {}
    key = False
    if loc and loc[-1] == "[key]":
        loc.pop()
        key = True
    loc = _file_path(loc, item, names_a_key=etype in _KEY_ERRORS)
    if "field" in ctx:
        loc.append(ctx["field"])
    path = (*prefix, *loc)
    name = next((p for p in reversed(loc) if isinstance(p, str)), label)
    if len(loc) >= 2 and loc[-2] == "occurrences" and not key:
        name = f"occurrence {name}"
    inp = e.get("input")
    code = _CODES.get(etype, "E102")
    hint: str | None = ctx.get("hint")
    where = _owner_label(loc, label, _at(src.data, (*prefix, *loc[:-1])))

    if etype == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        message = f"unknown key '{loc[-1]}' in {where}"
        hint = did_you_mean(str(loc[-1]), allowed)
        longer = [a for a in allowed if a.startswith(str(loc[-1])) and a != loc[-1]]
        if hint is None and longer:
            hint = "did you mean " + ", ".join(f"'{a}'" for a in longer) + "?"
        pair = _shorthand(root, loc[:-1], str(loc[-1]))
        if pair:
            hint = f"write it as '{{{pair[0]}: {loc[-1]}, {pair[1]}: {wording.plain(inp)}}}'"
        if str(loc[-1]).startswith("x_"):
            hint = "keys of your own start with 'x-' (a dash, not an underscore)"
        elif hint is None and allowed:
            hint = "allowed keys: " + ", ".join(sorted(allowed))
        return src.diagnostic(path, code, message, hint, key=True)
    if etype == "missing":
        return src.diagnostic(path, code, f"{where} is missing required key '{loc[-1]}'",
                              hint or f"add '{loc[-1]}: ...' to {where}")
    if etype == "literal_error":
        choices = [c.strip().strip("'") for c in ctx.get("expected", "").replace(" or ", ",").split(",")]
        choices = [c for c in choices if c]
        hint = did_you_mean(str(inp), choices) if isinstance(inp, str) else None
        hint = hint or "use one of: " + ", ".join(choices)
        if loc and isinstance(loc[-1], int):  # an item of the list `name`
            return src.diagnostic(path, code, f"{wording.show(inp)} is not allowed in {name}", hint)
        return src.diagnostic(path, code, f"{wording.show(inp)} is not a valid {name}", hint)
    if etype == "string_pattern_mismatch":
        return _pattern(src, path, ctx.get("pattern", ""), inp, name, key)
    if etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[etype]
        return src.diagnostic(path, "E105", f"{name} must be {words} {bound:g}, got {wording.show(inp)}",
                              wording.RANGES.get(name, f"use a number {words} {bound:g}"))
    if etype == "finite_number":
        return src.diagnostic(path, "E105", f"{name} must be a finite number, got {wording.show(inp)}",
                              "write a plain number, such as 3 or 2.5")
    if etype.startswith("mpm_"):
        message = e["msg"]
        return src.diagnostic(path, code, message, hint, key=key)
    expected = _EXPECTED.get(etype)
    if expected and "also" in e:
        kinds = [_EXPECTED[t] for t in (etype, *e["also"])]
        expected = wording.UNIONS.get(name) or " or ".join(dict.fromkeys(kinds))
    if expected:
        hint = None
        if etype == "string_type" and isinstance(inp, (int, float, bool)):
            hint = f"put it in quotes: \"{wording.plain(inp)}\""
        elif etype in ("float_type", "int_type") and isinstance(inp, str):
            hint = wording.number_hint(name, inp, whole=etype == "int_type")
        elif etype == "list_type":
            hint = f"write it as a list: [{wording.plain(inp)}]" if isinstance(inp, (str, int, float)) else None
        what = name
        if loc and isinstance(loc[-1], int):  # the value is an item of the list `name`
            what = f"an item of {name}"
            expected = wording.ITEMS.get(name, expected)
        return src.diagnostic(path, "E102", f"{what} should be {expected}, not {wording.describe(inp)}",
                              hint or wording.write_as(name, expected, inp, loc,
                                                task=label.split(" ")[0] == "task" or "tasks" in loc))
    return src.diagnostic(path, "E102", f"{name}: {e['msg']}", f"see the README's file format for what {name} takes")


def _pattern(src: SourceFile, path: tuple, pattern: str, inp: Any, name: str, key: bool) -> Diagnostic:
    if pattern == QUARTER_PATTERN:
        return src.diagnostic(path, "E103", f"{wording.show(inp)} is not a quarter",
                              "write quarters as YYYY-Qn, e.g. \"2027-Q1\"", key=key)
    if pattern in (SLUG_PATTERN, TASK_REF_PATTERN):
        what = "task reference" if pattern == TASK_REF_PATTERN else "id"
        slug = slug_of(str(inp))
        hint = "ids use lowercase letters, digits and dashes"
        if slug and slug != inp:
            hint += f", e.g. '{slug}'"
        if pattern == TASK_REF_PATTERN:
            hint += "; another campaign's task is 'campaign-id/task-id'"
        return src.diagnostic(path, "E106", f"{wording.show(inp)} is not a valid {what}", hint, key=key)
    return src.diagnostic(path, "E103", f"{wording.show(inp)} is not a valid {name}",
                          "currency is a three-letter code such as USD or EUR" if name == "currency"
                          else f"see the README's file format for how {name} is written", key=key)


# A list's items as people call one of them: "team member 'ana'".
_ITEM_WORD = {"team": "team member", "time_off": "time off", "holidays": "holiday", "lines": "budget line",
              "stakeholders": "stakeholder", "measurements": "measurement", "approvals": "approval",
              "depends_on": "dependency"}


def _owner_label(loc: list, label: str, parent: Any = None) -> str:
    names = [p for p in loc[:-1] if isinstance(p, str)]
    if not names:
        return label
    if len(names) >= 2 and names[-2] == "occurrences":
        return f"occurrence {names[-1]} of {label}"
    if len(loc) >= 2 and isinstance(loc[-2], int) and isinstance(parent, dict):
        word = _ITEM_WORD.get(names[-1], names[-1])
        ident = parent.get("id") or parent.get("name") or parent.get("category") or parent.get("task")
        if isinstance(ident, str):
            return f"{word} '{ident}'" + ("" if label.startswith("workspace") else f" of {label}")
        return f"{word} {loc[-2] + 1} of {label}"
    return f"{names[-1]} of {label}"


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        else:
            return None
    return data


def _file_path(loc: list, data: Any, *, names_a_key: bool = False) -> list:
    """The keys and indexes of `loc` that are in the file.

    Pydantic's loc also names its wrappers (unions, validators) by type names
    such as `date` or `function-before[...]`, which a user may also use as a
    key: a part is a key when the data has it there, a wrapper only when not.
    The last part of a missing or unknown key's loc (`names_a_key`) is the key.
    """
    out = []
    node = data
    for k, part in enumerate(loc):
        indexed = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        if indexed or (isinstance(node, dict) and part in node):
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and _is_wrapper(part) and not (names_a_key and k == len(loc) - 1):
            continue
        else:  # a missing key, or past what the file holds
            out.append(part)
            node = None
    return out


def _is_wrapper(part: str) -> bool:
    return part.startswith(("function-", "union[", "nullable[", "list[", "json-or-python", "constrained-",
                            "dict[")) or part in (
        "str", "date", "float", "int", "bool", "dict", "list")


# Items people write as `- label: amount`: the key that takes the label, and the one the amount.
_SHORTHANDS = (("date", "value"), ("date", "name"), ("category", "planned"))


def _shorthand(root: type[Record], parent: list, key: str) -> tuple[str, str] | None:
    """The keys an unknown key and its value stand for (`- 2026-03-20: 372`: a measurement's
    date and value), when the item takes them and the key is no misspelling of one it takes."""
    allowed = _allowed_keys(root, parent)
    if closest(key, allowed):
        return None
    for label, amount in _SHORTHANDS:
        if {label, amount} <= set(allowed) and (label != "date" or _DAY_KEY.fullmatch(key)):
            return label, amount
    return None


# -- which keys a mapping allows ------------------------------------------------


def _allowed_keys(root: type[Record], loc: list) -> list[str]:
    t: Any = root
    for part in loc:
        t = _unwrap(t)
        if isinstance(part, int):
            args = typing.get_args(t)
            t = args[0] if args else None
        elif typing.get_origin(t) is dict:
            t = typing.get_args(t)[1]
        elif is_record(t):
            field = record_fields(t).get(part)
            t = field.annotation if field else None
        else:
            return []
        if t is None:
            return []
    t = _unwrap(t)
    if is_record(t):
        return list(record_fields(t))
    return []


def _unwrap(t: Any) -> Any:
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(t) if a is not type(None)]
            t = rest[0] if len(rest) == 1 else t
            if len(rest) != 1:
                return t
        else:
            return t
