"""The report's book: average-cost P&L from fills, valued at marks, reconciled with the broker."""

from __future__ import annotations

from decimal import Decimal

from edgegate.report.pnl import book_fills, reconcile, value
from edgegate.report.records import BrokerPosition
from edgegate.report.summary import money
from tests.unit.edgegate.report.factories import CASH, figures, fill

PUT = "SPY270104P00486000"


def test_book_when_long_partly_sold_then_realises_its_share_of_cost() -> None:
    book = book_fills(
        [fill(1, "SPY", 10, "500.00"), fill(2, "SPY", 10, "502.00"), fill(3, "SPY", -5, "503.00")],
        CASH,
    )
    # Average cost 501.00: 5 sold at 503.00 realise 10.00.
    assert book.realised == Decimal("10.00")
    held = book.holdings["SPY"]
    assert (held.quantity, held.cost_basis) == (15, Decimal("7515.00"))
    assert book.cash == CASH - Decimal("10020.00") + Decimal("2515.00")


def test_book_when_short_option_bought_back_then_realises_credit_less_debit() -> None:
    book = book_fills([fill(1, PUT, -2, "5.00"), fill(9, PUT, 2, "3.25")], CASH)
    assert book.realised == Decimal("350.00")  # 2 x 100 x (5.00 - 3.25)
    assert book.holdings == {}
    assert book.cash == CASH + Decimal("350.00")


def test_book_when_fill_crosses_zero_then_remainder_opens_other_way() -> None:
    book = book_fills([fill(1, "SPY", 10, "500"), fill(2, "SPY", -15, "498")], CASH)
    assert book.realised == Decimal("-20")
    held = book.holdings["SPY"]
    assert (held.quantity, held.cost_basis) == (-5, Decimal("-2490"))


def test_book_when_fills_out_of_order_then_taken_in_time_order() -> None:
    later_sale = fill(5, "SPY", -10, "510", order_id=1002)
    book = book_fills([later_sale, fill(1, "SPY", 10, "500", order_id=1001)], CASH)
    assert book.realised == Decimal("100")
    assert [b.fill.order_id for b in book.booked] == [1001, 1002]


def test_value_when_marked_then_open_pl_is_value_less_cost_and_missing_mark_is_zero() -> None:
    book = book_fills([fill(1, "SPY", 10, "500"), fill(1, PUT, 1, "4.00")], CASH)
    valued = value(book, {"SPY": Decimal("501.505")})
    assert valued.market_value == Decimal("5015.050")
    assert valued.open_pl == Decimal("15.050") - Decimal("400.00")
    assert valued.equity == CASH - Decimal("5400.00") + Decimal("5015.050")
    assert valued.total_pl == valued.realised + valued.open_pl


def test_reconcile_when_figures_match_to_the_cent_then_agrees() -> None:
    book = book_fills([fill(1, "SPY", 10, "500"), fill(2, "SPY", -4, "501.005")], CASH)
    valued = value(book, {"SPY": Decimal("500.125")})
    broker = figures(
        "100004.77", "97004.02", "0.75", "4.02", BrokerPosition("SPY", 6, Decimal("3000"))
    )
    result = reconcile(book, valued, broker)
    assert [c.name for c in result.checks if not c.agrees] == []
    assert result.agrees


def test_reconcile_when_a_cent_or_a_position_differs_then_names_it() -> None:
    book = book_fills([fill(1, "SPY", 10, "500")], CASH)
    valued = value(book, {"SPY": Decimal("500")})
    broker = figures(
        "100000.01", "95000.00", "0.00", "0.00", BrokerPosition("SPY", 9, Decimal("4500"))
    )
    result = reconcile(book, valued, broker)
    assert not result.agrees
    assert [c.name for c in result.checks if not c.agrees] == ["equity"]
    assert result.position_differences == ("SPY: 10 @ 5000.00 vs 9 @ 4500.00",)


def test_money_when_amounts_printed_then_signed_to_the_cent_and_never_minus_zero() -> None:
    assert money(Decimal("1234.505")) == "+1,234.50"  # half to even, as the broker rounds
    assert money(Decimal("-3.2")) == "-3.20"
    assert money(Decimal("-0.004")) == "+0.00"
