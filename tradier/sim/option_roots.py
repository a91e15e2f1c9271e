"""Option roots: which series an underlying lists, when they expire, how they settle and
how far apart their strikes are.

Equity and ETF options are American, expire at the 16:00 ET close and list under the
underlying's own root (`BRKB` for `BRK/B`). Index options are European and cash-settled:
SPX, NDX and RUT monthlies are AM-settled (third Friday, last traded the day before, settled
at the opening value), SPXW, NDXP, RUTW and XSP are PM-settled at the close, VIX monthlies
expire on the Wednesday 30 days before the next month's third Friday, AM-settled.
Facts and sources: docs/market-data.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from tradier.calendar import trading_day
from tradier.clock import NEW_YORK, from_datetime
from tradier.occ import occ_root, underlying_of
from tradier.sim.universe import spec_for

WEEKLY_DAYS = 63  # weeklies and dailies listed this far out
FRIDAY_WEEKLY_DAYS = 42  # single-stock Friday weeklies: about six weeks
MONTHLY_DAYS = 400
_PINNED_ETFS = ("SPY", "QQQ", "IWM", "DIA")  # Mon/Wed/Fri weeklies, $1/$5 strikes (pinned)


class Settlement(StrEnum):
    """When the settlement value is fixed."""

    AM = "am"  # the opening value of expiration day; last trade the day before
    PM = "pm"  # the 16:00 ET close of expiration day


class Cycle(StrEnum):
    """Which dates a root lists."""

    MWF = "mwf"  # monthlies plus Mon/Wed/Fri weeklies
    FRIDAYS = "fridays"  # monthlies plus Friday weeklies
    MONTHLY = "monthly"  # third Fridays only
    DAILIES = "dailies"  # every trading day near, third Fridays further out (all PM)
    VIX = "vix"  # Wednesdays 30 days before the next month's third Friday
    VIX_WEEKLY = "vix_weekly"  # the other Wednesdays


@dataclass(frozen=True, slots=True)
class OptionRoot:
    """One root's listing rules."""

    root: str
    underlying: str
    cycle: Cycle
    settlement: Settlement
    european: bool  # index options: no early exercise, cash settled
    steps: tuple[Decimal, Decimal] | None  # near/far strike spacing; None: by price
    widths: tuple[float, float]  # strikes listed within +-width of the reference
    dividend: float
    vol_mult: float  # at-the-money implied volatility as a multiple of VIX


def _index(
    root: str, underlying: str, cycle: Cycle, settlement: Settlement, steps: tuple[int, int]
) -> OptionRoot:
    spec = spec_for(underlying)
    assert spec is not None
    return OptionRoot(
        root,
        underlying,
        cycle,
        settlement,
        True,
        (Decimal(steps[0]), Decimal(steps[1])),
        (0.2, 0.35),
        spec.dividend,
        spec.option_vol,
    )


_INDEX_ROOTS: dict[str, OptionRoot] = {
    r.root: r
    for r in (
        _index("SPX", "SPX", Cycle.MONTHLY, Settlement.AM, (5, 25)),
        _index("SPXW", "SPX", Cycle.DAILIES, Settlement.PM, (5, 25)),
        _index("NDX", "NDX", Cycle.MONTHLY, Settlement.AM, (10, 50)),
        _index("NDXP", "NDX", Cycle.DAILIES, Settlement.PM, (10, 50)),
        _index("RUT", "RUT", Cycle.MONTHLY, Settlement.AM, (5, 25)),
        _index("RUTW", "RUT", Cycle.MWF, Settlement.PM, (5, 25)),
        _index("XSP", "XSP", Cycle.DAILIES, Settlement.PM, (1, 5)),
        # VIX options are priced off VIX futures in reality and run near 90 % implied
        # volatility; the simulator prices them off the spot index with that level.
        OptionRoot(
            "VIX",
            "VIX",
            Cycle.VIX,
            Settlement.AM,
            True,
            (Decimal(1), Decimal(1)),
            (0.5, 0.8),
            0.0,
            5.5,
        ),
        OptionRoot(
            "VIXW",
            "VIX",
            Cycle.VIX_WEEKLY,
            Settlement.AM,
            True,
            (Decimal(1), Decimal(1)),
            (0.5, 0.8),
            0.0,
            5.5,
        ),
    )
}
_ROOTS_OF: dict[str, tuple[str, ...]] = {
    "SPX": ("SPX", "SPXW"),
    "NDX": ("NDX", "NDXP"),
    "RUT": ("RUT", "RUTW"),
    "XSP": ("XSP",),
    "VIX": ("VIX", "VIXW"),
}


@lru_cache(maxsize=4096)
def root_info(root: str) -> OptionRoot | None:
    """The listing rules of an option root, None when no such root is listed."""
    found = _INDEX_ROOTS.get(root)
    if found is not None:
        return found
    underlying = underlying_of(root)
    spec = spec_for(underlying)
    if spec is None or spec.quote_only or occ_root(underlying) != root:
        return None
    pinned = underlying in _PINNED_ETFS
    cycle = Cycle.MWF if pinned else Cycle.FRIDAYS if spec.has_weeklies else Cycle.MONTHLY
    return OptionRoot(
        root,
        underlying,
        cycle,
        Settlement.PM,
        False,
        (Decimal(1), Decimal(5)) if pinned else None,
        (0.2, 0.35) if pinned or spec.base_price >= 10 else (0.5, 0.7),
        spec.dividend,
        spec.option_vol,
    )


