"""The error corpus: every diagnostic code, at the right file and line, in the user's words.

Each folder in tests/errors/ is a small workspace with one problem (or, for
`multi-*`, several) and the exact `mpm check` output beside it in
expected.txt. Problems that need special bytes are built here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ACME, ROOT, errors_without_a_hint, run_mpm, write_workspace

from mpm.check.checks import check_workspace
from mpm.read.diagnostics import CATALOGUE, FALLBACK_HINTS, Diagnostic, Severity

ERRORS = Path(__file__).resolve().parent / "errors"
CASES = sorted(p.name for p in ERRORS.iterdir() if (p / "workspace").is_dir())
FIRST = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>\w+)\]",
                   re.MULTILINE)


def check_text(root: Path, command: str = "check") -> tuple[int, str]:
    r = run_mpm(*command.split(), "--workspace", str(root), width=100)
    return r.exit_code, r.stdout


def command_of(case: str) -> str:
    """`check`, or the command a case names in its `command` file (`playbook check`)."""
    found = ERRORS / case / "command"
    return found.read_text(encoding="utf-8").strip() if found.exists() else "check"


@pytest.mark.parametrize("case", CASES)
def test_case_matches_expected_output(case, request):
    root = ERRORS / case / "workspace"
    code, out = check_text(root, command_of(case))
    expected = ERRORS / case / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected.write_text(out, encoding="utf-8")
    assert expected.exists(), f"{case} has no expected.txt; run pytest --update-golden and review it"
    assert out == expected.read_text(encoding="utf-8")
    found = [m.groupdict() for m in FIRST.finditer(out)]
    assert found, "a broken workspace must report something"
    assert errors_without_a_hint(out) == [], "every error offers a hint"
    if case.startswith("multi-"):
        assert code == 2 and len(found) >= 3
        return
    want = case.split("-", 1)[0]
    assert want in {f["code"] for f in found}, f"{case}: expected {want}, got {found}"
    errors = [f for f in found if f["sev"] == "error"]
    if want.startswith("E"):
        assert code == 2
        assert len(errors) == 1, f"{case}: one problem, one error: {errors}"
    else:
        assert code == 0 and not errors


@pytest.mark.parametrize("case", [c for c in CASES if command_of(c) == "check"])
def test_fast_and_full_parse_report_the_same(case):
    root = ERRORS / case / "workspace"
    _, fast = check_workspace(root, fast=True)
    _, full = check_workspace(root, fast=False)
    assert fast == full
    assert [d.source_line for d in fast] == [d.source_line for d in full]


# -- cases built from bytes -------------------------------------------------------

def base_workspace(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(ERRORS / "E100-unknown-key" / "workspace", target)
    (target / "campaigns/spring/tasks.yaml").write_text(
        "- id: brief\n  name: Brief\n  owner: ana\n  duration: 2\n", encoding="utf-8")
    return target


def errors_in(root: Path, rel: str, text: str, *, append: bool = False) -> list[tuple[str, str]]:
    """`rel` written (or `append`ed to), then checked: (line:col: error[CODE]: message, hint) of
    each error in it, in order. The check must fail."""
    path = root / rel
    path.write_text((path.read_text(encoding="utf-8") if append else "") + text, encoding="utf-8")
    code, out = check_text(root)
    assert code == 2, out
    name = re.escape(path.name)
    return re.findall(rf"{name}:(\d+:\d+: error\[E\d+\]: .*)\n(?:.*\n)*?  hint: (.*)\n", out)


def test_E005_file_over_the_size_limit(tmp_path):
    root = base_workspace(tmp_path)
    big = "".join(f"- id: t{i}\n  name: Task {i} {'x' * 60}\n  duration: 1\n" for i in range(60_000))
    (root / "campaigns/spring/tasks.yaml").write_text(big, encoding="utf-8")
    code, out = check_text(root)
    assert code == 2
    assert re.search(r"^campaigns/spring/tasks.yaml:1:1: error\[E005\]: file is \d\.\d MB; the limit is 5 MB",
                     out, re.MULTILINE)


def test_E006_not_utf8_names_the_byte(tmp_path):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_bytes(
        b"- id: brief\n  name: Caf\xe9 brief\n  duration: 2\n")
    code, out = check_text(root)
    assert code == 2
    assert out.startswith("campaigns/spring/tasks.yaml:2:12: error[E006]: not UTF-8: byte 0xe9 at "
                          "offset 23 cannot be decoded\n  hint: save the file as UTF-8")


def test_E007_symlink_out_of_the_workspace_is_refused(tmp_path):
    root = base_workspace(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text("- id: leak\n  name: Leak\n  duration: 1\n", encoding="utf-8")
    target = root / "campaigns/spring/risks.yaml"
    target.unlink()
    os.symlink(secret, target)
    code, out = check_text(root)
    assert code == 2
    assert out.startswith("campaigns/spring/risks.yaml:1:1: error[E007]: campaigns/spring/risks.yaml is a "
                          "symlink to")
    assert "Leak" not in out


def test_a_symlink_inside_the_workspace_is_read_through(tmp_path):
    from mpm.read.source import read_bytes

    root = base_workspace(tmp_path)
    shared = root / "shared-risks.yaml"
    shared.write_bytes((root / "campaigns/spring/risks.yaml").read_bytes())
    target = root / "campaigns/spring/risks.yaml"
    target.unlink()
    os.symlink(shared, target)
    assert read_bytes(root.resolve(), "campaigns/spring/risks.yaml") == (shared.read_bytes(), [])
    os.symlink(root / "campaigns", root / "campaigns/spring/goals.yaml.d")  # a folder is not a file
    raw, problems = read_bytes(root.resolve(), "campaigns/spring/goals.yaml.d")
    assert raw is None and problems[0].code == "E011" and "directory" in problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_named_like_a_plan_file_is_an_error_not_a_missing_file(tmp_path):
    """Passing over it would drop the campaign's risks without a word; opening it plainly would wait
    for a writer forever."""
    root = base_workspace(tmp_path)
    target = root / "campaigns/spring/risks.yaml"
    target.unlink()
    os.mkfifo(target)
    code, out = check_text(root)
    assert code == 2
    assert out.startswith("campaigns/spring/risks.yaml:1:1: error[E011]: campaigns/spring/risks.yaml is a "
                          "named pipe; mpm reads only plain files\n  hint: replace it with a plain file")


def test_E007_symlinked_campaign_folder_out_of_the_workspace(tmp_path):
    root = base_workspace(tmp_path)
    outside = tmp_path / "elsewhere"
    shutil.copytree(root / "campaigns/spring", outside)
    os.symlink(outside, root / "campaigns/borrowed")
    code, out = check_text(root)
    assert code == 2 and "campaigns/borrowed:1:1: error[E007]" in out


def test_E008_alias_bomb_fails_fast(tmp_path):
    root = base_workspace(tmp_path)
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    (root / "campaigns/spring/campaign.yaml").write_text(
        "\n".join(lines) + "\nname: Bomb\n", encoding="utf-8")
    code, out = check_text(root)
    assert code == 2
    assert "error[E008]: anchors and aliases expand to more than 10000 values" in out


def test_tags_are_never_executed(tmp_path):
    root = base_workspace(tmp_path)
    marker = tmp_path / "pwned"
    (root / "campaigns/spring/campaign.yaml").write_text(
        f"name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    code, out = check_text(root)
    assert code == 2 and "error[E003]" in out
    assert not marker.exists()


def test_every_code_has_a_case():
    built_here = {"E005", "E006", "E007", "E008"}
    covered = {c.split("-", 1)[0] for c in CASES} | built_here
    assert set(CATALOGUE) <= covered, f"codes without a case: {sorted(set(CATALOGUE) - covered)}"
    assert len(CASES) + len(built_here) >= 40


def test_every_error_offers_a_hint_even_where_nothing_particular_is_known():
    errors = {code for code, (severity, _) in CATALOGUE.items() if severity is Severity.ERROR}
    assert errors == set(FALLBACK_HINTS)
    assert Diagnostic("tasks.yaml", 1, 1, "E201", "no task 'x'").hint == FALLBACK_HINTS["E201"]
    assert Diagnostic("tasks.yaml", 1, 1, "E201", "no task 'x'", "did you mean 'y'?").hint == "did you mean 'y'?"
    assert Diagnostic("tasks.yaml", 1, 1, "W300", "done without done_on").hint is None


@pytest.mark.parametrize(("value", "hint"), [
    ("04/01/2027", "write it as 2027-01-04 (4 January) or 2027-04-01 (1 April)"),
    ("31.01.2027", "write it as 2027-01-31 (31 January)"),
    ("01/31/2027", "write it as 2027-01-31 (31 January)"),
    ("next week", "write dates as year-month-day with a dash, e.g. 2027-03-31"),
    ("2027-3-5", "write it as 2027-03-05"),
    ("2027-03-05T10:00", "write it as 2027-03-05: mpm plans whole days, without a time"),
    ("5 March 2027", "write it as 2027-03-05"),
    ("Mar 5", "write it with its year, as YYYY-03-05"),
])
def test_a_date_written_another_way_gets_it_written_as_mpm_reads_it(tmp_path, value, hint):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text(
        f"- id: brief\n  name: Brief\n  duration: 2\n  due: {value}\n", encoding="utf-8")
    code, out = check_text(root)
    assert code == 2 and "error[E104]" in out and f"  hint: {hint}\n" in out


def test_a_key_with_nothing_after_it_is_pointed_at_on_its_own_line(tmp_path):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text(
        "- id: brief\n  name:\n  duration: 2\n- id: copy\n  name: Copy\n  duration:\n  owner: ana\n",
        encoding="utf-8")
    code, out = check_text(root)
    assert code == 2
    assert "campaigns/spring/tasks.yaml:2:8: error[E102]: name should be text, not nothing\n" in out
    assert " 2 |   name:\n   |        ^\n  hint: write text after 'name:'\n" in out
    assert "campaigns/spring/tasks.yaml:6:12: error[E101]: task 'copy' has no duration\n" in out


@pytest.mark.parametrize(("text", "hint"), [
    ("- id: brief\n  name: *brief\n", "a value that starts with '*' is read as a reference: put it in quotes"),
    ("- id: brief\n  name: \"Brief\n", "a quote opened here is never closed"),
    ("- id: brief\n  name: Brief\n - id: copy\n", "this '- ' item is not lined up with the items or keys above"),
    ("- id: brief\n  duration: 2\n  - copy\n", "this '- ' item is not lined up with the items or keys above"),
    ("- id: brief\n  tags:\n    - a\n    name: Brief\n", "check the indentation here and on the line above"),
    ("- id: brief\n  name:Brief\n  duration: 2\n", "put a space after the ':' on line 2: 'name: Brief'"),
    ("- id brief\n  name: Brief\n", "line 1 needs ':' after its key: '- id: brief'"),
    ("- id: brief\n  name: 'Editor's brief'\n",
     "inside single quotes an apostrophe is written twice: 'Editor''s brief', "
     "or use double quotes: \"Editor's brief\""),
    ("- id: brief\n  name: Brief\n    duration: 2\n",
     "line 3 is indented more than 'name' on the line above: the keys of one mapping line up"),
    ("- id: brief\n  name: Webinar: part 2\n", "a value with ': ' in it needs quotes: 'name: \"Webinar: part 2\"'"),
])
def test_a_yaml_mistake_gets_a_hint_in_a_users_words(tmp_path, text, hint):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text(text, encoding="utf-8")
    code, out = check_text(root)
    assert code == 2 and "error[E001]" in out and f"  hint: {hint}" in out, out


def test_an_item_that_is_itself_a_list_says_how_an_item_is_written(tmp_path):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text("- - id: brief\n    name: Brief\n", encoding="utf-8")
    code, out = check_text(root)
    assert code == 2
    assert "tasks.yaml:1:3: error[E102]: task should be a mapping of keys, not a list\n" in out
    assert "  hint: write each task as keys and values after its '- ', e.g. '- id: ...'\n" in out


@pytest.mark.parametrize(("line", "message", "hint"), [
    ("  depends_on: [[brief]]", "6:16: error[E102]: an item of depends_on should be a task id or a mapping, not a list",
     "each item of depends_on is a task id, or a mapping such as {task: brief, type: SS, lag: 2}"),
    ("  tags: [launch, {x: 1}]", "6:18: error[E102]: an item of tags should be text, not a mapping",
     "each item of tags is text"),
])
def test_a_wrong_item_of_a_list_is_named_as_an_item(tmp_path, line, message, hint):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text(
        f"- id: brief\n  name: Brief\n  duration: 2\n- id: copy\n  name: Copy\n{line}\n  duration: 2\n",
        encoding="utf-8")
    code, out = check_text(root)
    assert code == 2 and f"tasks.yaml:{message}\n" in out and f"  hint: {hint}\n" in out, out


@pytest.mark.parametrize(("line", "errors"), [
    ("  effort: 24h", [("6:11: error[E102]: effort should be hours (a number) or hours per person (a mapping such "
                        "as {ana: 10, ben: 6}), not the text '24h'",
                        "write the number without quotes or units: 'effort: 24'")]),
    ("  effort: -3", [("6:11: error[E105]: effort must be at least 0, got -3", "effort is hours of work: 0 or more")]),
    ("  effort: {ana: 2h}", [("6:17: error[E102]: ana should be a number, not the text '2h'",
                              "write the number without quotes or units: 'ana: 2'")]),
    ("  effort: $1,500", [("6:11: error[E102]: effort should be hours (a number) or hours per person (a mapping "
                           "such as {ana: 10, ben: 6}), not the text '$1,500'",
                           "write the number without quotes or units: 'effort: 1500'")]),
    ("  priority: high", [("6:13: error[E102]: priority should be a whole number, not the text 'high'",
                           "write it in digits; priority runs from 1 to 1000 (the default is 500); higher gets a "
                           "busy person's hours first")]),
    ("  priority: 1.5k", [("6:13: error[E102]: priority should be a whole number, not the text '1.5k'",
                           "write the number without quotes or units: 'priority: 1500'")]),
    ("  priority: 2.5 pts", [("6:13: error[E102]: priority should be a whole number, not the text '2.5 pts'",
                              "write the number without quotes or units")]),
    ("  owner: [ana]", [("6:10: error[E102]: owner should be text, not a list",
                         "write the one value, not a list: 'owner: ana'")]),
    ("  owner: [ana, ben]", [("6:10: error[E102]: owner should be text, not a list",
                              "a task has one owner, the one accountable; to share the work, "
                              "write 'effort: {ana: 8, ben: 8}'")]),
])
def test_a_value_of_the_wrong_form_is_one_error_in_a_users_words(tmp_path, line, errors):
    """effort takes hours or hours per person: a wrong value is one error naming both forms, or
    the one error of the form it took; never a type name of mpm's code."""
    assert errors_in(base_workspace(tmp_path), "campaigns/spring/tasks.yaml",
                     f"- id: brief\n  name: Brief\n  duration: 2\n- id: copy\n  name: Copy\n{line}\n  duration: 2\n") \
        == errors


