"""Write the error corpus: one tiny workspace per problem, beside its expected output.

    python tests/errors/make_cases.py      # (re)writes tests/errors/<case>/ input files

Each case starts from the same valid workspace and changes one thing. The
expected `mpm check` output of each case lives in its `expected.txt`, written
by `pytest tests/test_errors.py --update-golden` and reviewed as a diff.
Cases that need bytes a text file cannot hold are built by the test itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

MPM = """\
name: Corpus
team:
  - {id: ana, name: Ana Lima, capacity_hours_per_week: 40}
  - {id: ben, name: Ben Ortiz, capacity_hours_per_week: 32}
"""
CAMPAIGN = """\
name: Spring launch
owner: ana
start: 2027-01-04
end: 2027-03-31
"""
TASKS = """\
- id: brief
  name: Write the brief
  owner: ana
  duration: 2
- id: copy
  name: Write the copy
  owner: ben
  duration: 3
  depends_on: [brief]
- id: launch
  name: Launch
  milestone: true
  depends_on: [copy]
"""
GOALS = """\
- id: leads
  statement: Grow qualified leads 20% this quarter
  metric: qualified leads
  unit: leads
  baseline: {value: 100, date: 2026-12-31}
  target: 120
  deadline: 2027-03-31
"""
RISKS = """\
- id: late-assets
  title: Assets arrive late
  category: vendor
  likelihood: 2
  impact: 3
  affects: [copy]
"""
PB_INFO = """\
description: A one-page launch
roles:
  writer: writes the copy
variables:
  product: the product's name
"""
PB_CAMPAIGN = """\
name: "{{ name }}"
owner: role:writer
start: launch-10
launch: launch
end: launch+5
"""
PB_TASKS = """\
- id: copy
  name: "Copy for {{ product }}"
  owner: role:writer
  duration: 3
  start: launch-8
- id: go-live
  name: Page goes live
  milestone: true
  depends_on: [copy]
  start: launch
"""
P = "playbooks/one-pager"
PLAYBOOK = {f"{P}/playbook.yaml": PB_INFO, f"{P}/campaign.yaml": PB_CAMPAIGN, f"{P}/tasks.yaml": PB_TASKS}
PT = f"{P}/tasks.yaml"
# cases whose problem `mpm playbook check` finds (the workspace itself is valid)
PLAYBOOK_CASES = {"E400-unknown-role", "E401-bad-relative-date", "E402-unknown-variable",
                  "E201-playbook-missing-dependency"}
BASE = {"mpm.yaml": MPM, "campaigns/spring/campaign.yaml": CAMPAIGN,
        "campaigns/spring/tasks.yaml": TASKS, "campaigns/spring/goals.yaml": GOALS,
        "campaigns/spring/risks.yaml": RISKS}
T = "campaigns/spring/tasks.yaml"
C = "campaigns/spring/campaign.yaml"
G = "campaigns/spring/goals.yaml"
R = "campaigns/spring/risks.yaml"
A = "campaigns/spring/assets.yaml"
ASSETS = """\
- id: launch-guide
  title: The spring launch guide
  kind: guide
  status: draft
  owner: ana
- id: launch-video
  title: The guide in three minutes
  kind: video
  derived_from: [launch-guide]
