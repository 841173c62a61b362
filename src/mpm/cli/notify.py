"""`mpm notify`: post the status digest to a Slack or Teams incoming webhook.

The webhook URL is a secret (whoever has it can post to the channel): it is
never printed, not in errors either. One POST with a timeout; one retry
when the webhook answers 429 or 5xx, after its Retry-After (at most
MAX_WAIT seconds). A timeout is not retried: the message may have arrived.
Redirects are not followed. Exit 4 when the digest could not be posted (3 is an internal error).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit

import typer

from mpm.cli.options import AsOfOpt, LevelOpt, WorkspaceOpt, as_of_date, fail

ENV = {"slack": "MPM_SLACK_WEBHOOK", "teams": "MPM_TEAMS_WEBHOOK"}
MAX_WAIT = 30.0  # seconds mpm waits for a Retry-After before its one retry
POST_FAILED = 4
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_sleep = time.sleep  # tests replace it to see the wait


class ChatFmt(StrEnum):
    slack = "slack"
    teams = "teams"


class PostFailed(Exception):
    pass


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    retry_after: float | None


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)


def notify(
    fmt: Annotated[ChatFmt, typer.Option("--format", "-f", help="slack (Block Kit) or teams (Adaptive Card).")],
    webhook_url: Annotated[str | None, typer.Option(
        "--webhook-url", metavar="URL",
        help="The incoming webhook (default: $MPM_SLACK_WEBHOOK or $MPM_TEAMS_WEBHOOK). Never printed.")] = None,
    workspace: WorkspaceOpt = None,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    campaign: Annotated[list[str] | None, typer.Option(
        "--campaign", "-c", help="Only this campaign (repeatable).")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Only work owned by this person.")] = None,
    horizon: Annotated[int, typer.Option("--horizon", min=0, help="Working days ahead that count as 'soon'.")] = 5,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the webhook.")] = 10.0,
) -> None:
    """Post the status digest to a team channel through its incoming webhook.

    The same digest as `mpm status --format slack|teams`. The URL comes from
    --webhook-url or the environment and is never printed. Exit 0 when the
    message was posted, 3 when it could not be (after one retry on 429 or
    5xx), 2 when the files are invalid.

    Example: MPM_SLACK_WEBHOOK=https://hooks.slack.com/services/… mpm notify --format slack
    """
    import os

    from mpm.cli.status import chat_payload
    from mpm.cli.steps import known_campaigns, known_person, load_valid
    from mpm.plan.schedule import build_plan
    from mpm.render.chat import counts, status_digest
    from mpm.render.console import console
    from mpm.views.status import StatusOptions, findings

    url = webhook_url or os.environ.get(ENV[fmt.value])
    if not url:
        fail("no webhook to post to", f"pass --webhook-url, or set {ENV[fmt.value]} (a CI secret)")
    problem = _unusable(url)
    if problem:
        fail(f"the webhook URL {problem}", "copy the incoming webhook URL from the channel's settings")
    ws = load_valid(workspace)
    day = as_of_date(as_of)
    known_campaigns(ws, campaign)
    known_person(ws, owner)
    found = findings(ws, build_plan(ws, day, level=level), day, StatusOptions(horizon, list(campaign or []), owner))
    digest = status_digest(found, day, ws.config.name if ws.config else "mpm")
    body = chat_payload(digest, fmt.value).encode("utf-8")
    try:
        post(url, body, timeout)
    except PostFailed as exc:
        fail(f"the status digest was not posted: {exc}", "check the webhook in the channel's settings, "
             "or run again later", code=POST_FAILED)
    where = "Slack" if fmt is ChatFmt.slack else "Teams"
    console().print(f"posted the status digest as of {day} to {where} ({counts(found)})", markup=False,
                    soft_wrap=True)


def _unusable(url: str) -> str | None:
    """Why `url` is no webhook to send a digest to (said without showing it), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "cannot be read"
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return None
    if parts.scheme == "http":
        return "is plain http: the digest would cross the network unencrypted; webhooks are https"
    return "is not an https:// address"


def _send(url: str, body: bytes, timeout: float) -> Answer:
    # imported here: every other command starts without the HTTP client
    import urllib.error
    import urllib.request

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            return None  # the 3xx becomes an HTTPError: mpm does not send the digest on elsewhere

    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "mpm"})
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Answer(response.status, response.read(2000).decode("utf-8", "replace"), None)
    except urllib.error.HTTPError as exc:
        text = exc.read(2000).decode("utf-8", "replace") if exc.fp else ""
        return Answer(exc.code, text, _retry_after(exc.headers.get("Retry-After")))
    except TimeoutError:
        raise PostFailed(f"no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise PostFailed(f"no answer within {timeout:g} s") from None
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else "no connection"
        raise PostFailed(f"cannot reach the webhook ({reason})") from None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def post(url: str, body: bytes, timeout: float) -> Answer:
    """POST `body` to `url`; once more after Retry-After on 429 or 5xx. Raises PostFailed."""
    answer = _send(url, body, timeout)
    if answer.status == 429 or answer.status >= 500:
        _sleep(min(MAX_WAIT, answer.retry_after if answer.retry_after is not None else 1.0))
        answer = _send(url, body, timeout)
    if 200 <= answer.status < 300:
        return answer
    said = " ".join(answer.body.split())[:200]
    for secret in (url, urlsplit(url).path):  # a server that echoes the request must not make mpm print it
        if secret and secret != "/":
            said = said.replace(secret, "…")
    raise PostFailed(f"the webhook answered {answer.status}" + (f": {said}" if said else ""))
