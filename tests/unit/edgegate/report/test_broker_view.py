"""The broker's orders read as fills: one per executed leg, signed, tagged with the proposal."""

from __future__ import annotations

from decimal import Decimal

from edgegate.report.broker_view import fills_of
from tradier.sim.orders import SimOrder

SHORT, LONG = "SPY270104P00508000", "SPY270104P00486000"


def _order(order_id: int, **fields: object) -> SimOrder:
    base: dict[str, object] = {
        "id": order_id, "account": "VA1", "klass": "equity", "symbol": "SPY", "type": "market",
        "side": "buy", "quantity": 10, "duration": "day", "create_ms": 1_000,
    }  # fmt: skip
    return SimOrder(**{**base, **fields})  # type: ignore[arg-type]


def test_fills_of_when_multileg_filled_then_one_fill_per_leg_under_the_parent_id() -> None:
    legs = [
        _order(1001, klass="option", side="sell_to_open", quantity=1, option_symbol=SHORT,
               status="filled", exec_quantity=1, avg_fill_price=Decimal("11.96"),
               transaction_ms=2_000),
        _order(1002, klass="option", side="buy_to_open", quantity=2, option_symbol=LONG,
               status="filled", exec_quantity=2, avg_fill_price=Decimal("5.74"),
               transaction_ms=2_000),
    ]  # fmt: skip
    parent = _order(1000, klass="multileg", type="credit", tag="p-1", status="filled", legs=legs)
    fills = list(fills_of([parent]))
    assert [(f.order_id, f.instrument, f.quantity, f.price, f.multiplier) for f in fills] == [
        (1000, SHORT, -1, Decimal("11.96"), 100),
        (1000, LONG, 2, Decimal("5.74"), 100),
    ]
    assert {f.proposal_id for f in fills} == {"p-1"}
    assert {f.at_ms for f in fills} == {2_000}


def test_fills_of_when_equity_sold_or_unfilled_then_sold_negative_and_unfilled_absent() -> None:
    sold = _order(1003, side="sell", status="filled", exec_quantity=10,
                  avg_fill_price=Decimal("505.5"), transaction_ms=3_000, tag="p-2")  # fmt: skip
    working = _order(1004, type="limit", price=Decimal("400"), status="open")
    assert [(f.instrument, f.quantity, f.multiplier) for f in fills_of([sold, working])] == [
        ("SPY", -10, 1)
    ]