"""


def edit(path: str, old: str, new: str) -> tuple[str, str, str]:
    return (path, old, new)


# case name -> edits [(file, old text, new text)]; a None old text writes the file whole
CASES: dict[str, list[tuple[str, str | None, str | None]]] = {
    # YAML and files
    "E001-unclosed-bracket": [edit(T, "depends_on: [brief]", "depends_on: [brief")],
    "E001-bad-indentation": [edit(T, "  owner: ben\n", "   owner: ben\n")],
    "E001-colon-in-value": [edit(T, "name: Write the copy", "name: Copy: the final one")],
    "E001-tab-indent": [edit(T, "  duration: 3\n", "\tduration: 3\n")],
    "E002-duplicate-key": [edit(T, "  duration: 3\n", "  duration: 3\n  duration: 4\n")],
    "E003-python-tag": [edit(T, "name: Write the brief", "name: !!python/object/apply:os.system [echo hi]")],
    "E003-custom-tag": [edit(C, "name: Spring launch", "name: !secret Spring launch")],
    "E004-merge-conflict": [edit(T, "  duration: 3\n",
                                 "<<<<<<< HEAD\n  duration: 3\n=======\n  duration: 5\n>>>>>>> feature\n")],
    "E009-two-documents": [edit(R, "  affects: [copy]\n", "  affects: [copy]\n---\n- id: other\n")],
    "E010-tasks-not-a-list": [(T, None, "brief:\n  name: Write the brief\n")],
    "E010-campaign-not-a-mapping": [(C, None, "- name: Spring launch\n")],
    "E010-empty-campaign": [(C, None, "# to do: fill in\n")],
    "E011-no-campaign-file": [(C, None, None)],
    "E012-bad-folder-name": [("campaigns/Summer Sale/campaign.yaml", None, "name: Summer sale\n")],
    "E013-unknown-file": [("campaigns/spring/task.yaml", None, "- id: x\n")],
    "E014-nested-too-deep": [edit(C, "name: Spring launch\n", "name: Spring launch\nx-notes: " + "[" * 70 + "]" * 70
                                  + "\n")],
    "E015-escape-sequence-in-name": [edit(T, "name: Write the brief", 'name: "Write the brief\\e]0;hi\\a"')],
    "E015-raw-control-in-note": [edit(C, "name: Spring launch", "name: Spring\x1b[2J launch")],
    # schema
    "E100-unknown-key": [edit(T, "  owner: ben\n", "  ownr: ben\n")],
    "E100-unknown-key-nested": [edit(G, "baseline: {value: 100, date: 2026-12-31}",
                                     "baseline: {valu: 100, date: 2026-12-31}")],
    "E100-key-named-date": [edit(T, "  owner: ben\n", "  owner: ben\n  date: 2027-01-05\n")],
    "E100-unknown-key-in-team": [edit("mpm.yaml", "capacity_hours_per_week: 32}", "capacity: 32}")],
    "E100-x-underscore": [edit(T, "  owner: ben\n", "  owner: ben\n  x_jira: MKT-1\n")],
    "E105-priority-out-of-range": [edit(T, "  owner: ben\n  duration: 3\n",
                                        "  owner: ben\n  duration: 3\n  priority: 1200\n")],
    "E108-milestone-with-effort-mapping": [edit(T, "  milestone: true\n",
                                                "  milestone: true\n  effort: {ana: 2, ben: 1}\n")],
    "E200-unknown-effort-person": [edit(T, "  owner: ben\n  duration: 3\n",
                                        "  owner: ben\n  duration: 3\n  effort: {ben: 16, anna: 8}\n")],
    "E206-workdays-off-calendar": [edit("mpm.yaml", "capacity_hours_per_week: 32}",
                                        "capacity_hours_per_week: 32, workdays: [tue, wed, thu, sat]}")],
    "W304-no-shared-workday": [edit("mpm.yaml", "capacity_hours_per_week: 32}",
                                    "capacity_hours_per_week: 32, workdays: [thu, fri]}\n"
                                    "  - {id: cai, name: Cai Wu, workdays: [mon, tue]}"),
                               edit(T, "  owner: ben\n  duration: 3\n",
                                    "  owner: ben\n  duration: 3\n  effort: {ben: 16, cai: 8}\n")],
    "E101-missing-name": [edit(T, "  name: Write the copy\n", "")],
    "E101-missing-duration": [edit(T, "  duration: 2\n", "")],
    "E101-no-campaign-start": [edit(C, "start: 2027-01-04\n", "")],
    "E102-number-as-text": [edit(T, "  duration: 3\n", "  duration: three\n")],
    "E102-text-as-number": [edit(C, "name: Spring launch", "name: 2027")],
    "E102-list-expected": [edit(T, "depends_on: [brief]", "depends_on: brief")],
    "E103-bad-status": [edit(T, "  owner: ben\n", "  owner: ben\n  status: doing\n")],
    "E103-bad-dependency-type": [edit(T, "depends_on: [brief]", "depends_on: [{task: brief, type: FX}]")],
    "E103-bad-quarter": [edit(G, "  deadline: 2027-03-31\n", "  deadline: 2027-03-31\n  checkpoints: {2027Q1: 110}\n")],
    "E103-bad-currency": [edit("mpm.yaml", "name: Corpus\n", "name: Corpus\ncurrency: dollars\n")],
    "E104-not-a-real-date": [edit(C, "end: 2027-03-31", "end: 2027-02-30")],
    "E104-date-inside-braces": [edit(G, "date: 2026-12-31}", "date: 2026-12-32}")],
    "E104-date-format": [edit(T, "  duration: 2\n", "  duration: 2\n  due: 04/01/2027\n")],
    "E105-likelihood-out-of-range": [edit(R, "likelihood: 2", "likelihood: 6")],
    "E105-negative-duration": [edit(T, "  duration: 3\n", "  duration: -3\n")],
    "E106-bad-id": [edit(T, "  depends_on: [copy]\n", "  depends_on: [copy]\n- id: Wrap Up\n  name: Wrap up\n"
                                                    "  duration: 1\n")],
    "W307-due-before-start": [edit(T, "  duration: 2\n", "  duration: 2\n  start: 2027-01-11\n  due: 2027-01-08\n")],
    "E107-done-before-started": [edit(T, "  duration: 2\n", "  duration: 2\n  status: done\n"
                                      "  started_on: 2027-01-06\n  done_on: 2027-01-05\n")],
    "E107-campaign-ends-before-start": [edit(C, "end: 2027-03-31", "end: 2026-12-01")],
    "E107-launch-after-end": [edit(C, "end: 2027-03-31", "end: 2027-03-31\nlaunch: 2027-04-15")],
    "E107-goal-deadline-before-baseline": [edit(G, "deadline: 2027-03-31", "deadline: 2026-12-01")],
    "E107-checkpoint-before-baseline": [edit("mpm.yaml", "name: Corpus\n", "name: Corpus\nfiscal_year_start: 4\n"),
                                        edit(G, "  deadline: 2027-03-31\n",
                                             "  deadline: 2027-03-31\n  checkpoints: {2027-Q1: 105, 2027-Q4: 120}\n")],
    "E107-time-off-backwards": [edit("mpm.yaml", "capacity_hours_per_week: 32}",
                                     "capacity_hours_per_week: 32,\n"
                                     "      time_off: [{from: 2027-02-12, to: 2027-02-08}]}")],
    "E107-estimate-order": [edit(T, "  duration: 3\n",
                                 "  duration: 3\n  estimate: {optimistic: 5, likely: 3, pessimistic: 8}\n")],
    "W308-done-campaign-open-tasks": [edit(C, "owner: ana\n", "owner: ana\nstatus: done\n"),
                                      edit(T, "  duration: 2\n", "  duration: 2\n  status: done\n"
                                           "  done_on: 2027-01-05\n")],
    "W307-due-before-campaign-start": [edit(T, "  duration: 2\n", "  duration: 2\n  due: 2026-12-18\n")],
    "E108-milestone-with-effort": [edit(T, "  milestone: true\n", "  milestone: true\n  effort: 4\n")],
    "E108-milestone-with-duration": [edit(T, "  milestone: true\n", "  milestone: true\n  duration: 2\n")],
    # references
    "E200-unknown-owner": [edit(T, "  owner: ben\n", "  owner: bne\n")],
    "E200-unknown-campaign-owner": [edit(C, "owner: ana", "owner: anna")],
    "E201-unknown-task": [edit(T, "depends_on: [brief]", "depends_on: [breif]")],
    "E201-unknown-risk-task": [edit(R, "affects: [copy]", "affects: [copy-writing]")],
    "E202-duplicate-task-id": [edit(T, "  depends_on: [copy]\n", "  depends_on: [copy]\n- id: brief\n"
                                                               "  name: Another brief\n  duration: 1\n")],
    "E202-duplicate-person": [edit("mpm.yaml", "capacity_hours_per_week: 32}\n",
                                   "capacity_hours_per_week: 32}\n  - {id: ana, name: Ana Silva}\n")],
    "E203-cycle": [edit(T, "  duration: 2\n", "  duration: 2\n  depends_on: [launch]\n")],
    "E203-self-dependency": [edit(T, "depends_on: [brief]", "depends_on: [copy]")],
    "E204-bad-rrule": [edit(T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=FORTNIGHTLY\n")],
    "E204-rrule-part-without-value": [edit(T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=WEEKLY;BYDAY\n")],
    "E204-rrule-never-ends": [edit(C, "end: 2027-03-31\n", ""),
                              edit(T, "  duration: 2\n", "  duration: 2\n  repeat: FREQ=WEEKLY;BYDAY=TU\n")],
    "E205-unknown-campaign": [edit(T, "depends_on: [brief]", "depends_on: [sprng/brief]")],
    # playbooks
    "E400-unknown-role": [edit(PT, "  owner: role:writer\n  duration: 3", "  owner: role:witer\n  duration: 3")],
    "E401-bad-relative-date": [edit(PT, "start: launch-8", "start: lanch-8")],
    "E402-unknown-variable": [edit(PT, "{{ product }}", "{{ prodcut }}")],
    "E201-playbook-missing-dependency": [edit(PT, "depends_on: [copy]", "depends_on: [coppy]")],
    "E207-unknown-asset": [(A, None, ASSETS), edit(T, "  owner: ben\n", "  owner: ben\n  asset: launch-vidoe\n")],
    "E207-unknown-derived-from": [(A, None, ASSETS.replace("derived_from: [launch-guide]",
                                                           "derived_from: [launch-guid]"))],
    "E208-reuse-cycle": [(A, None, ASSETS.replace("  kind: guide\n",
                                                  "  kind: guide\n  derived_from: [launch-video]\n"))],
    "E209-not-a-date-of-the-rule": [edit(T, "  duration: 2\n",
                                         "  duration: 2\n  repeat: FREQ=WEEKLY;BYDAY=TU;COUNT=6\n"
                                         "  occurrences:\n    2027-01-05: {status: done}\n"
                                         "    2027-01-13: {title: A brief for the launch}\n")],
    # warnings
    "W300-done-without-date": [edit(T, "  duration: 2\n", "  duration: 2\n  status: done\n")],
    "W301-depends-on-cancelled": [edit(T, "  duration: 2\n", "  duration: 2\n  status: cancelled\n")],
    "W302-in-progress-without-date": [edit(T, "  duration: 2\n", "  duration: 2\n  status: in-progress\n")],
    "W305-bidi-override-in-name": [edit(T, "name: Write the copy", "name: Write the \u202ecopy")],
    "W306-published-without-date": [(A, None, ASSETS.replace("  status: draft\n", "  status: published\n"))],
    "W303-lines-over-total": [edit(C, "end: 2027-03-31\n", "end: 2027-03-31\nbudget:\n  total: 1000\n"
                                   "  lines:\n    - {category: media, planned: 1500}\n")],
    # several problems in one file, all reported
    "multi-several-in-one-file": [edit(T, "  owner: ben\n", "  owner: bne\n  ownr: ben\n"),
                                  edit(T, "  duration: 2\n", "  duration: two\n"),
                                  edit(T, "depends_on: [copy]", "depends_on: [cpy]")],
    "multi-several-files": [edit(C, "owner: ana", "owner: nobody"), edit(R, "likelihood: 2", "likelihood: 9"),
                            edit(G, "target: 120", "target: lots")],
}


def build(name: str, folder: Path) -> None:
    files = dict(BASE)
    if name in PLAYBOOK_CASES:
        files.update(PLAYBOOK)
        (folder / "command").parent.mkdir(parents=True, exist_ok=True)
        (folder / "command").write_text("playbook check\n", encoding="utf-8")
    for path, old, new in CASES[name]:
        if old is None:
            if new is None:
                files.pop(path, None)
            else:
                files[path] = new
            continue
        assert old in files[path], (name, path, old)
        files[path] = files[path].replace(old, new, 1)
    if (folder / "workspace").exists():
        shutil.rmtree(folder / "workspace")  # expected.txt beside it stays
    for rel, text in files.items():
        target = folder / "workspace" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def main() -> None:
    for name in CASES:
        build(name, HERE / name)
    print(f"wrote {len(CASES)} cases")


if __name__ == "__main__":
    main()
