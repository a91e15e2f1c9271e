"""Symbols beyond plain tickers: share classes (BRK/B, options under BRKB) and index
options whose root is not the index (SPXW on SPX), through the contract, the
constitution, the risk checks, the exposure and flatten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from gatekeeper.constitution import loads
from gatekeeper.contract import ContractError, ReasonCode, Strategy, decode_proposal
from gatekeeper.errors import ConstitutionError
from gatekeeper.exposure import max_loss, position_leg, uncovered_shorts
from gatekeeper.flatten import Closable, structure_proposal, structures
from gatekeeper.risk import check_tradable, evaluate
from tests.unit.gatekeeper.builders import EQUITY, SINGLE_OPTION, VERTICAL, body, leg, proposal
from tests.unit.gatekeeper.test_constitution import DEFAULT_TEXT, edited
from tests.unit.gatekeeper.test_risk import ACTIVE, constitution, inputs, quote
from tradier.models import Quote
from tradier.occ import OptionType, build_occ

SPXW_SHORT, SPXW_LONG = "SPXW251219P05800000", "SPXW251219P05790000"
SPX_VERTICAL: dict[str, Any] = {
    **VERTICAL,
    "symbol": "SPX",
    "price": "2.00",
    "legs": [leg(SPXW_SHORT, "sell_to_open"), leg(SPXW_LONG, "buy_to_open")],
}
BRKB_EQUITY: dict[str, Any] = {**EQUITY, "symbol": "BRK/B", "price": "480.00"}


def rejects(raw: bytes) -> ContractError:
    with pytest.raises(ContractError) as info:
        decode_proposal(raw)
    return info.value


def test_decode_when_share_class_symbol_then_valid() -> None:
    assert decode_proposal(body(BRKB_EQUITY)).symbol == "BRK/B"


@pytest.mark.parametrize("symbol", ["BRK//B", "BRK/", "/B", "BRK/BB", "ABCDE/F", "brk/b"])
def test_decode_when_symbol_is_junk_then_symbol_named(symbol: str) -> None:
    error = rejects(body(EQUITY, symbol=symbol))
    assert (error.field, error.rule) == ("symbol", "pattern")


def test_decode_when_spxw_legs_on_spx_then_valid() -> None:
    decoded = decode_proposal(body(SPX_VERTICAL))
    assert decoded.legs is not None
    assert [leg.occ.root for leg in decoded.legs] == ["SPXW", "SPXW"]


def test_decode_when_brkb_legs_on_brk_b_then_valid() -> None:
    call = "BRKB251219C00500000"
    single = {**SINGLE_OPTION, "symbol": "BRK/B", "legs": [leg(call, "buy_to_open")]}
    decoded = decode_proposal(body(single))
    assert decoded.symbol == "BRK/B"


@pytest.mark.parametrize(
    ("symbol", "root"),
    [("SPXW", "SPXW"), ("SPY", "SPXW"), ("BRKB", "BRKB"), ("SPX", "BRKB")],
)
def test_decode_when_root_is_on_another_underlying_then_leg_named(symbol: str, root: str) -> None:
    legs = [
        leg(f"{root}251219P05800000", "sell_to_open"),
        leg(f"{root}251219P05790000", "buy_to_open"),
    ]
    error = rejects(body(SPX_VERTICAL, symbol=symbol, legs=legs))
    assert (error.field, error.rule) == ("legs[0].option_symbol", "root")


def test_constitution_when_share_class_listed_then_loaded() -> None:
    text = edited(
        r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]',
        'symbols = ["SPY", "QQQ", "IWM", "DIA", "BRK/B", "SPX"]',
    )
    assert {"BRK/B", "SPX"} <= loads(text).symbols


@pytest.mark.parametrize("junk", ["brk/b", "BRK//B", "BRK/B1", "SP Y"])
def test_constitution_when_symbol_is_junk_then_entry_named(junk: str) -> None:
    text = edited(r'^symbols = \["SPY", "QQQ", "IWM", "DIA"\]', f'symbols = ["SPY", "{junk}"]')
    with pytest.raises(ConstitutionError) as info:
        loads(text)
    assert (info.value.key, info.value.rule) == ("universe.symbols[1]", "pattern")
    assert DEFAULT_TEXT  # the edit was made on the shipped file


def index_quote(symbol: str, last: str) -> Quote:
    price = Decimal(last)
    return Quote(symbol=symbol, type="index", bid=price, ask=price, last=price)


def test_check_tradable_when_equity_on_an_index_then_not_tradable() -> None:
    spx = proposal(EQUITY, symbol="SPX", price="6000.00")
    refused = check_tradable(
        spx, inputs(quotes={"SPX": index_quote("SPX", "6000")}), constitution()
    )
    assert refused is not None and refused.code is ReasonCode.NOT_TRADABLE
    assert "SPX" in refused.message


def test_check_tradable_when_equity_on_a_stock_or_options_on_an_index_then_none() -> None:
    stock = {"AAPL": Quote(symbol="AAPL", type="stock", bid=Decimal(230), ask=Decimal(230))}
    aapl = proposal(EQUITY, symbol="AAPL", price="230.00")
    assert check_tradable(aapl, inputs(quotes=stock), constitution()) is None
    spx = {"SPX": index_quote("SPX", "6000")}
    assert check_tradable(proposal(SPX_VERTICAL), inputs(quotes=spx), constitution()) is None


def test_evaluate_when_spxw_vertical_then_approved_from_its_legs() -> None:
    quotes = {
        "SPX": index_quote("SPX", "6000"),
        SPXW_SHORT: quote(SPXW_SHORT, "2.50", "2.70"),
        SPXW_LONG: quote(SPXW_LONG, "0.40", "0.50"),
    }
    c = constitution(symbols=frozenset({"SPX"}), correlation_groups=())
    assert evaluate(proposal(SPX_VERTICAL), inputs(quotes=quotes), c, ACTIVE) is None


def test_max_loss_when_spxw_vertical_then_width_less_credit() -> None:
    legs = [position_leg(SPXW_SHORT, -1), position_leg(SPXW_LONG, 1)]
    assert position_leg(SPXW_SHORT, -1).underlying == "SPX"
    assert max_loss(legs, Decimal(200)) == Decimal(800)


def test_uncovered_shorts_when_brk_b_shares_and_brkb_call_then_covered() -> None:
    call = build_occ("BRKB", date(2025, 12, 19), OptionType.CALL, Decimal(500))
    assert uncovered_shorts([position_leg("BRK/B", 100), position_leg(call, -1)]) == ()


def test_uncovered_shorts_when_spx_long_and_spxw_short_of_one_date_then_naked() -> None:
    # SPX settles at the open, SPXW at the close: the AM long is gone before the PM short.
    long_am = build_occ("SPX", date(2025, 12, 19), OptionType.PUT, Decimal(5790))
    shorts = uncovered_shorts([position_leg(long_am, 1), position_leg(SPXW_SHORT, -1)])
    assert [s.symbol for s in shorts] == [SPXW_SHORT]


def test_structure_proposal_when_spxw_and_brkb_held_then_on_their_underlyings() -> None:
    items = [Closable(SPXW_SHORT, -1), Closable(SPXW_LONG, 1), Closable("BRK/B", 10)]
    orders = structures(items)
    spread = structure_proposal(orders[0], "00000000-0000-4000-8000-000000000001", 0)
    assert (spread.symbol, spread.strategy) == ("SPX", Strategy.VERTICAL)
    shares = structure_proposal(orders[1], "00000000-0000-4000-8000-000000000002", 0)
    assert (shares.symbol, shares.quantity) == ("BRK/B", 10)
    call = Closable("BRKB251219C00500000", 2)
    assert structure_proposal([call], "00000000-0000-4000-8000-000000000003", 0).symbol == "BRK/B"