def test_a_wrong_choice_in_a_list_is_not_allowed_in_that_list(tmp_path):
    root = base_workspace(tmp_path)
    with (root / "mpm.yaml").open("a", encoding="utf-8") as fh:
        fh.write("calendar:\n  workdays: [monday, tue]\n")
    code, out = check_text(root)
    assert code == 2 and "mpm.yaml:6:14: error[E103]: 'monday' is not allowed in workdays\n" in out
    assert "  hint: did you mean 'mon'?\n" in out


GOAL = ("- id: leads\n  statement: Grow qualified leads 20% this quarter\n  baseline: {value: 100, date: 2026-12-31}\n"
        "  target: 120\n  deadline: 2027-03-31\n")


@pytest.mark.parametrize(("edit", "errors"), [
    (("  target: 120\n", "  target: 120\n  measurements:\n    - 2027-01-15: 104\n"),
     [("6:7: error[E100]: unknown key '2027-01-15' in measurement 1 of goal 'leads'",
       "write it as '{date: 2027-01-15, value: 104}'")]),
    (("  target: 120\n", "  target: 120\n  measurements:\n    - {value: 104}\n"),
     [("6:8: error[E101]: measurement 1 of goal 'leads' is missing required key 'date'",
       "add 'date: ...' to measurement 1 of goal 'leads'")]),
    (("{value: 100, date: 2026-12-31}", "100"),
     [("3:13: error[E102]: baseline should be a mapping of keys, not the number 100",
       "a baseline is a value on a day: 'baseline: {value: 100, date: YYYY-MM-DD}'")]),
])
def test_a_goal_written_in_shorthand_is_one_error_that_writes_it_out(tmp_path, edit, errors):
    """A missing key named like a type (`date`) is named as the key, never as its place in a list."""
    assert errors_in(base_workspace(tmp_path), "campaigns/spring/goals.yaml", GOAL.replace(*edit)) == errors


