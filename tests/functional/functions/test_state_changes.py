"""Every trading-state change through the real handlers: stored with its audit entry,
published to the alerts topic, and shown by `GET /v1/status` with why, when and by what.

The topic is a hand-written SNS client that records what it is asked to publish.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from functions import admin_state, proposals, runtime, status, watchdog
from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.reconcile import trading_day
from gatekeeper.store import AuditEntry
from gatekeeper.watchdog import AuditNotifier
from tests.functional.functions.conftest import ADMIN_SECRET, Harness, body_of
from tests.functional.functions.test_scheduled import market_buy, scheduled
from tests.support.events import body_json, fresh_proposal

TOPIC = "arn:aws:sns:us-east-1:123456789012:edgegate-test-alerts"


class RecordingSns:
    """An SNS client that records every publish."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, **kwargs: Any) -> dict[str, str]:
        self.published.append(kwargs)
        return {"MessageId": str(len(self.published))}

    def messages(self) -> list[dict[str, str]]:
        """The JSON messages published to TOPIC."""
        return [json.loads(p["Message"]) for p in self.published if p["TopicArn"] == TOPIC]


class UnreachableSns:
    """An SNS endpoint that cannot be reached."""

    def publish(self, **kwargs: Any) -> dict[str, str]:
        raise EndpointConnectionError(endpoint_url="https://sns.us-east-1.amazonaws.com")


def compose_with_topic(h: Harness, topic: str | None, sns: Any) -> None:
    """Install the harness's gate again, configured with `topic` and the `sns` client."""
    config = dataclasses.replace(h.config, alerts_topic_arn=topic)
    gate = runtime.compose(config, clock=h.clock, dynamodb=h.dynamodb, tradier=h.tradier, sns=sns)
    runtime.install(gate)


@pytest.fixture
def sns(h: Harness) -> RecordingSns:
    """The harness's gate with an alerts topic, published to a recording client."""
    recording = RecordingSns()
    compose_with_topic(h, TOPIC, recording)
    return recording


def state_entries(h: Harness) -> list[AuditEntry]:
    """Today's audit entries of trading-state changes."""
    store = DynamoGateStore(h.raw_dynamodb, h.table, h.clock)
    return [e for e in store.audit_for_day(trading_day(h.now())) if e.kind == "state"]


def shown(h: Harness) -> dict[str, Any]:
    """GET /v1/status."""
    response = status.handler(h.event("status_get"), None)
    assert response["statusCode"] == 200, response["body"]
    body: dict[str, Any] = body_of(response)
    return body


def test_status_when_state_never_changed_then_no_change_time_nor_changer(h: Harness) -> None:
    body = shown(h)
    assert (body["state"], body["state_changed_at"], body["state_changed_by"]) == (
        "ACTIVE",
        None,
        None,
    )


def test_admin_state_when_halted_then_audited_published_and_status_shows_why_when_who(
    h: Harness, sns: RecordingSns
) -> None:
    reason = body_json("admin_state_post")["reason"]
    response = admin_state.handler(h.event("admin_state_post", secret=ADMIN_SECRET), None)
    assert response["statusCode"] == 200, response["body"]
    body = shown(h)
    assert body["state"] == "HALTED" and body["state_reason"] == reason
    assert (body["state_changed_at"], body["state_changed_by"]) == (h.now(), "admin")
    [entry] = state_entries(h)
    assert (entry.decision, entry.ts_ms) == ("HALTED", h.now())
    assert entry.detail["previous"] == "ACTIVE" and entry.detail["reason"] == reason
    [message] = sns.messages()
    assert (message["previous"], message["state"], message["changed_by"]) == (
        "ACTIVE",
        "HALTED",
        "admin",
    )


