"""`mpm notify` against a local webhook on 127.0.0.1 started by each test: retries, timeouts, the secret URL.

No test here reaches any other address.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ACME, run_mpm

from mpm.cli import notify

AS_OF = "2026-11-16"
SECRET = "/services/T0001/B0002/s3cr3tT0k3n"


class Hook:
    """A webhook that answers from a script: [(status, headers, body, delay seconds), …]; then 200."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], str, float]] = []
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.requests.append((self.path, dict(self.headers), body))
                status, headers, text, delay = hook.script.pop(0) if hook.script else (200, {}, "ok", 0.0)
                time.sleep(delay)
                data = text.encode("utf-8")
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{SECRET}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.close()


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(notify, "_sleep", slept.append)
    return slept


def run(*args: str, env: dict[str, str] | None = None):
    r = run_mpm("notify", "-w", str(ACME), "--as-of", AS_OF, *args, env=env)
    assert SECRET not in r.output and "s3cr3t" not in r.output, "the webhook URL is a secret"
    return r


def test_posts_the_slack_digest(hook, waits):
    r = run("--format", "slack", "--webhook-url", hook.url)
    assert r.exit_code == 0, r.output
    assert r.stdout == "posted the status digest as of 2026-11-16 to Slack (10 errors · 7 warnings · 7 info)\n"
    ((path, headers, body),) = hook.requests
    assert path == SECRET and headers["Content-Type"] == "application/json; charset=utf-8"
    status = run_mpm("status", "-w", str(ACME), "--as-of", AS_OF, "--format", "slack").stdout
    assert json.loads(body) == json.loads(status)  # the same payload as `mpm status --format slack`
    assert waits == []


def test_the_url_comes_from_the_environment(hook, waits):
    r = run("--format", "teams", env={"MPM_TEAMS_WEBHOOK": hook.url})
    assert r.exit_code == 0, r.output
    assert json.loads(hook.requests[0][2])["type"] == "message"
    r = run("--format", "slack", env={"MPM_SLACK_WEBHOOK": ""})
    assert r.exit_code == 2 and "set MPM_SLACK_WEBHOOK" in r.stderr
    assert len(hook.requests) == 1


def test_one_retry_after_a_server_error(hook, waits):
    hook.script = [(503, {}, "busy", 0.0)]
    r = run("--format", "slack", "--webhook-url", hook.url)
    assert r.exit_code == 0, r.output
    assert len(hook.requests) == 2 and hook.requests[0][2] == hook.requests[1][2]
    assert waits == [1.0]


def test_429_retry_honours_retry_after(hook, waits):
    hook.script = [(429, {"Retry-After": "7"}, "rate_limited", 0.0)]
    r = run("--format", "slack", "--webhook-url", hook.url)
    assert r.exit_code == 0, r.output
    assert waits == [7.0] and len(hook.requests) == 2
    hook.requests.clear()
    hook.script = [(429, {"Retry-After": "3600"}, "rate_limited", 0.0)]
    assert run("--format", "slack", "--webhook-url", hook.url).exit_code == 0
    assert waits[-1] == notify.MAX_WAIT  # never an hour


def test_gives_up_after_one_retry_and_exits_3(hook, waits):
    hook.script = [(500, {}, "oops", 0.0), (502, {}, f"bad gateway for {SECRET}", 0.0)]
    r = run("--format", "slack", "--webhook-url", hook.url)
    assert r.exit_code == notify.POST_FAILED
    assert "error: the status digest was not posted: the webhook answered 502: bad gateway for …" in r.stderr
    assert len(hook.requests) == 2


def test_a_client_error_is_not_retried(hook, waits):
    hook.script = [(400, {}, "invalid_blocks", 0.0)]
    r = run("--format", "slack", "--webhook-url", hook.url)
    assert r.exit_code == 4
    assert "the webhook answered 400: invalid_blocks" in r.stderr
    assert len(hook.requests) == 1 and waits == []


def test_redirects_are_not_followed(hook, waits):
    hook.script = [(302, {"Location": "http://127.0.0.1:9/elsewhere"}, "", 0.0)]
    r = run("--format", "teams", "--webhook-url", hook.url)
    assert r.exit_code == 4 and "the webhook answered 302" in r.stderr
    assert len(hook.requests) == 1


def test_timeout_is_not_retried(hook, waits):
    hook.script = [(200, {}, "ok", 2.0)]
    started = time.monotonic()
    r = run("--format", "slack", "--webhook-url", hook.url, "--timeout", "0.3")
    assert r.exit_code == 4
    assert "the status digest was not posted: no answer within 0.3 s" in r.stderr
    assert time.monotonic() - started < 2.0
    assert len(hook.requests) == 1 and waits == []  # it may have arrived: no second post


def test_nothing_listening(waits):
    hook = Hook()
    url = hook.url
    hook.close()  # the port is free again: connection refused
    r = run("--format", "slack", "--webhook-url", url)
    assert r.exit_code == 4 and "cannot reach the webhook" in r.stderr


@pytest.mark.parametrize(("url", "why"), [
    (f"http://hooks.example.invalid{SECRET}", "is plain http"),
    (f"ftp://127.0.0.1{SECRET}", "is not an https:// address"),
    ("hooks.slack.com/services/s3cr3t", "is not an https:// address"),
])
def test_unusable_urls_are_refused_without_being_shown(url, why):
    r = run("--format", "slack", "--webhook-url", url)
    assert r.exit_code == 2 and why in r.stderr
    assert "example.invalid" not in r.output


def test_the_morning_digest_recipe():
    from conftest import EXAMPLES, ROOT
    from ruamel.yaml import YAML

    text = (EXAMPLES / "ci" / "mpm-digest.yml").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    assert body in (ROOT / "README.md").read_text(encoding="utf-8"), "README shows examples/ci/mpm-digest.yml"
    flow = YAML(typ="safe").load(text)
    assert "schedule" in flow["on"]
    step = flow["jobs"]["digest"]["steps"][-1]
    assert step["env"] == {"MPM_SLACK_WEBHOOK": "${{ secrets.MPM_SLACK_WEBHOOK }}"}
    args = step["run"].split("#")[0].split()
    assert args[:2] == ["mpm", "notify"]
    r = run_mpm(*args[1:], "--help")
    assert r.exit_code == 0
