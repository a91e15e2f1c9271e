"""Indicators on literal input sequences (NautilusTrader style), reset and readiness."""

from __future__ import annotations

import itertools
import math
import random
import statistics

import pytest

from brain.bars import Bar, Session
from brain.indicators import (
    ADX,
    ATR,
    EMA,
    RSI,
    SMA,
    BollingerBands,
    IvRank,
    OpeningRange,
    RealizedVolatility,
    SessionVwap,
    Vix,
    VolumeProfile,
    VolumeVelocity,
)
from brain.indicators.base import RollingStats

DAY = 740_000  # an arbitrary New York date ordinal


def bar(
    close: float,
    *,
    minute: int = 600,
    day: int = DAY,
    volume: int = 100,
    session: Session = Session.REGULAR,
    high: float | None = None,
    low: float | None = None,
) -> Bar:
    h = close if high is None else high
    lo = close if low is None else low
    return Bar(
        "SPY", 0, close, h, lo, close, volume, 1, close, session, 0, day, minute, close * volume
    )


def test_sma_when_three_values_with_period_three_then_value_is_their_mean() -> None:
    sma = SMA(3)
    sma.update(1.0)
    sma.update(2.0)
    assert not sma.initialized and sma.value is None
    sma.update(3.0)
    assert sma.initialized and sma.value == pytest.approx(2.0, abs=1e-12)
    sma.update(10.0)
    assert sma.value == pytest.approx(5.0, abs=1e-12)


def test_sma_when_reset_then_not_ready_and_restarts() -> None:
    sma = SMA(2)
    for v in (1.0, 2.0, 3.0):
        sma.update(v)
    sma.reset()
    assert not sma.initialized and sma.count == 0
    sma.update(7.0)
    assert sma.value is None
    sma.update(9.0)
    assert sma.value == pytest.approx(8.0, abs=1e-12)


def test_sma_when_updated_a_million_times_then_no_drift() -> None:
    sma = SMA(20)
    rng = random.Random(1)
    values = [400 + rng.random() for _ in range(1_000_000)]
    for v in values:
        sma.update(v)
    assert sma.value == pytest.approx(math.fsum(values[-20:]) / 20, abs=1e-12)


def test_ema_when_seeded_then_first_value_is_sma_and_then_smoothed() -> None:
    ema = EMA(3)
    for v in (2.0, 4.0):
        ema.update(v)
    assert ema.value is None
    ema.update(6.0)
    assert ema.value == pytest.approx(4.0)
    ema.update(8.0)  # alpha = 0.5
    assert ema.value == pytest.approx(6.0)
    ema.reset()
    assert not ema.initialized


def test_rsi_when_only_gains_then_100_and_only_losses_then_0() -> None:
    up, down = RSI(3), RSI(3)
    for i in range(5):
        up.update(10.0 + i)
        down.update(10.0 - i)
    assert up.value == 100.0
    assert down.value == pytest.approx(0.0)


def test_rsi_when_fewer_than_period_plus_one_values_then_not_ready() -> None:
    rsi = RSI(3)
    for v in (1.0, 2.0, 3.0):
        rsi.update(v)
    assert not rsi.initialized
    rsi.update(2.0)  # changes +1, +1, -1: avg gain 2/3, avg loss 1/3
    assert rsi.value == pytest.approx(100 - 100 / (1 + 2.0))


def test_atr_when_literal_bars_then_wilder_average_of_true_ranges() -> None:
    atr = ATR(2)
    atr.update(10.0, 8.0, 9.0)  # TR 2
    assert atr.value is None
    atr.update(12.0, 9.5, 11.0)  # TR max(2.5, 3, 0.5) = 3 -> seed (2 + 3) / 2
    assert atr.value == pytest.approx(2.5)
    atr.update(11.5, 10.5, 11.0)  # TR 1 -> (2.5 * 1 + 1) / 2
    assert atr.value == pytest.approx(1.75)
    atr.reset()
    assert atr.value is None and atr.tr is None


def test_adx_when_steady_uptrend_then_plus_di_dominates_and_adx_high() -> None:
    adx = ADX(3, 3)
    for i in range(20):
        adx.update(100.0 + i + 0.5, 100.0 + i - 0.5, 100.0 + i)
    assert adx.initialized
    assert adx.minus_di == pytest.approx(0.0)
    assert adx.value == pytest.approx(100.0)
    adx.reset()
    assert adx.value is None and adx.plus_di is None