def roots_of(underlying: str, include_all: bool = True) -> tuple[str, ...]:
    """The roots listing options on an underlying; the first is its standard root."""
    roots = _ROOTS_OF.get(underlying)
    if roots is None:
        root = occ_root(underlying)
        return (root,) if root_info(root) is not None else ()
    return roots if include_all else roots[:1]


def third_friday(year: int, month: int) -> date:
    """The third Friday of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def on_trading_day(day: date) -> date:
    """An expiration on an exchange holiday moves to the trading day before (Good Friday)."""
    while not trading_day(day).is_open:
        day -= timedelta(days=1)
    return day


def _months(today: date, count: int) -> list[tuple[int, int]]:
    out, year, month = [], today.year, today.month
    for _ in range(count):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _vix_expiration(year: int, month: int) -> date:
    # The Wednesday 30 days before the third Friday of the following month (that Friday's
    # holiday moves it to the business day before, and so the 30 days).
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return on_trading_day(on_trading_day(third_friday(*nxt)) - timedelta(days=30))


def _standard(today: date) -> list[date]:
    return [on_trading_day(third_friday(y, m)) for y, m in _months(today, 15)]


@lru_cache(maxsize=256)
def expirations(root: str, today: date) -> tuple[tuple[date, str], ...]:
    """(date, expiration_type) listed on `today` for one root."""
    info = root_info(root)
    if info is None:
        return ()
    horizon = today + timedelta(days=MONTHLY_DAYS)
    # AM-settled series stop trading the day before: on expiration day they are gone.
    first = today + timedelta(days=1) if info.settlement is Settlement.AM else today
    out: dict[date, str] = {}
    if info.cycle is Cycle.VIX:
        for y, m in _months(today, 14):
            d = _vix_expiration(y, m)
            if first <= d <= horizon:
                out[d] = "standard"
        return tuple(sorted(out.items()))
    if info.cycle is Cycle.VIX_WEEKLY:
        monthly = {_vix_expiration(y, m) for y, m in _months(today, 3)}
        for offset in range(1, FRIDAY_WEEKLY_DAYS + 1):
            d = today + timedelta(days=offset)
            if d.weekday() == 2 and trading_day(d).is_open and d not in monthly:
                out[d] = "weeklys"
        return tuple(sorted(out.items()))
    monthly_type = "weeklys" if info.cycle is Cycle.DAILIES else "standard"
    for d in _standard(today):
        if first <= d <= horizon:
            out[d] = monthly_type
    weekdays = {Cycle.MWF: (0, 2, 4), Cycle.FRIDAYS: (4,), Cycle.DAILIES: (0, 1, 2, 3, 4)}
    days = weekdays.get(info.cycle, ())
    reach = FRIDAY_WEEKLY_DAYS if info.cycle is Cycle.FRIDAYS else WEEKLY_DAYS
    for offset in range(reach + 1):
        d = today + timedelta(days=offset)
        if d.weekday() in days and trading_day(d).is_open and d not in out:
            out[d] = "weeklys"
    return tuple(sorted(out.items()))


def _price_steps(reference: float) -> tuple[Decimal, Decimal]:
    # Roughly the listed increments: halves under $25, dollars under $100, wider above.
    for below, near, far in (
        (25.0, "0.5", "1"),
        (100.0, "1", "2.5"),
        (250.0, "2.5", "5"),
        (500.0, "5", "10"),
        (1000.0, "10", "20"),
    ):
        if reference < below:
            return Decimal(near), Decimal(far)
    return Decimal(25), Decimal(50)


def strike_spacing(root: str, expiration: date, today: date, reference: float) -> Decimal:
    """Strike spacing: the near step within 60 days, the far step beyond."""
    info = root_info(root)
    steps = (info.steps if info else None) or _price_steps(reference)
    return steps[0] if (expiration - today).days <= 60 else steps[1]


@lru_cache(maxsize=1024)
def strikes(root: str, expiration: date, today: date, reference: float) -> tuple[Decimal, ...]:
    """Strikes listed for one expiration, around the day's reference price (stable all day)."""
    info = root_info(root)
    widths = info.widths if info else (0.2, 0.35)
    step = strike_spacing(root, expiration, today, reference)
    width = widths[0] if (expiration - today).days <= 60 else widths[1]
    low = max(int(reference * (1 - width) / float(step)) * step, step)
    high = int(reference * (1 + width) / float(step)) * step
    count = int((high - low) / step) + 1
    return tuple(low + step * i for i in range(count))


def last_trade_ms(root: str, expiration: date) -> int:
    """When a series stops trading: 16:00 ET on expiration day, or the trading day before
    for AM-settled series."""
    info = root_info(root)
    day = expiration
    if info is not None and info.settlement is Settlement.AM:
        day = on_trading_day(expiration - timedelta(days=1))
    return from_datetime(datetime.combine(day, time(16, 0), tzinfo=NEW_YORK))


def settlement_ms(root: str, expiration: date) -> int:
    """When the settlement value is fixed: 09:30 ET (AM) or the close (PM) of expiration
    day, 13:00 on a half day: trading in an expiring series stops at the session's close,
    and it settles on that close, not on the after-hours price at 16:00."""
    info = root_info(root)
    if info is not None and info.settlement is Settlement.AM:
        at = time(9, 30)
    else:
        at = trading_day(expiration).close
    return from_datetime(datetime.combine(expiration, at, tzinfo=NEW_YORK))
