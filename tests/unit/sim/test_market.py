"""Generated market data: determinism, realism and option pricing."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from tradier.clock import NEW_YORK, from_datetime
from tradier.occ import OptionType, build_occ
from tradier.sim.market import GeneratedMarket
from tradier.sim.options import (
    black_scholes,
    expiration_types,
    expirations,
    implied_vol,
    mark,
    strikes,
)

T0 = from_datetime(datetime(2026, 11, 18, 10, 30, tzinfo=NEW_YORK))


def test_state_when_same_seed_then_identical_ticks_and_trades() -> None:
    a, b = GeneratedMarket(5, follow_calendar=True), GeneratedMarket(5, follow_calendar=True)
    for offset in range(0, 600_000, 7_000):
        assert a.state("SPY", T0 + offset) == b.state("SPY", T0 + offset)
    assert a.trades_between("QQQ", T0, T0 + 60_000) == b.trades_between("QQQ", T0, T0 + 60_000)


def test_state_when_queried_out_of_order_then_same_answer() -> None:
    """Generation is a function of (seed, time), not of the order of queries."""
    a, b = GeneratedMarket(5), GeneratedMarket(5)
    later = a.state("IWM", T0 + 3_600_000)
    b.state("IWM", T0)
    assert b.state("IWM", T0 + 3_600_000) == later


def test_state_when_other_seed_then_different_prices() -> None:
    a, b = GeneratedMarket(5), GeneratedMarket(6)
    assert a.state("SPY", T0) != b.state("SPY", T0)


def test_state_when_regular_hours_then_book_sane_and_spread_one_cent() -> None:
    market = GeneratedMarket(9, follow_calendar=True)
    state = market.state("SPY", T0)
    assert state is not None
    assert state.ask > state.bid > 0
    assert round(state.ask - state.bid, 2) == 0.01
    assert state.open is not None and state.low <= state.last <= state.high  # type: ignore[operator]


def test_cumulative_volume_when_time_advances_then_never_decreases() -> None:
    market = GeneratedMarket(3, follow_calendar=True)
    volumes = [market.state("SPY", T0 + k * 15_000).volume for k in range(40)]  # type: ignore[union-attr]
    assert volumes == sorted(volumes) and volumes[-1] > volumes[0]


def test_volume_curve_when_session_then_u_shaped() -> None:
    market = GeneratedMarket(4, follow_calendar=True)
    bars = market.minute_bars("SPY", date(2026, 11, 18))
    by_minute = {
        datetime.fromtimestamp(b[0] / 1000, tz=NEW_YORK).strftime("%H:%M"): b[5] for b in bars
    }
    first = sum(by_minute[f"09:{m:02d}"] for m in range(30, 60))
    midday = sum(by_minute[f"12:{m:02d}"] for m in range(30))
    last = sum(by_minute[f"15:{m:02d}"] for m in range(30, 60))
    assert first > midday and last > midday


def test_vix_when_spy_falls_then_rises_on_average() -> None:
    market = GeneratedMarket(8)
    day = date(2025, 3, 3)
    spy_moves, vix_moves = [], []
    for k in range(200):
        d = day + timedelta(days=k)
        spy_moves.append(
            math.log(
                market.daily_close("SPY", d) / market.daily_close("SPY", d - timedelta(days=1))
            )
        )
        vix_moves.append(
            math.log(
                market.daily_close("VIX", d) / market.daily_close("VIX", d - timedelta(days=1))
            )
        )
    mean_s, mean_v = sum(spy_moves) / 200, sum(vix_moves) / 200
    cov = sum((s - mean_s) * (v - mean_v) for s, v in zip(spy_moves, vix_moves, strict=True))
    assert cov < 0


def test_black_scholes_when_call_and_put_then_parity_holds() -> None:
    s, k, t, v, r, q = 580.0, 575.0, 30 / 365, 0.18, 0.045, 0.012
    call = black_scholes(s, k, t, v, True, r, q)
    put = black_scholes(s, k, t, v, False, r, q)
    parity = s * math.exp(-q * t) - k * math.exp(-r * t)
    assert math.isclose(call.price - put.price, parity, abs_tol=1e-9)
    assert 0 < call.delta < 1 and -1 < put.delta < 0 and call.gamma > 0 and call.theta < 0


def test_implied_vol_when_lower_strike_then_higher_put_skew() -> None:
    assert implied_vol("SPY", 580, 520, 0.1, 18) > implied_vol("SPY", 580, 580, 0.1, 18)


def test_mark_when_priced_then_bid_below_theo_below_ask() -> None:
    occ_symbol = build_occ("SPY", date(2026, 12, 18), OptionType.PUT, Decimal(560))
    from tradier.occ import parse_occ

    result = mark(parse_occ(occ_symbol), 580.0, T0, 18.0)
    assert result.bid < result.theo < result.ask
    assert result.bid_iv < result.iv < result.ask_iv


def test_expirations_when_listed_then_weeklies_mon_wed_fri_and_monthly_third_friday() -> None:
    listed = dict(expirations("SPY", date(2026, 11, 18)))
    weekly_days = {d.weekday() for d, kind in listed.items() if kind == "weeklys"}
    assert weekly_days <= {0, 2, 4}
    assert listed[date(2026, 12, 18)] == "standard"
    assert date(2026, 11, 27) in listed and date(2026, 11, 26) not in listed  # holiday skipped
    assert max(listed) - date(2026, 11, 18) > timedelta(days=60)
    # VIX options expire on the Wednesday 30 days before the next month's third Friday.
    assert expirations("VIX", date(2026, 11, 18))[0] == (date(2026, 12, 16), "standard")


def test_expiration_types_when_asked_twice_same_day_then_one_read_only_map_of_the_listing() -> None:
    types = expiration_types("SPY", date(2026, 11, 18))
    assert dict(types) == dict(expirations("SPY", date(2026, 11, 18)))
    assert expiration_types("SPY", date(2026, 11, 18)) is types
    assert expiration_types("SPY", date(2026, 11, 19)) is not types
    with pytest.raises(TypeError):
        types[date(2026, 11, 19)] = "weeklys"  # type: ignore[index]


def test_strikes_when_near_expiration_then_dollar_steps_around_reference() -> None:
    listed = strikes("SPY", date(2026, 11, 20), date(2026, 11, 18), 580.0)
    assert Decimal(580) in listed and listed[1] - listed[0] == 1
    assert listed[0] < 580 * 0.85 and listed[-1] > 580 * 1.15


def test_state_when_sampled_through_a_session_then_last_trade_within_day_high_and_low() -> None:
    """Prints go off at the bid or ask, so the day's range must cover them, not only mids."""
    market = GeneratedMarket(7, follow_calendar=True)
    outside = []
    for k in range(0, 3 * 3_600_000, 13_000):
        state = market.state("SPY", T0 + k)
        assert state is not None and state.low is not None and state.high is not None
        if not state.low <= state.last <= state.high:
            outside.append((k, state.low, state.last, state.high))
    assert outside == []
