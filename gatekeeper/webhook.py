"""Operator notifications to a webhook URL (Discord- and Slack-compatible), best effort.

One JSON body serves both: Discord reads `content` (at most 2000 characters), Slack's
incoming webhooks read `text`; each ignores the other's field. Posting never blocks the
caller and never raises into it: `post` only queues (a full queue drops the message and
counts it), one daemon thread sends with a short timeout, and a failing webhook is logged
once, then again only after it has worked. Trading must not wait on a chat server.
Stdlib only, like `gatekeeper.signing`, so that the brain and the gate share it for free.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import urllib.request
from collections.abc import Mapping
from typing import Final, Protocol
from urllib.parse import urlsplit

log = logging.getLogger(__name__)
DISCORD_LIMIT: Final = 2000
DEFAULT_TIMEOUT_S: Final = 3.0
_QUEUE_SIZE: Final = 200


def webhook_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an http(s) URL, got {parts.scheme or 'no'} scheme"
    return None


WEBHOOK_ENV = "EDGEGATE_WEBHOOK_URL"


def webhook_setting(env: Mapping[str, str]) -> str | None:
    """The optional webhook URL in `env` (None when unset); ValueError saying the rule
    when it is not one. The gate's and the brain's configs both read it through this."""
    url = env.get(WEBHOOK_ENV, "").strip()
    if not url:
        return None
    problem = webhook_problem(url)
    if problem is not None:
        raise ValueError(problem)
    return url


def message_text(subject: str, detail: Mapping[str, str]) -> str:
    """The human line: subject, then `key: value` lines, cut to Discord's limit."""
    lines = [f"edgegate: {subject}", *(f"{k}: {v}" for k, v in detail.items())]
    text = "\n".join(lines)
    return text if len(text) <= DISCORD_LIMIT else text[: DISCORD_LIMIT - 1] + "…"


def webhook_body(subject: str, detail: Mapping[str, str]) -> bytes:
    """The JSON both Discord and Slack accept."""
    text = message_text(subject, detail)
    return json.dumps({"content": text, "text": text, "username": "edgegate"}).encode()


class _Notifier(Protocol):
    # `gatekeeper.watchdog.Notifier`, restated: importing it would pull the gate into the
    # brain, which shares this module.
    def notify(self, subject: str, detail: Mapping[str, str]) -> None: ...


class WebhookPoster:
    """Sends queued messages from one daemon thread; see the module docstring."""

    def __init__(self, url: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._url = url
        self._timeout_s = timeout_s
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=_QUEUE_SIZE)
        self._failing = False
        self.sent = 0
        self.failed = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="webhook", daemon=True)
        self._thread.start()

    def post(self, subject: str, detail: Mapping[str, str]) -> None:
        """Queue a message; returns at once."""
        try:
            self._queue.put_nowait(webhook_body(subject, detail))
        except queue.Full:
            self.dropped += 1

    def drain(self, timeout_s: float) -> bool:
        """Wait until every queued message was tried (True) or `timeout_s` passed."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout_s)

    def _run(self) -> None:
        while True:
            body = self._queue.get()
            try:
                self._send(body)
            finally:
                self._queue.task_done()

    def _send(self, body: bytes) -> None:
        request = urllib.request.Request(
            self._url,
            data=body,
            headers={"Content-Type": "application/json", "User-Agent": "edgegate"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_s) as response:
                response.read(1024)
        except Exception as exc:  # any fault of the webhook is only ever logged
            self.failed += 1
            if not self._failing:
                # The URL may carry its own secret (Discord, Slack): never logged.
                log.warning("webhook post failed (%s); notifications are best effort", exc)
                self._failing = True
            return
        self.sent += 1
        if self._failing:
            log.warning("webhook posts work again")
            self._failing = False


class WebhookNotifier:
    """A `Notifier`: the inner one (the audit trail) first, then the webhook."""

    def __init__(self, inner: _Notifier, poster: WebhookPoster) -> None:
        self._inner = inner
        self.poster = poster

    def notify(self, subject: str, detail: Mapping[str, str]) -> None:
        """Record, then queue for the webhook."""
        self._inner.notify(subject, detail)
        self.poster.post(subject, detail)
