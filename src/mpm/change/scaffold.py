"""New workspaces from the packaged templates, dated from a given day."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from string import Template


def init_dates(today: date) -> dict[str, str]:
    """Dates for the worked example: it starts next Monday and runs six weeks."""
    monday = today + timedelta(days=7 - today.weekday())
    return {
        "start": monday.isoformat(),
        "launch": (monday + timedelta(days=25)).isoformat(),  # a Thursday, week 4
        "end": (monday + timedelta(days=39)).isoformat(),
        "holiday": (monday + timedelta(days=18)).isoformat(),
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


def campaign_files(template: str, cid: str, name: str, owner: str | None, start: date) -> dict[str, str]:
    """Relative path -> text of a new campaign from `template`, dated from `start`."""
    monday = start - timedelta(days=start.weekday())
    values = {"name": yaml_text(name), "owner": owner or "", "start": start.isoformat(),
              "launch": (monday + timedelta(days=42 + 3)).isoformat(),  # a Thursday, week 7
              "end": (monday + timedelta(days=56 + 4)).isoformat()}
    base = resources.files("mpm") / "templates" / "campaign" / template
    files = {}
    for child in sorted(base.iterdir(), key=lambda c: c.name):
        if not child.name.endswith(".yaml"):
            continue
        lines = child.read_text(encoding="utf-8").splitlines(keepends=True)
        if owner is None:  # a workspace with no team yet: leave owners out
            lines = [line for line in lines if "${owner}" not in line]
        files[f"campaigns/{cid}/{child.name}"] = Template("".join(lines)).substitute(values)
    return files
