"""Today's seeded markets of the five original symbols, pinned.

The brain's replay tests and the gate's tests were written against these exact ticks: the
market may learn new symbols, but SPY, QQQ, IWM, DIA and VIX under a given seed must keep
producing the same numbers. The digests were taken before the generator was generalised.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

import pytest

from tradier.clock import NEW_YORK, from_datetime
from tradier.sim.market import GeneratedMarket
from tradier.sim.options import expirations, strikes

T0 = from_datetime(datetime(2026, 11, 18, 10, 30, tzinfo=NEW_YORK))
ORIGINAL = ("SPY", "QQQ", "IWM", "DIA", "VIX")


def _digest(market: GeneratedMarket) -> str:
    h = hashlib.sha256()
    for sym in ORIGINAL:
        for offset in range(0, 6 * 3_600_000, 97_013):
            h.update(repr(market.state(sym, T0 - 3 * 3_600_000 + offset)).encode())
        h.update(repr(market.trades_between(sym, T0, T0 + 120_000)).encode())
        h.update(repr(market.minute_bars(sym, date(2026, 11, 17))).encode())
        h.update(repr([market.daily_bar(sym, date(2026, 10, d)) for d in range(1, 32)]).encode())
    return h.hexdigest()


@pytest.mark.parametrize(
    ("seed", "calendar", "digest", "spy", "vix", "qqq_close"),
    [
        (
            1,
            False,
            "bbbd8e2963790ed46b585ec926b5f3336f0b79a26c42fc57b24da20f1b77ae90",
            (542.88, 542.89, 542.84, 27989557),
            17.56,
            467.57307781995564,
        ),
        (
            11,
            True,
            "c2337d569ce79adb2c02d8da983e51c205e96aca281805b344a549815bb21efd",
            (681.76, 681.77, 681.76, 11039554),
            14.57,
            631.2327835467023,
        ),
        (
            7,
            True,
            "ecba04c74dd547ebb9bdd100112e695f3eb382682038a26e38258f71b63576e2",
            (514.62, 514.63, 514.63, 11747276),
            19.81,
            428.79267523621735,
        ),
    ],
)
def test_market_when_original_symbols_then_ticks_as_before(
    seed: int,
    calendar: bool,
    digest: str,
    spy: tuple[float, float, float, int],
    vix: float,
    qqq_close: float,
) -> None:
    market = GeneratedMarket(seed, follow_calendar=calendar)
    state = market.state("SPY", T0)
    assert state is not None
    assert (state.bid, state.ask, state.last, state.volume) == spy
    vix_state = market.state("VIX", T0)
    assert vix_state is not None and vix_state.last == vix
    assert market.daily_close("QQQ", date(2026, 11, 17)) == qqq_close
    assert _digest(market) == digest


def test_options_when_original_roots_then_listing_as_before() -> None:
    listed = expirations("SPY", date(2026, 11, 18))
    assert listed[:4] == (
        (date(2026, 11, 18), "weeklys"),
        (date(2026, 11, 20), "standard"),
        (date(2026, 11, 23), "weeklys"),
        (date(2026, 11, 25), "weeklys"),
    )
    assert len(listed) == 36
    near = strikes("SPY", date(2026, 11, 20), date(2026, 11, 18), 580.0)
    assert (near[0], near[-1], len(near)) == (Decimal(464), Decimal(696), 233)


@pytest.mark.parametrize(
    ("occ", "bid", "ask", "theo"),
    [
        ("SPY261218P00680000", 8.82, 9.12, 8.965805),
        ("QQQ261218P00630000", 11.24, 11.61, 11.427556),
        ("IWM261218P00230000", 0.16, 0.2, 0.178083),
        ("DIA261218P00480000", 1.13, 1.19, 1.159574),
    ],
)
def test_option_marks_when_original_roots_then_prices_as_before(
    occ: str, bid: float, ask: float, theo: float
) -> None:
    """Option prices of the original roots (their dividend and volatility multiple moved
    from maps in options.py into the symbols' specs) are unchanged. Re-pinned once when
    the surface lost its seams (issue 13): the term structure now blends smoothly across
    VIX 20 and the smile saturates with tanh instead of a clamp, so the far-OTM IWM put
    moved most; the underlying paths (the digests above) did not change."""
    from tradier.clock import ManualClock
    from tradier.sim.core import SimConfig, SimCore

    core = SimCore(SimConfig(seed=11, follow_calendar=True), ManualClock(T0))
    mark = core.venue.option(occ)
    assert mark is not None
    assert (mark.bid, mark.ask, round(mark.theo, 6)) == (bid, ask, theo)
