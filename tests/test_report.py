"""`mpm report` and `mpm export`: what leadership, clients and other tools receive."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date, timedelta

import pytest
from conftest import ACME, copy_workspace, run_mpm

AS_OF = "2026-11-16"


def test_markdown_report_golden(golden):
    r = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF)
    assert r.exit_code == 0, r.output
    golden("report-acme.md", r.stdout)
    assert "```mermaid\ngantt\n" in r.stdout
    # the portfolio table lists the late campaign first
    table = [line for line in r.stdout.splitlines() if line.startswith("| [")]
    assert table[0].startswith("| [Black Friday / Cyber Monday 2026](#black-friday-2026) | 🔴 Late |")


def test_report_for_one_campaign_and_since(tmp_path):
    r = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "trailhead-b2b-launch",
                "--since", "2026-11-01")
    assert r.stdout.startswith("# Acme Trailhead B2B launch — status report\n")
    assert "**🟠 At risk** — blocked: privacy-review" in r.stdout
    assert "- Positioning and messaging framework (`positioning`, Maya Chen, 2026-11-12)" in r.stdout
    assert ("- Privacy review of the portal sign-up flow (GDPR, CCPA) — Compliance – Omar Haddad: **rejected** — "
            "The sign-up form") in r.stdout


def test_closed_campaign_shows_lessons():
    r = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "spring-trade-show-2026")
    assert "### Lessons learned" in r.stdout and "Book hotels when the booth is booked" in r.stdout
    assert "### Next two weeks" not in r.stdout


def test_html_report_is_one_self_contained_file(tmp_path):
    out = tmp_path / "report.html"
    r = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<svg class="gantt"' in html and "@media print" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "no network at view time"
    assert "<script" not in html
    assert oct(out.stat().st_mode & 0o777) != "0o600"


def test_html_ids_are_unique_even_for_a_campaign_named_content(tmp_path):
    """Each campaign's section is found by its id; the page's own sections take ids no campaign
    can have (a campaign id is a slug: no underscore), so a campaign called `content` keeps its link."""
    from html.parser import HTMLParser

    root = copy_workspace(ACME, tmp_path / "acme")
    (root / "campaigns" / "spring-trade-show-2026").rename(root / "campaigns" / "content")
    r = run_mpm("report", "-w", str(root), "--as-of", AS_OF, "--format", "html")
    assert r.exit_code == 0, r.output

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.ids += [v for k, v in attrs if k == "id"]

    parsed = Ids()
    parsed.feed(r.stdout)
    assert "content" in parsed.ids and 'href="#content"' in r.stdout
    assert len(parsed.ids) == len(set(parsed.ids)), sorted(i for i in parsed.ids if parsed.ids.count(i) > 1)


def test_html_escapes_what_users_wrote(tmp_path):
    root = tmp_path / "acme"
    copy_workspace(ACME, root)
    campaign = root / "campaigns/black-friday-2026/campaign.yaml"
    campaign.write_text(campaign.read_text().replace(
        "name: Black Friday / Cyber Monday 2026", 'name: "<script>alert(1)</script> Sale"'))
    html = run_mpm("report", "-w", str(root), "--as-of", AS_OF, "--format", "html").stdout
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sale" in html


def test_html_critical_path_names_each_task_once_escaped(tmp_path):
    """The line under each Gantt chart names the critical path's tasks (a series by its name,
    not an occurrence per date), each escaped."""
    root = copy_workspace(ACME, tmp_path / "acme")
    tasks = root / "campaigns/trailhead-b2b-launch/tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(
        "name: Trailhead launches", "name: 'Trailhead <launch> & \"go\"'"), encoding="utf-8")
    html = run_mpm("report", "-w", str(root), "--as-of", AS_OF, "--format", "html").stdout
    lines = re.findall(r"· critical: ([^<]*)</div>", html)
    assert "Trailhead &lt;launch&gt; &amp; &#34;go&#34; → 30-day pipeline review with Sales" in lines
    assert "LinkedIn company posts" in lines and not any("@" in line for line in lines)
    assert "<launch>" not in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars"]


def _png_size_and_colours(data: bytes) -> tuple[int, int, int]:
    """(width, height, distinct colours in a sample of rows) of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    width = height = colour_type = 0
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _depth, colour_type = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    bpp = 4 if colour_type == 6 else 3
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the row filter (PNG spec, section 9)
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 30 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 3))
        prev = line
    return width, height, len(colours)


