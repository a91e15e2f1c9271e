"""The simulator's volatility surface: no seams in VIX, moneyness or time, and no static
arbitrage on its theoretical prices."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tradier.occ import OptionType, build_occ, parse_occ
from tradier.sim.option_roots import root_info, settlement_ms
from tradier.sim.options import RATE, black_scholes, implied_vol, mark, term_factor

ROOTS = ("SPY", "QQQ", "IWM", "DIA")
SPOT = 100.0
vixes = st.floats(min_value=9.0, max_value=80.0)
years = st.floats(min_value=1.0 / (365 * 24), max_value=2.0)
log_moneyness = st.floats(min_value=-1.5, max_value=1.0)


def _price(root: str, strike: float, t: float, vix: float, call: bool) -> float:
    info = root_info(root)
    assert info is not None
    vol = implied_vol(root, SPOT, strike, t, vix)
    return black_scholes(SPOT, strike, t, vol, call, RATE, info.dividend).price


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ROOTS), log_moneyness, years, vixes, st.booleans())
def test_surface_when_any_inputs_then_butterflies_not_negative(
    root: str, k: float, t: float, vix: float, call: bool
) -> None:
    strike = SPOT * math.exp(k)
    h = 0.002 * strike
    fly = (
        _price(root, strike - h, t, vix, call)
        - 2 * _price(root, strike, t, vix, call)
        + _price(root, strike + h, t, vix, call)
    )
    assert fly >= -1e-9


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ROOTS), log_moneyness, years, vixes, st.floats(1.01, 3.0))
def test_surface_when_later_expiry_same_forward_moneyness_then_calendar_not_negative(
    root: str, k: float, t: float, vix: float, stretch: float
) -> None:
    # The calendar condition for European prices under carry: total implied variance at a
    # fixed forward moneyness never falls with time (a fixed-strike deep in-the-money put
    # may lose value with time through discounting, which is no arbitrage).
    info = root_info(root)
    assert info is not None
    carry = RATE - info.dividend

    def total_variance(years_: float) -> float:
        strike = SPOT * math.exp(carry * years_ + k)
        return implied_vol(root, SPOT, strike, years_, vix) ** 2 * years_

    assert total_variance(t * stretch) >= total_variance(t) - 1e-12


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ROOTS), log_moneyness, years, vixes)
def test_surface_when_vix_moves_a_cent_then_iv_moves_in_proportion(
    root: str, k: float, t: float, vix: float
) -> None:
    # elasticity of every IV to the VIX stays near 1 everywhere, the old seam at 20 included
    strike = SPOT * math.exp(k)
    lo = implied_vol(root, SPOT, strike, t, vix)
    hi = implied_vol(root, SPOT, strike, t, vix + 0.01)
    assert abs(hi - lo) / lo <= 1.5 * 0.01 / vix


def test_term_factor_when_vix_crosses_20_then_continuous() -> None:
    below = term_factor(47 / 365, 19.99)
    above = term_factor(47 / 365, 20.00)
    assert abs(above - below) < 1e-4  # was 0.9450 -> 1.0387 under the hard switch


def test_marks_when_vix_19_99_to_20_00_then_iwm_structures_move_cents() -> None:
    # issue 13's case: 47-day IWM; under the hard switch the condor's mark moved -$29 and
    # the 1x2 put backspread's +$93 for a 0.01 move in VIX.
    expiry = date(2026, 12, 18)
    now = settlement_ms("IWM", expiry) - 47 * 86_400_000
    spot = 230.0

    def value(vix: float, legs: list[tuple[OptionType, int, int]]) -> float:
        total = 0.0
        for kind, strike, qty in legs:
            occ = parse_occ(build_occ("IWM", expiry, kind, strike))
            total += qty * mark(occ, spot, now, vix).theo * 100
        return total

    put, call = OptionType.PUT, OptionType.CALL
    condor = [(put, 210, 1), (put, 215, -1), (call, 245, -1), (call, 250, 1)]
    backspread = [(put, 225, -1), (put, 215, 2)]
    for legs in (condor, backspread):
        moved = abs(value(20.00, legs) - value(19.99, legs))
        assert moved < 1.0
