"""Properties of the loader (hypothesis).

Random valid workspaces load clean and round-trip through the models; random
damage to real files is always reported as diagnostics, never a traceback,
and the fast reader and the full parse agree on it.
"""

from __future__ import annotations

from datetime import date, timedelta

from conftest import ACME, copy_workspace
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mpm.check.checks import check_workspace
from mpm.read.fields import dump as record_dump
from mpm.read.source import parse_text

slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?", fullmatch=True)
texts = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")),
                min_size=1, max_size=30).map(str.strip).filter(bool)
days = st.integers(0, 400).map(lambda n: date(2027, 1, 4) + timedelta(days=n))


@st.composite
def workspaces(draw):
    people = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    n = draw(st.integers(1, 8))
    ids = draw(st.lists(slugs, min_size=n, max_size=n, unique=True))
    tasks = []
    for i, tid in enumerate(ids):
        task = {"id": tid, "name": draw(texts), "owner": draw(st.sampled_from(people))}
        if draw(st.booleans()):
            task["milestone"] = True
        else:
            task["duration"] = draw(st.integers(1, 10))
            if draw(st.booleans()):
                task["effort"] = draw(st.integers(0, 80))
        preds = draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=2)) if i else []
        if preds:
            task["depends_on"] = [
                p if draw(st.booleans()) else {"task": p, "type": draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
                                               "lag": draw(st.integers(-2, 3))}
                for p in preds]
        if draw(st.booleans()):
            start = draw(days)
            task["start"] = start
            if draw(st.booleans()):
                task["due"] = start + timedelta(days=draw(st.integers(0, 60)))
        task["status"] = draw(st.sampled_from(["todo", "blocked", "in-progress", "done"]))
        if task["status"] in ("in-progress", "done"):
            task["started_on"] = date(2027, 1, 4)
        if task["status"] == "done":
            task["done_on"] = date(2027, 1, 8)
        tasks.append(task)
    risks = [{"id": rid, "title": draw(texts), "likelihood": draw(st.integers(1, 5)),
              "impact": draw(st.integers(1, 5)), "affects": [draw(st.sampled_from(ids))]}
             for rid in draw(st.lists(slugs, max_size=3, unique=True))]
    return people, tasks, risks


def dump(value, indent: int = 0) -> str:
    """A small YAML writer for the generated data (block style, quoted text)."""
    pad = " " * indent
    if isinstance(value, list):
        out = []
        for item in value:
            body = dump(item, indent + 2).lstrip() if isinstance(item, dict) else scalar(item)
            out.append(f"{pad}- {body}")
        return "\n".join(out)
    lines = []
    for k, v in value.items():
        if isinstance(v, dict):
            lines.append(f"{pad}{k}:\n{dump(v, indent + 2)}")
        elif isinstance(v, list):
            lines.append(f"{pad}{k}:\n{dump(v, indent + 2)}" if v else f"{pad}{k}: []")
        else:
            lines.append(f"{pad}{k}: {scalar(v)}")
    return "\n".join(lines)


def scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, date)):
        return str(v)
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workspaces())
def test_random_valid_workspaces_load_clean_and_round_trip(tmp_path_factory, spec):
    people, tasks, risks = spec
    root = tmp_path_factory.mktemp("ws")
    team = [{"id": p, "name": p.title()} for p in people]
    (root / "mpm.yaml").write_text(dump({"name": "Generated", "team": team}) + "\n", encoding="utf-8")
    camp = root / "campaigns" / "gen"
    camp.mkdir(parents=True)
    (camp / "campaign.yaml").write_text('name: "Generated campaign"\nstart: 2027-01-04\n', encoding="utf-8")
    (camp / "tasks.yaml").write_text(dump(tasks) + "\n", encoding="utf-8")
    if risks:
        (camp / "risks.yaml").write_text(dump(risks) + "\n", encoding="utf-8")
    ws, diagnostics = check_workspace(root)
    assert [d for d in diagnostics if d.severity.value == "error"] == []
    loaded = ws.campaigns[0].tasks
    assert [t.id for t in loaded] == [t["id"] for t in tasks]
    for got, want in zip(loaded, tasks, strict=True):
        dumped = record_dump(got, mode="python")
        for key, value in want.items():
            if key == "depends_on":
                refs = [v if isinstance(v, str) else v["task"] for v in value]
                assert [d.task for d in got.depends_on] == refs
            else:
                assert dumped[key] == value, key


EXAMPLE_FILES = sorted(p for p in ACME.rglob("*.yaml"))


