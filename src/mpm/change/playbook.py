"""Playbooks: campaigns written relative to their launch, and laying one out.

A playbook is a folder (`playbooks/<name>/` in the workspace, or one shipped
with mpm) of campaign files whose dates may be `launch±N`, `start±N` or
`end±N` working days, whose people may be `role:<name>`, and whose text may
use `{{ variables }}`. Laying one out replaces each such value where it
stands in the text, so comments stay and every line keeps its number: a
problem in the result is reported at the playbook's own line.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from mpm.plan.calendar import WorkCalendar
from mpm.read.compose import FullParseError, compose
from mpm.read.diagnostics import Diagnostic, did_you_mean, pointing
from mpm.read.fields import SLUG_PATTERN
from mpm.read.load import CAMPAIGN_FILES
from mpm.read.playbook_model import PlaybookInfo
from mpm.read.source import parse_text, read_bytes
from mpm.read.validate import validate_file

INFO_FILE = "playbook.yaml"
FOLDER = "playbooks"
# keys whose values are dates, in any campaign file
DATE_KEYS = frozenset({"start", "launch", "end", "due", "deadline", "review_by", "started_on", "done_on",
                       "date", "published_on"})
PERSON_KEYS = frozenset({"owner"})
KEY = "<key>"  # the last part of the path of a mapping key that names a role
# variables every playbook may use without declaring them
GIVEN = ("id", "name", "launch", "start", "end")
RELATIVE = re.compile(r"^(launch|start|end)(?:\s*([+-])\s*(\d+))?$")
_ISO = re.compile(r"^\d{4}-\d\d-\d\d$")
_SLUG = re.compile(SLUG_PATTERN)


@dataclass
class Playbook:
    name: str
    origin: str  # "workspace" or "built-in"
    where: str  # the folder as diagnostics name it
    texts: dict[str, str]  # campaign file name -> text
    info: PlaybookInfo
    problems: list[Diagnostic] = field(default_factory=list)  # found while reading

    def rel(self, name: str) -> str:
        return f"{self.where}/{name}"

    @property
    def roles(self) -> dict[str, str | None]:
        return self.info.roles


# -- finding playbooks --------------------------------------------------------------


def builtin_names() -> list[str]:
    base = resources.files("mpm") / "templates" / FOLDER
    return sorted(child.name for child in base.iterdir() if child.is_dir())


def _builtin(name: str) -> Playbook:
    base = resources.files("mpm") / "templates" / FOLDER / name
    raw = {child.name: child.read_bytes() for child in base.iterdir() if child.name.endswith(".yaml")}
    return _from_bytes(name, "built-in", f"<built-in>/{name}", raw)


def workspace_playbooks(root: Path) -> tuple[dict[str, Playbook], list[Diagnostic]]:
    """The playbooks in `root`/playbooks/, and problems with its folders."""
    base = root / FOLDER
    found: dict[str, Playbook] = {}
    problems: list[Diagnostic] = []
    if not base.is_dir() or not base.resolve().is_relative_to(root.resolve()):
        return found, problems
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        rel = f"{FOLDER}/{entry.name}"
        if not Path(entry.path).resolve().is_relative_to(root.resolve()):
            problems.append(Diagnostic(rel, 1, 1, "E007", f"{rel} is a symlink to a folder outside the workspace",
                                       "mpm reads nothing outside the workspace"))
            continue
        if not _SLUG.match(entry.name):
            problems.append(Diagnostic(rel, 1, 1, "E012", f"playbook folder '{entry.name}' is not a valid name",
                                       "use lowercase letters, digits and dashes"))
            continue
        raw: dict[str, bytes] = {}
        for name in sorted(os.listdir(entry.path)):
            if not name.endswith((".yaml", ".yml")):
                continue
            data, bad = read_bytes(root.resolve(), f"{rel}/{name}")
            problems += bad
            if data is not None:
                raw[name] = data
        found[entry.name] = _from_bytes(entry.name, "workspace", rel, raw)
    return found, problems


def available(root: Path) -> tuple[dict[str, Playbook], list[Diagnostic]]:
    """Every playbook by name: the workspace's, and the built-ins it does not override."""
    mine, problems = workspace_playbooks(root)
    out = {name: _builtin(name) for name in builtin_names() if name not in mine}
    out.update(mine)
    return dict(sorted(out.items())), problems


def _from_bytes(name: str, origin: str, where: str, raw: dict[str, bytes]) -> Playbook:
    problems: list[Diagnostic] = []
    texts: dict[str, str] = {}
    info = PlaybookInfo()
    for fname, data in sorted(raw.items()):
        rel = f"{where}/{fname}"
        if fname != INFO_FILE and fname not in CAMPAIGN_FILES:
            problems.append(Diagnostic(rel, 1, 1, "E013", f"mpm does not know the file '{fname}'",
                                       did_you_mean(fname, [*CAMPAIGN_FILES, INFO_FILE])
                                       or "playbook files are " + ", ".join([*CAMPAIGN_FILES, INFO_FILE])))
            continue
        src, bad = parse_text(rel, data, fast=False)
        problems += bad
        if src is None:
            continue
        if fname == INFO_FILE:
            record, bad = validate_file(src, INFO_FILE)
            problems += bad
            if isinstance(record, PlaybookInfo):
                info = record
        else:
            texts[fname] = src.text
    if "campaign.yaml" not in texts and not any(d.file.endswith("campaign.yaml") for d in problems):
        problems.append(Diagnostic(where, 1, 1, "E011", f"playbook '{name}' has no campaign.yaml",
                                   "a playbook holds the same files as a campaign folder"))
    return Playbook(name, origin, where, texts, info, problems)


