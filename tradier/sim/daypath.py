"""The minute layer of the generated market: one ET calendar day at a time."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tradier.calendar import trading_day
from tradier.clock import NEW_YORK, from_datetime
from tradier.sim.symbols import SymbolSpec

DAILY_MARKET_VOL = 0.009
SESSION_MINUTES = 390


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator seeded from (seed, parts); string seeds hash with SHA-512, so stable."""
    return random.Random(f"{seed}|{'|'.join(map(str, parts))}")


@dataclass(slots=True)
class DaySkeleton:
    """What one ET calendar day shares across symbols: its sessions, activity profile,
    regimes and the market factor's minute shocks."""

    day: date
    midnight_ms: int
    minutes: int
    open_minute: int
    close_minute: int
    ext_start: int
    ext_end: int
    vol_per_min: list[float]  # market volatility profile per minute (fraction of base)
    drift: list[float]
    pull: list[float]
    factor: list[float]
    trading: bool


@dataclass(slots=True)
class SymbolDay:
    """One symbol's minute path of one day: log prices, volumes and running extremes."""

    logs: list[float]  # minutes + 1 points
    volumes: list[int]
    cum_volume: list[int]  # volume before minute m
    prevclose: float
    session_high: list[float]  # max log price from the open to minute m
    session_low: list[float]


def _running_extremes(
    path: list[float], open_minute: int, close_minute: int
) -> tuple[list[float], list[float]]:
    """The highest and lowest log price from the open up to each minute."""
    hi = lo = path[min(open_minute, len(path) - 1)]
    high_list, low_list = [], []
    for m, x in enumerate(path):
        if open_minute <= m <= close_minute:
            hi, lo = max(hi, x), min(lo, x)
        high_list.append(hi)
        low_list.append(lo)
    return high_list, low_list


def _u_curve(frac: float) -> float:
    """Intraday activity across the session: high at the open and close, low at midday."""
    return 0.55 + 1.6 * (frac - 0.5) ** 2 * 4 * 0.6 + (0.6 if frac < 0.03 else 0.0)


def build_skeleton(day: date, seed: int, follow_calendar: bool) -> DaySkeleton:
    """The shared part of one ET calendar day: sessions, a U-shaped activity curve, trend
    and range regimes and the market factor (every symbol of the day loads on these)."""
    midnight = datetime.combine(day, time(0), tzinfo=NEW_YORK)
    midnight_ms = from_datetime(midnight)
    next_ms = from_datetime(datetime.combine(day + timedelta(days=1), time(0), tzinfo=NEW_YORK))
    minutes = (next_ms - midnight_ms) // 60_000
    info = trading_day(day)
    trading = info.is_open or not follow_calendar
    if follow_calendar and info.is_open:
        open_minute = 9 * 60 + 30
        close_minute = info.close.hour * 60 + info.close.minute
        ext_start, ext_end = 4 * 60, info.postmarket_end.hour * 60
    else:
        open_minute, close_minute, ext_start, ext_end = 0, minutes, 0, minutes
    profile: list[float] = []
    for m in range(minutes):
        if not trading:
            profile.append(0.0)
        elif open_minute <= m < close_minute:
            frac = (m - open_minute) / max(1, close_minute - open_minute)
            profile.append(_u_curve(frac) if follow_calendar else 1.0)
        elif ext_start <= m < ext_end:
            profile.append(0.25)
        else:
            profile.append(0.0)
    rng = rng_for(seed, "day", day.isoformat())
    # Regimes: segments of 20-90 minutes, each trending (drift) or ranging (pull to mean).
    drift = [0.0] * minutes
    pull = [0.0] * minutes
    m = 0
    while m < minutes:
        length = rng.randint(20, 90)
        trend = rng.random() < 0.45
        d = rng.choice((-1.0, 1.0)) * rng.uniform(0.1, 0.35) if trend else 0.0
        for k in range(m, min(minutes, m + length)):
            drift[k] = d
            pull[k] = 0.0 if trend else 0.08
        m += length
    factor = [rng.gauss(0.0, 1.0) for _ in range(minutes)]
    return DaySkeleton(
        day,
        midnight_ms,
        minutes,
        open_minute,
        close_minute,
        ext_start,
        ext_end,
        profile,
        drift,
        pull,
        factor,
        trading,
    )


def build_symbol_day(
    skel: DaySkeleton,
    seed: int,
    spec: SymbolSpec,
    follow_calendar: bool,
    daily_close: Callable[[str, date], float],
    vix: float,
) -> SymbolDay:
    """One symbol's minutes of the day: a bridge from the previous close to the day's
    close on the shared factor and regimes, plus its own noise and minute volumes.

    Each symbol draws from its own generator, so building one symbol never changes
    another: a day costs what its asked-for symbols cost, whatever the universe holds."""
    day, minutes, profile = skel.day, skel.minutes, skel.vol_per_min
    open_minute, close_minute = skel.open_minute, skel.close_minute
    session_minutes = SESSION_MINUTES if follow_calendar else minutes
    base_sigma = vix / 100 / math.sqrt(252 * session_minutes)
    sym = spec.symbol
    srng = rng_for(seed, "day", day.isoformat(), sym)
    prev = daily_close(sym, day - timedelta(days=1))
    close = daily_close(sym, day) if skel.trading else prev
    start, end = math.log(prev), math.log(close)
    walk = [0.0]
    idio_scale = spec.idio_vol / DAILY_MARKET_VOL
    factor, drift, pull = skel.factor, skel.drift, skel.pull
    for k in range(minutes):
        s = base_sigma * profile[k]
        eps = spec.beta * factor[k] + idio_scale * srng.gauss(0.0, 1.0)
        step = s * (eps + spec.beta * drift[k]) - pull[k] * walk[-1] * (profile[k] > 0)
        walk.append(walk[-1] + step)
    logs = [
        start + walk[k] - (k / minutes) * walk[-1] + (k / minutes) * (end - start)
        for k in range(minutes + 1)
    ]
    vols: list[int] = []
    for k in range(minutes):
        if spec.quote_only or profile[k] == 0.0:
            vols.append(0)
            continue
        share = profile[k] / session_minutes / (1.15 if follow_calendar else 1.0)
        ext = 0.02 if not (open_minute <= k < close_minute) else 1.0
        vols.append(int(spec.daily_volume * share * ext * srng.lognormvariate(0.0, 0.35)))
    running = [0]
    for v in vols:
        running.append(running[-1] + v)
    high, low = _running_extremes(logs, open_minute, close_minute)
    return SymbolDay(logs, vols, running, prev, high, low)
