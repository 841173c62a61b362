"""`mpm kpi import`: the sample exports in examples/kpi, the upsert rules, bad rows, the dry-run diff."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest
from conftest import ACME, EXAMPLES, copy_workspace, run_mpm, write_workspace

from mpm.change.exports import DateFormat, parse_date, parse_number

KPI = EXAMPLES / "kpi"
AS_OF = "2026-11-16"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    return copy_workspace(ACME, tmp_path / "acme")


def changes(root: Path, rel: str) -> list[str]:
    """The +/- lines between examples/acme's file and the copy's."""
    before = (ACME / rel).read_text(encoding="utf-8").splitlines()
    after = (root / rel).read_text(encoding="utf-8").splitlines()
    return [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def kpi_import(root: Path, *args: str):
    return run_mpm("kpi", "import", *args, "-w", str(root), "--as-of", AS_OF)


GOALS = "campaigns/always-on-content/goals.yaml"
SHOW = "campaigns/spring-trade-show-2026/goals.yaml"


# -- the sample exports --------------------------------------------------------------


def test_ga4_export_daily_sessions_become_one_monthly_sum(acme):
    raw = (KPI / "ga4-organic-sessions.csv").read_text(encoding="utf-8")
    assert raw.startswith("# ---") and "\nDate,Sessions" in raw  # comment lines before the header
    october = sum(int(line.split(",")[1]) for line in raw.splitlines() if line.startswith("202610"))
    r = kpi_import(acme, str(KPI / "ga4-organic-sessions.csv"), "--goal", "organic-traffic",
                   "--period", "month", "--aggregate", "sum")
    assert r.exit_code == 0, r.output
    assert changes(acme, GOALS) == ["+  measurements:", f"+    - {{date: 2026-10-31, value: {october}}}"]
    assert "2026-11: not over as of 2026-11-16 (runs to 2026-11-30); 15 rows left out" in r.stdout
    assert "1 added · 0 replaced · 0 unchanged · 0 kept (campaigns/always-on-content/goals.yaml)" in r.stdout


def test_hubspot_export_with_bom_and_quoted_thousands(acme):
    assert (KPI / "hubspot-email-leads.csv").read_bytes().startswith(b"\xef\xbb\xbf\"Week")
    r = kpi_import(acme, str(KPI / "hubspot-email-leads.csv"), "--goal", "email-leads")
    assert r.exit_code == 0, r.output
    # in date order around the measurement already there
    assert changes(acme, GOALS) == [
        "+    - {date: 2026-10-25, value: 1238}",
        "+    - {date: 2026-11-01, value: 1266}",
        "+    - {date: 2026-11-08, value: 1279}",
        "+    - {date: 2026-11-15, value: 1301}",
    ]
    text = (acme / GOALS).read_text(encoding="utf-8")
    assert text.index("2026-10-25") < text.index("2026-10-31, value: 1262") < text.index("2026-11-01")
    assert "'Email-sourced leads (trailing quarter)' by 'Week (Create date)'" in r.stdout


def test_marketo_export_needs_its_date_format_and_keeps_a_differing_value(acme):
    path = str(KPI / "marketo-show-leads.csv")
    r = kpi_import(acme, path, "--goal", "show-leads")
    assert r.exit_code == 2
    assert f"{path}:2:1: error: '03/20/2026' is not a date" in r.stderr
    assert "hint: the file writes dates as MM/DD/YYYY: pass --date-format MM/DD/YYYY" in r.stderr
    assert "4 bad rows" in r.stderr and "nothing was written" in r.stderr
    assert changes(acme, SHOW) == []

    r = kpi_import(acme, path, "--goal", "show-leads", "--date-format", "MM/DD/YYYY")
    assert r.exit_code == 0, r.output
    assert changes(acme, SHOW) == ["+    - {date: 2026-04-03, value: 391}", "+    - {date: 2026-04-17, value: 405}"]
    assert "kept      2026-04-30  418 (the file says 420, line 5); --replace takes the file's" in r.stdout
    assert "2 added · 0 replaced · 2 unchanged · 1 kept" not in r.stdout  # 372 on 03-20 is the same
    assert "2 added · 0 replaced · 1 unchanged · 1 kept" in r.stdout


def test_marketo_replace_takes_the_files_value_and_keeps_the_note(acme):
    r = kpi_import(acme, str(KPI / "marketo-show-leads.csv"), "--goal", "show-leads",
                   "--date-format", "MM/DD/YYYY", "--replace")
    assert r.exit_code == 0, r.output
    assert changes(acme, SHOW) == [
        "-    - {date: 2026-04-30, value: 418, note: After follow-up}",
        "+    - {date: 2026-04-03, value: 391}", "+    - {date: 2026-04-17, value: 405}",
        "+    - {date: 2026-04-30, value: 420, note: After follow-up}",
    ]
    assert "replaced  2026-04-30  418 → 420" in r.stdout


def test_sheets_download_day_first_dates_and_empty_rows(acme):
    raw = (KPI / "sheets-newsletter.csv").read_text(encoding="utf-8")
    assert raw.endswith(",,,,\n,,,,\n")
    r = kpi_import(acme, str(KPI / "sheets-newsletter.csv"), "--goal", "newsletter-subscribers",
                   "--date-format", "DD.MM.YYYY")
    assert r.exit_code == 0, r.output
    assert changes(acme, GOALS) == [
        "+    - {date: 2026-11-01, value: 18764}", "+    - {date: 2026-11-08, value: 18830}",
        "+    - {date: 2026-11-15, value: 18902}"]
    assert "3 rows" in r.stdout


def test_every_sample_export_is_tested():
    tested = Path(__file__).read_text(encoding="utf-8")
    for path in KPI.glob("*.csv"):
        assert path.name in tested, f"examples/kpi/{path.name} has no test"


# -- upsert ----------------------------------------------------------------------------


def test_a_second_import_changes_nothing(acme):
    args = (str(KPI / "hubspot-email-leads.csv"), "--goal", "always-on-content/email-leads")
    assert kpi_import(acme, *args).exit_code == 0
    once = (acme / GOALS).read_bytes()
    r = kpi_import(acme, *args)
    assert r.exit_code == 0
    assert "0 added · 0 replaced · 4 unchanged · 0 kept: nothing to change" in r.stdout
    assert (acme / GOALS).read_bytes() == once


def test_dry_run_prints_the_diff_and_writes_nothing(acme):
    r = kpi_import(acme, str(KPI / "hubspot-email-leads.csv"), "--goal", "email-leads", "--note", "HubSpot export",
                   "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:3] == [f"--- a/{GOALS}", f"+++ b/{GOALS}", "@@ -10,7 +10,11 @@"]
    assert "+    - {date: 2026-11-15, value: 1301, note: HubSpot export}" in r.stdout
    assert "(dry run: nothing written)" in r.stderr
    assert changes(acme, GOALS) == []


# -- scenarios -------------------------------------------------------------------------

GOALS_YAML = """\
# Goals of the newsletter campaign.
- id: signups  # the headline number
  statement: Reach 2,000 sign-ups
  metric: newsletter sign-ups
  unit: sign-ups
  target: 2000
  measurements: [{date: 2026-10-01, value: 1200}, {date: 2026-11-01, value: 1300}]  # from the CRM