# -- the values a playbook writes relatively ------------------------------------------


@dataclass
class Spot:
    """One value in a playbook file that laying out replaces."""

    file: str
    path: tuple[str | int, ...]
    kind: str  # "date", "role" or "text"
    value: str
    start: int  # character offsets of the value in the text
    end: int
    line: int
    col: int


def spots(pb: Playbook) -> tuple[list[Spot], list[Diagnostic]]:
    """Every relative date, role and template in the playbook, and what is wrong with them."""
    from jinja2 import TemplateSyntaxError, meta

    env = _jinja()
    declared = set(pb.info.variables) | set(GIVEN)
    out: list[Spot] = []
    problems: list[Diagnostic] = []
    for fname, text in pb.texts.items():
        rel = pb.rel(fname)
        try:
            root = compose(text, rel)
        except FullParseError as err:  # read already; cannot happen twice, but never raise on user data
            problems.append(err.diagnostic)
            continue
        for path, node in _scalars(root, ()):
            value = node.value
            key = next((p for p in reversed(path) if isinstance(p, str)), None)
            if path and path[-1] == KEY and not value.startswith("role:"):
                continue
            spot = Spot(fname, path, "", value, node.start_mark.index, node.end_mark.index,
                        node.start_mark.line + 1, node.start_mark.column + 1)

            def problem(code: str, message: str, hint: str | None, spot: Spot = spot,
                        rel: str = rel, text: str = text) -> None:
                problems.append(pointing(rel, text, spot.line, spot.col, code, message, hint, len(spot.value)))

            if key in DATE_KEYS and not _ISO.match(value):
                m = RELATIVE.match(value.strip())
                if m is None:
                    problem("E401", f"'{value}' is neither a date nor a date relative to the launch",
                            "write launch, launch-N or launch+N (N working days), or start±N / end±N")
                    continue
                if fname == "campaign.yaml" and path in (("start",), ("end",)) and m.group(1) != "launch":
                    problem("E401", f"the campaign's {path[0]} must be counted from the launch, not '{value}'",
                            f"write {path[0]}: launch-N or launch+N")
                    continue
                if fname == "campaign.yaml" and path == ("launch",) and value.strip() != "launch":
                    problem("E401", f"the campaign's launch is the launch date itself, not '{value}'",
                            "write launch: launch")
                    continue
                spot.kind = "date"
            elif value.startswith("role:"):
                role = value[5:]
                if role not in pb.roles:
                    problem("E400", f"the role '{role}' is not one of the playbook's roles",
                            did_you_mean(role, list(pb.roles))
                            or f"declare it under roles: in {pb.rel(INFO_FILE)}")
                    continue
                spot.kind = "role"
            elif "{{" in value or "{%" in value:
                try:
                    names = meta.find_undeclared_variables(env.parse(value))
                except TemplateSyntaxError as exc:
                    problem("E402", f"the template text cannot be read: {exc.message}",
                            'write a variable as "{{ name }}", inside quotes')
                    continue
                unknown = sorted(names - declared)
                if unknown:
                    problem("E402", f"the variable '{unknown[0]}' is not one of the playbook's variables",
                            did_you_mean(unknown[0], sorted(declared))
                            or f"declare it under variables: in {pb.rel(INFO_FILE)}")
                    continue
                spot.kind = "text"
            else:
                continue
            out.append(spot)
    return out, problems


def _scalars(node: Any, path: tuple) -> Any:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, ScalarNode):
        if (node.tag or "").endswith(":str") and isinstance(node.value, str):
            yield path, node
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                if isinstance(k.value, str) and k.value.startswith("role:"):
                    yield (*path, k.value, KEY), k  # `effort: {role:designer: 8}`
                yield from _scalars(v, (*path, k.value))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _scalars(item, (*path, i))


def _jinja() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


# -- laying out -------------------------------------------------------------------------


@dataclass
class Cast:
    """Who plays each role, and what the text's variables are."""

    people: dict[str, str]  # role -> person id
    names: dict[str, str]  # person id -> name, for roles named in text
    values: dict[str, str]


