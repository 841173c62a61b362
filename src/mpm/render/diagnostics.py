"""Diagnostics as text (file:line:col, excerpt, caret, hint), JSON or GitHub annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mpm.read.diagnostics import Diagnostic, Severity
from mpm.render import github
from mpm.render.console import console
from mpm.render.escape import visible
from mpm.render.jsonout import document

if TYPE_CHECKING:  # a clean check prints one plain line and never loads Rich
    from rich.text import Text

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}


def as_text(d: Diagnostic) -> Text:
    from rich.text import Text

    sev = d.severity
    text = Text()
    text.append(f"{d.file}:{d.line}:{d.col}: ", style="bold")
    text.append(f"{sev.value}[{d.code}]", style=_STYLE[sev])
    text.append(f": {d.message}")
    if d.source_line is not None:
        number = str(d.line)
        pad = " " * len(number)
        line = visible(d.source_line).expandtabs(1)
        text.append(f"\n {number} | ", style="blue")
        text.append(line)
        caret = "^" * max(1, d.width)
        text.append(f"\n {pad} | ", style="blue")
        text.append(" " * (d.col - 1) + caret, style=_STYLE[sev])
    if d.hint:
        text.append("\n  hint: ", style="bold cyan")
        text.append(d.hint)
    return text


def print_text(diagnostics: list[Diagnostic], *, stderr: bool = False) -> None:
    if not diagnostics:
        return
    con = console(stderr)
    for d in diagnostics:
        con.print(as_text(d), soft_wrap=True)


def as_json(diagnostics: list[Diagnostic], counts: dict[str, int] | None = None) -> str:
    summary = {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    return document("check", {
        "ok": summary["error"] == 0,
        "summary": summary,
        "checked": counts or {},
        "diagnostics": [
            {"severity": d.severity.value, "code": d.code, "file": d.file, "line": d.line,
             "col": d.col, "message": d.message, "hint": d.hint}
            for d in diagnostics
        ],
    })


def as_github(diagnostics: list[Diagnostic], prefix: str = "") -> str:
    """One workflow command per diagnostic; `prefix` is the workspace's folder in the repository."""
    lines = []
    for d in diagnostics:
        level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(github.command(level, message, file=prefix + d.file, line=d.line, col=d.col,
                                    title=f"mpm {d.code}"))
    return "".join(line + "\n" for line in lines)
