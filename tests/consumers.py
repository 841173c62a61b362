"""The real programs that read mpm's outputs, driven from tests.

Each helper runs one consumer and returns what it understood; a test calls
`pytest.skip` (with the reason) when the consumer is not installed here.
.ci/run installs them: Node and the `mermaid` npm package (into
$MPM_NODE_DIR, else tests/.node), Chromium and pdftotext from Debian,
icalendar, vobject and markdown-it-py from the test extra.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

# Mermaid's own entity round trip: `#35;` is held as `ﬂ°°35¶ß` while parsing and
# becomes `&#35;` in the SVG; a named one (`#lt;`) becomes `&lt;`.
_HELD = re.compile("ﬂ°°(\\d+)¶ß|ﬂ°(\\w+)¶ß")

MERMAID_SCRIPT = r"""
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
const text = readFileSync(0, "utf8");
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  console.log(JSON.stringify({ ok: true, title: db.getDiagramTitle(),
    tasks: db.getTasks().map(t => ({ task: t.task, section: t.section, id: t.id })) }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String((e && e.message) || e) }));
}
"""


def node_dir() -> Path:
    return Path(os.environ.get("MPM_NODE_DIR") or HERE / ".node")


def require_mermaid() -> Path:
    folder = node_dir()
    if shutil.which("node") is None:
        pytest.skip("no Node on this machine (.ci/run installs Debian's nodejs)")
    if not (folder / "node_modules" / "mermaid").is_dir() or not (folder / "node_modules" / "jsdom").is_dir():
        pytest.skip(f"the mermaid npm package is not installed in {folder} (.ci/run installs it)")
    script = folder / "mpm-parse-mermaid.mjs"
    if not script.exists() or script.read_text(encoding="utf-8") != MERMAID_SCRIPT:
        script.write_text(MERMAID_SCRIPT, encoding="utf-8")
    return script


def mermaid_parse(text: str) -> dict:
    """What Mermaid's own parser makes of a chart: title, tasks (text as drawn) or the error."""
    script = require_mermaid()
    done = subprocess.run(["node", script.name], cwd=script.parent, input=text, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for t in result.get("tasks") or []:
        t["task"] = mermaid_text(t["task"])
        t["section"] = mermaid_text(t["section"] or "")
    if result.get("title"):
        result["title"] = mermaid_text(result["title"])
    return result


def mermaid_text(held: str) -> str:
    """A task text as the drawn chart shows it."""
    return html.unescape(_HELD.sub(lambda m: f"&#{m[1]};" if m[1] else f"&{m[2]};", held)).strip()


def markdown_html(text: str) -> str:
    """GitHub-flavoured Markdown (tables, strikethrough, raw HTML allowed) as HTML, by markdown-it-py."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


def ics_events(data: bytes) -> list[dict[str, str]]:
    """Every event as two independent parsers read it (icalendar and vobject); they must agree."""
    import vobject
    from icalendar import Calendar

    first = [{"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "sequence": str(e.get("SEQUENCE"))}
             for e in Calendar.from_ical(data).walk("VEVENT")]
    cal = vobject.readOne(data.decode("utf-8"))
    second = [{"uid": e.uid.value, "summary": e.summary.value, "sequence": str(e.sequence.value)}
              for e in cal.vevent_list]
    assert first == second, "icalendar and vobject read the calendar differently"
    return first


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run as a formula (what LibreOffice and Excel do on import)."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    return [cell for row in rows for cell in row
            if cell.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(\.\d+)?", cell)]


def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine (.ci/run installs Debian's chromium)")
    return browser


CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars"]


def chromium_dom(page: Path, profile: Path) -> str:
    done = subprocess.run([chromium(), *CHROME_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def print_pdf_pages(page: Path, profile: Path) -> list[str]:
    """The page printed to PDF by headless Chromium, as the text of each page (pdftotext)."""
    browser = chromium()
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext on this machine (.ci/run installs Debian's poppler-utils)")
    pdf = page.with_suffix(".pdf")
    subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=180)
    assert pdf.exists() and pdf.stat().st_size > 1000, "Chromium printed nothing"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    return text.split("\f")


def mermaid_render(chart: str, tmp: Path) -> dict:
    """The chart drawn by Mermaid in headless Chromium: task texts as drawn, or the error shown."""
    browser = chromium()
    bundle = node_dir() / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if not bundle.is_file():
        pytest.skip(f"the mermaid npm package is not installed in {node_dir()} (.ci/run installs it)")
    page = tmp / "mermaid.html"
    page.write_text(
        f'<!DOCTYPE html><html><body><pre class="mermaid">{html.escape(chart)}</pre>'
        f'<script src="{bundle.as_uri()}"></script>'
        "<script>mermaid.initialize({startOnLoad: false});"
        "mermaid.run().then(() => document.body.setAttribute('data-done', '1'))"
        ".catch(e => document.body.setAttribute('data-error', String(e)));</script></body></html>",
        encoding="utf-8")
    dom = subprocess.run([browser, *CHROME_FLAGS, f"--user-data-dir={tmp / 'profile'}",
                          "--allow-file-access-from-files", "--virtual-time-budget=15000", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=180).stdout
    error = re.search(r'data-error="([^"]*)"', dom)
    texts = [html.unescape(t).strip() for t in re.findall(r'<text [^>]*class="[^"]*taskText[^"]*"[^>]*>([^<]*)</text>',
                                                          dom)]
    return {"done": 'data-done="1"' in dom, "error": html.unescape(error[1]) if error else None,
            "texts": texts, "too_big": "Maximum text size in diagram exceeded" in dom}
