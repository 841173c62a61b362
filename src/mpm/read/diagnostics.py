"""The one Diagnostic type every stage returns, and the catalogue of codes.

A diagnostic names a file relative to the workspace, a 1-based line and
column, a stable code, a message in the user's words and an optional hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# code -> (severity, short name). The README's error list is generated from
# this table and tests/errors/ holds one reproducer per code.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    # files and YAML
    "E001": (Severity.ERROR, "YAML syntax error"),
    "E002": (Severity.ERROR, "duplicate key"),
    "E003": (Severity.ERROR, "tag not allowed"),
    "E004": (Severity.ERROR, "unresolved merge conflict"),
    "E005": (Severity.ERROR, "file too large"),
    "E006": (Severity.ERROR, "not UTF-8"),
    "E007": (Severity.ERROR, "symlink leaves the workspace"),
    "E008": (Severity.ERROR, "too many aliases"),
    "E009": (Severity.ERROR, "more than one YAML document"),
    "E010": (Severity.ERROR, "wrong kind of document"),
    "E011": (Severity.ERROR, "missing file, or one mpm cannot read"),
    "E012": (Severity.ERROR, "bad campaign folder name"),
    "E013": (Severity.ERROR, "unknown file"),
    "E014": (Severity.ERROR, "nested too deeply"),
    "E015": (Severity.ERROR, "control character"),
    # schema
    "E100": (Severity.ERROR, "unknown key"),
    "E101": (Severity.ERROR, "missing required key"),
    "E102": (Severity.ERROR, "wrong type"),
    "E103": (Severity.ERROR, "value not allowed"),
    "E104": (Severity.ERROR, "invalid date"),
    "E105": (Severity.ERROR, "number out of range"),
    "E106": (Severity.ERROR, "invalid id"),
    "E107": (Severity.ERROR, "dates in the wrong order"),
    "E108": (Severity.ERROR, "inconsistent fields"),
    # references
    "E200": (Severity.ERROR, "unknown person"),
    "E201": (Severity.ERROR, "unknown task"),
    "E202": (Severity.ERROR, "duplicate id"),
    "E203": (Severity.ERROR, "dependency cycle"),
    "E204": (Severity.ERROR, "invalid recurrence rule"),
    "E205": (Severity.ERROR, "unknown campaign"),
    "E206": (Severity.ERROR, "works outside the calendar"),
    # playbooks (`mpm playbook check`, `mpm new campaign --playbook`)
    "E400": (Severity.ERROR, "unknown playbook role"),
    "E401": (Severity.ERROR, "bad relative date"),
    "E402": (Severity.ERROR, "bad playbook template"),
    "E207": (Severity.ERROR, "unknown asset"),
    "E208": (Severity.ERROR, "reuse cycle"),
    "E209": (Severity.ERROR, "not a date of the rule"),
    # warnings
    "W300": (Severity.WARNING, "done task without done_on"),
    "W301": (Severity.WARNING, "depends on a cancelled task"),
    "W302": (Severity.WARNING, "in-progress task without started_on"),
    "W303": (Severity.WARNING, "budget lines exceed the total"),
    "W304": (Severity.WARNING, "people of a task share no working day"),
    "W305": (Severity.WARNING, "bidi control character"),
    "W306": (Severity.WARNING, "published asset without published_on"),
    "W307": (Severity.WARNING, "due before the task can start"),
    "W308": (Severity.WARNING, "done campaign with open tasks"),
}


# What to do about an error when the place that found it has nothing more particular to say:
# every error offers a hint.
FALLBACK_HINTS: dict[str, str] = {
    "E001": "check the indentation here and on the line above, and the ':' after each key",
    "E002": "only one of them can count: delete or rename one",
    "E003": "mpm reads plain YAML only: remove the tag",
    "E004": "keep the side you want and delete the other side and the <<<<<<< ======= >>>>>>> lines",
    "E005": "split the file, or move what is not plan data out of the workspace",
    "E006": "save the file as UTF-8 (most editors offer it under 'Save as' or 'Encoding')",
    "E007": "copy the file into the workspace instead of linking to it",
    "E008": "write the values out instead of repeating aliases",
    "E009": "remove the '---' line and merge the documents",
    "E010": "see the README's file format for what this file holds",
    "E011": "check that the file is there, is a plain file and can be read",
    "E012": "name campaign folders with lowercase letters, digits and dashes",
    "E013": "rename the file to one mpm reads, or move it out of the folder",
    "E014": "flatten the data: mpm's files need only a few levels",
    "E015": "delete it; a control character in a plan file is almost always pasted by accident",
    "E100": "see the README's file format for the keys this record takes; keys of your own start with 'x-'",
    "E101": "add the key with a value",
    "E102": "see the README's file format for what this key takes",
    "E103": "see the README's file format for the values this key takes",
    "E104": "write dates as year-month-day with a dash, e.g. 2027-03-31",
    "E105": "see the README's file format for the numbers this key takes",
    "E106": "ids use lowercase letters, digits and dashes",
    "E107": "fix the date that is mistyped so that the earlier one comes first",
    "E108": "keep one of the two keys that contradict each other",
    "E200": "add them to team in mpm.yaml, or name someone on the team",
    "E201": "name a task id of the campaign, or 'campaign-id/task-id' for another campaign's task",
    "E202": "ids must be unique within a campaign",
    "E203": "each task here waits for the next: remove one of these dependencies",
    "E204": "a valid rule: FREQ=WEEKLY;BYDAY=TU;COUNT=12 (every Tuesday, 12 times)",
    "E205": "a campaign's id is its folder's name under campaigns/",
    "E206": "use the calendar's working days, or add the day to calendar.workdays",
    "E207": "name an asset listed in the campaign's assets.yaml",
    "E208": "an asset cannot be derived from itself: remove one of these derived_from entries",
    "E209": "use a date the rule gives, or change the rule",
    "E400": "use one of the roles the playbook lists under roles",
    "E401": "write launch, launch-N or launch+N (N working days), or start±N / end±N",
    "E402": "use one of the variables the playbook lists under variables",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None
    # how many characters the caret underlines (0: a single caret)
    width: int = 0
    # the source line the diagnostic points into, for the caret excerpt
    source_line: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.hint is None and self.code in FALLBACK_HINTS:
            object.__setattr__(self, "hint", FALLBACK_HINTS[self.code])

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code][0]

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)


def pointing(rel: str, text: str, line: int, col: int, code: str, message: str,
             hint: str | None = None, width: int = 0) -> Diagnostic:
    """A diagnostic at (line, col) of `text`, carrying that line for the caret excerpt."""
    lines = text.splitlines()
    excerpt = lines[line - 1] if 1 <= line <= len(lines) else None
    return Diagnostic(rel, line, col, code, message, hint, width, excerpt)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def closest(word: str, choices: list[str] | set[str], n: int = 3) -> list[str]:
    """Known names that look like `word`, best first (for 'did you mean')."""
    import difflib

    return difflib.get_close_matches(word, sorted(choices), n=n, cutoff=0.6)


def name_hint(word: str, choices: list[str], noun: str, command: str, listed: list[str] | None = None) -> str:
    """A hint for a name that matches none of `choices`: the close ones, else what there is
    (`listed`, default the choices): a short list named, a long one left to the command that lists it."""
    close = did_you_mean(word, choices)
    if close:
        return close
    names = sorted(set(choices if listed is None else listed))
    if not names:
        return f"there are no {noun}s yet"
    if len(names) <= 6:
        return f"the {noun}s are: " + ", ".join(names)
    return f"`{command}` lists the {len(names)} {noun}s"


def did_you_mean(word: str, choices: list[str] | set[str]) -> str | None:
    found = closest(word, choices)
    if not found:
        return None
    quoted = ", ".join(f"'{c}'" for c in found)
    return f"did you mean {quoted}?"
