from dataclasses import dataclass
from decimal import Decimal

from brain.adoption import adopt_positions
from brain.exits import ExitPolicy
from brain.legs import Side
from gatekeeper.contract import EquitySide, Strategy

NOW = 1_795_012_200_000


@dataclass
class P:
    symbol: str
    quantity: int
    cost_basis: Decimal
    date_acquired_ms: int | None = None


def adopt(*positions: P):
    return adopt_positions(list(positions), NOW, ExitPolicy())


def test_adopt_when_four_legs_of_condor_then_one_iron_condor():
    found = adopt(
        P("SPY261218P00485000", 2, Decimal("280")),
        P("SPY261218P00490000", -2, Decimal("-446")),
        P("SPY261218C00515000", -2, Decimal("-278")),
        P("SPY261218C00520000", 2, Decimal("202")),
    )
    assert [p.strategy for p in found] == [Strategy.IRON_CONDOR]
    condor = found[0]
    assert condor.quantity == 2 and condor.adopted
    assert condor.entry_signed == Decimal("1.21")  # (446 + 278 - 280 - 202) / 200
    assert {(leg.option_symbol[-9:], leg.side) for leg in condor.legs} == {
        ("P00485000", Side.BUY),
        ("P00490000", Side.SELL),
        ("C00515000", Side.SELL),
        ("C00520000", Side.BUY),
    }
    assert condor.targets.stop_loss_each > 0


def test_adopt_when_short_strikes_equal_then_iron_butterfly():
    found = adopt(
        P("SPY261218P00490000", 1, Decimal("100")),
        P("SPY261218P00500000", -1, Decimal("-500")),
        P("SPY261218C00500000", -1, Decimal("-500")),
        P("SPY261218C00510000", 1, Decimal("100")),
    )
    assert [p.strategy for p in found] == [Strategy.IRON_BUTTERFLY]


def test_adopt_when_two_puts_one_long_one_short_then_vertical():
    found = adopt(
        P("QQQ261218P00430000", 3, Decimal("150")), P("QQQ261218P00435000", -3, Decimal("-330"))
    )
    assert [(p.strategy, p.quantity, p.entry_signed) for p in found] == [
        (Strategy.VERTICAL, 3, Decimal("0.6"))
    ]


def test_adopt_when_long_call_vertical_bought_for_3_then_max_loss_is_the_debit():
    # long 500 / short 510 call vertical bought for 3.00: it can lose $300, never $1,300
    found = adopt(
        P("SPY261218C00500000", 1, Decimal("800")), P("SPY261218C00510000", -1, Decimal("-500"))
    )
    stop = Decimal("300") * ExitPolicy().stop_loss
    assert [(p.strategy, p.entry_signed, p.targets.stop_loss_each) for p in found] == [
        (Strategy.VERTICAL, Decimal("-3"), stop)
    ]


def test_adopt_when_one_by_two_puts_for_a_debit_then_max_loss_width_plus_debit():
    # short 1 410 put, long 2 396 puts for a net 0.20 debit: at 396 it loses 14 + 0.20
    found = adopt(
        P("DIA270104P00410000", -1, Decimal("-600")), P("DIA270104P00396000", 2, Decimal("620"))
    )
    stop = Decimal("1420") * ExitPolicy().stop_loss
    assert [(p.strategy, p.targets.stop_loss_each) for p in found] == [
        (Strategy.RATIO_SPREAD, stop)
    ]


def test_adopt_when_same_strike_two_expirations_then_calendar():
    found = adopt(
        P("SPY261218C00500000", -1, Decimal("-800")), P("SPY270115C00500000", 1, Decimal("1100"))
    )
    assert [(p.strategy, p.entry_signed) for p in found] == [
        (Strategy.CALENDAR_SPREAD, Decimal("-3"))
    ]


def test_adopt_when_one_by_two_puts_then_ratio_spread():
    found = adopt(
        P("DIA270104P00410000", -1, Decimal("-600")), P("DIA270104P00396000", 2, Decimal("520"))
    )
    assert [p.strategy for p in found] == [Strategy.RATIO_SPREAD]
    assert [leg.ratio for leg in found[0].legs] == [1, 2]


def test_adopt_when_unmatched_legs_and_shares_then_singles_and_equity_not_ignored():
    found = adopt(
        P("SPY261218P00490000", 1, Decimal("230"), 5),
        P("IWM261218C00220000", -2, Decimal("-300")),
        P("SPY", 10, Decimal("5000")),
        P("QQQ", -5, Decimal("-2500")),
    )
    kinds = sorted((p.strategy.value, p.symbol, p.quantity) for p in found)
    assert kinds == [
        ("equity", "QQQ", 5),
        ("equity", "SPY", 10),
        ("single_option", "IWM", 2),
        ("single_option", "SPY", 1),
    ]
    by_symbol = {p.symbol: p for p in found if p.strategy is Strategy.EQUITY}
    assert by_symbol["SPY"].equity_side is EquitySide.BUY and by_symbol[
        "SPY"
    ].entry_signed == Decimal(-500)
    assert by_symbol["QQQ"].equity_side is EquitySide.SELL_SHORT and by_symbol[
        "QQQ"
    ].entry_signed == Decimal(500)
    single = next(p for p in found if p.symbol == "SPY" and p.strategy is Strategy.SINGLE_OPTION)
    assert single.opened_at_ms == 5


def test_adopt_when_same_positions_twice_then_same_ids():
    positions = [
        P("QQQ261218P00430000", 3, Decimal("150")),
        P("QQQ261218P00435000", -3, Decimal("-330")),
    ]
    assert [p.id for p in adopt(*positions)] == [p.id for p in adopt(*reversed(positions))]


def test_adopt_when_spxw_and_brkb_legs_then_on_their_underlyings():
    # The positions hold OCC roots; the brain's positions, and the gate's proposals that
    # close them, are on the underlying those roots name.
    found = adopt(
        P("SPXW261218P06590000", 1, Decimal("2600")),
        P("SPXW261218P06600000", -1, Decimal("-2800")),
        P("BRKB261218C00550000", 2, Decimal("900")),
    )
    assert sorted((p.symbol, p.strategy) for p in found) == [
        ("BRK/B", Strategy.SINGLE_OPTION),
        ("SPX", Strategy.VERTICAL),
    ]
