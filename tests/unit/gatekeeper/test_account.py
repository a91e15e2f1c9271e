"""The account as it may become: positions plus working orders, read from Tradier's models."""

from __future__ import annotations

from decimal import Decimal

from gatekeeper.account import account_view, order_deltas, remaining
from tradier.models import Order, Position

SHORT_PUT, LONG_PUT = "SPY251219P00580000", "SPY251219P00575000"


def held(symbol: str, quantity: int) -> Position:
    return Position(symbol=symbol, quantity=quantity, cost_basis=Decimal(0))


def test_remaining_when_partially_filled_then_only_what_is_left() -> None:
    order = Order(
        id=1, status="partially_filled", quantity=100, exec_quantity=30, remaining_quantity=70
    )
    assert remaining(order) == 70


def test_remaining_when_no_remaining_field_then_quantity_less_executed() -> None:
    assert remaining(Order(id=1, status="open", quantity=100, exec_quantity=40)) == 60


def test_remaining_when_final_then_zero() -> None:
    for status in ("filled", "canceled", "expired", "rejected", "error"):
        assert remaining(Order(id=1, status=status, quantity=5, remaining_quantity=5)) == 0


def test_order_deltas_when_equity_buy_to_cover_then_buys_the_shares() -> None:
    order = Order(id=1, status="open", symbol="SPY", side="buy_to_cover", quantity=100)
    assert order_deltas(order) == [("SPY", 100, 0)]


def test_order_deltas_when_multileg_then_each_leg_not_the_parent() -> None:
    legs = (
        Order(id=2, status="open", option_symbol=SHORT_PUT, side="buy_to_close", quantity=3),
        Order(id=3, status="open", option_symbol=LONG_PUT, side="sell_to_close", quantity=3),
    )
    parent = Order(id=1, status="open", symbol="SPY", side="buy", quantity=3, legs=legs)
    assert order_deltas(parent) == [(SHORT_PUT, 3, 0), (LONG_PUT, 0, 3)]


def test_order_deltas_when_side_unreadable_then_counts_both_ways() -> None:
    order = Order(id=1, status="pending", symbol="SPY", side="exchange", quantity=10)
    assert order_deltas(order) == [("SPY", 10, 10)]


def test_account_view_when_short_and_working_cover_then_bounds_and_projection() -> None:
    cover = Order(id=1, status="open", symbol="SPY", side="buy_to_cover", quantity=100)
    short_more = Order(id=2, status="pending", symbol="SPY", side="sell_short", quantity=50)
    view = account_view([held("SPY", -100)], [cover, short_more])
    assert view.quantity("SPY") == -100
    assert view.highest("SPY") == 0  # the cover fills, the new short does not
    assert view.lowest("SPY") == -150  # the reverse
    assert view.projected("SPY") == -50  # both fill


def test_account_view_when_orders_final_then_ignored() -> None:
    filled = Order(id=1, status="filled", symbol="SPY", side="buy", quantity=10, exec_quantity=10)
    view = account_view([held("SPY", 10)], [filled])
    assert (view.lowest("SPY"), view.highest("SPY")) == (10, 10)


def test_account_view_when_same_symbol_twice_then_summed() -> None:
    view = account_view([held(SHORT_PUT, -1), held(SHORT_PUT, -2), held(LONG_PUT, 0)])
    assert view.quantity(SHORT_PUT) == -3
    assert view.symbols() == frozenset({SHORT_PUT})
