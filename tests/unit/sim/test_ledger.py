"""The sandbox ledger: positions, cash and realised gains."""

from __future__ import annotations

from decimal import Decimal

from tradier.sim.ledger import Ledger

OPT = "SPY261218P00560000"


def test_apply_fill_when_long_then_closed_then_gain_and_cash_back() -> None:
    ledger = Ledger(Decimal(10_000))
    ledger.apply_fill("SPY", 10, Decimal("500.00"), 1)
    assert ledger.cash == Decimal("5000.00") and ledger.quantity("SPY") == 10
    ledger.apply_fill("SPY", -10, Decimal("510.00"), 2)
    assert ledger.quantity("SPY") == 0 and "SPY" not in ledger.positions
    lot = ledger.closed[0]
    assert (lot.cost, lot.proceeds, lot.gain, lot.quantity) == (
        Decimal("5000.00"),
        Decimal("5100.00"),
        Decimal("100.00"),
        10,
    )
    assert ledger.cash == Decimal("10100.00")


def test_apply_fill_when_short_option_covered_cheaper_then_gain_uses_multiplier() -> None:
    ledger = Ledger(Decimal(10_000))
    ledger.apply_fill(OPT, -2, Decimal("3.00"), 1)
    pos = ledger.positions[OPT]
    assert pos.quantity == -2 and pos.cost_basis == Decimal("-600.00")
    ledger.apply_fill(OPT, 2, Decimal("1.00"), 2)
    lot = ledger.closed[0]
    assert lot.quantity == -2 and lot.gain == Decimal("400.00")
    assert ledger.cash == Decimal("10400.00")


def test_apply_fill_when_sell_more_than_held_then_flips_to_short() -> None:
    ledger = Ledger(Decimal(0))
    ledger.apply_fill("QQQ", 5, Decimal(100), 1)
    ledger.apply_fill("QQQ", -8, Decimal(110), 2)
    assert ledger.quantity("QQQ") == -3
    assert ledger.positions["QQQ"].cost_basis == Decimal(-330)
    assert ledger.closed[0].gain == Decimal(50)


def test_apply_fill_when_adding_then_cost_basis_accumulates() -> None:
    ledger = Ledger(Decimal(0))
    ledger.apply_fill("IWM", 1, Decimal(200), 1)
    ledger.apply_fill("IWM", 3, Decimal(210), 2)
    assert ledger.positions["IWM"].cost_basis == Decimal(830) and not ledger.closed
