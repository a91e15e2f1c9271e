"""A share class and index options through the gate end to end (issue 12): event files
from tests/events/ posted over HTTP to the local API Gateway v2 adapter, the real
handlers, a moto server DynamoDB and the Tradier simulator on loopback.

BRK/B trades as shares (its options would list under BRKB), an SPXW vertical is an SPX
structure judged from its legs, and SPX itself quotes but has no shares to buy."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from edgegate.universe import with_symbols
from functions import runtime
from functions.config import load_config
from functions.local.server import LocalGateServer
from gatekeeper.signing import Target, signed_headers
from tests.functional.functions.conftest import REPO, SIGNING_SECRET, Harness, gate_env
from tests.support.events import encode_json, fresh_proposal


@pytest.fixture
def served(harness: Harness, tmp_path: Path) -> Iterator[tuple[Harness, httpx.Client]]:
    """The harness's gate on infra's constitution with BRK/B and SPX added to its
    universe, behind the local adapter on a free port."""
    path = tmp_path / "constitution.toml"
    rules = (REPO / "infra/constitution.toml").read_text(encoding="utf-8")
    path.write_text(with_symbols(rules, ["BRK/B", "SPX"]), encoding="utf-8")
    config = load_config(gate_env(harness.sim, harness.table, EDGEGATE_CONSTITUTION=str(path)))
    runtime.install(
        runtime.compose(
            config, clock=harness.clock, dynamodb=harness.dynamodb, tradier=harness.tradier
        )
    )
    h = dataclasses.replace(harness, config=config)
    with LocalGateServer("127.0.0.1", 0, clock=h.clock) as server:
        url = server.start()
        with httpx.Client(base_url=url, timeout=10) as client:
            yield h, client


def post(h: Harness, client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """POST a signed (v2) proposal over HTTP; the decision."""
    raw = encode_json(body)
    headers = signed_headers(SIGNING_SECRET, Target("POST", "/v1/proposals"), raw, h.now())
    reply = client.post(
        "/v1/proposals", content=raw, headers={"content-type": "application/json", **headers}
    )
    assert reply.status_code == 200, reply.text
    decision: dict[str, Any] = reply.json()
    return decision


def filled(h: Harness, proposal_id: str, timeout_s: float = 10.0) -> dict[str, Any]:
    """The simulator's order tagged `proposal_id` once it has left pending/open (the
    simulator works orders on its wall-time ticker)."""
    deadline = time.monotonic() + timeout_s
    while True:
        order = next(o for o in h.orders() if o.get("tag") == proposal_id)
        if order["status"] not in ("pending", "open") or time.monotonic() > deadline:
            return order
        time.sleep(0.05)


def natural_credit(h: Harness, legs: list[dict[str, Any]]) -> str:
    """The vertical's credit at the market (short's bid less long's ask), in cents."""
    quotes = {q.symbol: q for q in h.tradier.quotes([leg["option_symbol"] for leg in legs])}
    short, long = (quotes[leg["option_symbol"]] for leg in legs)
    assert short.bid is not None and long.ask is not None
    return str((short.bid - long.ask).quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def test_share_class_equity_when_posted_then_approved_and_filled(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    body = fresh_proposal("proposals_post_share_class_equity", h.now())
    decision = post(h, client, body)
    assert decision["decision"] == "APPROVED", decision
    order = filled(h, body["id"])
    assert (order["status"], order["symbol"], order["quantity"]) == ("filled", "BRK/B", 10)
    assert {p.symbol: p.quantity for p in h.tradier.positions()} == {"BRK/B": 10}


def test_spxw_vertical_when_posted_then_approved_from_its_legs_and_filled(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    body = fresh_proposal("proposals_post_index_vertical", h.now())
    assert body["symbol"] == "SPX"
    assert {leg["option_symbol"][:4] for leg in body["legs"]} == {"SPXW"}
    body["price"] = natural_credit(h, body["legs"])
    decision = post(h, client, body)
    assert decision["decision"] == "APPROVED", decision
    order = filled(h, body["id"])
    assert (order["status"], order["class"]) == ("filled", "multileg")
    held = {p.symbol: p.quantity for p in h.tradier.positions()}
    assert held == {"SPXW261218P06600000": -1, "SPXW261218P06590000": 1}


def test_spx_equity_when_posted_then_refused_not_tradable_and_nothing_sent(
    served: tuple[Harness, httpx.Client],
) -> None:
    h, client = served
    body = fresh_proposal("proposals_post_index_equity", h.now())
    decision = post(h, client, body)
    assert (decision["decision"], decision["reason_code"]) == ("REJECTED", "NOT_TRADABLE")
    assert "SPX is an index" in decision["reason"]
    assert [o for o in h.orders() if o.get("tag") == body["id"]] == []
