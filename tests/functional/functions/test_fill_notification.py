"""A fill found by the reconcile job reaches the operator's webhook (issue 11, item 8):
the real proposals handler, a moto server DynamoDB, the simulator and a recording webhook
receiver, all on loopback."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from functions import proposals, runtime
from functions.config import load_config
from tests.functional.functions.conftest import Harness, body_of, gate_env
from tests.functional.notify.webhook_server import webhook_receiver
from tests.support.events import fresh_proposal


def _order(h: Harness, tag: str, timeout_s: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        order = next(o for o in h.orders() if o.get("tag") == tag)
        if order["status"] not in ("pending", "open") or time.monotonic() > deadline:
            return order
        time.sleep(0.05)


def test_reconcile_when_order_filled_then_webhook_told_the_fill_once(harness: Harness) -> None:
    with webhook_receiver() as hook:
        config = load_config(gate_env(harness.sim, harness.table, EDGEGATE_WEBHOOK_URL=hook.url))
        gate = runtime.compose(
            config, clock=harness.clock, dynamodb=harness.dynamodb, tradier=harness.tradier
        )
        runtime.install(gate)
        h = dataclasses.replace(harness, config=config)
        body = fresh_proposal(
            "proposals_post", h.now(), order_type="market", price=None, quantity=10
        )
        response = proposals.handler(h.event("proposals_post", body=body), None)
        assert body_of(response)["decision"] == "APPROVED", response["body"]
        assert _order(h, body["id"])["status"] == "filled"
        gate.reconcile()
        gate.reconcile()  # nothing new: no second message
        posts = hook.wait_for(1)
        time.sleep(0.3)
    fills = [p["text"] for p in hook.posts if p["text"].startswith("edgegate: fill")]
    assert len(fills) == 1, posts
    assert fills[0].startswith("edgegate: fill SPY x10\n")
    assert f"proposal_id: {body['id']}" in fills[0]
    assert "filled: 10 of 10" in fills[0]
