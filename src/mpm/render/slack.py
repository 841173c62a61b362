"""A digest as a Slack Block Kit message: the JSON a CI step posts to an incoming webhook.

A header, a section per campaign (the most urgent first), a context line
with the as-of date and the counts; `text` is the notification line. Within
Block Kit's limits: at most 50 blocks, 3,000 characters in a section's text,
150 in the header; what does not fit ends in "…and N more".

User text is escaped for mrkdwn (`&`, `<`, `>` become entities, so `<!here>`
or `<@U123>` in a task name is shown, not parsed), mentions written as
`@channel` or `@sam` get an invisible word joiner after the `@`, and text
is kept on one line without control characters.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mpm.render.chat import Digest, Line, Section, Span, one_line

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_HEADER = 150
_MENTION = re.compile(r"(?<![\w.+-])@(?=[\w.-])")  # @channel, @sam; not the @ of sam@acme.com
_JOINER = "\u2060"  # WORD JOINER: "@\u2060channel" reads as @channel and notifies no one


def escape(text: str) -> str:
    """User text for a Slack text object: entities for & < >, no live mentions, one line."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@" + _JOINER, text)


def _cut(text: str, length: int) -> str:
    """`text` cut to `length` characters ending in "…", never inside an entity such as &amp;."""
    return re.sub(r"&[a-z]*$", "", text[: length - 1]) + "…"


def _strong(text: str) -> str:
    # mrkdwn has no escape for `*`; inside bold a look-alike keeps the bold closed where mpm closes it
    return "*" + escape(text).replace("*", "∗") + "*"


def _span(span: Span) -> str:
    return _strong(span.text) if span.kind == "strong" else escape(span.text)


def _line(line: Line) -> str:
    return "".join(_span(s) for s in line)


def _title(line: Line) -> str:
    """A section's title: its first span bold, the rest as they are."""
    return _strong(line[0].text) + "".join(_span(s) for s in line[1:]) if line else ""


def _more(n: int) -> str:
    return f"_…and {n} more_"


def section_text(section: Section, limit: int = MAX_TEXT) -> str:
    """The title and as many lines as fit in `limit` characters, then "…and N more"."""
    parts = [_title(section.title)]
    lines = [_line(line) for line in section.lines]
    hidden = section.hidden
    for i, line in enumerate(lines):
        rest = len(lines) - i - 1 + hidden
        room = limit - len("\n".join(parts)) - 1 - (len(_more(rest + 1)) + 1 if rest else 0)
        if len(line) > room:
            if len(parts) == 1 and room >= 80:  # a first line too long alone: as much of it as fits
                parts.append(_cut(line, room))
                i += 1
            hidden += len(lines) - i
            break
        parts.append(line)
    if hidden:
        parts.append(_more(hidden))
    text = "\n".join(parts)
    return text if len(text) <= limit else _cut(text, limit)


def _header(text: str) -> dict[str, Any]:
    title = escape(text)
    if len(title) > MAX_HEADER:
        title = _cut(title[:MAX_HEADER].rsplit(" ", 1)[0], MAX_HEADER)
    return {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def payload(digest: Digest) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [_header(digest.title)]
    room = MAX_BLOCKS - 2  # the header and the context line
    sections = digest.sections
    if len(sections) > room:
        shown, rest = sections[: room - 1], sections[room - 1:]
    else:
        shown, rest = sections, []
    for section in shown:
        blocks.append({"type": "section", "text": _mrkdwn(section_text(section))})
    if rest:
        lines = sum(len(s.lines) + s.hidden for s in rest)
        blocks.append({"type": "section", "text": _mrkdwn(
            f"_…and {len(rest)} more campaigns ({lines} more lines)_")})
    if not sections and digest.empty:
        blocks.append({"type": "section", "text": _mrkdwn(escape(digest.empty))})
    blocks.append({"type": "context", "elements": [_mrkdwn(escape(digest.context)[:MAX_TEXT])]})
    return {"text": escape(digest.summary)[:MAX_TEXT], "blocks": blocks}


def slack_json(digest: Digest) -> str:
    return json.dumps(payload(digest), ensure_ascii=False, indent=2) + "\n"
