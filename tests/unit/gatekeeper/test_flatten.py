"""Flatten's plan, from literal accounts: what is left to close, and in which orders."""

from __future__ import annotations

from decimal import Decimal

from gatekeeper.account import account_view
from gatekeeper.contract import EquitySide, LegSide, Strategy
from gatekeeper.flatten import Closable, closable, structure_proposal, structures
from tradier.models import Order, Position

ID = "00000000-0000-4000-8000-000000000001"
SHORT_PUT, LONG_PUT = "SPY261218P00560000", "SPY261218P00555000"


def position(symbol: str, quantity: int) -> Position:
    return Position(symbol=symbol, quantity=quantity, cost_basis=Decimal(0))


def test_closable_when_working_orders_close_part_then_only_the_rest() -> None:
    sell = Order(id=1, status="open", symbol="SPY", side="sell", quantity=4)
    cover = Order(id=2, status="pending", symbol="QQQ", side="buy_to_cover", quantity=100)
    view = account_view([position("SPY", 10), position("QQQ", -100)], [sell, cover])
    assert closable(view) == [Closable("SPY", 6)]


def test_closable_when_working_order_adds_the_other_way_then_not_counted() -> None:
    more = Order(id=1, status="open", symbol="SPY", side="buy", quantity=50)
    assert closable(account_view([position("SPY", 10)], [more])) == [Closable("SPY", 10)]


def test_structures_when_spread_and_shares_then_options_together_then_shares() -> None:
    items = [Closable("SPY", 10), Closable(LONG_PUT, 1), Closable(SHORT_PUT, -1)]
    assert structures(items) == [
        [Closable(SHORT_PUT, -1), Closable(LONG_PUT, 1)],
        [Closable("SPY", 10)],
    ]


def test_structures_when_six_options_on_one_underlying_then_chunks_of_four_shorts_first() -> None:
    longs = [Closable(f"SPY261218C00{600 + i}000", 1) for i in range(3)]
    shorts = [Closable(f"SPY261218P00{500 + i}000", -1) for i in range(3)]
    chunks = structures([*longs, *shorts])
    assert [len(c) for c in chunks] == [4, 2]
    assert all(item.quantity < 0 for item in chunks[0][:3])


def test_structures_when_ratio_would_exceed_the_contract_then_single_legs() -> None:
    items = [Closable(SHORT_PUT, -1), Closable(LONG_PUT, 101)]
    assert structures(items) == [[Closable(SHORT_PUT, -1)], [Closable(LONG_PUT, 101)]]


def test_structure_proposal_when_uneven_legs_then_common_quantity_and_ratios() -> None:
    proposal = structure_proposal([Closable(SHORT_PUT, -4), Closable(LONG_PUT, 2)], ID, 0)
    assert (proposal.strategy, proposal.quantity) == (Strategy.RATIO_SPREAD, 2)
    assert proposal.legs is not None
    assert [(leg.side, leg.ratio) for leg in proposal.legs] == [
        (LegSide.BUY_TO_CLOSE, 2),
        (LegSide.SELL_TO_CLOSE, 1),
    ]


def test_structure_proposal_when_shares_or_one_option_then_equity_or_single() -> None:
    short = structure_proposal([Closable("SPY", -100)], ID, 0)
    assert (short.strategy, short.side, short.quantity) == (
        Strategy.EQUITY,
        EquitySide.BUY_TO_COVER,
        100,
    )
    single = structure_proposal([Closable(LONG_PUT, 3)], ID, 0)
    assert (single.strategy, single.symbol, single.quantity) == (
        Strategy.SINGLE_OPTION,
        "SPY",
        3,
    )