def test_html_report_renders_in_a_browser(tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium)")
    page = tmp_path / "report.html"
    run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--format", "html", "-o", str(page))
    profile = tmp_path / "profile"
    dom = subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert '<svg class="gantt"' in dom and "<rect" in dom and "<polygon" in dom
    for number in ("85,000", "67,700", "2026-12-10", "2026-12-03", "Black Friday sale goes live"):
        assert number in dom, number
    shot = tmp_path / "report.png"
    subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--window-size=1100,1800",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    data = shot.read_bytes()
    width, height, colours = _png_size_and_colours(data)
    assert (width, height) == (1100, 1800)
    assert len(data) > 50_000 and colours > 8, "the page rendered as more than a blank sheet"


DOMAIN = "acme-outdoor-co-marketing.mpm"


def test_ics_parses_back_and_round_trips_dates(tmp_path):
    from icalendar import Calendar

    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "black-friday-2026")
    assert r.exit_code == 0
    cal = Calendar.from_ical(r.stdout)
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    plan = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "json",
                              "black-friday-2026").stdout)["campaigns"][0]
    for t in plan["tasks"]:
        kind = "milestone" if t["milestone"] else "task"
        e = events[f"{kind}-black-friday-2026-{t['id']}@{DOMAIN}"]
        start = e.decoded("DTSTART")
        end = e.decoded("DTEND")
        assert start == date.fromisoformat(t["start"])
        assert end == date.fromisoformat(t["finish"]) + timedelta(days=1)
        if t["due"] and not t["milestone"]:
            due = events[f"due-black-friday-2026-{t['id']}@{DOMAIN}"]
            assert due.decoded("DTSTART") == date.fromisoformat(t["due"])
        assert e["SEQUENCE"] == (date.fromisoformat(AS_OF) - date(2000, 1, 1)).days
    # the same plan gives the same file: stable UIDs and DTSTAMP
    again = run_mpm("export", "ics", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "black-friday-2026")
    assert again.stdout == r.stdout
    # a later export carries a higher SEQUENCE, so calendar apps replace the moved events
    later = Calendar.from_ical(run_mpm("export", "ics", "-w", str(ACME), "--as-of", "2026-11-20",
                                       "--campaign", "black-friday-2026").stdout)
    assert all(e["SEQUENCE"] > events[str(e["UID"])]["SEQUENCE"] for e in later.walk("VEVENT"))


def test_ics_uids_differ_between_workspaces(tmp_path):
    other = tmp_path / "other"
    shutil.copytree(ACME, other)
    config = other / "mpm.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: Acme Outdoor Co. marketing",
                                                                  "name: Acme agency"), encoding="utf-8")
    from icalendar import Calendar

    uids = [{str(e["UID"]) for e in Calendar.from_ical(run_mpm("export", "ics", "-w", str(w), "--as-of",
                                                                AS_OF).stdout).walk("VEVENT")}
            for w in (ACME, other)]
    assert uids[0] and not uids[0] & uids[1]


def test_ics_per_person(tmp_path):
    from icalendar import Calendar

    r = run_mpm("export", "ics", "-w", str(ACME), "--as-of", AS_OF, "--output-dir", str(tmp_path))
    assert r.exit_code == 0
    files = sorted(p.name for p in tmp_path.glob("*.ics"))
    assert files == ["ines.ics", "leo.ics", "maya.ics", "priya.ics", "sam.ics", "tom.ics"]
    leo = Calendar.from_ical((tmp_path / "leo.ics").read_bytes())
    assert all("leo" in str(e["DESCRIPTION"]) for e in leo.walk("VEVENT"))


MERMAID_TASK = re.compile(
    r"^    (?P<text>(?:[^:;#\n]|#\w+;)+?) :(?P<tags>(?:(?:crit|done|active|milestone|vert), )*)"
    r"(?P<id>[A-Za-z_][A-Za-z0-9_]*), "
    r"(?P<start>\d{4}-\d{2}-\d{2}), (?P<end>\d{4}-\d{2}-\d{2}|0d)$")