def test_bollinger_when_values_equal_then_bands_collapse_to_middle() -> None:
    bb = BollingerBands(4, 2.0)
    for _ in range(10):
        bb.update(418.17)
    assert bb.upper == bb.lower == bb.value == pytest.approx(418.17)
    assert bb.width == 0.0


def test_bollinger_when_literal_window_then_population_stdev() -> None:
    bb = BollingerBands(4, 1.0)
    for v in (2.0, 4.0, 4.0, 6.0):
        bb.update(v)
    sd = statistics.pstdev([2.0, 4.0, 4.0, 6.0])
    assert (bb.lower, bb.value, bb.upper) == pytest.approx((4 - sd, 4.0, 4 + sd))


def test_rolling_stats_when_window_rolls_then_matches_statistics_module() -> None:
    rng = random.Random(3)
    values = [rng.gauss(0, 1e-4) for _ in range(500)]
    rs = RollingStats(30)
    for v in values:
        rs.push(v)
    assert rs.sample_variance() == pytest.approx(statistics.variance(values[-30:]), rel=1e-9)
    assert rs.mean == pytest.approx(statistics.fmean(values[-30:]), abs=1e-15)


def test_realized_vol_when_fed_closes_then_matches_direct_computation() -> None:
    rng = random.Random(5)
    closes = [400.0]
    for _ in range(300):
        closes.append(closes[-1] * math.exp(rng.gauss(0, 0.001)))
    rv = RealizedVolatility(30, periods_per_year=252 * 390)
    for c in closes:
        rv.update(c)
    returns = [math.log(b / a) for a, b in itertools.pairwise(closes)][-30:]
    expected = statistics.stdev(returns) * math.sqrt(252 * 390)
    assert rv.value is not None and abs(rv.value - expected) <= 1e-9


def test_realized_vol_when_too_few_returns_or_bad_price_then_not_ready() -> None:
    rv = RealizedVolatility(3)
    for c in (100.0, 0.0, -5.0, 101.0, 102.0):
        rv.update(c)
    assert not rv.initialized  # two returns, bad prices ignored
    rv.update(101.0)
    assert rv.initialized


def test_session_vwap_when_trades_then_volume_weighted_and_reset_clears() -> None:
    vwap = SessionVwap()
    assert vwap.value is None
    vwap.update(10.0, 100)
    vwap.update(20.0, 300)
    assert vwap.value == pytest.approx(17.5)
    vwap.reset()
    assert not vwap.initialized


def test_session_vwap_when_fed_bars_then_new_day_resets_and_pre_market_ignored() -> None:
    vwap = SessionVwap()
    vwap.on_bar(bar(10.0, volume=100))
    vwap.on_bar(bar(99.0, volume=100, session=Session.PRE))
    vwap.on_bar(bar(20.0, volume=100))
    assert vwap.value == pytest.approx(15.0)
    vwap.on_bar(bar(30.0, volume=50, day=DAY + 1))
    assert vwap.value == pytest.approx(30.0)


def test_opening_range_when_bars_before_ten_then_ready_only_after_ten() -> None:
    orng = OpeningRange()
    orng.on_bar(bar(100.0, minute=570, high=101.0, low=99.0))
    orng.on_bar(bar(100.0, minute=599, high=103.0, low=99.5))
    assert not orng.initialized and orng.high == 103.0
    orng.on_bar(bar(110.0, minute=600, high=111.0, low=109.0))
    assert orng.initialized
    assert (orng.high, orng.low, orng.value) == (103.0, 99.0, 4.0)


def test_opening_range_when_new_day_then_yesterdays_range_is_gone() -> None:
    orng = OpeningRange()
    orng.on_bar(bar(100.0, minute=570, high=101.0, low=99.0))
    orng.mark_time(DAY, 600)
    assert orng.initialized
    orng.on_bar(bar(50.0, minute=571, day=DAY + 1, high=51.0, low=49.0))
    assert not orng.initialized and orng.high == 51.0


def test_opening_range_when_first_bar_after_0935_then_never_ready_that_day() -> None:
    orng = OpeningRange()
    orng.on_bar(bar(100.0, minute=590))
    orng.on_bar(bar(100.0, minute=610))
    assert not orng.initialized


def test_volume_velocity_when_volume_triples_then_value_three() -> None:
    vv = VolumeVelocity(3)
    for v in (100, 100, 100):
        vv.update(v)
    assert not vv.initialized
    vv.update(300)
    assert vv.value == pytest.approx(3.0)
    vv.update(600, minutes=3)  # 200 per minute over mean(100, 100, 300)
    assert vv.value == pytest.approx(200 / (500 / 3))


