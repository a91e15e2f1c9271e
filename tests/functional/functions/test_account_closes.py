"""Closes that are really closes, and flatten, through the real handlers: API Gateway v2
events, a moto server DynamoDB and the Tradier simulator on loopback (issue 8, cases 4
and 5). The gate reads the positions and the working orders itself; every refusal here
leaves no order at the broker."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from functions import admin_flatten, admin_state, proposals, runtime
from functions.config import load_config
from tests.functional.functions.conftest import (
    ADMIN_SECRET,
    REPO,
    START_MS,
    Harness,
    body_of,
    gate_env,
)
from tests.support.events import fresh_proposal
from tradier.clock import ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

SHORT_PUT, LONG_PUT = "SPY261218P00560000", "SPY261218P00555000"
# The same Wednesday after the close, and Thursday's open (16:00 / 09:30 New York).
AFTER_CLOSE_MS = from_datetime(datetime(2026, 11, 18, 21, 30, tzinfo=UTC))
NEXT_OPEN_MS = from_datetime(datetime(2026, 11, 19, 14, 45, tzinfo=UTC))


@pytest.fixture(scope="module")
def sim(sim_clock: ManualClock) -> Iterator[RunningSim]:
    """A simulator that keeps market hours, so orders sent after the close wait, pending,
    for the next open (the always-open default fills them at once)."""
    config = SimConfig(seed=11, start_ms=START_MS, follow_calendar=True)
    with run_in_thread(config, sim_clock) as running:
        yield running


@pytest.fixture
def h(harness: Harness, tmp_path: Path) -> Harness:
    """The harness's gate with max_notional at 100,000, so that a 100-share SPY short (about
    $68,000 in the simulator) can be opened and then closed as in the issue."""
    rules = (REPO / "infra/constitution.toml").read_text()
    path = tmp_path / "constitution.toml"
    path.write_text(rules.replace("max_notional = 25000.00", "max_notional = 100000.00"))
    env = gate_env(harness.sim, harness.table, EDGEGATE_CONSTITUTION=str(path))
    config = load_config(env)
    gate = runtime.compose(
        config, clock=harness.clock, dynamodb=harness.dynamodb, tradier=harness.tradier
    )
    runtime.install(gate)
    return dataclasses.replace(harness, config=config)


def submit(h: Harness, name: str = "proposals_post", **fields: Any) -> dict[str, Any]:
    """A fresh proposal from event file `name` with `fields`, decided through the handler."""
    body = fresh_proposal(name, h.now(), **fields)
    response = proposals.handler(h.event(name, body=body), None)
    assert response["statusCode"] == 200, response["body"]
    decision: dict[str, Any] = body_of(response)
    decision["id"] = body["id"]
    return decision


def shares(h: Harness, quantity: int, side: str, intent: str, **fields: Any) -> dict[str, Any]:
    """An SPY equity proposal (market unless a price is given)."""
    fields = {"order_type": "market", "price": None, **fields}
    return submit(h, quantity=quantity, side=side, intent=intent, **fields)


def legs(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"option_symbol": symbol, "side": side, "ratio": 1} for symbol, side in pairs]


def single_close(h: Harness, symbol: str, side: str) -> dict[str, Any]:
    """A market close of one option leg, one contract."""
    return submit(
        h, "proposals_post_vertical", strategy="single_option", intent="close",
        order_type="market", price=None, legs=legs((symbol, side)),
    )  # fmt: skip


def set_state(h: Harness, state: str) -> None:
    body = {"state": state, "reason": "test"}
    event = h.event("admin_state_post", secret=ADMIN_SECRET, body=body)
    response = admin_state.handler(event, None)
    assert response["statusCode"] == 200, response["body"]


def flatten(h: Harness) -> list[dict[str, Any]]:
    response = admin_flatten.handler(h.event("admin_flatten_post", secret=ADMIN_SECRET), None)
    assert response["statusCode"] == 200, response["body"]
    decisions: list[dict[str, Any]] = body_of(response)["decisions"]
    return decisions


def held(h: Harness) -> dict[str, int]:
    return {p.symbol: p.quantity for p in h.tradier.positions()}


def settled(h: Harness, timeout_s: float = 10.0) -> dict[str, int]:
    """The positions once the simulator's ticker has worked every order it can (it pumps on
    wall time, so a jump of the shared clock takes effect at its next tick)."""
    deadline = time.monotonic() + timeout_s
    while any(o["status"] in ("pending", "open") for o in h.orders()):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return held(h)


def tagged(h: Harness, decision: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in h.orders() if o.get("tag") == decision["id"]]


def open_short_100_spy(h: Harness) -> None:
    assert shares(h, 100, "sell_short", "open")["decision"] == "APPROVED"
    h.clock.advance(1_000)
    assert held(h) == {"SPY": -100}


def open_credit_spread(h: Harness) -> None:
    opened = submit(h, "proposals_post_vertical", order_type="market", price=None)
    assert opened["decision"] == "APPROVED", opened
    h.clock.advance(1_000)
    assert held(h) == {SHORT_PUT: -1, LONG_PUT: 1}


# --- case 4: an exit never becomes an entry ---------------------------------------------


def test_three_covers_when_reducing_and_first_still_working_then_one_approved_two_refused(
    h: Harness,
) -> None:
    open_short_100_spy(h)
    set_state(h, "REDUCING")
    # A limit far under the market rests: the first cover is still working at the broker.
    covers = [shares(h, 100, "buy_to_cover", "close", order_type="limit", price="1.00")]
    for _ in range(2):
        h.clock.advance(1_000)
        covers.append(shares(h, 100, "buy_to_cover", "close", order_type="limit", price="1.00"))
    assert [c["decision"] for c in covers] == ["APPROVED", "REJECTED", "REJECTED"]
    assert [c["reason_code"] for c in covers[1:]] == ["CLOSE_CROSSES_ZERO"] * 2
    assert [len(tagged(h, c)) for c in covers] == [1, 0, 0]
    assert held(h) == {"SPY": -100}


def test_three_covers_when_reducing_and_first_filled_then_nothing_left_to_close(
    h: Harness,
) -> None:
    open_short_100_spy(h)
    set_state(h, "REDUCING")
    covers = []
    for _ in range(3):
        covers.append(shares(h, 100, "buy_to_cover", "close"))
        h.clock.advance(1_000)
    assert [c["decision"] for c in covers] == ["APPROVED", "REJECTED", "REJECTED"]
    assert [c["reason_code"] for c in covers[1:]] == ["NO_MATCHING_POSITION"] * 2
    assert [len(tagged(h, c)) for c in covers] == [1, 0, 0]
    assert held(h) == {}  # flat: never +200


def test_close_when_more_than_held_net_of_working_orders_then_refused_without_order(
    h: Harness,
) -> None:
    assert shares(h, 10, "buy", "open")["decision"] == "APPROVED"
    h.clock.advance(1_000)
    # A sell far above the market rests with 6 of the 10 shares.
    resting = shares(h, 6, "sell", "close", order_type="limit", price="9999.00")
    assert resting["decision"] == "APPROVED"
    h.clock.advance(1_000)
    too_many = shares(h, 5, "sell", "close")
    assert (too_many["decision"], too_many["reason_code"]) == ("REJECTED", "CLOSE_CROSSES_ZERO")
    assert tagged(h, too_many) == []
    h.clock.advance(1_000)
    assert shares(h, 4, "sell", "close")["decision"] == "APPROVED"
    assert held(h) == {"SPY": 6}


# --- case 5: a close that leaves a structure the gate would refuse ----------------------


@pytest.mark.parametrize("state", ["ACTIVE", "REDUCING"])
def test_close_when_only_protective_long_of_credit_spread_then_refused_without_order(
    h: Harness, state: str
) -> None:
    open_credit_spread(h)
    set_state(h, state)
    refused = single_close(h, LONG_PUT, "sell_to_close")
    assert refused["decision"] == "REJECTED"
    assert refused["reason_code"] == "CLOSE_LEAVES_REFUSED_STRUCTURE"
    assert tagged(h, refused) == []
    assert held(h) == {SHORT_PUT: -1, LONG_PUT: 1}


def test_close_when_short_leg_first_then_approved_and_the_long_may_follow(h: Harness) -> None:
    open_credit_spread(h)
    set_state(h, "REDUCING")
    assert single_close(h, SHORT_PUT, "buy_to_close")["decision"] == "APPROVED"
    h.clock.advance(1_000)
    assert single_close(h, LONG_PUT, "sell_to_close")["decision"] == "APPROVED"
    assert held(h) == {}


# --- flatten -----------------------------------------------------------------------------


def test_flatten_when_twice_after_the_close_then_one_order_per_structure_and_no_flip(
    h: Harness,
) -> None:
    open_credit_spread(h)
    h.clock.advance(61_000)  # past the per-symbol opening window
    assert shares(h, 10, "buy", "open")["decision"] == "APPROVED"
    h.clock.set(AFTER_CLOSE_MS)  # market orders now wait, pending, for the next open
    first = flatten(h)
    assert [d["decision"] for d in first] == ["APPROVED", "APPROVED"]
    sent = [o for o in h.orders() if o.get("tag") in {d["proposal_id"] for d in first}]
    assert sorted(o["class"] for o in sent) == ["equity", "multileg"]
    assert all(o["status"] == "pending" for o in sent)
    h.clock.advance(5_000)
    assert flatten(h) == []  # everything held is already being closed
    orders_before = len(h.orders())
    h.clock.advance(5_000)
    assert flatten(h) == []
    assert len(h.orders()) == orders_before
    h.clock.set(NEXT_OPEN_MS)
    assert settled(h) == {}  # the pending closes filled once each: nothing flipped


def test_flatten_when_cover_already_working_then_only_the_rest_is_closed(h: Harness) -> None:
    open_short_100_spy(h)
    cover = shares(h, 60, "buy_to_cover", "close", order_type="limit", price="1.00")
    assert cover["decision"] == "APPROVED"
    [decision] = flatten(h)
    assert decision["decision"] == "APPROVED"
    [order] = [o for o in h.orders() if o.get("tag") == decision["proposal_id"]]
    assert (order["side"], order["quantity"]) == ("buy_to_cover", 40)


def test_close_when_gtc_cover_from_yesterday_still_working_then_crosses_zero(
    h: Harness,
) -> None:
    # Tradier's orders list holds only today's orders; the balances' pending count tells
    # the gate that an older one is working, and it reads the month to find it.
    open_short_100_spy(h)
    gtc = shares(h, 100, "buy_to_cover", "close", order_type="limit", price="1.00", duration="gtc")
    assert gtc["decision"] == "APPROVED"
    h.clock.set(NEXT_OPEN_MS)
    assert [o.tag for o in h.tradier.working_orders()] == []  # not in today's list
    again = shares(h, 100, "buy_to_cover", "close")
    assert (again["decision"], again["reason_code"]) == ("REJECTED", "CLOSE_CROSSES_ZERO")
    assert tagged(h, again) == []
    assert held(h) == {"SPY": -100}