@st.composite
def damaged(draw):
    path = draw(st.sampled_from(EXAMPLE_FILES))
    raw = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "indicator"]))
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "flip" and raw:
            raw[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete" and raw:
            del raw[at:at + draw(st.integers(1, 8))]
        elif kind == "truncate":
            del raw[at:]
        else:
            raw[at:at] = draw(st.sampled_from([b": ", b"- ", b"[", b"{", b"&a ", b"*a ", b"!t ", b"\t",
                                               b"\n  ", b"---\n", b"<<<<<<< x\n", b'"', b"#"]))
    return path, bytes(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged())
def test_damaged_example_files_give_diagnostics_never_a_traceback(tmp_path_factory, case):
    path, raw = case
    root = tmp_path_factory.mktemp("acme")
    copy_workspace(ACME, root, dirs_exist_ok=True)
    rel = path.relative_to(ACME)
    (root / rel).write_bytes(raw)
    fast = check_workspace(root, fast=True)[1]
    full = check_workspace(root, fast=False)[1]
    assert fast == full
    for d in fast:
        assert d.line >= 1 and d.col >= 1 and d.message


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_explain(raw):
    src, diagnostics = parse_text("campaigns/x/tasks.yaml", raw)
    assert (src is None) == bool(diagnostics) or diagnostics
    for d in diagnostics:
        assert d.code.startswith("E") and d.line >= 1


def test_quick_item_lines_match_the_full_parse():
    from conftest import ROOT

    files = [p for top in ("examples", "tests") for p in (ROOT / top).glob("**/*.yaml")
             if p.name in ("tasks.yaml", "goals.yaml", "risks.yaml")]
    assert len(files) > 10
    for path in files:
        src, _ = parse_text(path.name, path.read_bytes())
        if src is None or not isinstance(src.data, list):
            continue
        for row in range(len(src.data)):
            assert src.item_line(row) == src.locate((row,))[0], (path, row)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


def test_block_lines_match_the_full_parse():
    """Wherever the indentation reader answers, it answers what the full parse says."""
    from conftest import ROOT

    from mpm.read.blockpath import block_line

    answered = 0
    for top in ("examples", "tests/scenarios", "tests/errors"):
        for path in (ROOT / top).glob("**/*.yaml"):
            src, _ = parse_text(path.name, path.read_bytes())
            if src is None:
                continue
            for p in _paths(src.data):
                if not p:
                    continue
                line = block_line(src.text.split("\n"), p)
                if line is not None:
                    answered += 1
                    want = src.locate(p, key=isinstance(p[-1], str))[0]
                    if isinstance(p[-1], int):
                        want = src.locate(p)[0]
                    assert line == want, (path, p, line, want)
    assert answered > 3000



def _placements_agree(rel: str, text: str) -> int:
    """How many `key: scalar` places were read off the text; each must be what the full parse says."""
    from mpm.read.compose import FullParseError
    from mpm.read.sourcefile import SourceFile

    quick, full = SourceFile(rel, text), SourceFile(rel, text)
    try:
        full.data, _ = parse_data_full(text, rel)
    except FullParseError:
        return 0
    if full._index() == {}:
        return 0
    answered = 0
    for p in _paths(full.data):
        if not p or not isinstance(p[-1], str):
            continue
        for key in (True, False):
            got = quick._block_place(p, key)
            if got is not None:
                answered += 1
                assert got == full.locate(p, key=key), (rel, p, key, got, full.locate(p, key=key))
    return answered


def parse_data_full(text: str, rel: str):
    from mpm.read.compose import parse_data
    from mpm.read.sourcefile import SourceFile

    return parse_data(text, rel, SourceFile(rel, text).at, fast=False)


def test_block_places_match_the_full_parse():
    """A diagnostic placed without the full parse has the line, column and width the full parse gives."""
    from conftest import ROOT

    answered = 0
    for top in ("examples", "tests/scenarios", "tests/errors", "bench/psplib-j30"):
        for path in (ROOT / top).glob("**/*.yaml"):
            answered += _placements_agree(path.name, path.read_text(encoding="utf-8", errors="replace"))
    assert answered > 3000




# -- the fast reader never disagrees with the full parse ---------------------------

# Scalars where YAML readers are known to differ, and plain pieces to build others from.
TRICKY = ["_1", "1_0", "1e1_0", "0X1", "0x1", "0O1", "0o7", "0B1", "0b1", ".iNf", ".inf", "-.Inf", ".NaN", ".nan",
          "1e10", "1E3", "+1", "0012", "1.", ".5", "yes", "True", "TRUE", "~", "Null", "null", "2026-01-01",
          "1:20", "x\u0085y", "x\u2028y", "x\u2029y", "x:", "?x", "? x", "<<", "'q'", '"d"', '"\\N"', '"\\L"',
          "a b", "a #c", "a#c", "-", "- x", "&a x", "*a", "!x y", "%x", "@x", "`x", "|", ">", "a: b", "[x]", "{x}",
          "", "''", "0", "-0", "99999999999999999999", "1__0", "0o8", "0xg", "12e03", "+.5", "1_000.5"]
pieces = st.one_of(st.sampled_from(TRICKY),
                   st.text(alphabet="ab01_.:-?#&*!'\"[]{},<>|@%`~ \u0085\u2028eExXoObB+", min_size=1, max_size=8))


@st.composite
def documents(draw, depth: int = 0):
    """Random YAML text: block and flow mappings and sequences of tricky scalars."""
    pad = "  " * depth
    shape = draw(st.sampled_from(["map", "seq", "flow-seq", "flow-map"] if depth < 3 else ["flow-seq"]))
    if shape in ("flow-seq", "flow-map"):
        items = draw(st.lists(pieces, max_size=3))
        if shape == "flow-seq":
            return "[" + ", ".join(items) + "]"
        return "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(items)) + "}"
    lines = []
    for i in range(draw(st.integers(1, 3))):
        nested = draw(st.booleans()) and depth < 3
        value = draw(documents(depth + 1)) if nested else draw(pieces)
        head = f"{pad}{draw(st.sampled_from(['k', draw(pieces)]))}{i}:" if shape == "map" else f"{pad}-"
        if nested and value and value[0] not in "[{":
            lines.append(f"{head}\n{value}")
        else:
            lines.append(f"{head} {value}")
    return "\n".join(lines)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # NaN
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(documents())
@example("in: [weekly blog posts,:  SEO pillar pages]")  # an empty flow key: yaml-rs reads it, ruamel refuses
@example("depends_on: [{task: launch, lag: 20}: ]")  # a mapping as a key: yaml-rs gives a frozenset
@example("- !")  # the non-specific tag on an empty value: yaml-rs reads "", ruamel null
def test_the_fast_reader_reads_what_the_full_parse_reads_or_declines(text):
    """Validity never depends on which reader a file took: the fast one answers only where both agree."""
    from mpm.read.compose import FullParseError, parse_data
    from mpm.read.sourcefile import SourceFile

    text += "\n"
    outcomes = []
    for fast in (True, False):
        try:
            data, problems = parse_data(text, "x.yaml", SourceFile("x.yaml", text).at, fast=fast)
            outcomes.append((data, [(d.code, d.line, d.col) for d in problems]))
        except FullParseError as err:
            outcomes.append(("error", (err.diagnostic.code, err.diagnostic.line, err.diagnostic.col)))
    (fast_data, fast_problems), (full_data, full_problems) = outcomes
    assert fast_problems == full_problems, text
    assert _same(fast_data, full_data), (fast_data, full_data)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(max_codepoint=0x2070), max_size=40) | st.text(st.characters(max_codepoint=0x7F)))
