"""`--format slack|teams` on status and report: snapshots, the platforms' limits, hostile text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ACME, run_mpm, write_workspace

from mpm.render import slack, teams

AS_OF = "2026-11-16"


def run_json(*args: str) -> tuple[int, dict]:
    r = run_mpm(*args)
    return r.exit_code, json.loads(r.stdout)


@pytest.mark.parametrize("command", ["status", "report"])
@pytest.mark.parametrize("fmt", ["slack", "teams"])
def test_acme_snapshots(golden, command, fmt):
    r = run_mpm(command, "-w", str(ACME), "--as-of", AS_OF, "--format", fmt)
    assert r.exit_code == (1 if command == "status" else 0), r.output  # status keeps its CI exit code
    golden(f"{command}-acme.{fmt}.json", r.stdout)


def slack_texts(doc: dict) -> list[str]:
    texts = []
    for block in doc["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", [])]
    return texts


def test_slack_message_shape():
    code, doc = run_json("status", "-w", str(ACME), "--as-of", AS_OF, "--format", "slack")
    assert code == 1  # the digest does not change what status exits with
    assert list(doc) == ["text", "blocks"]
    # acme's always-on content adds an overdue post and an asset due for a refresh
    assert doc["text"] == "Acme Outdoor Co. marketing status as of 2026-11-16: 10 errors · 7 warnings · 7 info"
    kinds = [b["type"] for b in doc["blocks"]]
    assert kinds[0] == "header" and kinds[-1] == "context" and set(kinds[1:-1]) == {"section"}
    assert doc["blocks"][0]["text"]["type"] == "plain_text"
    first = doc["blocks"][1]["text"]
    assert first["type"] == "mrkdwn"
    lines = first["text"].splitlines()
    # the most urgent campaign first, its worst findings first, then "and N more"
    assert lines[0] == "*black-friday-2026* — 9 errors · 3 warnings · 4 info"
    assert lines[1].startswith("🔴 *S101* store-signage: was due 2026-11-13")
    assert lines[-1] == "_…and 6 more_"  # 16 findings, 10 shown
    assert doc["blocks"][-1]["elements"][0]["text"] == (
        "as of 2026-11-16 · 10 errors · 7 warnings · 7 info · mpm status")


def test_teams_message_shape():
    _, doc = run_json("report", "-w", str(ACME), "--as-of", AS_OF, "--format", "teams")
    assert list(doc) == ["type", "attachments"] and doc["type"] == "message"
    (att,) = doc["attachments"]
    assert att["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = att["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    body = card["body"]
    assert body[0]["inlines"][0]["text"] == "Acme Outdoor Co. marketing — status report"
    assert [c["items"][0]["inlines"][0]["text"] for c in body if c["type"] == "Container"] == [
        "Black Friday / Cyber Monday 2026", "Always-on content programme FY2027", "Acme Trailhead B2B launch",
        "Summit Outdoor Expo 2026"]
    assert body[-1]["inlines"][0]["text"].startswith("as of 2026-11-16 · changes since 2026-11-02 · 1 late")


def test_all_clear(tmp_path):
    root = write_workspace(tmp_path / "ws", {"mpm.yaml": "name: Quiet team\n",
                                             "campaigns/c/campaign.yaml": "name: C\n"})
    _, doc = run_json("status", "-w", str(root), "--as-of", AS_OF, "--format", "slack")
    assert slack_texts(doc)[1:] == ["All clear: nothing overdue, at risk or waiting.", "as of 2026-11-16 · mpm status"]
    _, doc = run_json("status", "-w", str(root), "--as-of", AS_OF, "--format", "teams")
    assert doc["attachments"][0]["content"]["body"][1]["inlines"][0]["text"].startswith("All clear")


# -- limits ------------------------------------------------------------------------------


def big_workspace(root: Path, campaigns: int, tasks: int) -> Path:
    files = {"mpm.yaml": "name: " + "Very Large Agency " * 12 + "\nteam:\n  - {id: ana, name: Ana}\n"}
    for c in range(campaigns):
        rows = "".join(f"- id: task-{t}\n  name: Task {t} {'with a long name ' * 8}\n  owner: ana\n"
                       f"  duration: 1\n  due: 2026-11-0{2 + t % 5}\n"
                       f"  approvals: [{{by: {'Reviewer ' * 30}, status: pending}}]\n"
                       for t in range(tasks))
        files[f"campaigns/c{c:03d}/campaign.yaml"] = f"name: Campaign {c}\nstart: 2026-10-01\n"
        files[f"campaigns/c{c:03d}/tasks.yaml"] = rows
    return write_workspace(root, files)


def test_slack_limits_blocks_texts_and_header(tmp_path):
    root = big_workspace(tmp_path / "ws", campaigns=60, tasks=12)
    _, doc = run_json("status", "-w", str(root), "--as-of", AS_OF, "--format", "slack", "--fail-on", "never")
    blocks = doc["blocks"]
    assert len(blocks) == slack.MAX_BLOCKS
    assert len(blocks[0]["text"]["text"]) <= slack.MAX_HEADER and blocks[0]["text"]["text"].endswith("…")
    assert all(len(t) <= slack.MAX_TEXT for t in slack_texts(doc))
    # 60 campaigns and the team (one over-capacity week): 47 shown, the last 13 campaigns and the team not
    assert blocks[-2]["text"]["text"] == "_…and 14 more campaigns (313 more lines)_"
    first = blocks[1]["text"]["text"].splitlines()
    assert first[-1] == "_…and 14 more_"  # 24 findings, 10 shown
    # long lines: a section stops before 3,000 characters and says how many it left out
    _, doc = run_json("report", "-w", str(root), "--as-of", AS_OF, "--format", "slack")
    assert all(len(t) <= slack.MAX_TEXT for t in slack_texts(doc)) and len(doc["blocks"]) <= slack.MAX_BLOCKS


def test_slack_section_text_is_cut_at_the_limit():
    from mpm.render.chat import Section, Span

    section = Section([Span("c", "strong")], [[Span("x" * 700, "user")] for _ in range(10)])
    text = slack.section_text(section)
    assert len(text) <= slack.MAX_TEXT
    assert text.endswith("_…and 6 more_") and text.count("x" * 700) == 4  # 4 whole lines, the rest counted
    one = slack.section_text(Section([Span("c", "strong")], [[Span("y" * 5000, "user")]]))
    assert len(one) <= slack.MAX_TEXT and one.endswith("…") and "more" not in one
    assert slack.escape("ask @here or sam@acme.com") == "ask @\u2060here or sam@acme.com"
    amps = slack.section_text(Section([Span("c", "strong")], [[Span("&" * 2000, "user")]]))
    assert amps.endswith("&amp;…") and len(amps) <= slack.MAX_TEXT  # never half an entity


def test_teams_stays_under_the_webhook_size(tmp_path):
    root = big_workspace(tmp_path / "ws", campaigns=60, tasks=12)
    r = run_mpm("status", "-w", str(root), "--as-of", AS_OF, "--format", "teams", "--fail-on", "never")
    assert len(r.stdout.encode("utf-8")) <= teams.MAX_BYTES
    body = json.loads(r.stdout)["attachments"][0]["content"]["body"]
    assert body[-2]["inlines"][0]["text"].startswith("…and ") and "more campaigns" in body[-2]["inlines"][0]["text"]


# -- hostile text ----------------------------------------------------------------------

HOSTILE = "<!here> @channel & @sam *bold* [click](https://evil.example) <at>Ana</at> <@U024BE7LH>"


def hostile_workspace(root: Path) -> Path:
    name = json.dumps(HOSTILE, ensure_ascii=False)
    return write_workspace(root, {
        "mpm.yaml": f"name: {json.dumps('Team <!channel> & co')}\nteam:\n  - {{id: ana, name: Ana}}\n",
        "campaigns/c/campaign.yaml": f"name: {name}\nstart: 2026-11-02\n",
        "campaigns/c/tasks.yaml": (f"- id: t\n  name: {name}\n  owner: ana\n  duration: 3\n  start: 2026-11-17\n"
                                   f"  approvals: [{{by: {name}, status: pending}}]\n"),
    })


def test_slack_escapes_user_text_and_mentions_no_one(tmp_path):
    root = hostile_workspace(tmp_path / "ws")
    for command in ("status", "report"):
        _, doc = run_json(command, "-w", str(root), "--as-of", AS_OF, "--format", "slack")
        texts = [doc["text"], *slack_texts(doc)]
        joined = "\n".join(texts)
        assert HOSTILE.split("\n")[0] not in joined
        assert "<" not in joined and ">" not in joined  # every < and > is an entity: nothing parsed
        assert "&lt;!here&gt;" in joined and "&lt;!channel&gt;" in joined
        assert "@\u2060channel" in joined and "@\u2060sam" in joined and "@channel" not in joined
        assert "&amp; " in joined and "& " not in joined.replace("&amp; ", "")
        assert "&lt;@\u2060U024BE7LH&gt;" in joined


def test_teams_puts_user_text_in_text_runs_only(tmp_path):
    root = hostile_workspace(tmp_path / "ws")
    for command in ("status", "report"):
        r = run_mpm(command, "-w", str(root), "--as-of", AS_OF, "--format", "teams")
        doc = json.loads(r.stdout)
        card = doc["attachments"][0]["content"]
        kinds = set()

        def walk(node, kinds=kinds):
            if isinstance(node, dict):
                kinds.add(node.get("type"))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(card["body"])
        assert "TextBlock" not in kinds and "FactSet" not in kinds  # those read Markdown
        assert "msteams" in card and "entities" not in card["msteams"]  # no mentions at all
        runs = json.dumps(card["body"], ensure_ascii=False)
        assert json.dumps(HOSTILE, ensure_ascii=False)[1:-1] in runs  # shown as written


def test_user_text_stays_on_one_line_and_visible():
    from mpm.render.chat import Digest, Line, Section, Span

    sneaky = "Brief\n🔴 *S101* fake-line\u202egnp.exe\x1b[2J"
    line: Line = [Span(sneaky, "user")]
    text = slack.section_text(Section([Span("c", "strong")], [line]))
    assert text.splitlines() == ["*c*", "Brief 🔴 *S101* fake-line gnp.exe [2J"]
    card = teams.payload(Digest("t", "s", [Section([Span("c", "strong")], [line])], "ctx"))
    run = card["attachments"][0]["content"]["body"][1]["items"][1]["inlines"][0]["text"]
    assert run == "Brief 🔴 *S101* fake-line gnp.exe [2J"