- id: revenue
  statement: Book revenue
  metric: booked revenue
  unit: USD
  target: 50000
  measurements:
    - date: 2026-10-31
      value: 10000
"""


def tiny(tmp_path: Path, csv: str, name: str = "export.csv", goals: str = GOALS_YAML) -> tuple[Path, Path]:
    root = write_workspace(tmp_path / "ws", {
        "mpm.yaml": "name: Tiny\nfiscal_year_start: 4\nteam:\n  - {id: ana, name: Ana}\n",
        "campaigns/news/campaign.yaml": "name: News\nowner: ana\n",
        "campaigns/news/goals.yaml": goals,
    })
    path = tmp_path / name
    path.write_text(csv, encoding="utf-8")
    return root, path


def goals_text(root: Path) -> str:
    return (root / "campaigns/news/goals.yaml").read_text(encoding="utf-8")


def test_bad_rows_are_listed_at_their_lines_and_nothing_is_written(tmp_path):
    csv = ("Date,Sign-ups\n"
           "2026-10-15,1250\n"
           ",1260\n"
           "2026-10-20,n/a\n"
           '"2026-10-25","1.234,5"\n'
           "2026-12-01,1400\n")
    root, path = tiny(tmp_path, csv)
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF)
    assert r.exit_code == 2
    err = r.stderr
    assert f"{path}:3:1: error: no date" in err
    assert f"{path}:4:12: error: 'n/a' is not a number" in err
    assert f"{path}:5:14: error: '1.234,5' is not a number" in err
    assert "hint: the file writes numbers with a decimal comma: pass --decimal-comma" in err
    assert f"{path}:6:1: error: 2026-12-01 is after the as-of date 2026-11-16" in err
    assert " 4 | 2026-10-20,n/a\n   |            ^" in err
    assert "4 bad rows" in err and "nothing was written" in err
    assert goals_text(root) == GOALS_YAML

    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF, "--skip-bad")
    assert r.exit_code == 0, r.output
    assert f"{path}:3:1: warning: no date (row left out)" in r.stderr
    assert ("  measurements: [{date: 2026-10-01, value: 1200}, {date: 2026-10-15, value: 1250}, "
            "{date: 2026-11-01, value: 1300}]  # from the CRM") in goals_text(root)
    # again: the good row is there already, the bad ones are still listed, and that is no error
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF, "--skip-bad")
    assert r.exit_code == 0, r.output
    assert "4 bad rows" not in r.stderr and "1 unchanged" in r.stdout and "warning: no date" in r.stderr


def test_edits_keep_comments_and_each_list_style(tmp_path):
    root, path = tiny(tmp_path, "Day,Revenue (USD)\n2026-11-10,\"$12,500.00\"\n2026-10-05,9000\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "revenue", "-w", str(root), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    text = goals_text(root)
    assert "# Goals of the newsletter campaign.\n- id: signups  # the headline number\n" in text
    assert text.endswith("  measurements:\n"
                         "    - date: 2026-10-05\n      value: 9000\n"
                         "    - date: 2026-10-31\n      value: 10000\n"
                         "    - date: 2026-11-10\n      value: 12500\n")


def test_duplicate_dates_need_an_aggregate(tmp_path):
    root, path = tiny(tmp_path, "Date,Sign-ups\n2026-10-15,10\n2026-10-15,12\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF)
    assert r.exit_code == 2
    assert f"{path}:3:1: error: 2026-10-15 is also on line 2" in r.stderr
    assert "--aggregate sum, last or mean" in r.stderr
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF,
                "--aggregate", "mean")
    assert r.exit_code == 0, r.output
    assert "{date: 2026-10-15, value: 11}" in goals_text(root)


def test_period_needs_an_aggregate(tmp_path):
    root, path = tiny(tmp_path, "Date,Sign-ups\n2026-10-15,10\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--period", "month")
    assert r.exit_code == 2
    assert "--period month needs --aggregate" in r.stderr


def test_fiscal_quarters_weeks_and_last(tmp_path):
    # fiscal_year_start: 4 — 2027-Q3 is October to December 2026, so it is not over on 2026-11-16
    rows = "Date,Sign-ups\n2026-06-29,5\n2026-07-02,7\n2026-09-30,9\n2026-10-02,11\n"
    root, path = tiny(tmp_path, rows)
    base = ("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF, "--dry-run")
    r = run_mpm(*base, "--period", "quarter", "--aggregate", "sum")
    assert ("+  measurements: [{date: 2026-06-30, value: 5}, {date: 2026-09-30, value: 16}, {date: 2026-10-01"
            in r.stdout)
    assert "2027-Q3: not over as of 2026-11-16 (runs to 2026-12-31); 1 row left out" in r.stderr
    r = run_mpm(*base, "--period", "week", "--aggregate", "sum")
    assert "{date: 2026-07-05, value: 12}" in r.stdout  # Monday 06-29 to Sunday 07-05
    r = run_mpm(*base, "--period", "quarter", "--aggregate", "last")
    assert "{date: 2026-10-02, value: 11}" in r.stdout  # a level: as of its own date, never left out


def test_columns_are_found_from_the_goal_or_named(tmp_path):
    csv = "Month,Clicks,Opens\n2026-10-31,10,20\n"
    root, path = tiny(tmp_path, csv)
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF)
    assert r.exit_code == 2
    assert f"{path}:1: cannot tell which column holds newsletter sign-ups: 'Clicks', 'Opens'" in r.stderr
    assert "--value-column 'Clicks'" in r.stderr
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF,
                "--value-column", "opens")
    assert r.exit_code == 0, r.output
    assert "{date: 2026-10-31, value: 20}" in goals_text(root)
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--value-column", "Open")
    assert r.exit_code == 2 and "no value column 'Open'" in r.stderr and "did you mean 'Opens'?" in r.stderr


def test_semicolons_totals_rows_and_a_file_that_is_not_utf8(tmp_path):
    root, path = tiny(tmp_path, "Datum;Anmeldungen\n2026-10-15;1.250\nTotal;1.250\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--as-of", AS_OF,
                "--date-column", "datum", "--value-column", "Anmeldungen", "--decimal-comma", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "{date: 2026-10-15, value: 1250}" in r.stdout
    assert "line 3: a totals row" in r.stderr
    path.write_bytes(b"Date,Sign-ups\n2026-10-15,1\n2026-10-16,caf\xe9\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root))
    assert r.exit_code == 2 and f"{path}:3: the file is not UTF-8 text" in r.stderr
    r = run_mpm("kpi", "import", str(path), "--goal", "nope", "-w", str(root))
    assert r.exit_code == 2 and "error: no goal 'nope'" in r.stderr


def test_kpi_add_reads_thousands_separators(acme):
    r = run_mpm("kpi", "add", "email-leads", "1,318", "--on", "2026-11-30", "-w", str(acme))
    assert r.exit_code == 0, r.output
    assert changes(acme, GOALS) == ["+    - {date: 2026-11-30, value: 1318}"]
    r = run_mpm("kpi", "add", "email-leads", "lots", "-w", str(acme))
    assert r.exit_code == 2 and "'lots' is not a number" in r.stderr


# -- numbers and dates -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "comma", "value"), [
    ("1,020", False, 1020), ("1020", False, 1020), ('1 020', False, 1020), ("1\u202f020", False, 1020),
    ("$85,000.00", False, 85000), ("12.5%", False, 12.5), ("-3", False, -3), ("1.2E+04", False, 12000),
    ("1.234,5", True, 1234.5), ("1 234,5", True, 1234.5), ("0,25", True, 0.25), ("1'234", False, 1234),
    ("1,2,3", False, None), ("1,0200", False, None), ("1.234,5", False, None), ("n/a", False, None),
    ("", False, None), ("1,020", True, 1.02),
])
def test_numbers(text, comma, value):
    assert parse_number(text, comma) == value


@pytest.mark.parametrize(("text", "fmt", "day"), [
    ("2026-11-03", None, date(2026, 11, 3)), ("20261103", None, date(2026, 11, 3)),
    ("2026-11-03T00:00:00Z", None, date(2026, 11, 3)), ("2026/11/03", None, date(2026, 11, 3)),
    ("03.11.2026", "DD.MM.YYYY", date(2026, 11, 3)), ("11/3/2026", "MM/DD/YYYY", date(2026, 11, 3)),
    ("2026-11-03", "DD.MM.YYYY", date(2026, 11, 3)), ("2026-02-30", None, None), ("03.11.2026", None, None),
    ("Nov 3, 2026", None, None),
])
def test_dates(text, fmt, day):
    assert parse_date(text, DateFormat.parse(fmt) if fmt else None) == day


def test_a_bad_date_format_is_a_usage_error(tmp_path):
    root, path = tiny(tmp_path, "Date,Sign-ups\n2026-10-15,10\n")
    r = run_mpm("kpi", "import", str(path), "--goal", "signups", "-w", str(root), "--date-format", "DD.MM")
    assert r.exit_code == 2 and "'DD.MM' is not a date format" in r.stderr
