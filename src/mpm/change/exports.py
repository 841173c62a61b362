"""CSV exports of analytics and marketing tools: rows, cells, and where each cell was written.

Reads what people download from Google Analytics 4 (`#` comment lines before
the header), HubSpot and Marketo reports and Google Sheets: a UTF-8 BOM,
`,` `;` or tab between cells, quoted cells, blank and comment lines. Every
cell keeps its line and column in the file, so a bad one can be pointed at.
Numbers and dates are read here too, in the forms those tools write.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

MAX_BYTES = 20 * 1024 * 1024


class ExportError(Exception):
    """The file cannot be read as a CSV export at all."""

    def __init__(self, message: str, hint: str | None = None, line: int = 1) -> None:
        super().__init__(message)
        self.hint = hint
        self.line = line


@dataclass(frozen=True)
class Record:
    line: int  # 1-based line in the file where the record starts
    cells: list[str]
    columns: list[int]  # 1-based column of each cell on that line
    text: str  # the record's first line, for an excerpt


@dataclass(frozen=True)
class Table:
    header: Record
    rows: list[Record]
    lines: list[str]  # every line of the file


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ExportError(f"the file is {len(raw) // (1024 * 1024)} MB; mpm reads exports up to "
                          f"{MAX_BYTES // (1024 * 1024)} MB", "export a shorter date range")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExportError("the file is not UTF-8 text", "save or export it as CSV UTF-8", line) from None


def read_table(text: str) -> Table:
    """The first header row and the records after it; comment (`#`) and blank lines are skipped."""
    lines = text.splitlines()
    delimiter = _delimiter(lines)
    records = list(_records(lines, delimiter))
    if not records:
        raise ExportError("the file has no header row and no data", "export the report as CSV")
    header, *rows = records
    return Table(header, [r for r in rows if any(c.strip() for c in r.cells)], lines)


def _content(lines: list[str]) -> Iterator[str]:
    return (line for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _delimiter(lines: list[str]) -> str:
    first = next(_content(lines), "")
    counts = {d: len(_split_offsets(first, d)[0]) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _records(lines: list[str], delimiter: str) -> Iterator[Record]:
    state = {"start": True, "first": 0}

    def feed() -> Iterator[str]:
        for number, line in enumerate(lines, 1):
            if state["start"]:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                state["first"] = number
                state["start"] = False
            yield line + "\n"

    reader = csv.reader(feed(), delimiter=delimiter)
    while True:
        state["start"] = True
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExportError(f"the CSV cannot be read here: {exc}", "a quote is probably not closed",
                              state["first"]) from None
        first = lines[state["first"] - 1]
        columns = _split_offsets(first, delimiter)[1]
        columns += [columns[-1] if columns else 1] * (len(cells) - len(columns))
        yield Record(state["first"], cells, columns[: len(cells)], first)


def _split_offsets(line: str, delimiter: str) -> tuple[list[str], list[int]]:
    """The cells of one line and the 1-based column where each starts (quotes respected)."""
    cells, starts = [], [1]
    quoted, current = False, []
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            cells.append("".join(current))
            current = []
            starts.append(i + 2)
            continue
        current.append(ch)
    cells.append("".join(current))
    return cells, starts


# -- numbers --------------------------------------------------------------------------

_CURRENCY = "$€£¥"
_GROUPED = {sep: re.compile(r"^\d{1,3}(?:" + re.escape(sep) + r"\d{3})+$") for sep in (",", ".", " ", "'")}
_PLAIN = re.compile(r"^\d+$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")
_EUROPEAN = re.compile(r"^\d{1,3}(?:[. ]\d{3})*,\d+$")


def parse_number(text: str, decimal_comma: bool = False) -> float | None:
    """A number as analytics tools write it: `1,020`, `"1 020"`, `$85,000.00`, `12.5%`, `1.234,5`."""
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
    t = t.strip(_CURRENCY).rstrip("%").strip()
    sign = 1.0
    if t and t[0] in "+-":
        sign, t = (-1.0 if t[0] == "-" else 1.0), t[1:].strip(_CURRENCY).strip()
    if _SCIENTIFIC.match(t) and not decimal_comma:
        return sign * float(t)
    point = "," if decimal_comma else "."
    whole, _, fraction = t.partition(point)
    if fraction and not _PLAIN.match(fraction):
        return None
    if not whole:
        return None
    if not _PLAIN.match(whole):
        seps = [s for s in (" ", "'", "." if decimal_comma else ",") if _GROUPED[s].match(whole)]
        if not seps:
            return None
        whole = whole.replace(seps[0], "")
    return sign * float(f"{whole}.{fraction or 0}")


def number_hint(text: str, decimal_comma: bool) -> str:
    t = text.strip()
    if not t:
        return "fill in the value, or leave the row out"
    if not decimal_comma and _EUROPEAN.match(t):
        return "the file writes numbers with a decimal comma: pass --decimal-comma"
    return "write the value as a number, e.g. 1,020 or 1020.5"


# -- dates ----------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[T ,].*)?$")
_FORMAT_TOKEN = re.compile(r"YYYY|MM|DD|M|D")


@dataclass(frozen=True)
class DateFormat:
    """A `--date-format` such as DD.MM.YYYY or MM/DD/YYYY."""

    spec: str
    pattern: re.Pattern[str]
    order: tuple[str, ...]  # which group is Y, M, D

    @classmethod
    def parse(cls, spec: str) -> DateFormat:
        tokens = _FORMAT_TOKEN.findall(spec)
        kinds = tuple(t[0] for t in tokens)
        if sorted(kinds) != ["D", "M", "Y"]:
            raise ValueError(f"'{spec}' is not a date format")
        regex = ""
        for part in re.split(r"(YYYY|MM|DD|M|D)", spec):
            if part == "YYYY":
                regex += r"(\d{4})"
            elif part in ("MM", "DD", "M", "D"):
                regex += r"(\d{1,2})"
            else:
                regex += re.escape(part)
        return cls(spec, re.compile("^" + regex + r"(?:[T ,].*)?$"), kinds)

    def read(self, text: str) -> date | None:
        m = self.pattern.match(text)
        if not m:
            return None
        parts = dict(zip(self.order, (int(g) for g in m.groups()), strict=True))
        return _date(parts["Y"], parts["M"], parts["D"])


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str, fmt: DateFormat | None = None) -> date | None:
    """ISO dates (a time after them is ignored) and GA4's YYYYMMDD; other orders need a DateFormat."""
    t = text.strip()
    if fmt is not None:
        found = fmt.read(t)
        if found is not None:
            return found
    for pattern in (_ISO, _COMPACT, _SLASHED_ISO):
        m = pattern.match(t)
        if m:
            return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def guess_format(values: list[str]) -> str | None:
    """The --date-format a column of day-first or month-first dates needs, when its values tell."""
    found = [m for m in (_DAY_FIRST_OR_MONTH_FIRST.match(v.strip()) for v in values) if m]
    if not found:
        return None
    sep = found[0].group(2)
    if any(int(m.group(1)) > 12 for m in found):
        return f"DD{sep}MM{sep}YYYY"
    if any(int(m.group(3)) > 12 for m in found):
        return f"MM{sep}DD{sep}YYYY"
    return "DD.MM.YYYY" if sep == "." else None


def date_hint(text: str, fmt: DateFormat | None, guess: str | None = None) -> str:
    t = text.strip()
    if not t:
        return "every row needs a date; remove the row or fill it in"
    m = _DAY_FIRST_OR_MONTH_FIRST.match(t)
    if m and fmt is None:
        if guess:
            return f"the file writes dates as {guess}: pass --date-format {guess}"
        sep = m.group(2)
        return f"say which comes first: --date-format DD{sep}MM{sep}YYYY or --date-format MM{sep}DD{sep}YYYY"
    if fmt is not None:
        return f"dates in this column should read {fmt.spec}, or YYYY-MM-DD"
    return "write dates as YYYY-MM-DD or YYYYMMDD, or pass --date-format (e.g. DD.MM.YYYY)"
