"""`mpm kpi import`: measurements of a goal from an analytics CSV export, upserted into goals.yaml.

The date and value columns are found from common headers and the goal's
metric and unit; rows can be combined into the goal's cadence (sum, last or
mean per day, week, month or fiscal quarter). Import is an upsert: a date
already measured with the same value is left alone, another value is kept
and reported unless `replace`, new dates go in date order. Bad rows are
collected with their line and column; with any of them nothing is written
unless `skip_bad`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from mpm.change import exports
from mpm.change.edit import EditRefused, Transaction
from mpm.change.exports import DateFormat, ExportError, Record, Table
from mpm.change.records import find_goal
from mpm.change.yamltext import BY_HAND, EditConflict
from mpm.read.load import Workspace
from mpm.read.model import Goal

DATE_HEADERS = ("date", "day", "week", "month", "period", "date range", "time")
TOTAL_LABELS = {"total", "totals", "grand total", "sum", "overall"}
_STOP = {"per", "of", "the", "a", "an", "and", "in", "by", "to", "from", "for", "on", "at", "count", "number",
         "day", "daily", "week", "weekly", "month", "monthly", "quarter", "quarterly", "year", "yearly", "total"}


class ExportRefused(EditRefused):
    """The export itself cannot be imported (not CSV, not UTF-8, no usable columns), at `line` of it."""

    def __init__(self, message: str, hint: str | None = None, line: int = 1) -> None:
        super().__init__(message, hint)
        self.line = line


@dataclass(frozen=True)
class ImportOptions:
    date_column: str | None = None
    value_column: str | None = None
    aggregate: str | None = None  # sum | last | mean
    period: str | None = None  # day | week | month | quarter
    date_format: DateFormat | None = None
    decimal_comma: bool = False
    replace: bool = False
    skip_bad: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Problem:
    """A row that cannot be imported, at its line and column in the CSV file."""

    line: int
    col: int
    message: str
    hint: str | None = None
    source_line: str | None = None


@dataclass(frozen=True)
class Point:
    day: date
    value: float
    lines: tuple[int, ...]  # the CSV lines it comes from


@dataclass
class ImportResult:
    goal: str  # campaign/goal
    rel: str  # the goals.yaml written (relative to the workspace)
    date_column: str
    value_column: str
    rows: int  # data rows read
    points: list[Point] = field(default_factory=list)
    added: list[Point] = field(default_factory=list)
    replaced: list[tuple[Point, float]] = field(default_factory=list)  # (new, old value)
    unchanged: list[Point] = field(default_factory=list)
    kept: list[tuple[Point, float]] = field(default_factory=list)  # differs, kept without --replace
    left_out: list[str] = field(default_factory=list)  # totals rows, periods not over yet
    problems: list[Problem] = field(default_factory=list)
    tx: Transaction | None = None  # None: nothing to write, or refused
    refused: bool = False  # bad rows, and no skip_bad: nothing is written
    before: str = ""
    after: str = ""


def import_measurements(ws: Workspace, ref: str, raw: bytes, as_of: date,
                        options: ImportOptions) -> ImportResult:
    """What importing the export `raw` into goal `ref` does; the edit is in `.tx`, not yet written."""
    if options.period is not None and options.aggregate is None:
        raise EditRefused(f"--period {options.period} needs --aggregate to combine the rows of a {options.period}",
                          "sum (daily counts add up), last (a level, such as subscribers), or mean")
    cid, row = find_goal(ws, ref)
    camp = ws.campaign(cid)
    assert camp is not None
    goal = camp.goals[camp.goal_rows.index(row)]
    try:
        table = exports.read_table(exports.decode(raw))
    except ExportError as exc:
        raise ExportRefused(str(exc), exc.hint, exc.line) from None
    dcol, vcol = _columns(table, goal, options)
    result = ImportResult(f"{cid}/{goal.id}", camp.rel("goals.yaml"), table.header.cells[dcol].strip(),
                          table.header.cells[vcol].strip(), 0)
    readings = _readings(table, dcol, vcol, as_of, options, result)
    fy = ws.config.fiscal_year_start if ws.config else 1
    result.points = _combine(readings, options, as_of, fy, result)
    result.problems.sort(key=lambda p: (p.line, p.col))
    if result.problems and not options.skip_bad:
        result.refused = True
        return result
    _upsert(goal, result, options)
    tx = Transaction(ws.root)
    doc = tx.text(result.rel)
    result.before = doc.text
    try:
        _write(doc, row, goal, result, options)
    except EditConflict as exc:
        raise EditRefused(str(exc), BY_HAND) from None
    result.after = doc.text
    result.tx = tx if result.after != result.before else None
    return result


# -- columns ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.strip().casefold().split())


def _words(text: str) -> set[str]:
    found = set()
    for w in re.findall(r"[a-z0-9]+", text.casefold()):
        if w in _STOP:
            continue
        found.add(w[:-1] if len(w) > 3 and w.endswith("s") else w)
    return found


def _named(table: Table, name: str, what: str) -> int:
    from mpm.read.diagnostics import did_you_mean

    headers = [_norm(c) for c in table.header.cells]
    if _norm(name) in headers:
        return headers.index(_norm(name))
    shown = [c.strip() for c in table.header.cells]
    raise ExportRefused(f"the file has no {what} column '{name}'",
                        did_you_mean(name, shown) or "its columns: " + ", ".join(shown), table.header.line)


def _columns(table: Table, goal: Goal, options: ImportOptions) -> tuple[int, int]:
    headers = [_norm(c) for c in table.header.cells]
    shown = [c.strip() for c in table.header.cells]
    if options.date_column is not None:
        dcol = _named(table, options.date_column, "date")
    else:
        exact = [i for i, h in enumerate(headers) if h in DATE_HEADERS]
        loose = [i for i, h in enumerate(headers) if set(re.findall(r"[a-z]+", h)) & {"date", "day", "week", "month"}]
        if not exact and not loose:
            raise ExportRefused("cannot tell which column holds the dates: " + ", ".join(shown),
                                "name it with --date-column", table.header.line)
        dcol = (exact or loose)[0]
    if options.value_column is not None:
        vcol = _named(table, options.value_column, "value")
        if vcol == dcol:
            raise ExportRefused(f"'{shown[vcol]}' is the date column; the values must be in another one",
                                line=table.header.line)
        return dcol, vcol
    others = [i for i in range(len(headers)) if i != dcol and headers[i]]
    wanted = _words(f"{goal.metric or ''} {goal.unit or ''}")
    scores = {}
    for i in others:
        have = _words(headers[i])
        hit = len(have & wanted)
        if hit:
            scores[i] = (hit, hit / len(have))
    if scores:
        best = max(scores.values())
        top = [i for i in others if scores.get(i) == best]
        if len(top) == 1:
            return dcol, top[0]
        candidates = top
    elif len(others) == 1:
        return dcol, others[0]
    else:
        candidates = others
    about = goal.metric or goal.unit or goal.id
    raise ExportRefused(f"cannot tell which column holds {about}: " + ", ".join(f"'{shown[i]}'" for i in candidates),
                        f"name it with --value-column, e.g. --value-column '{shown[candidates[0]]}'",
                        table.header.line)


# -- rows ------------------------------------------------------------------------------


def _cell(record: Record, i: int) -> tuple[str, int]:
    if i < len(record.cells):
        return record.cells[i], record.columns[i]
    return "", len(record.text) + 1


def _readings(table: Table, dcol: int, vcol: int, as_of: date, options: ImportOptions,
              result: ImportResult) -> list[Point]:
    out = []
    guess = exports.guess_format([_cell(r, dcol)[0] for r in table.rows])
    for record in table.rows:
        raw_day, day_col = _cell(record, dcol)
        raw_value, value_col = _cell(record, vcol)
        if _norm(raw_day) in TOTAL_LABELS or (not raw_day.strip() and _norm(record.cells[0]) in TOTAL_LABELS):
            result.left_out.append(f"line {record.line}: a totals row")
            continue
        result.rows += 1

        def bad(col: int, message: str, hint: str | None, record: Record = record) -> None:
            result.problems.append(Problem(record.line, col, message, hint, record.text))

        day = exports.parse_date(raw_day, options.date_format)
        value = exports.parse_number(raw_value, options.decimal_comma) if raw_value.strip() else None
        if day is None:
            what = f"'{raw_day.strip()}' is not a date" if raw_day.strip() else "no date"
            bad(day_col, what, exports.date_hint(raw_day, options.date_format, guess))
        elif day > as_of:
            bad(day_col, f"{day} is after the as-of date {as_of}",
                "measurements are of the past; pass --as-of, or --skip-bad to leave the row out")
        if value is None:
            what = (f"'{raw_value.strip()}' is not a number" if raw_value.strip()
                    else f"no value in '{result.value_column}'")
            bad(value_col, what, exports.number_hint(raw_value, options.decimal_comma))
        if day is not None and day <= as_of and value is not None:
            out.append(Point(day, value, (record.line,)))
    return out


def period_end(day: date, period: str, fy_start: int = 1) -> date:
    """The last day of the day, week (Monday to Sunday), month or fiscal quarter holding `day`."""
    from mpm.read.fiscal import quarter_of

    if period == "week":
        return day + timedelta(days=6 - day.weekday())
    if period == "month":
        first_next = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    if period == "quarter":
        return quarter_of(day, fy_start).end
    return day


def _label(end: date, period: str, fy_start: int) -> str:
    from mpm.read.fiscal import quarter_of

    if period == "month":
        return f"{end:%Y-%m}"
    if period == "quarter":
        return quarter_of(end, fy_start).label
    return f"the week to {end}" if period == "week" else str(end)


def _combine(readings: list[Point], options: ImportOptions, as_of: date, fy_start: int,
             result: ImportResult) -> list[Point]:
    readings = sorted(readings, key=lambda p: (p.day, p.lines))
    if options.aggregate is None:
        seen: dict[date, Point] = {}
        out = []
        for p in readings:
            if p.day in seen:
                result.problems.append(Problem(
                    p.lines[0], 1, f"{p.day} is also on line {seen[p.day].lines[0]}",
                    "combine rows of a day with --aggregate sum, last or mean"))
                continue
            seen[p.day] = p
            out.append(p)
        return out
    period = options.period or "day"
    buckets: dict[date, list[Point]] = {}
    for p in readings:
        buckets.setdefault(period_end(p.day, period, fy_start), []).append(p)
    out = []
    for end, group in sorted(buckets.items()):
        lines = tuple(sorted(line for p in group for line in p.lines))
        if options.aggregate == "last":
            out.append(Point(group[-1].day, group[-1].value, lines))
            continue
        if end > as_of:
            result.left_out.append(f"{_label(end, period, fy_start)}: not over as of {as_of} "
                                   f"(runs to {end}); {len(group)} row{'s' if len(group) != 1 else ''} left out")
            continue
        total = sum(p.value for p in group)
        value = round(total, 6) if options.aggregate == "sum" else round(total / len(group), 4)
        out.append(Point(end, value, lines))
    return out


# -- the upsert ------------------------------------------------------------------------


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _upsert(goal: Goal, result: ImportResult, options: ImportOptions) -> None:
    have = {}
    for m in goal.measurements:
        have.setdefault(m.date, m.value)
    for p in result.points:
        if p.day not in have:
            result.added.append(p)
        elif _same(have[p.day], p.value):
            result.unchanged.append(p)
        elif options.replace:
            result.replaced.append((p, have[p.day]))
        else:
            result.kept.append((p, have[p.day]))


def _write(doc, row: int, goal: Goal, result: ImportResult, options: ImportOptions) -> None:
    index = {}
    for i, m in enumerate(goal.measurements):
        index.setdefault(m.date, i)
    for p, _ in result.replaced:
        doc.set((row, "measurements", index[p.day], "value"), p.value)
    groups: dict[int | None, list[dict]] = {}
    for p in result.added:
        at = next((i for i, m in enumerate(goal.measurements) if m.date > p.day), None)
        item: dict = {"date": p.day, "value": p.value}
        if options.note:
            item["note"] = options.note
        groups.setdefault(at, []).append(item)
    # from the last position up: the positions not yet used stay where they were
    for at in sorted(groups, key=lambda i: (i is not None, -(i or 0))):
        doc.extend((row, "measurements"), groups[at], before=at, key_if_missing=(row, "measurements"))