@example("name: a\x1b[31m red\n")
@example("name: \u202eevil\n")
def test_plain_ascii_text_holds_no_character_the_searches_look_for(text):
    """The shortcut past the control-character searches never skips a file they would flag."""
    from mpm.read.controls import _RAW, has_raw_characters
    from mpm.read.yamlread import _NOT_PRINTABLE, plain_ascii

    if plain_ascii(text):
        assert _RAW.search(text) is None and _NOT_PRINTABLE.search(text) is None
    assert has_raw_characters(text) == (_RAW.search(text) is not None)
    if text.isascii():  # the shortcut takes every ASCII text without such a character
        assert plain_ascii(text) == (_NOT_PRINTABLE.search(text) is None)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(documents())
@example("k0: a #c\nk1: 'q'\nk2: x\n  y")  # a comment, a quoted value, a value going on over two lines
def test_block_places_of_random_documents_match_the_full_parse(text):
    _placements_agree("x.yaml", text + "\n")


@settings(max_examples=800)
@given(st.one_of(st.dates(date(1850, 1, 1), date(2250, 12, 31)).map(date.isoformat),
                 st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"), st.text(max_size=12)))
@example("2026-02-30")
@example("1899-12-31")
def test_a_date_text_reads_the_same_the_second_time(text):
    """Dates found good are looked up, not checked again: the answer is the checks' answer."""
    from pydantic_core import PydanticCustomError

    from mpm.read import fields

    def read() -> object:
        try:
            return fields._parse_date(text)
        except PydanticCustomError as err:
            return (err.type, err.message())

    fields._GOOD_DATES.pop(text, None)
    first = read()
    assert read() == first
    assert (text in fields._GOOD_DATES) == isinstance(first, date)
