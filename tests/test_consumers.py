"""The example workspace's outputs in the programs that read them, and the escaping rules one by one."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from conftest import ACME, run_mpm
from consumers import ics_events, markdown_html, mermaid_parse, print_pdf_pages
from hypothesis import example, given, settings
from hypothesis import strategies as st

AS_OF = "2026-11-16"
HEADINGS = ("SCHEDULE", "MILESTONES", "GOALS", "TOP RISKS", "OPEN APPROVALS", "LESSONS LEARNED")


def test_acme_gantt_parses_in_mermaid():
    r = run_mpm("export", "mermaid", "-w", str(ACME), "--as-of", AS_OF)
    got = mermaid_parse(r.stdout)
    assert got["ok"], got.get("error")
    names = {t["task"] for t in got["tasks"]}
    assert {"Black Friday sale goes live", "Weekly blog post ×51", "30-day pipeline review with Sales"} <= names
    report = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF).stdout
    blocks = re.findall(r"```mermaid\n(.*?)```", report, re.S)
    assert blocks and all(mermaid_parse(b)["ok"] for b in blocks)


def test_a_chart_too_large_for_mermaid_is_announced(tmp_path):
    ws = tmp_path / "big"
    (ws / "campaigns" / "big").mkdir(parents=True)
    (ws / "mpm.yaml").write_text("name: Big\nteam:\n  - {id: ana, name: Ana, capacity_hours_per_week: 40}\n",
                                 encoding="utf-8")
    (ws / "campaigns/big/campaign.yaml").write_text("name: Big\nowner: ana\nstart: 2027-01-04\n", encoding="utf-8")
    (ws / "campaigns/big/tasks.yaml").write_text("".join(
        f"- id: task-{i}\n  name: Localise banner set {i} for the regional storefronts\n  duration: 1\n"
        for i in range(1000)), encoding="utf-8")
    r = run_mpm("export", "mermaid", "-w", str(ws), "--as-of", "2027-01-04")
    assert r.exit_code == 0
    assert len(r.stdout) > 50_000
    assert "Mermaid draws nothing past 50,000" in r.stderr and "--campaign" in r.stderr
    small = run_mpm("export", "mermaid", "-w", str(ACME), "--as-of", AS_OF)
    assert small.stderr == ""
    report = run_mpm("report", "-w", str(ws), "--as-of", "2027-01-04")
    assert "```mermaid" not in report.stdout and "more than a Mermaid chart can draw" in report.stdout
    from consumers import mermaid_render

    assert mermaid_render(r.stdout, tmp_path)["too_big"], "the limit mpm warns at is Mermaid's"
    assert not mermaid_render(small.stdout, tmp_path)["too_big"]


def test_acme_markdown_report_renders_as_gfm():
    r = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF)
    page = markdown_html(r.stdout)
    assert page.count("<table>") >= 8
    assert "<td>Privacy review blocks the portal sign-up flow</td>" in page


def test_acme_calendar_reads_the_same_in_two_parsers():
    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", AS_OF)
    events = ics_events(r.stdout.encode("utf-8"))
    assert len(events) > 100 and all(e["sequence"] == events[0]["sequence"] for e in events)


def test_printed_report_starts_with_the_first_campaign(tmp_path):
    page = tmp_path / "report.html"
    run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--format", "html", "-o", str(page))
    pages = print_pdf_pages(page, tmp_path / "profile")
    first = pages[0]
    # the portfolio table may wrap the name; the campaign's own heading is one line
    assert "\nBlack Friday / Cyber Monday 2026 " in first, "page 1 holds the first campaign, not just the title"
    assert "LAUNCH FORECAST" in first and "Make Black Friday week" in first
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            assert lines[-1] not in HEADINGS, f"a heading was left at the foot of a page: {lines[-1]}"
        if "MILESTONES" in lines:
            after = lines[lines.index("MILESTONES") + 1:]
            assert len(after) >= 2 and after[0].startswith("MILESTONE"), "the Milestones header kept its rows"


# -- the escaping rules, one consumer at a time -------------------------------------------------


def test_terminal_never_writes_a_control_character_from_user_text():
    from rich.text import Text

    from mpm.render.console import console

    con = console()
    buffer = io.StringIO()
    con.file = buffer
    con.print(Text("title \x1b]0;pwned\x07 and \x1b[2J clear \u202egnp.exe", style="bold"))
    assert buffer.getvalue() == "title ]0;pwned and [2J clear gnp.exe\n"


def test_terminal_keeps_its_own_colour(monkeypatch):
    from rich.text import Text

    from mpm.render.console import console

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout", buffer := io.StringIO())
    console().print(Text("late\x1b[31m!", style="bold red"))
    assert buffer.getvalue() == "\x1b[1;31mlate[31m!\x1b[0m\n"


@pytest.mark.parametrize(("name", "want"), [
    ("**x**", "<p>**x**</p>"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("<draft>", "<p>&lt;draft&gt;</p>"),
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    ("# heading", "<p># heading</p>"),
    ("- item", "<p>- item</p>"),
    ("1. item", "<p>1. item</p>"),
    ("a `code` b", "<p>a `code` b</p>"),
    ("~~gone~~", "<p>~~gone~~</p>"),
    ("Q&A &amp;", "<p>Q&amp;A &amp;amp;</p>"),
])
def test_markdown_escape_reads_as_the_literal_text(name, want):
    from mpm.render.escape import markdown

    assert markdown_html(markdown(name)).strip() == want


def test_markdown_cell_keeps_one_row():
    from mpm.render.escape import markdown_cell

    cell = markdown_cell("one | two\nthree")
    table = f"| a | b |\n|---|---|\n| {cell} | x |\n"
    page = markdown_html(table)
    assert page.count("<tr>") == 2 and "<td>one | two<br>three</td>" in page


def test_html_escape_drops_forbidden_code_points():
    from mpm.render.escape import html

    assert html('<a href="x">\x1b[1m\u202eé</a>') == "&lt;a href=&quot;x&quot;&gt;[1mé&lt;/a&gt;"


@pytest.mark.parametrize("name", ["=1+1", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "＝1+1"])
def test_csv_cell_is_never_a_formula(name):
    from mpm.render.escape import csv_cell

    assert csv_cell(name).startswith("'")


def test_csv_cell_leaves_numbers_and_text():
    from mpm.render.escape import csv_cell

    assert [csv_cell(x) for x in ("-6", "12.5", "plain", "a=b", "")] == ["-6", "12.5", "plain", "a=b", ""]


def test_workflow_command_escaping():
    from mpm.render.github import command

    line = command("error", "100% bad\nnext\x1b[2J", file="a,b:c.yaml", line=3)
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3::100%25 bad%0Anext[2J"


def test_mermaid_escape_keeps_the_text(tmp_path):
    from mpm.render.escape import mermaid

    assert mermaid("Email #2: the teaser; v2") == "Email #35;2#58; the teaser#59; v2"
    assert mermaid("title card") == "#116;itle card"
    assert mermaid("2026-11-20 walk") == "#50;026-11-20 walk"
    assert mermaid("") == "task"


def test_bidi_warning_and_control_error_from_check(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ACME, ws)
    tasks = ws / "campaigns" / "black-friday-2026" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("name: Define offers and the discount ladder",
                                  "name: Define offers \u202eand the discount ladder", 1), encoding="utf-8")
    r = run_mpm("check", "-w", str(ws))
    assert r.exit_code == 0 and "warning[W305]: bidi control character U+202E (RIGHT-TO-LEFT OVERRIDE)" in r.stdout
    tasks.write_text(text.replace("name: Define offers and the discount ladder",
                                  'name: "Define offers\\e[2J"', 1), encoding="utf-8")
    r = run_mpm("check", "-w", str(ws))
    assert r.exit_code == 2 and "error[E015]: control character U+001B (ESC)" in r.stdout
    assert "\x1b" not in r.stdout
    tasks.write_text(text.replace("name: Define offers and the discount ladder",
                                  "name: Define offers\x07 ding", 1), encoding="utf-8")
    r = run_mpm("check", "-w", str(ws))
    line = next(i for i, x in enumerate(tasks.read_text(encoding="utf-8").splitlines(), 1) if "\x07" in x)
    assert f"campaigns/black-friday-2026/tasks.yaml:{line}:22: error[E015]: control character U+0007 (BEL)" in r.stdout
    assert "\x07" not in r.stdout


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from("ab 1.#-+=*_`[]|~&<>\\\t\n\r\u00a0\u202e\x1b٣²"), max_size=8)
       | st.text(max_size=8))
@example("²1. item")
@example("٣. item")
@example("a ")
def test_the_markdown_shortcut_gives_what_the_whole_escape_gives(text):
    from mpm.render.escape import escaped_markdown, markdown

    assert markdown(text) == (escaped_markdown(text) if text else "")


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from("ab 1&<>\"'#;\t\n\r\u00a0\u202e\x1b\x85é"), max_size=8) | st.text(max_size=8))
@example("")
@example("Q&A")
@example("it's \"live\"")
def test_the_html_shortcut_gives_what_the_whole_escape_gives(text):
    from html import escape

    from mpm.render.escape import clean, html

    assert html(text) == escape(clean(text), quote=True)


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from("ab 1-+#:;%<>tT\t\n\u00a0\u202e\x1bé"), max_size=8) | st.text(max_size=8))
@example("title card")
@example("Email #2: the teaser; v2")
def test_the_mermaid_shortcut_gives_what_the_whole_escape_gives(text):
    from mpm.render import escape

    s = escape.one_line(text)
    whole = s.translate(escape._MERMAID_TABLE)  # every character looked up
    if s and (s[0].isdigit() or s[0] in "-+" or s[:18].lower().startswith(escape._MERMAID_KEYWORDS)) \
            and s[0] not in escape._MERMAID_ENTITY:
        whole = f"#{ord(s[0])};" + whole[1:]
    assert escape.mermaid(text, fallback="") == whole


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from("az09-_ ×@.Éé"), max_size=10) | st.text(max_size=10))
@example("weekly-post")
@example("ｆｕｌｌ")
def test_mermaid_ids_are_the_names_made_safe(text):
    from mpm.render.mermaid import _NOT_ID, _name

    assert _name(text) == _NOT_ID.sub("_", text)
