"""Each indicator agrees with talipp within 1e-9 on the same series, value by value."""

from __future__ import annotations

import math
import random

import pytest
from talipp.indicators import ADX as TADX
from talipp.indicators import ATR as TATR
from talipp.indicators import BB as TBB
from talipp.indicators import EMA as TEMA
from talipp.indicators import RSI as TRSI
from talipp.indicators import SMA as TSMA
from talipp.indicators import VWAP as TVWAP
from talipp.ohlcv import OHLCV

from brain.indicators import ADX, ATR, EMA, RSI, SMA, BollingerBands, SessionVwap

TOL = 1e-9


def ohlc_series(n: int, seed: int, start: float = 400.0) -> list[tuple[float, float, float]]:
    """A random walk of (high, low, close) bars with calm and volatile stretches."""
    rng = random.Random(seed)
    out = []
    close = start
    for i in range(n):
        scale = 3.0 if (i // 50) % 3 == 2 else 0.5
        new_close = max(1.0, close + rng.gauss(0, scale))
        high = max(close, new_close) + abs(rng.gauss(0, scale / 2))
        low = min(close, new_close) - abs(rng.gauss(0, scale / 2))
        out.append((round(high, 2), round(low, 2), round(new_close, 2)))
        close = new_close
    return out


SERIES = [ohlc_series(400, seed) for seed in (1, 2, 3)]
LITERAL_CLOSES = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08,
                  45.89, 46.03, 45.61, 46.28, 46.28, 46.00, 46.03, 46.41, 46.22, 45.64,
                  46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57]  # fmt: skip


def assert_series(mine: list[float | None], ref: list[float | None]) -> None:
    assert len(mine) == len(ref)
    for i, (a, b) in enumerate(zip(mine, ref, strict=True)):
        if b is None:
            assert a is None, f"index {i}: expected not ready, got {a}"
        else:
            assert a is not None, f"index {i}: expected {b}, got not ready"
            assert abs(a - b) <= TOL, f"index {i}: {a} != {b}"


def closes_through(ind: SMA | EMA | RSI, closes: list[float]) -> list[float | None]:
    """The indicator's value after each close."""
    out = []
    for c in closes:
        ind.update(c)
        out.append(ind.value)
    return out


@pytest.mark.parametrize("period", [1, 2, 5, 14, 50])
@pytest.mark.parametrize("series", SERIES)
def test_sma_when_fed_a_series_then_matches_talipp(period: int, series: list) -> None:
    closes = [c for _, _, c in series]
    assert_series(closes_through(SMA(period), closes), list(TSMA(period, input_values=closes)))


@pytest.mark.parametrize("period", [1, 3, 9, 21])
@pytest.mark.parametrize("series", SERIES)
def test_ema_when_fed_a_series_then_matches_talipp(period: int, series: list) -> None:
    closes = [c for _, _, c in series]
    assert_series(closes_through(EMA(period), closes), list(TEMA(period, input_values=closes)))


@pytest.mark.parametrize("period", [2, 5, 14])
@pytest.mark.parametrize("closes", [LITERAL_CLOSES, *[[c for *_, c in s] for s in SERIES]])
def test_rsi_when_fed_a_series_then_matches_talipp(period: int, closes: list[float]) -> None:
    assert_series(closes_through(RSI(period), closes), list(TRSI(period, input_values=closes)))


def _ohlcv(series: list[tuple[float, float, float]]) -> list[OHLCV]:
    return [OHLCV(c, h, lo, c, 1000.0) for h, lo, c in series]


@pytest.mark.parametrize("period", [1, 5, 14])
@pytest.mark.parametrize("series", SERIES)
def test_atr_when_fed_bars_then_matches_talipp(period: int, series: list) -> None:
    ref = TATR(period, input_values=_ohlcv(series))
    ind = ATR(period)
    mine = []
    for h, lo, c in series:
        ind.update(h, lo, c)
        mine.append(ind.value)
    assert_series(mine, list(ref))


@pytest.mark.parametrize(("di", "adx"), [(14, 14), (5, 3), (7, 10)])
@pytest.mark.parametrize("series", SERIES)
def test_adx_when_fed_bars_then_adx_and_dis_match_talipp(di: int, adx: int, series: list) -> None:
    ref = list(TADX(di, adx, input_values=_ohlcv(series)))
    ind = ADX(di, adx)
    values, plus, minus = [], [], []
    for h, lo, c in series:
        ind.update(h, lo, c)
        values.append(ind.value)
        plus.append(ind.plus_di)
        minus.append(ind.minus_di)
    assert_series(values, [r.adx if r is not None else None for r in ref])
    assert_series(plus, [r.plus_di if r is not None else None for r in ref])
    assert_series(minus, [r.minus_di if r is not None else None for r in ref])


@pytest.mark.parametrize(("period", "k"), [(20, 2.0), (5, 1.5), (2, 3.0)])
@pytest.mark.parametrize("series", SERIES)
def test_bollinger_when_fed_a_series_then_bands_match_talipp(
    period: int, k: float, series: list
) -> None:
    closes = [c for _, _, c in series]
    ref = list(TBB(period, k, input_values=closes))
    ind = BollingerBands(period, k)
    mids, ups, lows = [], [], []
    for c in closes:
        ind.update(c)
        mids.append(ind.value)
        ups.append(ind.upper)
        lows.append(ind.lower)
    assert_series(mids, [r.cb if r is not None else None for r in ref])
    assert_series(ups, [r.ub if r is not None else None for r in ref])
    assert_series(lows, [r.lb if r is not None else None for r in ref])


def test_bollinger_when_spread_is_tiny_at_a_high_price_then_still_matches_talipp() -> None:
    rng = random.Random(9)
    closes = [4500.0 + rng.choice((-0.01, 0.0, 0.01)) for _ in range(2000)]
    ref = list(TBB(20, 2.0, input_values=closes))
    ind = BollingerBands(20, 2.0)
    ups = []
    for c in closes:
        ind.update(c)
        ups.append(ind.upper)
    assert_series(ups, [r.ub if r is not None else None for r in ref])


def test_session_vwap_when_fed_trades_then_matches_talipp_on_single_price_bars() -> None:
    rng = random.Random(4)
    trades = [(round(100 + rng.gauss(0, 1), 2), rng.randrange(1, 500)) for _ in range(3000)]
    # talipp's VWAP is cumulative over (H+L+C)/3; a one-trade bar has H = L = C = price
    ref = list(TVWAP(input_values=[OHLCV(p, p, p, p, float(s)) for p, s in trades]))
    ind = SessionVwap()
    mine = []
    for p, s in trades:
        ind.update(p, s)
        mine.append(ind.value)
    assert_series(mine, ref)
    assert math.isfinite(mine[-1] or math.nan)


@pytest.mark.parametrize("series", SERIES)
def test_adx_when_sharing_an_atr_updated_first_then_same_as_owning_one(series: list) -> None:
    own = ADX(14, 14)
    atr = ATR(14)
    shared = ADX(14, 14, shared_atr=atr)
    for h, lo, c in series:
        own.update(h, lo, c)
        atr.update(h, lo, c)
        shared.update(h, lo, c)
        assert (shared.value, shared.plus_di) == (own.value, own.plus_di)


def test_adx_when_shared_atr_period_differs_then_rejected() -> None:
    with pytest.raises(ValueError, match="shared_atr"):
        ADX(14, 14, shared_atr=ATR(10))
