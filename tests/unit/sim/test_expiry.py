"""Expiry as it happens: a half day's series stop at the 13:00 close and settle on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.occ import OptionType, build_occ, parse_occ
from tradier.sim.core import SimConfig, SimCore
from tradier.sim.option_roots import settlement_ms

HALF_DAY = date(2026, 11, 27)  # the Friday after Thanksgiving closes at 13:00


def at(h: int, m: int, day: date = HALF_DAY) -> int:
    return from_datetime(datetime(day.year, day.month, day.day, h, m, tzinfo=NEW_YORK))


def test_settlement_when_half_day_expiry_then_fixed_at_the_1300_close() -> None:
    assert settlement_ms("SPY", HALF_DAY) == at(13, 0)
    assert settlement_ms("SPY", date(2026, 11, 25)) == at(16, 0, date(2026, 11, 25))


def test_option_mark_when_after_half_day_close_then_intrinsic_on_the_1300_price() -> None:
    core = SimCore(SimConfig(seed=3, follow_calendar=True), ManualClock(at(12, 30)))
    venue = core.venue
    spot_at_close = venue.state("SPY", at(13, 0))
    assert spot_at_close is not None
    strike = Decimal(round(spot_at_close.mid))
    call = parse_occ(build_occ("SPY", HALF_DAY, OptionType.CALL, strike))
    before = venue.option_mark(call, at(12, 30))
    assert before.ask - before.bid > 0 and before.greeks.theta < 0  # still time value
    for later in (at(13, 0), at(13, 30), at(15, 59)):
        settled = venue.option_mark(call, later)
        intrinsic = max(0.0, spot_at_close.mid - float(strike))
        assert settled.theo == round(intrinsic, 2)
        assert settled.bid == settled.ask == settled.theo
        assert settled.greeks.gamma == 0.0
