"""`mpm kpi import` as people read it: what was added, replaced or kept, bad rows at file:line:col, the diff."""

from __future__ import annotations

import difflib

from rich.text import Text

from mpm.change.kpi_import import ImportOptions, ImportResult, Problem

MAX_PROBLEMS = 20
MAX_LISTED = 12


def _n(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.2f}"


def problem_text(source: str, p: Problem, *, skipped: bool) -> Text:
    text = Text()
    text.append(f"{source}:{p.line}:{p.col}: ", style="bold")
    text.append("warning" if skipped else "error", style="bold yellow" if skipped else "bold red")
    text.append(f": {p.message}" + (" (row left out)" if skipped else ""))
    if p.source_line is not None:
        number = str(p.line)
        text.append(f"\n {number} | ", style="blue")
        text.append(p.source_line.expandtabs(1))
        text.append(f"\n {' ' * len(number)} | ", style="blue")
        text.append(" " * (p.col - 1) + "^", style="bold red")
    if p.hint:
        text.append("\n  hint: ", style="bold cyan")
        text.append(p.hint)
    return text


def problems_text(source: str, result: ImportResult, *, skipped: bool) -> list[Text]:
    shown = [problem_text(source, p, skipped=skipped) for p in result.problems[:MAX_PROBLEMS]]
    more = len(result.problems) - MAX_PROBLEMS
    if more > 0:
        shown.append(Text(f"… and {more} more bad row{'s' if more != 1 else ''}", style="dim"))
    return shown


def _how(result: ImportResult, options: ImportOptions) -> str:
    how = f"'{result.value_column}' by '{result.date_column}'"
    if options.aggregate:
        how += f", {options.aggregate} per {options.period or 'day'}"
    return how


def summary_text(source: str, result: ImportResult, options: ImportOptions, written: list[str],
                 dry_run: bool = False) -> Text:
    rows = f"{result.rows} row{'s' if result.rows != 1 else ''}"
    text = Text()
    text.append(f"{source} → {result.goal}", style="bold")
    text.append(f": {rows}, {_how(result, options)}\n")

    def line(label: str, body: str, style: str = "") -> None:
        text.append(f"  {label:<10}", style=style)
        text.append(body + "\n")

    for p in result.added[:MAX_LISTED]:
        line("added", f"{p.day}  {_n(p.value)}", "green")
    if len(result.added) > MAX_LISTED:
        line("", f"… and {len(result.added) - MAX_LISTED} more added", "dim")
    for p, old in result.replaced:
        line("replaced", f"{p.day}  {_n(old)} → {_n(p.value)}", "yellow")
    for p, old in result.kept:
        line("kept", f"{p.day}  {_n(old)} (the file says {_n(p.value)}, line {p.lines[-1]}); "
             "--replace takes the file's", "bold yellow")
    for note in result.left_out:
        line("left out", note, "dim")
    counts = (f"{len(result.added)} added · {len(result.replaced)} replaced · "
              f"{len(result.unchanged)} unchanged · {len(result.kept)} kept")
    if dry_run:
        text.append(counts + (f"; would write {result.rel}" if result.tx else "; nothing to change")
                    + " (dry run: nothing written)")
    elif written:
        text.append(f"{counts} ({', '.join(written)})")
    else:
        text.append(f"{counts}: nothing to change")
    return text


def unified(result: ImportResult) -> str:
    """The change to goals.yaml as a unified diff (paths as `git apply` reads them in the workspace)."""
    before = result.before.splitlines(keepends=True)
    after = result.after.splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{result.rel}", f"b/{result.rel}"))