@dataclass
class Layout:
    """A playbook laid out: campaign files, and how to read a problem in them back."""

    texts: dict[str, str]  # campaign file name -> text
    launch: date
    start: date
    end: date | None
    # file -> [(line, playbook col, laid-out col, playbook width, laid-out width, kind)]
    moved: dict[str, list[tuple[int, int, int, int, int, str]]] = field(default_factory=dict)

    def back(self, d: Diagnostic, pb: Playbook, campaign_dir: str) -> Diagnostic | None:
        """Diagnostic `d` about a laid-out file, at the playbook's line; None for a stand-in role."""
        if not d.file.startswith(campaign_dir + "/"):
            return d
        fname = d.file[len(campaign_dir) + 1:]
        col, width, shift = d.col, d.width, 0
        for line, old_col, new_col, old_w, new_w, kind in self.moved.get(fname, []):
            if line != d.line or new_col > d.col:
                continue
            if d.col < new_col + max(new_w, 1):  # inside a value laying out wrote
                if kind == "role" and d.code == "E200":
                    return None
                col, width, shift = old_col, old_w, 0
                break
            shift += new_w - old_w
        col -= shift
        text = pb.texts.get(fname, "")
        return pointing(pb.rel(fname), text, d.line, col, d.code, d.message, d.hint, width)


class LayoutError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics


def lay_out(pb: Playbook, found: list[Spot], cal: WorkCalendar, launch: date, cast: Cast) -> Layout:
    """The playbook's files with every spot replaced; LayoutError for what cannot be."""
    by_file: dict[str, list[Spot]] = {}
    for s in found:
        by_file.setdefault(s.file, []).append(s)
    camp = {s.path[0]: s for s in by_file.get("campaign.yaml", []) if s.kind == "date" and len(s.path) == 1}
    start = _shift(cal, launch, camp["start"].value) if "start" in camp else launch
    end = _shift(cal, launch, camp["end"].value) if "end" in camp else None
    anchors = {"launch": launch, "start": start, "end": end}
    values = {**cast.values, "launch": launch.isoformat(), "start": start.isoformat(),
              "end": end.isoformat() if end else ""}
    env = _jinja()
    problems: list[Diagnostic] = []
    layout = Layout({}, launch, start, end)
    for fname, text in pb.texts.items():
        edits: list[tuple[Spot, str]] = []
        for s in by_file.get(fname, []):
            if s.kind == "date":
                m = RELATIVE.match(s.value.strip())
                anchor = anchors[m.group(1)] if m else None
                if anchor is None:
                    problems.append(pointing(pb.rel(fname), text, s.line, s.col, "E401",
                                             f"'{s.value}' counts from the campaign's end, which has none",
                                             "give campaign.yaml an end: launch+N, or count from the launch"))
                    continue
                edits.append((s, _shift(cal, anchor, s.value).isoformat()))
            elif s.kind == "role":
                person = cast.people.get(s.value[5:], s.value[5:])
                by_id = s.path[-1] in PERSON_KEYS or s.path[-1] == KEY
                edits.append((s, person if by_id else _text_scalar(
                    cast.names.get(person, person))))
            else:
                try:
                    rendered = env.from_string(s.value).render(values)
                except Exception as exc:  # a sandbox refusal or a missing variable: the user's text
                    problems.append(pointing(pb.rel(fname), text, s.line, s.col, "E402",
                                             f"the template text cannot be filled in: {exc}",
                                             "give the variable with --set NAME=VALUE"))
                    continue
                edits.append((s, _text_scalar(rendered)))
        layout.texts[fname], layout.moved[fname] = _splice(text, edits)
    if problems:
        raise LayoutError(problems)
    return layout


def _text_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back the same in block and in flow style."""
    from mpm.change.yamltext import scalar

    plain = scalar(text)
    if plain.startswith('"') or any(ch in plain for ch in ",[]{}#&*!|>'%@`"):
        return json.dumps(text, ensure_ascii=False)
    return plain


def _shift(cal: WorkCalendar, anchor: date, written: str) -> date:
    m = RELATIVE.match(written.strip())
    assert m is not None
    n = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
    return cal.date_at(cal.offset(anchor) + n)


def _splice(text: str, edits: list[tuple[Spot, str]]) -> tuple[str, list]:
    moved = []
    for s, new in sorted(edits, key=lambda e: -e[0].start):
        old = text[s.start:s.end]
        lines = old.count("\n")
        if lines:  # a block scalar: keep the lines it took, blank, so the next key stays put
            new += "\n" * lines
        text = text[:s.start] + new + text[s.end:]
        first = old.split("\n", 1)[0]
        moved.append((s.line, s.col, len(first), len(new.split("\n", 1)[0]), s.kind))
    out, shift, line = [], 0, 0
    for at, col, old_w, new_w, kind in sorted(moved):  # a line's later values move by the earlier ones
        shift = shift if at == line else 0
        line = at
        out.append((at, col, col + shift, old_w, new_w, kind))
        shift += new_w - old_w
    return text, out


def relative(cal: WorkCalendar, launch: date, d: date) -> str:
    """`d` as people write it in a playbook: launch, launch-N or launch+N."""
    n = cal.offset(d) - cal.offset(launch)
    return "launch" if n == 0 else f"launch{n:+d}"
