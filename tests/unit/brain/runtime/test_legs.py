from datetime import date
from decimal import Decimal

import pytest

from brain.legs import (
    Side,
    StructureLeg,
    at_the_money,
    by_delta,
    closing_price,
    natural_price,
    pick_expiration,
    to_contract,
    to_contracts,
    wing,
)
from tradier.money import NetKind
from tradier.occ import OptionType

from .chain_fixture import FAR, NEAR, chain

TODAY = date(2026, 11, 23)


def test_pick_expiration_when_several_in_range_then_closest_to_target():
    exps = [date(2026, 11, 27), NEAR, FAR, date(2027, 3, 19)]
    assert pick_expiration(exps, TODAY, 20, 60, 30) == NEAR
    assert pick_expiration(exps, TODAY, 45, 60, 50) == FAR


def test_pick_expiration_when_none_in_range_then_none():
    assert pick_expiration([date(2026, 11, 27)], TODAY, 20, 60, 30) is None


def test_by_delta_when_put_target_020_then_nearest_abs_delta():
    contracts = to_contracts(chain())
    leg = by_delta(contracts, OptionType.PUT, 0.20, expiration=NEAR)
    assert leg is not None and leg.strike == Decimal(490)


def test_by_delta_when_call_target_020_then_nearest_abs_delta():
    leg = by_delta(to_contracts(chain()), OptionType.CALL, 0.20, expiration=NEAR)
    assert leg is not None and leg.strike == Decimal(510)


def test_by_delta_when_nothing_within_tolerance_then_none():
    assert (
        by_delta(to_contracts(chain()), OptionType.PUT, 0.99, expiration=NEAR, tolerance=0.05)
        is None
    )


def test_wing_when_put_anchor_then_lower_strike_at_width():
    contracts = to_contracts(chain())
    short = by_delta(contracts, OptionType.PUT, 0.20, expiration=NEAR)
    assert short is not None
    long = wing(contracts, short, Decimal(5))
    assert long is not None and long.strike == Decimal(485)


def test_wing_when_width_not_listed_then_next_strike_beyond():
    contracts = to_contracts(chain())
    short = by_delta(contracts, OptionType.CALL, 0.20, expiration=NEAR)
    assert short is not None
    long = wing(contracts, short, Decimal(7))
    assert long is not None and long.strike == Decimal(520)
    assert wing(contracts, short, Decimal(50)) is None


def test_at_the_money_when_price_between_strikes_then_nearest():
    contracts = to_contracts(chain())
    atm = at_the_money(contracts, OptionType.CALL, Decimal("501.9"), NEAR)
    assert atm is not None and atm.strike == Decimal(500)


def test_natural_price_when_credit_spread_then_sold_bid_minus_bought_ask():
    contracts = to_contracts(chain())
    short = by_delta(contracts, OptionType.PUT, 0.20, expiration=NEAR)
    assert short is not None
    long = wing(contracts, short, Decimal(5))
    assert long is not None
    net = natural_price([StructureLeg(short, Side.SELL), StructureLeg(long, Side.BUY)])
    assert net.kind is NetKind.CREDIT
    assert net.price == short.bid - long.ask


def test_natural_price_when_ratio_then_weighted():
    contracts = to_contracts(chain())
    a, b = contracts[0], contracts[1]
    net = natural_price([StructureLeg(a, Side.SELL, 1), StructureLeg(b, Side.BUY, 2)])
    expected = a.bid - 2 * b.ask
    assert net.signed == expected


def test_closing_price_when_credit_spread_then_debit_at_natural():
    contracts = to_contracts(chain())
    short = by_delta(contracts, OptionType.PUT, 0.20, expiration=NEAR)
    assert short is not None
    long = wing(contracts, short, Decimal(5))
    assert long is not None
    close = closing_price([StructureLeg(short, Side.SELL), StructureLeg(long, Side.BUY)])
    assert close.kind is NetKind.DEBIT
    assert close.price == short.ask - long.bid


def test_to_contract_when_one_sided_quote_then_unusable():
    row = chain()[0]
    assert to_contract({**row, "bid": None}) is None
    assert to_contract({**row, "ask": "0"}) is None
    assert to_contract({**row, "symbol": "NOT-OCC"}) is None


def test_natural_price_when_no_legs_then_error():
    with pytest.raises(ValueError, match="legs"):
        natural_price([])


def test_to_contracts_when_far_expiration_then_kept_and_sorted():
    contracts = to_contracts(chain())
    assert contracts[0].expiration == NEAR
    assert contracts[-1].expiration == FAR


def test_to_contract_when_quote_names_no_underlying_then_the_roots_underlying():
    quote = {"symbol": "SPXW261218P06600000", "bid": 28.2, "ask": 28.7, "root_symbol": "SPXW"}
    contract = to_contract(quote)
    assert contract is not None and contract.underlying == "SPX"
    brkb = to_contract({"symbol": "BRKB261218C00550000", "bid": 4.1, "ask": 4.3})
    assert brkb is not None and brkb.underlying == "BRK/B"
