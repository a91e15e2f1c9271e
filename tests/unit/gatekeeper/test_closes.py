"""A close is a close only on the account: literal positions and working orders."""

from __future__ import annotations

from decimal import Decimal

from gatekeeper.account import AccountView, account_view
from gatekeeper.closes import close_refusal, crossing_refusal, trades
from gatekeeper.contract import Proposal, ReasonCode
from tests.unit.gatekeeper.builders import EQUITY, RATIO_SPREAD, VERTICAL, closing
from tradier.models import Order, Position

SHORT_PUT, LONG_PUT = "SPY251219P00580000", "SPY251219P00575000"


def held(*pairs: tuple[str, int], working: tuple[Order, ...] = ()) -> AccountView:
    positions = [Position(symbol=s, quantity=q, cost_basis=Decimal(0)) for s, q in pairs]
    return account_view(positions, working)


def working(side: str, quantity: int, symbol: str = "SPY", order_id: int = 1) -> Order:
    if symbol == "SPY":
        return Order(id=order_id, status="open", symbol=symbol, side=side, quantity=quantity)
    return Order(id=order_id, status="open", symbol="SPY", option_symbol=symbol, side=side,
                 quantity=quantity)  # fmt: skip


def cover(quantity: int = 100) -> Proposal:
    return closing(EQUITY, side="buy_to_cover", quantity=quantity, order_type="market", price=None)


def code(refusal: object) -> ReasonCode | None:
    return getattr(refusal, "code", None)


def test_trades_when_equity_and_legs_then_signed_by_side_times_ratio() -> None:
    assert trades(cover(100)) == [("SPY", 100)]
    assert trades(closing(VERTICAL)) == [(SHORT_PUT, 2), (LONG_PUT, -2)]
    ratio = closing(RATIO_SPREAD, quantity=3)
    assert trades(ratio) == [("SPY251219C00600000", -3), ("SPY251219C00610000", 6)]


def test_close_when_short_and_nothing_working_then_a_close() -> None:
    assert close_refusal(cover(100), held(("SPY", -100))) is None
    assert close_refusal(cover(40), held(("SPY", -100))) is None


def test_close_when_cover_already_working_then_crosses_zero() -> None:
    # Case 4 of issue 8: the second and third buy_to_cover 100 of a -100 short.
    one = held(("SPY", -100), working=(working("buy_to_cover", 100),))
    assert code(close_refusal(cover(100), one)) is ReasonCode.CLOSE_CROSSES_ZERO
    two = held(
        ("SPY", -100),
        working=(working("buy_to_cover", 100), working("buy_to_cover", 100, order_id=2)),
    )
    assert code(close_refusal(cover(100), two)) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_part_covered_by_working_then_only_the_rest_may_close() -> None:
    view = held(("SPY", -100), working=(working("buy_to_cover", 60),))
    assert close_refusal(cover(40), view) is None
    assert code(close_refusal(cover(41), view)) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_more_than_held_then_crosses_zero() -> None:
    assert code(close_refusal(cover(150), held(("SPY", -100)))) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_opposite_order_working_then_not_counted_in_its_favour() -> None:
    # A working sell_short would make the short bigger if it filled, but it may be
    # cancelled: a cover of more than is held now would then end long.
    view = held(("SPY", -100), working=(working("sell_short", 50),))
    assert view.projected("SPY") == -150
    assert close_refusal(cover(100), view) is None
    assert code(close_refusal(cover(150), view)) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_held_the_other_way_then_no_matching_position() -> None:
    refusal = close_refusal(cover(100), held(("SPY", 100)))
    assert code(refusal) is ReasonCode.NO_MATCHING_POSITION


def test_close_when_nothing_held_then_no_matching_position() -> None:
    assert code(close_refusal(cover(100), held())) is ReasonCode.NO_MATCHING_POSITION
    sell = closing(EQUITY, quantity=10)
    assert code(close_refusal(sell, held())) is ReasonCode.NO_MATCHING_POSITION


def test_close_when_long_and_sell_working_then_crosses_zero() -> None:
    sell = closing(EQUITY, quantity=10)
    assert close_refusal(sell, held(("SPY", 10))) is None
    view = held(("SPY", 10), working=(working("sell", 5),))
    assert code(close_refusal(sell, view)) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_vertical_held_then_both_legs_checked() -> None:
    spread = closing(VERTICAL)  # quantity 2: buy 2 SHORT_PUT back, sell 2 LONG_PUT
    assert crossing_refusal(spread, held((SHORT_PUT, -2), (LONG_PUT, 2))) is None
    short_only = held((SHORT_PUT, -2), (LONG_PUT, 1))
    assert code(crossing_refusal(spread, short_only)) is ReasonCode.CLOSE_CROSSES_ZERO
    leg_working = held(
        (SHORT_PUT, -2), (LONG_PUT, 2), working=(working("buy_to_close", 1, SHORT_PUT),)
    )
    assert code(crossing_refusal(spread, leg_working)) is ReasonCode.CLOSE_CROSSES_ZERO


def test_close_when_ratio_then_quantity_times_ratio_must_be_held() -> None:
    ratio = closing(RATIO_SPREAD)  # quantity 2: sell 2 of the 600 call, buy 4 of the 610
    assert (
        crossing_refusal(ratio, held(("SPY251219C00600000", 2), ("SPY251219C00610000", -4))) is None
    )
    short = held(("SPY251219C00600000", 2), ("SPY251219C00610000", -3))
    assert code(crossing_refusal(ratio, short)) is ReasonCode.CLOSE_CROSSES_ZERO
