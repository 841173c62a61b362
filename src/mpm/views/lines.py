"""Where an item of the plan stands in its file: the line a finding points at.

A task's line, or, for one occurrence of a repeating task with its own
entry, the line of that entry under `occurrences:`.
"""

from __future__ import annotations

from datetime import date

from mpm.plan.dates import ScheduledTask
from mpm.read.load import CampaignData


def task_line(camp: CampaignData, t: ScheduledTask) -> int:
    """The line of a planned task: its entry under `occurrences:` when it has one."""
    if t.entry is not None and t.occurrence is not None:
        return entry_line(camp, t.index, t.occurrence)
    src = camp.sources["tasks.yaml"]
    rows = camp.task_rows  # the file's item numbers of the valid tasks, in file order
    every = not rows or rows[-1] == len(rows) - 1  # so every item is a valid task
    return src.item_line(rows[t.index], len(rows) if every and not camp.broken_ids else None)


def entry_line(camp: CampaignData, index: int, day: date) -> int:
    """The line of an occurrence's entry under `occurrences:`."""
    src = camp.sources["tasks.yaml"]
    row, key = camp.task_rows[index], day.isoformat()
    found = _entry_lines(src).get((row, key))
    return found if found is not None else src.line_of((row, "occurrences", key))


def _entry_lines(src) -> dict[tuple[int, str], int]:  # src: SourceFile
    """(item, date) -> line of every occurrence entry in a block-style tasks file, read in one pass.

    Finding each entry on its own would scan the file once per entry; a
    workspace of thousands of series cannot pay that. What this pass cannot
    read (flow style, quoted keys) the caller finds with the full parse.
    """
    import re

    found = src.__dict__.get("_entry_lines")
    if found is not None:
        return found
    found = {}
    item, inside = -1, None  # inside: the indent of the `occurrences:` key being read
    entry = re.compile(r"^( +)(\d{4}-\d\d-\d\d):")
    for number, text in enumerate(src.text.split("\n"), start=1):
        if text.startswith("-"):
            item, inside = item + 1, None
            text = " " + text[1:]
        elif inside is None and "occurrences:" not in text:
            continue  # outside an `occurrences:` block only items and that key matter
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(stripped)
        if inside is not None and indent <= inside:
            inside = None
        if stripped.startswith("occurrences:") and stripped[12:].split("#")[0].strip() == "":
            inside = indent
            continue
        if inside is not None:
            hit = entry.match(text)
            if hit and item >= 0:
                found.setdefault((item, hit.group(2)), number)
    src.__dict__["_entry_lines"] = found
    return found
