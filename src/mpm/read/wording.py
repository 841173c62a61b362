"""A wrong value in a user's words: what was found, and what to write instead.

`validate` names each error; this module says what a value is (`describe`:
"the text '24h'", "a list"), what a key takes where a type name says too
little (`UNIONS`, `ITEMS`, `RANGES`), and the hint that gets a user from what
they wrote to what mpm reads (`number_hint`: `$85,000` → 85000, `three` → 3;
`write_as`: the one value without brackets, a task's one owner).
"""

from __future__ import annotations

import re
from typing import Any

# What a key whose value may take several forms takes, in a user's words.
UNIONS = {"effort": "hours (a number) or hours per person (a mapping such as {ana: 10, ben: 6})"}

# What an item of a list may be, where "a mapping of keys" says too little.
ITEMS = {"depends_on": "a task id or a mapping"}


# What a number out of range may be, by key (the model's bounds, in a user's words).
RANGES = {
    "likelihood": "likelihood runs from 1 (rare) to 5 (almost certain)",
    "impact": "impact runs from 1 (minor) to 5 (severe)",
    "priority": "priority runs from 1 to 1000 (the default is 500); higher gets a busy person's hours first",
    "fiscal_year_start": "fiscal_year_start is the month the fiscal year starts: 1 (January) to 12 (December)",
    "capacity_hours_per_week": "capacity_hours_per_week is the hours a week someone gives the plan: 0 to 168",
    "hours_per_day": "hours_per_day is the hours of a working day: more than 0, at most 24",
    "duration": "duration counts working days: 0 or more (0 makes a milestone)",
    "delay_days": "delay_days counts the working days a risk adds when it happens: 0 or more",
    "effort": "effort is hours of work: 0 or more",
}


_NUMBER_WORDS = {w: i for i, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_NUMBER_WRITTEN = re.compile(r"\s*[$€£¥]?\s*(-?[\d,]*\.?\d+)\s*([kKmM]?)\s*([a-zA-Z%]*)\s*")


def number_hint(name: str, text: str, *, whole: bool) -> str:
    """What to write for a number written as text: the number itself when it can be read off
    (`$85,000` → 85000, `40k` → 40000, `24h` → 24), else what the key takes."""
    word = _NUMBER_WORDS.get(text.strip().lower())
    if word is not None:
        return f"write it in digits: '{name}: {word}'"
    m = _NUMBER_WRITTEN.fullmatch(text)
    if m is None or (m.group(3) and m.group(2)) or m.group(3) == "%":  # 10%: a share or a count?
        return "write it in digits" + (f"; {RANGES[name]}" if name in RANGES else ", such as 3")
    digits, scale, _ = m.groups()
    if "," in digits and not re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", digits):
        return "write the number without quotes or units"  # 1,5: a decimal comma, or a typo
    value = float(digits.replace(",", "")) * {"": 1, "k": 1e3, "m": 1e6}[scale.lower()]
    if whole and not value.is_integer():
        return "write the number without quotes or units"
    shown = f"{value:.10g}" if not value.is_integer() else str(int(value))
    return f"write the number without quotes or units: '{name}: {shown}'"


def write_as(name: str, expected: str, value: Any, loc: list, *, task: bool = False) -> str:
    """A hint for a value of the wrong type (in a task when `task`): what to write instead."""
    if not loc:  # a whole item of a list file
        return f"write each {name} as keys and values after its '- ', e.g. '- id: ...'"
    if isinstance(loc[-1], int):  # an item of a list
        if name == "depends_on":
            return "each item of depends_on is a task id, or a mapping such as {task: brief, type: SS, lag: 2}"
        days = re.findall(r"\d{4}-\d{2}-\d{2}", value) if name == "time_off" and isinstance(value, str) else []
        if 1 <= len(days) <= 2:
            return f"write it as '{{from: {days[0]}, to: {days[-1]}}}' (the first and the last day off)"
        return f"each item of {name} is {expected}"
    if value is None:
        return f"write {expected} after '{name}:'"
    if name == "baseline" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"a baseline is a value on a day: 'baseline: {{value: {plain(value)}, date: YYYY-MM-DD}}'"
    if isinstance(value, (dict, list)) and expected in ("text", "a number", "a whole number", "true or false"):
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], (str, int, float)):
            return f"write the one value, not a list: '{name}: {plain(value[0])}'"
        if task and name == "owner" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            shares = ", ".join(f"{v}: 8" for v in value[:3])
            return f"a task has one owner, the one accountable; to share the work, write 'effort: {{{shares}}}'"
        return (f"write {expected} after '{name}:'; brackets, braces or indented lines below it "
                "make a list or a mapping")
    return f"write {expected} after '{name}:'"


def show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else plain(value)


def plain(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "nothing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{plain(value)} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {plain(value)}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
