"""Regime detection with hysteresis: literal sequences that must not flip-flop."""

from __future__ import annotations

import itertools

import pytest

from brain.indicators import TimeOfDayBaseline
from brain.regime import Regime, RegimeDetector, RegimeThresholds, RollingPercentile

# min_history=1 so literal sequences classify from the first bar
FAST = RegimeThresholds(min_dwell_bars=5, confirm_bars=3, lookback_bars=50, min_history=1)

# inputs (adx, vol, width, vix): a middling volatility and width, ADX decides
TREND = (30.0, 1.0, 1.0, 15.0)
CHOP = (15.0, 1.0, 1.0, 15.0)


def feed(det: RegimeDetector, rows: list[tuple[float, float, float, float | None]]) -> list[Regime]:
    return [det.update(*row) for row in rows]


def primed(rows: int = 40) -> RegimeDetector:
    """A detector with a flat volatility/width history, settled in chop."""
    det = RegimeDetector(FAST)
    feed(det, [CHOP] * rows)
    assert det.regime is Regime.LOW_VOL_CHOP
    return det


def test_regime_when_inputs_missing_then_unknown_and_not_initialized() -> None:
    det = RegimeDetector(FAST)
    assert feed(det, [(None, None, None, None)] * 10) == [Regime.UNKNOWN] * 10  # type: ignore[list-item]
    assert not det.initialized


def test_regime_when_first_ready_then_needs_confirmation_but_no_dwell() -> None:
    det = RegimeDetector(FAST)
    assert feed(det, [TREND] * 3) == [Regime.UNKNOWN, Regime.UNKNOWN, Regime.TRENDING]


def test_regime_when_raw_class_alternates_every_bar_then_no_flip() -> None:
    det = primed()
    out = feed(det, [TREND, CHOP] * 30)
    assert set(out) == {Regime.LOW_VOL_CHOP}
    assert det.changes == 1  # only the initial UNKNOWN -> chop


def test_regime_when_two_of_three_bars_trend_then_no_change_without_consecutive_confirm() -> None:
    det = primed()
    out = feed(det, [TREND, TREND, CHOP] * 10)
    assert set(out) == {Regime.LOW_VOL_CHOP}


def test_regime_when_sustained_change_then_switches_after_confirm_bars() -> None:
    det = primed()
    out = feed(det, [TREND] * 4)
    assert out == [Regime.LOW_VOL_CHOP, Regime.LOW_VOL_CHOP, Regime.TRENDING, Regime.TRENDING]


def test_regime_when_change_confirmed_before_dwell_then_waits_for_dwell() -> None:
    det = primed()
    feed(det, [TREND] * 3)
    assert det.regime is Regime.TRENDING and det.bars_in_regime == 0
    out = feed(det, [CHOP] * 6)  # confirmed after 3 bars, dwell of 5 reached on the 5th
    assert out == [Regime.TRENDING] * 4 + [Regime.LOW_VOL_CHOP] * 2


def test_regime_when_adx_hovers_around_entry_level_then_trend_holds_on_exit_level() -> None:
    det = primed()
    feed(det, [TREND] * 3)
    hovering = [(24.0, 1.0, 1.0, 15.0), (26.0, 1.0, 1.0, 15.0), (21.0, 1.0, 1.0, 15.0)] * 10
    assert set(feed(det, hovering)) == {Regime.TRENDING}


def test_regime_when_volatility_jumps_then_expansion_overrides_trend() -> None:
    det = primed()
    out = feed(det, [(30.0, 5.0, 3.0, 15.0)] * 5)
    assert out[-1] is Regime.HIGH_VOL_EXPANSION


def test_regime_when_vix_high_then_expansion_and_missing_vix_ignored() -> None:
    det = primed()
    assert feed(det, [(15.0, 1.0, 1.0, 30.0)] * 3)[-1] is Regime.HIGH_VOL_EXPANSION
    det2 = primed()
    assert feed(det2, [(15.0, 1.0, 1.0, None)] * 5)[-1] is Regime.LOW_VOL_CHOP


def test_regime_when_bands_squeeze_then_compressed() -> None:
    det = RegimeDetector(FAST)
    rows = [(15.0, 1.0, 1.0 + i / 100, 15.0) for i in range(40)]
    feed(det, rows)
    out = feed(det, [(15.0, 1.0, 0.2, 15.0)] * 3)
    assert out[-1] is Regime.COMPRESSED