def test_volume_velocity_when_previous_volume_zero_then_not_ready() -> None:
    vv = VolumeVelocity(2)
    for v in (0, 0, 50):
        vv.update(v)
    assert vv.value is None


def test_volume_profile_when_literal_trades_then_poc_and_value_area() -> None:
    vp = VolumeProfile(tick=1.0, value_area=0.70)
    for price, size in ((100, 10), (101, 30), (102, 50), (103, 20), (104, 10), (99, 5)):
        vp.update(float(price), size)
    # total 125, target 87.5: POC 102 (50); above 103 (20) vs below 101 (30) -> 101 (80);
    # then 103 (20) vs 100 (10) -> 103 (100 >= 87.5)
    assert (vp.poc, vp.value_area_low, vp.value_area_high) == (102.0, 101.0, 103.0)
    vp.update(104.0, 100)
    assert vp.poc == 104.0  # cache invalidated by the update


def test_volume_profile_when_empty_or_reset_then_not_ready() -> None:
    vp = VolumeProfile()
    assert vp.value is None and not vp.initialized
    vp.update(10.0, 5)
    assert vp.initialized
    vp.reset()
    assert vp.poc is None and vp.total_volume == 0.0


def test_iv_rank_when_samples_then_rank_in_lookback_and_old_extremes_expire() -> None:
    ivr = IvRank(lookback_ms=10_000)
    ivr.update(0.20, 0)
    assert not ivr.initialized
    ivr.update(0.40, 1_000)
    ivr.update(0.30, 2_000)
    assert ivr.value == pytest.approx(0.5)
    ivr.update(0.35, 11_500)  # 0.20 and 0.40 fell out; window 0.30..0.35
    assert (ivr.low, ivr.high, ivr.value) == pytest.approx((0.30, 0.35, 1.0))


def test_iv_rank_when_fed_random_samples_then_matches_brute_force() -> None:
    rng = random.Random(11)
    ivr = IvRank(lookback_ms=50_000)
    samples: list[tuple[int, float]] = []
    for i in range(2000):
        ts, iv = i * 1000, round(rng.uniform(0.1, 0.6), 4)
        samples.append((ts, iv))
        ivr.update(iv, ts)
        window = [v for t, v in samples if t >= ts - 50_000]
        lo, hi = min(window), max(window)
        expected = (iv - lo) / (hi - lo) if hi > lo else None
        assert ivr.value == (pytest.approx(expected) if expected is not None else None)


def test_iv_rank_when_missing_or_nan_iv_then_ignored_not_zero() -> None:
    ivr = IvRank(lookback_ms=10_000)
    for iv in (None, math.nan, 0.0, -1.0):
        ivr.update(iv, 0)
    assert ivr.count == 0 and ivr.value is None


def test_vix_when_quote_then_mid_and_when_later_trade_then_last() -> None:
    vix = Vix()
    assert vix.value is None
    vix.update_quote(0.0, 0.0, 1)  # index quote without a market: missing, not zero
    assert vix.value is None
    vix.update_quote(17.0, 17.2, 2)
    assert vix.value == pytest.approx(17.1)
    vix.update_last(18.0, 3)
    assert vix.value == 18.0
    vix.update_quote(16.0, 16.2, 1)  # older than what we have
    assert vix.value == 18.0
    vix.reset()
    assert not vix.initialized


def _day_of_bars() -> list[Bar]:
    rng = random.Random(8)
    out, price = [], 100.0
    for i in range(120):
        price += rng.gauss(0, 0.3)
        out.append(bar(round(price, 2), minute=570 + i, high=price + 0.2, low=price - 0.2))
    return out


ALL_BAR_INDICATORS = [
    lambda: SMA(10),
    lambda: EMA(10),
    lambda: RSI(14),
    lambda: ATR(14),
    lambda: ADX(14, 14),
    lambda: BollingerBands(20, 2.0),
    lambda: RealizedVolatility(30),
    lambda: SessionVwap(),
    lambda: OpeningRange(),
    lambda: VolumeVelocity(20),
    lambda: VolumeProfile(0.05),
    lambda: Vix(),
]


@pytest.mark.parametrize("make", ALL_BAR_INDICATORS)
def test_indicator_when_fed_a_day_then_initialized_and_when_reset_then_not(make: object) -> None:
    ind = make()  # type: ignore[operator]
    assert not ind.initialized and ind.value is None
    for b in _day_of_bars():
        ind.on_bar(b)
    assert ind.initialized and ind.value is not None
    ind.reset()
    assert not ind.initialized and ind.value is None and ind.count == 0
