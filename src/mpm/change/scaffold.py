"""New workspaces from the packaged templates, dated from a given day."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from string import Template


def public_holidays(after: date) -> list[tuple[date, str]]:
    """The next New Year's Day, Independence Day, Thanksgiving and Christmas Day after `after`."""
    def thanksgiving(year: int) -> date:
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)  # the fourth Thursday

    out = []
    for name, on in (("New Year's Day", lambda y: date(y, 1, 1)), ("Independence Day", lambda y: date(y, 7, 4)),
                     ("Thanksgiving Day", thanksgiving), ("Christmas Day", lambda y: date(y, 12, 25))):
        day = on(after.year)
        out.append((day if day > after else on(after.year + 1), name))
    return sorted(out)


def init_dates(today: date) -> dict[str, str]:
    """Dates for the worked example: it starts on a Monday and runs six weeks.

    The six weeks start next Monday, or later when a public holiday would fall
    inside them: the example's launch is never on a holiday the calendar
    does not list. The calendar lists the next public holidays by name.
    """
    monday = today + timedelta(days=7 - today.weekday())
    holidays = public_holidays(today)
    while any(monday <= day <= monday + timedelta(days=39) for day, _ in holidays):
        monday += timedelta(days=7)
    listed = holidays[:3]
    return {
        "start": monday.isoformat(),
        "launch": (monday + timedelta(days=25)).isoformat(),  # a Thursday, week 4
        "end": (monday + timedelta(days=39)).isoformat(),
        "holidays": "\n".join(f"    - {{date: {d.isoformat()}, name: {n}}}" for d, n in listed),
        "off_from": (monday + timedelta(days=28)).isoformat(),
        "off_to": (monday + timedelta(days=32)).isoformat(),
    }


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,&()/'+-]*")
_NOT_TEXT = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly this text: plain when it can be, else quoted.

    Whatever a user typed (`--name "A\nteam: []"`) stays one value, never new keys.
    """
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _NOT_TEXT:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for ch in ("\u2028", "\u2029", "\x85"):
        quoted = quoted.replace(ch, f"\\u{ord(ch):04x}")
    return quoted


def workspace_files(name: str, today: date) -> dict[str, str]:
    """Relative path -> text of every file `mpm init` writes."""
    values = {"name": yaml_text(name), **init_dates(today)}
    base = resources.files("mpm") / "templates" / "init"
    files: dict[str, str] = {}

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif child.name.endswith(".yaml"):
                files[rel] = Template(child.read_text(encoding="utf-8")).substitute(values)

    walk(base, "")
    files[".gitignore"] = ".mpm-cache/\n"
    return files


def conflicts(target: Path, files: dict[str, str]) -> list[str]:
    """Files `mpm init` would overwrite (an existing .gitignore is left alone)."""
    found = [rel for rel in files if (target / rel).exists() and rel != ".gitignore"]
    if (target / "campaigns").exists() and "campaigns" not in found:
        found.append("campaigns/")
    return found


def write_files(target: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = target / rel
        if rel == ".gitignore" and path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:  # "x": never overwrite
            fh.write(text)


TEMPLATES = ("product-launch", "content", "event", "email")


ROLE_WORDS = {"designer": ("design", "creative", "art"), "writer": ("content", "copy", "writ", "email", "editor")}


def role_people(team: list[tuple[str, str | None]], owner: str | None) -> dict[str, str | None]:
    """Who does a template's design and writing work: the first person whose role says so, else the owner."""
    out: dict[str, str | None] = {"owner": owner}
    for placeholder, words in ROLE_WORDS.items():
        out[placeholder] = next((pid for pid, role in team
                                 if role and any(w in role.lower() for w in words)), owner)
    return out


def campaign_files(template: str, cid: str, name: str, owner: str | None, start: date,
                   team: list[tuple[str, str | None]] | None = None) -> dict[str, str]:
    """Relative path -> text of a new campaign from `template`, dated from `start`.

    Tasks go to the people whose role fits (`team`: (id, role) pairs): design
    to a designer, writing to a writer, the rest to the owner.
    """
    monday = start - timedelta(days=start.weekday())
    people = role_people(team or [], owner)
    values = {"name": yaml_text(name), **{k: v or "" for k, v in people.items()}, "start": start.isoformat(),
              "launch": (monday + timedelta(days=42 + 3)).isoformat(),  # a Thursday, week 7
              "end": (monday + timedelta(days=56 + 4)).isoformat()}
    base = resources.files("mpm") / "templates" / "campaign" / template
    files = {}
    for child in sorted(base.iterdir(), key=lambda c: c.name):
        if not child.name.endswith(".yaml"):
            continue
        lines = child.read_text(encoding="utf-8").splitlines(keepends=True)
        if owner is None:  # a workspace with no team yet: leave owners out
            lines = [line for line in lines if not any(f"${{{k}}}" in line for k in people)]
        files[f"campaigns/{cid}/{child.name}"] = Template("".join(lines)).substitute(values)
    return files