def test_a_budget_line_written_in_shorthand_is_one_error_that_writes_it_out(tmp_path):
    assert errors_in(base_workspace(tmp_path), "campaigns/spring/campaign.yaml",
                     "budget:\n  total: 5000\n  lines:\n    - paid social: 4000\n"
                     "    - {catgory: print, planned: 1000}\n", append=True) == [
        ("8:7: error[E100]: unknown key 'paid social' in budget line 1 of campaign",
         "write it as '{category: paid social, planned: 4000}'"),
        ("9:8: error[E100]: unknown key 'catgory' in budget line 2 of campaign", "did you mean 'category'?"),
    ]


def test_time_off_and_holidays_written_in_shorthand_get_written_out(tmp_path):
    assert errors_in(base_workspace(tmp_path), "mpm.yaml",
                     "name: Corpus\ncalendar:\n  holidays:\n    - 2027-01-01: New Year's Day\nteam:\n"
                     "  - id: ana\n    name: Ana Lima\n    time_off:\n      - 2027-02-01 to 2027-02-05\n"
                     "  - {id: ben, name: Ben Ortiz}\n") == [
        ("4:7: error[E100]: unknown key '2027-01-01' in holiday 1 of workspace",
         "write it as '{date: 2027-01-01, name: New Year's Day}'"),
        ("9:9: error[E102]: an item of time_off should be a mapping of keys, not the text '2027-02-01 to 2027-02-05'",
         "write it as '{from: 2027-02-01, to: 2027-02-05}' (the first and the last day off)"),
    ]