def test_regime_when_noisy_realistic_sequence_then_few_changes() -> None:
    det = RegimeDetector(FAST)
    adx = [18, 27, 19, 26, 22, 24, 26, 28, 31, 29, 33, 27, 22, 19, 17, 23, 26, 18, 16, 15]
    rows = [(float(a), 1.0, 1.0, 15.0) for a in adx * 5]
    out = feed(det, rows)
    flips = sum(1 for a, b in itertools.pairwise(out) if a is not b)
    assert flips <= 10  # 100 bars whose raw class changes 40 times
    raw_changes = sum(
        1 for a, b in zip(adx * 5, (adx * 5)[1:], strict=False) if (a >= 25) != (b >= 25)
    )
    assert raw_changes >= 4 * flips


def test_regime_when_reset_then_unknown_again() -> None:
    det = primed()
    det.reset()
    assert det.regime is Regime.UNKNOWN and det.changes == 0


def test_thresholds_when_exit_looser_than_entry_inverted_then_rejected() -> None:
    with pytest.raises(ValueError, match="adx_trend_exit"):
        RegimeThresholds(adx_trend=20.0, adx_trend_exit=25.0)


def test_rolling_percentile_when_window_rolls_then_mid_rank_among_last_values() -> None:
    rp = RollingPercentile(4)
    ranks = [rp.push(x) for x in (1.0, 2.0, 3.0, 4.0, 0.5, 3.0)]
    # new highs rank (k - 1 + k) / 2k; 0.5 is the lowest of 2, 3, 4, 0.5;
    # 3.0 ties one 3.0 in 3, 4, 0.5, 3
    assert ranks == pytest.approx([0.5, 0.75, 5 / 6, 7 / 8, 1 / 8, 0.5])


def test_rolling_percentile_when_flat_history_then_middle() -> None:
    rp = RollingPercentile(10)
    assert [rp.push(2.0) for _ in range(20)][-1] == 0.5


def _u_shaped(minute: int) -> float:
    # a session whose open and close are three times as volatile as midday, every day
    from_open = minute - 570
    return 0.001 * (
        1.0 + 2.0 * max(0.0, 1 - from_open / 30) + 2.0 * max(0.0, (from_open - 360) / 30)
    )


def _day_of_regimes(det: RegimeDetector, scale_open: float = 1.0) -> list[Regime]:
    out = []
    for minute in range(570, 960):
        vol = _u_shaped(minute) * (scale_open if minute < 600 else 1.0)
        out.append(det.update(10.0, vol, 0.01 + 0.00001 * (minute % 7), None, minute))
    return out


def test_regime_when_open_is_as_volatile_as_every_open_then_not_expansion() -> None:
    det = RegimeDetector()
    for _ in range(3):
        _day_of_regimes(det)
    today = _day_of_regimes(det)
    assert Regime.HIGH_VOL_EXPANSION not in today[:30]


def test_regime_when_open_twice_its_usual_volatility_then_expansion() -> None:
    det = RegimeDetector()
    for _ in range(3):
        _day_of_regimes(det)
    today = _day_of_regimes(det, scale_open=2.0)
    assert Regime.HIGH_VOL_EXPANSION in today[:30]


def test_regime_when_clock_ignored_then_ordinary_open_reads_as_expansion() -> None:
    # what the time-of-day baseline fixes: ranked raw against the last 390 bars, the open is
    # the most volatile part of every day
    det = RegimeDetector(RegimeThresholds(time_of_day=False))
    for _ in range(3):
        _day_of_regimes(det)
    assert Regime.HIGH_VOL_EXPANSION in _day_of_regimes(det)[:30]


def test_regime_when_minute_has_no_baseline_yet_then_regime_unchanged() -> None:
    det = RegimeDetector()
    regimes = _day_of_regimes(det)
    assert set(regimes) == {Regime.UNKNOWN}


def test_time_of_day_baseline_when_literal_sequence_then_ratio_to_earlier_same_bucket() -> None:
    base = TimeOfDayBaseline(bucket_minutes=5, days=10, min_samples=2)
    assert base.normalise(570, 2.0) is None  # bucket 570-574 has nothing yet
    assert base.normalise(574, 4.0) is None  # one sample: not ready
    assert base.normalise(571, 6.0) == 6.0 / 3.0  # mean of 2 and 4
    assert base.normalise(575, 1.0) is None  # the next bucket is separate
    assert base.baseline(572) == 4.0  # (2 + 4 + 6) / 3
    base.reset()
    assert base.baseline(572) is None


def test_time_of_day_baseline_when_more_than_horizon_then_exponential_weight() -> None:
    base = TimeOfDayBaseline(bucket_minutes=1, days=2, min_samples=1)
    for x in (1.0, 3.0, 3.0, 3.0):
        base.normalise(600, x)
    # 1, then 2 (mean of 1 and 3), then weight 1/2 per sample: 2.5, 2.75
    assert base.baseline(600) == 2.75
