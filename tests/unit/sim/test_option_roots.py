"""Listing rules per option root: cycles, settlement, strike spacing, and the universe."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from tradier.sim.option_roots import (
    Settlement,
    expirations,
    last_trade_ms,
    root_info,
    roots_of,
    settlement_ms,
    strike_spacing,
    strikes,
)
from tradier.sim.universe import generated_spec, spec_for, well_formed

WED = date(2026, 11, 18)


def test_roots_of_when_index_then_standard_root_first_and_pm_roots_with_all() -> None:
    assert roots_of("SPX") == ("SPX", "SPXW")
    assert roots_of("SPX", include_all=False) == ("SPX",)
    assert roots_of("BRK/B") == ("BRKB",)
    assert roots_of("ZZZZ9") == ()


def test_root_info_when_index_then_european_and_settled_am_or_pm() -> None:
    spx, spxw, aapl = root_info("SPX"), root_info("SPXW"), root_info("AAPL")
    assert spx is not None and spxw is not None and aapl is not None
    assert spx.european and spx.settlement is Settlement.AM
    assert spxw.european and spxw.settlement is Settlement.PM
    assert not aapl.european and aapl.settlement is Settlement.PM


def test_root_info_when_option_only_or_index_symbol_then_not_an_equity_root() -> None:
    assert root_info("BRK/B") is None  # its root is BRKB
    assert root_info("ZZZZ9") is None


def test_expirations_when_spxw_then_every_trading_day_near() -> None:
    listed = dict(expirations("SPXW", WED))
    assert {date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)} <= set(listed)
    assert date(2026, 11, 26) not in listed  # Thanksgiving
    assert set(listed.values()) == {"weeklys"}


def test_expirations_when_am_settled_then_last_trade_the_day_before() -> None:
    friday = date(2026, 11, 20)
    assert (date(2026, 11, 20), "standard") in expirations("SPX", WED)
    assert (date(2026, 11, 20), "standard") not in expirations("SPX", friday)
    assert (
        settlement_ms("SPX", friday) - last_trade_ms("SPX", friday)
        == (24 * 3600 - 6.5 * 3600) * 1000
    )  # Thursday 16:00 to Friday 09:30
    assert settlement_ms("SPXW", friday) == last_trade_ms("SPXW", friday)


def test_expirations_when_vix_then_wednesday_thirty_days_before_next_third_friday() -> None:
    listed = [d for d, _ in expirations("VIX", WED)]
    assert listed[:3] == [date(2026, 12, 16), date(2027, 1, 20), date(2027, 2, 17)]
    # June 2027's third Friday is Juneteenth: 30 days before the Thursday is a Tuesday.
    assert date(2027, 5, 18) in listed
    assert all(d.weekday() == 2 for d in listed if d != date(2027, 5, 18))


def test_expirations_when_stock_without_weeklies_then_monthlies_only() -> None:
    brk_a = spec_for("BRK/A")
    assert brk_a is not None and not brk_a.has_weeklies
    assert {kind for _, kind in expirations("BF", WED)} <= {"standard"}
    assert {kind for _, kind in expirations("AAPL", WED)} == {"standard", "weeklys"}


@pytest.mark.parametrize(
    ("root", "reference", "near"),
    [
        ("SPY", 580.0, Decimal(1)),
        ("SPX", 5800.0, Decimal(5)),
        ("NDX", 20500.0, Decimal(10)),
        ("XSP", 580.0, Decimal(1)),
        ("AAPL", 230.0, Decimal("2.5")),
        ("F", 11.0, Decimal("0.5")),
        ("BKNG", 4500.0, Decimal(25)),
    ],
)
def test_strike_spacing_when_root_then_its_increment(
    root: str, reference: float, near: Decimal
) -> None:
    assert strike_spacing(root, date(2026, 12, 18), WED, reference) == near
    listed = strikes(root, date(2026, 12, 18), WED, reference)
    assert all(b - a == near for a, b in itertools.pairwise(listed))
    assert listed[0] > 0


def test_well_formed_when_shapes_then_only_possible_symbols() -> None:
    assert all(well_formed(s) for s in ("A", "AAPL", "GOOGL", "BRK/B", "SPX", "VIX"))
    assert not any(well_formed(s) for s in ("TOOLONG", "A1", "BRK.B", "SPXW", "", "brk/b"))


def test_generated_spec_when_same_symbol_then_same_facts_and_marked() -> None:
    a, b = generated_spec("QWER"), generated_spec("QWER")
    assert a == b and a.generated and "generated" in a.description
    assert 1.0 <= a.base_price <= 1500.0 and a.daily_volume >= 50_000
    assert generated_spec("QWES") != a


def test_sim_config_when_any_wellformed_symbols_then_streamed_first() -> None:
    """Configured symbols may be anything well-formed; they lead the frame order, and VIX
    sets the volatility level (not a stand-in derived from AAPL's price)."""
    from tradier.sim.core import SimConfig, SimCore

    core = SimCore(SimConfig(symbols=("AAPL", "BRK/B", "SPX")))
    assert core.venue.symbols == ("AAPL", "BRK/B", "SPX", "VIX")
    assert 8 < core.venue.vix() < 60
    assert core.is_streamable("BRK/B") and not core.is_streamable("BRK.B")
    # A configured name no exchange would list still has a market (the gate's benchmark).
    odd = SimCore(SimConfig(symbols=("B0001",)))
    assert odd.venue.state("B0001") is not None and odd.venue.symbols == ("B0001",)


def test_listings_table_when_parsed_then_every_row_is_a_sane_listing() -> None:
    """The shipped table: a few hundred unique, well-formed symbols on real exchange codes,
    none shadowing a pinned symbol or an index, every stock and ETF optionable."""
    from tradier.sim.listings_table import TABLE
    from tradier.sim.symbols import SPECS
    from tradier.sim.universe import INDEXES, LISTED

    rows = [line for line in TABLE.strip().splitlines() if line.strip()]
    assert len(rows) == len(LISTED) >= 300
    assert not set(LISTED) & (set(SPECS) | set(INDEXES))
    for spec in LISTED.values():
        assert well_formed(spec.symbol), spec.symbol
        assert spec.exch in {"Q", "N", "P", "Z", "A"} and spec.kind in {"stock", "etf"}
        assert spec.base_price > 0 and spec.daily_volume > 0 and spec.idio_vol > 0
        assert roots_of(spec.symbol), spec.symbol