def test_every_refusal_in_the_code_offers_a_hint():
    """`fail`, EditRefused, OutputError and ExportError each take a hint: no call leaves it out."""
    import ast

    src = ROOT / "src" / "mpm"
    bare = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            refusal = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                "fail", "EditRefused", "OutputError", "ExportError")
            if refusal and len(node.args) < 2 and not any(k.arg == "hint" for k in node.keywords):
                bare.append(f"{path.relative_to(src)}:{node.lineno}: {ast.get_source_segment(text, node)}")
    assert not bare, "these refusals offer no hint:\n" + "\n".join(bare)


def test_json_and_github_formats():
    root = ERRORS / "multi-several-files" / "workspace"
    r = run_mpm("check", "--workspace", str(root), "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["schema"] == "mpm/check/1" and doc["ok"] is False
    assert doc["summary"] == {"error": 3, "warning": 0, "info": 0}
    assert [(d["file"], d["line"], d["code"]) for d in doc["diagnostics"]] == [
        ("campaigns/spring/campaign.yaml", 2, "E200"),
        ("campaigns/spring/goals.yaml", 6, "E102"),
        ("campaigns/spring/risks.yaml", 4, "E105"),
    ]
    gh = run_mpm("check", "--workspace", str(root), "--format", "github", env={"GITHUB_WORKSPACE": str(root)})
    assert gh.stdout.splitlines()[0] == (
        "::error file=campaigns/spring/campaign.yaml,line=2,col=8,title=mpm E200::"
        "'nobody' is not on the team in mpm.yaml%0Ahint: add them to team in mpm.yaml")


def test_nothing_is_written_on_a_failed_check(tmp_path):
    root = base_workspace(tmp_path)
    (root / "campaigns/spring/tasks.yaml").write_text("- id: x\n  name: X\n  duration: nope\n")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert run_mpm("check", "--workspace", str(root), env={"MPM_NO_CACHE": "0"}).exit_code == 2
    after = sorted(p.relative_to(root) for p in root.rglob("*") if ".mpm-cache" not in p.parts)
    assert before == after


def test_a_clean_workspace_says_what_it_checked(tmp_path):
    root = write_workspace(tmp_path, {"mpm.yaml": "name: Empty\n"})
    code, out = check_text(root)
    assert code == 0 and out == "checked 0 campaigns, 0 tasks, 0 goals, 0 risks: all good\n"


def test_a_clean_check_is_one_plain_line_and_coloured_only_where_rich_would_colour_it(tmp_path):
    """CI's usual answer is written without loading Rich; where Rich would style it (a terminal,
    FORCE_COLOR, TTY_COMPATIBLE=1) it still does."""
    import subprocess
    import sys

    probe = ("import os, sys; sys.argv = ['mpm', '--no-cache', 'check', '-w', sys.argv[1]]\n"
             "leave = os._exit\n"
             "def said(code):\n"
             "    sys.stdout.flush()\n"
             "    os.write(2, b'rich loaded' if 'rich' in sys.modules else b'no rich')\n"
             "    leave(code)\n"
             "os._exit = said\n"
             "from mpm.__main__ import main\n"
             "main()\n")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    plain = subprocess.run([sys.executable, "-c", probe, str(ACME)],
                           capture_output=True, env=env, timeout=60)
    assert plain.stdout == b"checked 4 campaigns, 44 tasks, 5 goals, 13 risks: all good\n"
    assert plain.stderr.endswith(b"no rich")
    colours = {"NO_COLOR": "", "TERM": "xterm-256color"}
    for forced in ({"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}):
        r = run_mpm("check", "-w", str(ACME), env={**forced, **colours})
        assert "\x1b[32mall good\x1b[0m" in r.stdout, forced
    r = run_mpm("check", "-w", str(ACME),
                env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "0", "NO_COLOR": ""})
    assert r.stdout.endswith(": all good\n") and "\x1b" not in r.stdout


def test_readme_lists_every_code():
    from mpm.views.status import CODES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code, (severity, name) in CATALOGUE.items():
        assert f"| {code} | {severity.value} | {name} |" in readme, code
    for code in CODES:
        assert f"| {code} |" in readme, code
