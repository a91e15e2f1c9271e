"""The webhook poster against a real receiver on loopback: what is sent, and that a slow
or failing webhook never blocks or fails the caller."""

from __future__ import annotations

import socket
import time
from collections.abc import Mapping

from gatekeeper.webhook import DISCORD_LIMIT, WebhookNotifier, WebhookPoster
from tests.functional.notify.webhook_server import webhook_receiver


class _Recorded:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def notify(self, subject: str, detail: Mapping[str, str]) -> None:
        self.seen.append(subject)


def test_webhook_when_notified_then_discord_and_slack_fields_posted_after_the_audit():
    inner = _Recorded()
    with webhook_receiver() as hook:
        notifier = WebhookNotifier(inner, WebhookPoster(hook.url))
        notifier.notify("trading state ACTIVE -> HALTED (admin)", {"reason": "test halt"})
        [post] = hook.wait_for(1)
    assert inner.seen == ["trading state ACTIVE -> HALTED (admin)"]
    assert post["content_type"] == "application/json"
    assert post["content"] == post["text"]  # Discord reads content, Slack reads text
    assert post["content"] == "edgegate: trading state ACTIVE -> HALTED (admin)\nreason: test halt"


def test_webhook_when_message_long_then_cut_to_discords_limit():
    with webhook_receiver() as hook:
        WebhookPoster(hook.url).post("report", {"detail": "x" * 5000})
        [post] = hook.wait_for(1)
    assert len(post["content"]) == DISCORD_LIMIT


def test_webhook_when_slow_then_notify_returns_at_once_and_the_post_times_out():
    with webhook_receiver() as hook:
        hook.delay_s = 2.0
        poster = WebhookPoster(hook.url, timeout_s=0.2)
        started = time.monotonic()
        for n in range(20):
            poster.post(f"fill {n}", {})
        assert time.monotonic() - started < 0.1  # queued, never waited on
        assert poster.drain(10.0)
    assert poster.failed >= 1


def test_webhook_when_failing_then_nothing_raised_and_failures_counted():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # closed when the block ends: refused
    poster = WebhookPoster(f"http://127.0.0.1:{closed_port}/hook", timeout_s=0.5)
    WebhookNotifier(_Recorded(), poster).notify("halt", {})
    with webhook_receiver() as hook:
        hook.status = 500
        failing = WebhookPoster(hook.url, timeout_s=0.5)
        failing.post("halt", {})
        assert failing.drain(5.0)
        assert len(hook.posts) == 1
    assert poster.drain(5.0)
    assert (poster.failed, poster.sent) == (1, 0)
    assert (failing.failed, failing.sent) == (1, 0)
