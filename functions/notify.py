"""Operator notifications: the gate's audit trail always, and SNS when a topic is set."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from gatekeeper.watchdog import Notifier

log = logging.getLogger("edgegate.functions")


class SnsNotifier:
    """Publishes to an SNS topic after the inner notifier (the audit trail) has recorded it;
    a failed publish is logged, never allowed to undo the watchdog's state change."""

    def __init__(self, inner: Notifier, topic_arn: str, client: Any) -> None:
        self._inner = inner
        self._topic_arn = topic_arn
        self._client = client

    def notify(self, subject: str, detail: Mapping[str, str]) -> None:
        """Record, then publish."""
        self._inner.notify(subject, detail)
        try:
            self._client.publish(
                TopicArn=self._topic_arn,
                Subject=f"edgegate: {subject}"[:100],
                Message=json.dumps({"subject": subject, **dict(detail)}, sort_keys=True),
            )
        except Exception as exc:
            # One line, no traceback: the alert is in the audit trail already, and an
            # unreachable topic (no network, no credentials locally) is not a gate fault.
            log.warning("SNS publish failed (%s): %s", type(exc).__name__, subject)


def drain_webhook(notifier: object, timeout_s: float = 2.0) -> None:
    """Give the webhook's queued posts up to `timeout_s` before the handler returns: Lambda
    freezes a container between invocations, so a post left queued would wait for the next
    one. Scheduled jobs only; a proposal never waits on it."""
    while notifier is not None:
        poster = getattr(notifier, "poster", None)
        if poster is not None:
            poster.drain(timeout_s)
            return
        notifier = getattr(notifier, "_inner", None)
