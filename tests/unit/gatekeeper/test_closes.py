"""A close is a close only on the account: literal positions and working orders."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from gatekeeper.account import AccountView, account_view
from gatekeeper.closes import close_refusal, crossing_refusal, trades
from gatekeeper.constitution import Constitution, load
from gatekeeper.contract import Proposal, ReasonCode
from tests.unit.gatekeeper.builders import (
    EQUITY,
    IRON_CONDOR,
    RATIO_SPREAD,
    SINGLE_OPTION,
    VERTICAL,
    closing,
)
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


def limits(**changes: object) -> Constitution:
    return dataclasses.replace(load(), **changes)  # type: ignore[arg-type]


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


# --- what the close leaves ----------------------------------------------------------------

SPREAD = ((SHORT_PUT, -2), (LONG_PUT, 2))  # the credit put spread of VERTICAL, x2


def single_close(symbol: str, side: str, quantity: int = 2) -> Proposal:
    return closing(SINGLE_OPTION, quantity=quantity, legs=[{"option_symbol": symbol, "side": side}])


def test_close_when_only_the_protective_long_of_a_credit_spread_then_leaves_refused() -> None:
    # Case 5 of issue 8: what remains is a naked short put.
    refusal = close_refusal(single_close(LONG_PUT, "sell_to_close"), held(*SPREAD))
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE
    assert refusal is not None and SHORT_PUT in refusal.message


def test_close_when_only_the_short_of_a_credit_spread_then_a_close() -> None:
    assert close_refusal(single_close(SHORT_PUT, "buy_to_close"), held(*SPREAD)) is None


def test_close_when_whole_spread_then_a_close() -> None:
    assert close_refusal(closing(VERTICAL), held(*SPREAD)) is None


def test_close_when_part_of_the_long_then_leaves_that_much_naked() -> None:
    refusal = close_refusal(single_close(LONG_PUT, "sell_to_close", 1), held(*SPREAD))
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE


def test_close_when_short_already_being_bought_back_then_long_still_refused() -> None:
    # The working buy_to_close may never fill: the long cannot go before it has.
    view = held(*SPREAD, working=(working("buy_to_close", 2, SHORT_PUT),))
    refusal = close_refusal(single_close(LONG_PUT, "sell_to_close"), view)
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE


def test_close_when_short_already_naked_then_closing_it_still_allowed() -> None:
    naked = held((SHORT_PUT, -2))
    assert close_refusal(single_close(SHORT_PUT, "buy_to_close", 1), naked) is None


def test_close_when_shares_under_a_covered_call_sold_then_leaves_refused() -> None:
    call = "SPY251219C00620000"
    sell = closing(EQUITY, quantity=100, order_type="market", price=None)
    refusal = close_refusal(sell, held(("SPY", 100), (call, -1)))
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE
    assert close_refusal(sell, held(("SPY", 200), (call, -1))) is None


def test_close_when_long_call_of_iron_condor_then_leaves_refused() -> None:
    condor = held(
        ("SPY251219P00570000", 1), ("SPY251219P00580000", -1),
        ("SPY251219C00620000", -1), ("SPY251219C00630000", 1),
    )  # fmt: skip
    refusal = close_refusal(single_close("SPY251219C00630000", "sell_to_close", 1), condor)
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE
    assert close_refusal(closing(IRON_CONDOR, quantity=1), condor) is None


def test_close_when_remaining_loss_over_the_limit_and_larger_then_leaves_refused() -> None:
    # A put butterfly-like book: 575 long, 580 short, 585 long cannot lose; selling the
    # 585 leaves the 580/575 spread, which can lose 500 a contract.
    book = held((LONG_PUT, 1), (SHORT_PUT, -1), ("SPY251219P00585000", 1))
    close = single_close("SPY251219P00585000", "sell_to_close", 1)
    assert close_refusal(close, book, limits(max_notional=Decimal(10_000))) is None
    refusal = close_refusal(close, book, limits(max_notional=Decimal(400)))
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE
    assert refusal is not None and "500" in refusal.message


def test_close_when_other_underlying_naked_then_not_this_closes_concern() -> None:
    view = held(*SPREAD, ("QQQ251219P00400000", -1))
    assert close_refusal(single_close(SHORT_PUT, "buy_to_close"), view) is None


def test_close_when_naked_shorts_allowed_then_long_leg_may_go_if_within_the_limit() -> None:
    close = single_close(LONG_PUT, "sell_to_close")
    allowed = limits(allow_naked_shorts=True, max_notional=Decimal(200_000))
    assert close_refusal(close, held(*SPREAD), allowed) is None
    # A naked 580 put x2 can lose 116,000: over a 25,000 limit it is refused all the same.
    small = limits(allow_naked_shorts=True, max_notional=Decimal(25_000))
    refusal = close_refusal(close, held(*SPREAD), small)
    assert code(refusal) is ReasonCode.CLOSE_LEAVES_REFUSED_STRUCTURE
