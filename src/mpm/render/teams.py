"""A digest as a Microsoft Teams message: an Adaptive Card 1.5 in the `message` envelope of a webhook.

The card has the title, a container per campaign (the most urgent first)
and a subtle context line with the as-of date and the counts. Every piece
of text is a TextRun of a RichTextBlock: TextRuns are never read as
Markdown, so a `**` or `[link](…)` in a task name is shown as written, and
without `msteams.entities` an `<at>` in it mentions no one. Text is kept on
one line without control characters. The message stays under the 28 KB a
Teams webhook accepts; campaigns that do not fit end in "…and N more".
"""

from __future__ import annotations

import json
from typing import Any

from mpm.render.chat import Digest, Line, Section, one_line

MAX_BYTES = 28_000
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": one_line(text), **style}


def _rich(line: Line) -> dict[str, Any]:
    """One line: bold runs for mpm's strong words, one plain run for each stretch between them."""
    runs: list[tuple[bool, str]] = []
    for span in line:
        strong = span.kind == "strong"
        if runs and runs[-1][0] == strong:
            runs[-1] = (strong, runs[-1][1] + span.text)
        else:
            runs.append((strong, span.text))
    inlines = [_run(text, weight="Bolder") if strong else _run(text) for strong, text in runs]
    return {"type": "RichTextBlock", "inlines": inlines}


def _section(section: Section) -> dict[str, Any]:
    title = [_run(section.title[0].text, weight="Bolder", size="Medium")] if section.title else []
    title += [_run(s.text, isSubtle=True) for s in section.title[1:]]
    items: list[dict[str, Any]] = [{"type": "RichTextBlock", "inlines": title}]
    items += [_rich(line) for line in section.lines]
    if section.hidden:
        items.append({"type": "RichTextBlock", "inlines": [_run(f"…and {section.hidden} more", isSubtle=True,
                                                                 italic=True)]})
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _note(text: str) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [_run(text, isSubtle=True, size="Small")]}


def _envelope(digest: Digest, body: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": {
                "$schema": SCHEMA,
                "type": "AdaptiveCard",
                "version": "1.5",
                "fallbackText": one_line(digest.summary),
                "msteams": {"width": "Full"},
                "body": body,
            },
        }],
    }


def _size(doc: dict[str, Any]) -> int:
    return len(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"))  # as printed: the larger


def payload(digest: Digest) -> dict[str, Any]:
    head = {"type": "RichTextBlock", "inlines": [_run(digest.title, size="Large", weight="Bolder")]}
    sections = [_section(s) for s in digest.sections]
    tail = [_note(digest.context)]
    if not sections and digest.empty:
        tail.insert(0, _note(digest.empty))
    shown = len(sections)
    while True:
        body = [head, *sections[:shown]]
        if shown < len(sections):
            rest = digest.sections[shown:]
            lines = sum(len(s.lines) + s.hidden for s in rest)
            body.append(_note(f"…and {len(rest)} more campaigns ({lines} more lines)"))
        doc = _envelope(digest, body + tail)
        if _size(doc) <= MAX_BYTES or shown == 0:
            return doc
        shown -= 1


def teams_json(digest: Digest) -> str:
    return json.dumps(payload(digest), ensure_ascii=False, indent=2) + "\n"