def check_mermaid_gantt(text: str) -> int:
    """A checker for the subset of Mermaid's gantt grammar mpm writes; returns the task count."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "gantt"
    ids: set[str] = set()
    seen_format = False
    tasks = 0
    for line in lines[1:]:
        if line.startswith("    title "):
            continue
        if line == "    dateFormat YYYY-MM-DD":
            seen_format = True
            continue
        if line.startswith("    axisFormat ") or line == "    todayMarker off":
            continue
        if line.startswith("    section "):
            assert ":" not in line and line[12:].strip()
            continue
        m = MERMAID_TASK.match(line)
        assert m, f"not a gantt task line: {line!r}"
        assert m["id"] not in ids, f"duplicate id {m['id']}"
        ids.add(m["id"])
        if m["end"] != "0d":
            assert date.fromisoformat(m["end"]) > date.fromisoformat(m["start"])
        else:
            assert "milestone" in m["tags"] or "vert" in m["tags"]
        tasks += 1
    assert seen_format
    return tasks


def test_mermaid_export_is_valid_gantt():
    r = run_mpm("export", "mermaid", "-w", str(ACME), "--as-of", AS_OF)
    assert r.exit_code == 0
    plan = json.loads(run_mpm("plan", "-w", str(ACME), "--as-of", AS_OF, "--format", "json").stdout)
    rows = {(c["id"], t["id"].split("@")[0]) for c in plan["campaigns"] for t in c["tasks"]}
    assert check_mermaid_gantt(r.stdout) == len(rows) + 1  # a repeating task is one row; the as-of marker
    with pytest.raises(AssertionError):
        check_mermaid_gantt("gantt\n    dateFormat YYYY-MM-DD\n    a: b :crit, x, 2026-01-01, 2026-01-02\n")


def test_csv_golden(golden, tmp_path):
    r = run_mpm("export", "csv", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "black-friday-2026")
    assert r.exit_code == 0
    golden("export-acme.csv", r.stdout)
    assert r.stdout.startswith("\ufeffcampaign,id,name,")  # the BOM spreadsheets need for UTF-8
    rows = list(csv.DictReader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    signage = next(x for x in rows if x["id"] == "store-signage")
    # levelled: Leo works Mon–Thu, so the six days of signage span a Friday off: -7, not §3's -6
    assert signage["total_float"] == "-7" and signage["critical"] == "yes"
    out = tmp_path / "plan.csv"
    run_mpm("export", "csv", "-w", str(ACME), "--as-of", AS_OF, "-o", str(out))
    assert out.read_bytes().split(b"\n", 1)[0].endswith(b"\r")  # RFC 4180 line ends


def test_json_export_holds_workspace_and_schedule():
    r = run_mpm("export", "json", "-w", str(ACME), "--as-of", AS_OF)
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/export/1" and doc["as_of"] == AS_OF
    assert doc["workspace"]["currency"] == "USD"
    bf = next(c for c in doc["campaigns"] if c["id"] == "black-friday-2026")
    assert bf["campaign"]["launch"] == "2026-11-27"
    assert len(bf["tasks"]) == 15 and bf["schedule"]["critical_path"] == ["store-signage"]
    assert bf["tasks"][0]["id"] == "offer-strategy"


def test_client_audience_leaves_out_what_is_for_the_team(tmp_path):
    note = "The sign-up form collects birth dates"
    team = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "trailhead-b2b-launch")
    assert note in team.stdout and "(`positioning`, Maya Chen, 2026-11-12)" in team.stdout
    client = run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "trailhead-b2b-launch",
                     "--audience", "client")
    assert client.exit_code == 0
    assert note not in client.stdout
    assert "Compliance – Omar Haddad: **rejected**\n" in client.stdout
    assert "- Positioning and messaging framework (Maya Chen, 2026-11-12)" in client.stdout
    assert "blocked: Privacy review of the portal sign-up flow" in client.stdout
    page = tmp_path / "client.html"
    run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "trailhead-b2b-launch",
            "--format", "html", "--audience", "client", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert note not in html and "(privacy-review" not in html
    assert "<title>Privacy review of the portal sign-up flow (GDPR, CCPA) (Maya Chen)</title>" in html


def test_html_gantt_labels_rows_with_names_and_people(tmp_path):
    page = tmp_path / "report.html"
    run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "black-friday-2026", "--format", "html",
            "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert '<title>Black Friday sale goes live (bf-launch, Maya Chen)</title>Black Friday sale goes live</text>' in html
    assert "<title>Design window and counter kits for the stores (store-signage, Leo Okafor)</title>" in html
    assert ">offer-strategy<" not in html, "rows are labelled with names, not ids"
    assert 'today-label">as of 2026-11-16</text>' in html


def test_html_report_draws_a_trend_chart_per_goal(tmp_path):
    page = tmp_path / "report.html"
    run_mpm("report", "-w", str(ACME), "--as-of", AS_OF, "--campaign", "always-on-content", "--format", "html",
            "-o", str(page))
    html = page.read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="trend".*?</svg>', html, re.S)
    assert len(charts) >= 2
    assert all('class="path"' in c and 'class="measured"' in c for c in charts)
    assert any('class="forecast"' in c for c in charts)


def test_the_reports_forecast_spends_a_bounded_number_of_runs():
    """Inside the report the forecast makes the full 2,000 runs up to about 2,500 tasks, fewer
    (never under 200) for larger workspaces, and the report says how many it made."""
    from mpm.views.forecast_data import DEFAULT_RUNS, view_runs

    assert view_runs(44) == DEFAULT_RUNS
    assert view_runs(2_750) == 2000
    assert view_runs(11_000) == 500
    assert view_runs(110_000) == 200
    assert view_runs(10**8) == 200


def test_export_json_takes_the_same_filters():
    import json

    out = run_mpm("export", "json", "-w", str(ACME), "--as-of", "2026-11-16", "-c", "black-friday-2026",
                  "-p", "leo")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    (camp,) = doc["campaigns"]
    assert camp["id"] == "black-friday-2026"
    assert camp["tasks"] and {t["owner"] for t in camp["tasks"]} == {"leo"}
    assert {t["id"] for t in camp["schedule"]["tasks"]} == {t["id"] for t in camp["tasks"]}
    wrong = run_mpm("export", "json", "-w", str(ACME), "-p", "lio")
    assert wrong.exit_code == 2 and "leo" in wrong.output


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.lists(st.lists(st.sampled_from(["", "\n", "a", "b\n", "\n\nc", "é", "—", "x\n\n"]), max_size=5),
                max_size=6))
def test_the_markdown_report_written_a_campaign_at_a_time_is_the_whole_text(blocks):
    """The chunks are the bytes of the lines joined at once, trailing line breaks cut to one."""
    from mpm.render.report_md import _ending_once, _texts

    whole = "\n".join(line for block in blocks for line in block).rstrip("\n") + "\n"
    assert b"".join(_ending_once(_texts(iter(blocks)))) == whole.encode("utf-8")


def test_compiled_report_templates_are_kept_and_a_bad_one_changes_nothing(tmp_path, monkeypatch):
    """The report's templates compile once per user and mpm version, as Python keeps .pyc
    files; a damaged kept compilation, or a cache folder that cannot be made, gives the same page."""
    import jinja2
    from jinja2.bccache import bc_magic

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ("report", "-w", str(ACME), "--as-of", AS_OF, "--format", "html")
    first = run_mpm(*args)
    assert first.exit_code == 0 and first.stdout.startswith("<!DOCTYPE html>")
    kept = sorted((tmp_path / "cache" / "mpm" / "templates").iterdir())
    assert len(kept) == 3

    def never(*_args, **_kw):
        raise AssertionError("compiled again although kept")

    with monkeypatch.context() as m:
        m.setattr(jinja2.Environment, "compile", never)
        assert run_mpm(*args).stdout == first.stdout
    # cut inside the checksum, then inside the code: each is compiled again and kept whole
    for cut in (len(bc_magic) + 3, -40):
        for f in kept:
            f.write_bytes(f.read_bytes()[:cut])
        assert run_mpm(*args).stdout == first.stdout
    with monkeypatch.context() as m:
        m.setattr(jinja2.Environment, "compile", never)
        assert run_mpm(*args).stdout == first.stdout
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert run_mpm(*args).stdout == first.stdout
