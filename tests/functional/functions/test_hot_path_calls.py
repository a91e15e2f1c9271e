"""Tradier calls per approved proposal on the hot path, by kind, with the gate's short
clock/balances caches warm: an open pays for one quotes call (every open is priced at the
market, whatever it declares) and its order; a close pays for the fresh positions and
working orders it is judged on (net of what is working it must move each leg toward zero)
and its order, never a quote (no entry-side check runs on a close)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from functions import proposals
from tests.functional.functions.conftest import Harness, body_of
from tests.support.events import fresh_proposal

ACCOUNT = "/v1/accounts/VA00000000"
ORDER = f"POST {ACCOUNT}/orders"
POSITIONS = f"GET {ACCOUNT}/positions"
WORKING = f"GET {ACCOUNT}/orders"
QUOTES = "GET /v1/markets/quotes"
SHORT_PUT, LONG_PUT = "SPY261218P00560000", "SPY261218P00555000"


def _legs(short_side: str, long_side: str) -> list[dict[str, Any]]:
    return [
        {"option_symbol": SHORT_PUT, "side": short_side, "ratio": 1},
        {"option_symbol": LONG_PUT, "side": long_side, "ratio": 1},
    ]


def _approved_calls(h: Harness, name: str, **fields: Any) -> Counter[str]:
    """Submit one proposal after a warm-up of the caches; the Tradier calls it cost."""
    h.clock.advance(61_000)  # past the per-symbol opening window
    warm = fresh_proposal("proposals_post", h.now(), symbol="DIA", price="1.00", quantity=1)
    proposals.handler(h.event("proposals_post", body=warm), None)
    h.clock.advance(100)
    h.reset_counts()
    body = fresh_proposal(name, h.now(), **fields)
    response = proposals.handler(h.event(name, body=body), None)
    assert body_of(response)["decision"] == "APPROVED", response["body"]
    return Counter(h.tradier_transport.calls)


def test_hot_path_when_open_limit_equity_then_quote_and_order(h: Harness) -> None:
    assert _approved_calls(h, "proposals_post", quantity=1) == Counter({QUOTES: 1, ORDER: 1})


def test_hot_path_when_open_market_equity_then_quote_and_order(h: Harness) -> None:
    calls = _approved_calls(h, "proposals_post", quantity=1, order_type="market", price=None)
    assert calls == Counter({QUOTES: 1, ORDER: 1})


def test_hot_path_when_open_multileg_credit_then_one_quotes_call_and_order(h: Harness) -> None:
    calls = _approved_calls(h, "proposals_post_vertical")
    assert calls == Counter({QUOTES: 1, ORDER: 1})


@pytest.mark.parametrize("order_type", ["market", "debit"])
def test_hot_path_when_close_multileg_then_positions_working_orders_and_order_no_quote(
    h: Harness, order_type: str
) -> None:
    opened = fresh_proposal("proposals_post_vertical", h.now(), order_type="market", price=None)
    assert (
        body_of(proposals.handler(h.event("proposals_post_vertical", body=opened), None))[
            "decision"
        ]
        == "APPROVED"
    )
    price = None if order_type == "market" else "0.50"
    calls = _approved_calls(
        h,
        "proposals_post_vertical",
        intent="close",
        order_type=order_type,
        price=price,
        legs=_legs("buy_to_close", "sell_to_close"),
    )
    assert calls == Counter({POSITIONS: 1, WORKING: 1, ORDER: 1})


def test_hot_path_when_close_market_equity_then_positions_working_orders_and_order(
    h: Harness,
) -> None:
    opened = fresh_proposal("proposals_post", h.now(), quantity=1, order_type="market", price=None)
    assert (
        body_of(proposals.handler(h.event("proposals_post", body=opened), None))["decision"]
        == "APPROVED"
    )
    calls = _approved_calls(
        h, "proposals_post", quantity=1, intent="close", side="sell", order_type="market",
        price=None,
    )  # fmt: skip
    assert calls == Counter({POSITIONS: 1, WORKING: 1, ORDER: 1})
