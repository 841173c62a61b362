"""`mpm kpi add` and `mpm kpi import`: a goal's measurements, one at a time or from a CSV export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mpm.cli.change import OnOpt, _edit, _run, _say
from mpm.cli.options import AsOfOpt, WorkspaceOpt, as_of_date, fail

kpi_app = typer.Typer(help="Record goal measurements, one at a time or from an analytics export.",
                      no_args_is_help=True)


@kpi_app.command("add")
def kpi_add(
    goal: Annotated[str, typer.Argument(help="campaign/goal, or a goal id unique in the workspace.")],
    value: Annotated[str, typer.Argument(help="The measured value (1318, 1,318 or 12.5).")],
    on: OnOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Where the number comes from.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a measurement of a goal's metric.

    Example: mpm kpi add email-leads 1318 --on 2026-11-30 --note "November CRM export"
    """
    from mpm.change.exports import parse_number
    from mpm.change.records import add_measurement

    number = parse_number(value)
    if number is None:
        fail(f"'{value}' is not a number", "write it as 1318, 1,318 or 12.5")
    day = as_of_date(on)
    ws, tx = _edit(lambda ws: add_measurement(ws, goal, number, day, note, today=as_of_date(None)), workspace)
    _say(_run(tx, ws.root), f"{goal}: {number:g} on {day}")


class Aggregate(StrEnum):
    sum = "sum"
    last = "last"
    mean = "mean"


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"


@kpi_app.command("import")
def kpi_import(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="A CSV export (GA4, HubSpot, Marketo, Sheets …).",
                                         exists=True, dir_okay=False)],
    goal: Annotated[str, typer.Option("--goal", "-g", help="campaign/goal, or a goal id unique in the workspace.")],
    date_column: Annotated[str | None, typer.Option(
        "--date-column", help="The column with the dates (default: Date, Day, Week or Month).")] = None,
    value_column: Annotated[str | None, typer.Option(
        "--value-column", help="The column with the values (default: the one named like the goal's metric or unit).")
    ] = None,
    aggregate: Annotated[Aggregate | None, typer.Option(
        "--aggregate", help="Combine the rows of a period: sum, last or mean.")] = None,
    period: Annotated[Period | None, typer.Option(
        "--period", help="One measurement per day, week, month or (fiscal) quarter; needs --aggregate.")] = None,
    date_format: Annotated[str | None, typer.Option(
        "--date-format", metavar="FORMAT", help="How the dates are written, e.g. DD.MM.YYYY or MM/DD/YYYY.")] = None,
    decimal_comma: Annotated[bool, typer.Option(
        "--decimal-comma", help="Numbers are written 1.234,5 (a comma before the decimals).")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Take the file's value where a date is already measured with another one.")] = False,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="Import the good rows even when some are bad (they are listed).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing; print the diff of goals.yaml.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="A note on every new measurement.")] = None,
    as_of: AsOfOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import a goal's measurements from an analytics or CRM CSV export.

    An upsert: dates already measured with the same value are left alone,
    with another value they are reported (and replaced with --replace); new
    measurements go in date order. Rows without a date, with a value that is
    not a number, or dated after --as-of are listed at their line, and
    nothing is written unless --skip-bad. Periods not over by --as-of are
    left out of sums and means.

    Example: mpm kpi import ga4.csv --goal organic-traffic --period month --aggregate sum --dry-run
    """
    import sys

    from mpm.change.edit import EditRefused
    from mpm.change.exports import DateFormat
    from mpm.change.kpi_import import ExportRefused, ImportOptions, import_measurements
    from mpm.cli.steps import load_valid
    from mpm.render import kpi as render
    from mpm.render.console import console, out

    fmt = None
    if date_format is not None:
        try:
            fmt = DateFormat.parse(date_format)
        except ValueError as exc:
            fail(str(exc), "write it with YYYY, MM and DD, e.g. --date-format DD.MM.YYYY")
    options = ImportOptions(date_column, value_column, aggregate.value if aggregate else None,
                            period.value if period else None, fmt, decimal_comma, replace, skip_bad, note)
    ws = load_valid(workspace, nothing_was="written")
    try:
        raw = file.read_bytes()
        result = import_measurements(ws, goal, raw, as_of_date(as_of), options)
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}", "check the path; export the sheet as a .csv file first")
    except ExportRefused as exc:
        fail(f"{file}:{exc.line}: {exc}", exc.hint)
    except EditRefused as exc:
        fail(str(exc), exc.hint)
    err = console(stderr=True)
    for text in render.problems_text(str(file), result, skipped=skip_bad):
        err.print(text, soft_wrap=True)
    if result.refused:
        n = len(result.problems)
        fail(f"{n} bad row{'s' if n != 1 else ''} in {file}; nothing was written",
             "fix the export, or pass --skip-bad to import the other rows")
    if dry_run:
        if result.tx is not None:
            out(render.unified(result))
            sys.stdout.flush()
        err.print(render.summary_text(str(file), result, options, [], dry_run=True), soft_wrap=True)
        return
    written = _run(result.tx, ws.root) if result.tx is not None else []
    console().print(render.summary_text(str(file), result, options, written), soft_wrap=True)
