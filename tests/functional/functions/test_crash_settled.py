"""A proposal function that dies mid-proposal, then reconcile, through the real handlers.

The death is a `BaseException` raised from the Tradier transport (the seam for tests):
like a Lambda timeout or an OOM kill, nothing of the handler runs after it, so the
proposal stays IN_PROGRESS with its order (if it left) unrecorded. Reconcile, past the
lease, must settle it by the order's tag so that GET and a duplicate tell the outcome
instead of 409 forever.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from functions import proposal_get, proposals, reconcile, runtime, status
from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.pipeline import DEFAULT_LEASE_MS
from gatekeeper.reconcile import DEFAULT_GRACE_MS
from tests.functional.functions.conftest import Harness, body_of
from tests.functional.functions.test_scheduled import market_buy, scheduled


class ProcessKilled(BaseException):
    """The function's process is gone: no handler code runs after this."""


class DiesAtOrder(httpx.BaseTransport):
    """Passes every Tradier call through, but dies at the order: after it reached the
    broker (`after_send`) or before it left."""

    def __init__(self, after_send: bool) -> None:
        self._inner = httpx.HTTPTransport()
        self._after_send = after_send

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/orders"):
            if self._after_send:
                response = self._inner.handle_request(request)
                response.read()
                response.close()
            raise ProcessKilled
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def die_during(h: Harness, body: dict[str, Any], after_send: bool) -> None:
    """POST `body` to a container that dies at the order, then start a fresh container."""
    dying = runtime.tradier_client(h.config, h.clock, DiesAtOrder(after_send))
    runtime.install(runtime.compose(h.config, clock=h.clock, dynamodb=h.dynamodb, tradier=dying))
    try:
        with pytest.raises(ProcessKilled):
            proposals.handler(h.event("proposals_post", body=body), None)
    finally:
        dying.close()
        runtime.install(
            runtime.compose(h.config, clock=h.clock, dynamodb=h.dynamodb, tradier=h.tradier)
        )


def post(h: Harness, body: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = proposals.handler(h.event("proposals_post", body=body), None)
    return response


def record(h: Harness, proposal_id: str) -> dict[str, Any]:
    event = h.event("proposal_get", path_parameters={"id": proposal_id})
    found: dict[str, Any] = body_of(proposal_get.handler(event, None))
    return found


def run_reconcile(h: Harness) -> dict[str, Any]:
    result: dict[str, Any] = reconcile.handler(scheduled("schedule_reconcile", h.now()), None)
    return result["result"]


def test_reconcile_when_died_after_order_sent_then_filled_recorded_and_duplicate_replayed(
    h: Harness,
) -> None:
    body = market_buy(h)
    die_during(h, body, after_send=True)
    [order] = [o for o in h.orders() if o.get("tag") == body["id"]]
    stuck = post(h, body)
    assert stuck["statusCode"] == 409
    assert body_of(stuck)["error"]["code"] == "PROPOSAL_IN_PROGRESS"
    h.clock.advance(DEFAULT_LEASE_MS + 1_000)
    assert body["id"] in run_reconcile(h)["adopted"]
    settled = record(h, body["id"])
    assert settled["decision"]["decision"] == "APPROVED"
    assert settled["decision"]["order_id"] == order["id"]
    assert settled["decision"]["order_state"] == "FILLED"
    assert [f["quantity"] for f in settled["fills"]] == [body["quantity"]]
    replayed = post(h, body)
    assert replayed["statusCode"] == 200
    assert body_of(replayed)["replayed"] is True
    assert body_of(replayed)["order_id"] == order["id"]
    assert len([o for o in h.orders() if o.get("tag") == body["id"]]) == 1
    store = DynamoGateStore(h.raw_dynamodb, h.table, h.clock)
    assert store.expired_leases(h.now()) == [] and store.pending_intents() == []


def test_reconcile_when_died_before_order_left_then_not_placed_and_structure_released(
    h: Harness,
) -> None:
    body = market_buy(h)
    die_during(h, body, after_send=False)
    assert body_of(status.handler(h.event("status_get"), None))["open_structures"] == 1
    h.clock.advance(DEFAULT_LEASE_MS + 1_000)
    run_reconcile(h)
    # Within the grace an order may still surface at the broker: not settled yet.
    assert post(h, body)["statusCode"] == 409
    h.clock.advance(DEFAULT_GRACE_MS)
    assert body["id"] in run_reconcile(h)["not_placed"]
    settled = record(h, body["id"])["decision"]
    assert (settled["decision"], settled["reason_code"], settled["order_state"]) == (
        "REJECTED",
        "BROKER_REJECTED",
        "NOT_PLACED",
    )
    replayed = body_of(post(h, body))
    assert (replayed["replayed"], replayed["order_state"]) == (True, "NOT_PLACED")
    assert body_of(status.handler(h.event("status_get"), None))["open_structures"] == 0
    assert h.orders() == []