def test_proposal_when_daily_loss_breached_then_reducing_with_figures_audited_published_once(
    h: Harness, sns: RecordingSns
) -> None:
    equity = h.tradier.balances().total_equity
    baseline = (equity * Decimal("1.05")).quantize(Decimal("0.01"))  # down about 4.8%
    store = DynamoGateStore(h.raw_dynamodb, h.table, h.clock)
    store.put_baseline_if_absent(trading_day(h.now()), baseline, h.now())
    first = body_of(proposals.handler(h.event("proposals_post", body=market_buy(h)), None))
    second = body_of(proposals.handler(h.event("proposals_post", body=market_buy(h)), None))
    assert (first["decision"], first["reason_code"]) == ("REJECTED", "DAILY_LOSS_LIMIT")
    assert (second["decision"], second["reason_code"]) == ("REJECTED", "STATE_REDUCING")
    assert h.orders() == []
    body = shown(h)
    assert (body["state"], body["state_changed_by"]) == ("REDUCING", "daily_loss")
    assert body["state_changed_at"] == h.now()
    [entry] = state_entries(h)
    assert Decimal(entry.detail["equity"]) == equity
    assert Decimal(entry.detail["start_of_day_equity"]) == baseline
    assert Decimal(entry.detail["loss"]) == baseline - equity
    assert entry.detail["daily_loss_percent"] == "2.0"
    [message] = sns.messages()  # the second proposal found REDUCING: no second change
    assert (message["state"], message["loss"]) == ("REDUCING", entry.detail["loss"])


def test_watchdog_when_brain_silent_with_position_then_reducing_audited_published_once(
    h: Harness, sns: RecordingSns
) -> None:
    approved = body_of(proposals.handler(h.event("proposals_post", body=market_buy(h)), None))
    assert approved["decision"] == "APPROVED"
    h.clock.advance(11 * 60_000)
    first = watchdog.handler(scheduled("schedule_watchdog", h.now()), None)
    again = watchdog.handler(scheduled("schedule_watchdog", h.now()), None)
    assert (first["result"]["tripped"], again["result"]["tripped"]) == (True, False)
    body = shown(h)
    assert (body["state"], body["state_changed_by"]) == ("REDUCING", "watchdog")
    assert body["state_changed_at"] == h.now()
    assert "heartbeat" in body["state_reason"]
    [entry] = state_entries(h)
    assert entry.detail["heartbeat_age"] == "never"
    assert entry.detail["open_positions"] == "1"
    assert entry.detail["heartbeat_timeout"] == "600 s"
    [message] = sns.messages()
    assert (message["state"], message["changed_by"]) == ("REDUCING", "watchdog")


@pytest.mark.parametrize("topic", [None, "[object Object]"])
def test_watchdog_when_no_topic_arn_configured_then_state_changed_and_no_sns_call(
    h: Harness, topic: str | None
) -> None:
    # "[object Object]": what serverless-offline passes for an unresolved `Ref`.
    recording = RecordingSns()
    compose_with_topic(h, topic, recording)
    assert type(runtime.current_gate().notifier) is AuditNotifier
    proposals.handler(h.event("proposals_post", body=market_buy(h)), None)
    h.clock.advance(11 * 60_000)
    result = watchdog.handler(scheduled("schedule_watchdog", h.now()), None)
    assert result["result"]["tripped"] is True
    assert recording.published == []
    assert [e.decision for e in state_entries(h)] == ["REDUCING"]


def test_admin_state_when_topic_unreachable_then_state_still_changed_and_audited(
    h: Harness,
) -> None:
    compose_with_topic(h, TOPIC, UnreachableSns())
    response = admin_state.handler(h.event("admin_state_post", secret=ADMIN_SECRET), None)
    assert response["statusCode"] == 200, response["body"]
    assert shown(h)["state"] == "HALTED"
    assert [e.decision for e in state_entries(h)] == ["HALTED"]
    rejected = body_of(
        proposals.handler(
            h.event("proposals_post", body=fresh_proposal("proposals_post", h.now())), None
        )
    )
    assert rejected["reason_code"] == "STATE_HALTED"
