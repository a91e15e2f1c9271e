"""Seeded, deterministic generated markets: every tick is a function of (seed, time).

Three layers, each seeded from (seed, its own coordinates) so any instant can be computed
without replaying the past:
- daily closes: a mean-reverting log walk per symbol around its base level, driven by a
  common market factor (VIX loads negatively on it);
- minutes of one ET calendar day: a bridge from the previous close to the day's close with
  trend and range regimes, a U-shaped volatility and volume curve over the session;
- seconds of one minute: a bridge between the two minute points, with trades and sizes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from tradier.clock import NEW_YORK, from_datetime, to_new_york
from tradier.sim.calendar import trading_day
from tradier.sim.symbols import DEFAULT_SYMBOLS, SymbolSpec, SymbolState, spec_for

ANCHOR = date(2024, 1, 2)
_DAILY_MARKET_VOL = 0.009
_MEAN_REVERSION = 0.995
_SESSION_MINUTES = 390


def _rng(seed: int, *parts: object) -> random.Random:
    # Seeding with a string hashes it with SHA-512: stable across processes and versions.
    return random.Random(f"{seed}|{'|'.join(map(str, parts))}")


def cents(x: float) -> float:
    """Round to a cent, as a float for the wire."""
    return round(x + 1e-9, 2)


def book_at(mid: float, spread: float) -> tuple[float, float]:
    """Bid and ask in cents around a mid: the bid rounds down, the ask is bid + spread."""
    bid = math.floor((mid - spread / 2) * 100 + 1e-6) / 100
    return bid, cents(bid + spread)


@dataclass(frozen=True, slots=True)
class Trade:
    """One print: when (ms), price, size."""

    ms: int
    price: float
    size: int


@dataclass(slots=True)
class _MinuteDetail:
    mids: list[float]  # 60 per-second mids
    trades: list[list[Trade]]  # per second
    bidsz: list[int]
    asksz: list[int]
    high: float
    low: float
    cum_volume: list[int]  # volume traded up to and including each second


@dataclass(slots=True)
class _DayPath:
    day: date
    midnight_ms: int
    minutes: int
    open_minute: int
    close_minute: int
    logs: dict[str, list[float]]  # minutes + 1 points per symbol
    volumes: dict[str, list[int]]
    cum_volume: dict[str, list[int]]  # volume before minute m
    vol_per_min: list[float]  # market volatility profile per minute (fraction of base)
    prevclose: dict[str, float]
    trading: bool
    session_high: dict[str, list[float]]  # max log price from the open to minute m
    session_low: dict[str, list[float]]


_DAY_PATHS: dict[tuple[object, ...], _DayPath] = {}
_DAILY_WALKS: dict[tuple[int, SymbolSpec], list[float]] = {}
_MARKET_FACTORS: dict[int, list[float]] = {}


def _running_extremes(
    logs: dict[str, list[float]], open_minute: int, close_minute: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per symbol, the highest and lowest log price from the open up to each minute."""
    highs: dict[str, list[float]] = {}
    lows: dict[str, list[float]] = {}
    for sym, path in logs.items():
        hi = lo = path[min(open_minute, len(path) - 1)]
        high_list, low_list = [], []
        for m, x in enumerate(path):
            if open_minute <= m <= close_minute:
                hi, lo = max(hi, x), min(lo, x)
            high_list.append(hi)
            low_list.append(lo)
        highs[sym], lows[sym] = high_list, low_list
    return highs, lows


def _u_curve(frac: float) -> float:
    """Intraday activity across the session: high at the open and close, low at midday."""
    return 0.55 + 1.6 * (frac - 0.5) ** 2 * 4 * 0.6 + (0.6 if frac < 0.03 else 0.0)


class GeneratedMarket:
    """A deterministic market for a fixed set of symbols."""

    def __init__(
        self, seed: int, symbols: tuple[str, ...] = DEFAULT_SYMBOLS, follow_calendar: bool = False
    ) -> None:
        self.seed = seed
        self.symbols = tuple(symbols)
        self.follow_calendar = follow_calendar
        self.specs: dict[str, SymbolSpec] = {s: spec_for(s) for s in self.symbols}
        # Paths are pure functions of (seed, calendar mode, symbols, day): shared by every
        # instance in the process, so many short-lived servers (tests) build each day once.
        self._key = (seed, follow_calendar, self.symbols)
        self._minute = lru_cache(maxsize=1024)(self._minute_uncached)

    # ---- daily layer -------------------------------------------------------------------
    def _daily_y(self, symbol: str, n: int) -> float:
        if n <= 0:
            return 0.0
        spec = self.specs[symbol]
        # Shared by every instance: the walk depends only on the seed and the symbol's spec.
        ys = _DAILY_WALKS.setdefault((self.seed, spec), [0.0])
        factors = _MARKET_FACTORS.setdefault(self.seed, [])
        while len(factors) <= n:
            factors.append(_rng(self.seed, "mkt", len(factors)).gauss(0.0, 1.0))
        phi = 0.9 if spec.quote_only else _MEAN_REVERSION
        while len(ys) <= n:
            k = len(ys)
            e = _rng(self.seed, "idio", spec.symbol, k).gauss(0.0, 1.0)
            innov = spec.beta * factors[k] * _DAILY_MARKET_VOL + spec.idio_vol * e
            ys.append(phi * ys[-1] + innov)
        return ys[n]

    def daily_close(self, symbol: str, day: date) -> float:
        """The close of `day` (on a closed day, the last close before it)."""
        if self.follow_calendar:
            while not trading_day(day).is_open and day > ANCHOR - timedelta(days=10):
                day -= timedelta(days=1)
        spec = self.specs[symbol]
        y = self._daily_y(symbol, (day - ANCHOR).days)
        return spec.base_price * math.exp(y)

    def vix_level(self, day: date) -> float:
        """VIX close of `day`, the volatility level used for every symbol that day."""
        if "VIX" in self.specs:
            return self.daily_close("VIX", day)
        return 16.0 * math.exp(-4.0 * math.log(self.daily_close(self.symbols[0], day) / 580.0))

    # ---- minute layer ------------------------------------------------------------------
    def _day(self, day: date) -> _DayPath:
        key = (*self._key, day)
        cached = _DAY_PATHS.get(key)
        if cached is not None:
            return cached
        if len(_DAY_PATHS) > 24:
            _DAY_PATHS.pop(next(iter(_DAY_PATHS)))
        path = self._build_day(day)
        _DAY_PATHS[key] = path
        return path

    def _build_day(self, day: date) -> _DayPath:
        midnight = datetime.combine(day, time(0), tzinfo=NEW_YORK)
        midnight_ms = from_datetime(midnight)
        next_ms = from_datetime(datetime.combine(day + timedelta(days=1), time(0), tzinfo=NEW_YORK))
        minutes = (next_ms - midnight_ms) // 60_000
        info = trading_day(day)
        trading = info.is_open or not self.follow_calendar
        if self.follow_calendar and info.is_open:
            open_minute = 9 * 60 + 30
            close_minute = info.close.hour * 60 + info.close.minute
            ext_start, ext_end = 4 * 60, info.postmarket_end.hour * 60
        else:
            open_minute, close_minute, ext_start, ext_end = 0, minutes, 0, minutes
        vix = self.vix_level(day - timedelta(days=1))
        session_minutes = _SESSION_MINUTES if self.follow_calendar else minutes
        base_sigma = vix / 100 / math.sqrt(252 * session_minutes)
        profile: list[float] = []
        for m in range(minutes):
            if not trading:
                profile.append(0.0)
            elif open_minute <= m < close_minute:
                frac = (m - open_minute) / max(1, close_minute - open_minute)
                profile.append(_u_curve(frac) if self.follow_calendar else 1.0)
            elif ext_start <= m < ext_end:
                profile.append(0.25)
            else:
                profile.append(0.0)
        rng = _rng(self.seed, "day", day.isoformat())
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
        logs: dict[str, list[float]] = {}
        volumes: dict[str, list[int]] = {}
        cum: dict[str, list[int]] = {}
        prevclose: dict[str, float] = {}
        for sym in self.symbols:
            spec = self.specs[sym]
            srng = _rng(self.seed, "day", day.isoformat(), sym)
            prev = self.daily_close(sym, day - timedelta(days=1))
            close = self.daily_close(sym, day) if trading else prev
            prevclose[sym] = prev
            start, end = math.log(prev), math.log(close)
            walk = [0.0]
            idio_scale = spec.idio_vol / _DAILY_MARKET_VOL
            for k in range(minutes):
                s = base_sigma * profile[k]
                eps = spec.beta * factor[k] + idio_scale * srng.gauss(0.0, 1.0)
                step = s * (eps + spec.beta * drift[k]) - pull[k] * walk[-1] * (profile[k] > 0)
                walk.append(walk[-1] + step)
            logs[sym] = [
                start + walk[k] - (k / minutes) * walk[-1] + (k / minutes) * (end - start)
                for k in range(minutes + 1)
            ]
            vols: list[int] = []
            for k in range(minutes):
                if spec.quote_only or profile[k] == 0.0:
                    vols.append(0)
                    continue
                share = profile[k] / session_minutes / (1.15 if self.follow_calendar else 1.0)
                ext = 0.02 if not (open_minute <= k < close_minute) else 1.0
                vols.append(int(spec.daily_volume * share * ext * srng.lognormvariate(0.0, 0.35)))
            running = [0]
            for v in vols:
                running.append(running[-1] + v)
            volumes[sym] = vols
            cum[sym] = running
        return _DayPath(
            day,
            midnight_ms,
            minutes,
            open_minute,
            close_minute,
            logs,
            volumes,
            cum,
            profile,
            prevclose,
            trading,
            *_running_extremes(logs, open_minute, close_minute),
        )

    # ---- second layer ------------------------------------------------------------------
    def _minute_uncached(self, day: date, m: int, symbol: str) -> _MinuteDetail:
        path = self._day(day)
        rng = _rng(self.seed, "min", day.isoformat(), m, symbol)
        a, b = path.logs[symbol][m], path.logs[symbol][m + 1]
        session_minutes = _SESSION_MINUTES if self.follow_calendar else path.minutes
        sigma = self.vix_level(day) / 100 / math.sqrt(252 * session_minutes * 60)
        sigma *= max(path.vol_per_min[m], 0.05)
        walk = [0.0]
        for _ in range(60):
            walk.append(walk[-1] + rng.gauss(0.0, sigma))
        mids = [math.exp(a + walk[k] - (k / 60) * walk[-1] + (k / 60) * (b - a)) for k in range(60)]
        volume = path.volumes[symbol][m]
        trades: list[list[Trade]] = [[] for _ in range(60)]
        if volume > 0:
            spread = self._spread(symbol, path, m)
            n_trades = max(1, min(60, volume // 2_000 + 1))
            seconds = sorted(rng.sample(range(60), n_trades))
            weights = [rng.random() + 0.05 for _ in seconds]
            total = sum(weights)
            base_ms = path.midnight_ms + m * 60_000
            for sec, w in zip(seconds, weights, strict=True):
                size = max(1, int(volume * w / total))
                bid, ask = book_at(mids[sec], spread)
                price = ask if rng.random() < 0.5 else bid  # a buyer lifts, a seller hits
                trades[sec].append(Trade(base_ms + sec * 1000 + rng.randint(0, 999), price, size))
            placed = sum(t.size for per in trades for t in per)
            if placed != volume:  # keep the minute's volume exact for cumulative volume
                last = next(per for per in reversed(trades) if per)
                t = last[-1]
                last[-1] = Trade(t.ms, t.price, max(1, t.size + volume - placed))
        bidsz = [rng.randint(1, 40) for _ in range(60)]
        asksz = [rng.randint(1, 40) for _ in range(60)]
        running = 0
        cum_volume = []
        for per_second in trades:
            running += sum(t.size for t in per_second)
            cum_volume.append(running)
        return _MinuteDetail(mids, trades, bidsz, asksz, max(mids), min(mids), cum_volume)

    def _spread(self, symbol: str, path: _DayPath, m: int) -> float:
        spec = self.specs[symbol]
        ticks = spec.spread_ticks
        if self.follow_calendar and not (path.open_minute <= m < path.close_minute):
            ticks *= 5
        return ticks * 0.01

    def _locate(self, ms: int) -> tuple[_DayPath, int, int]:
        local = to_new_york(ms)
        path = self._day(local.date())
        offset = ms - path.midnight_ms
        m = min(path.minutes - 1, offset // 60_000)
        return path, m, (offset // 1000) % 60

    def _last_trade(self, path: _DayPath, symbol: str, m: int, sec: int) -> Trade | None:
        for back in range(0, 8):
            mm = m - back
            if mm < 0:
                return None
            if path.volumes[symbol][mm] == 0:
                continue
            detail = self._minute(path.day, mm, symbol)
            top = sec if back == 0 else 59
            for s in range(top, -1, -1):
                if detail.trades[s]:
                    return detail.trades[s][-1]
        return None

    def state(self, symbol: str, ms: int) -> SymbolState | None:
        """The symbol at `ms`, or None when unknown."""
        if symbol not in self.specs:
            return None
        spec = self.specs[symbol]
        path, m, sec = self._locate(ms)
        detail = self._minute(path.day, m, symbol)
        mid = detail.mids[sec]
        bid, ask = book_at(mid, self._spread(symbol, path, m))
        trade = self._last_trade(path, symbol, m, sec)
        volume = path.cum_volume[symbol][m] + detail.cum_volume[sec]
        prev = path.prevclose[symbol]
        if spec.quote_only:
            last, last_size, last_ms = cents(mid), 0, ms - ms % 1000
        elif trade is not None:
            last, last_size, last_ms = cents(trade.price), trade.size, trade.ms
        else:
            last, last_size, last_ms = cents(prev), 0, path.midnight_ms
        day_open: float | None = None
        high: float | None = None
        low: float | None = None
        if path.trading and m >= path.open_minute:
            day_open = cents(math.exp(path.logs[symbol][path.open_minute]))
            upto = min(m, path.close_minute)
            hi = path.session_high[symbol][upto]
            lo = path.session_low[symbol][upto]
            if m < path.close_minute:
                cur = detail.mids[: sec + 1]
                high = cents(max(math.exp(hi), max(cur)))
                low = cents(min(math.exp(lo), min(cur)))
            else:
                high, low = cents(math.exp(hi)), cents(math.exp(lo))
        return SymbolState(
            symbol=symbol,
            ms=ms,
            bid=bid,
            ask=ask,
            bidsz=detail.bidsz[sec],
            asksz=detail.asksz[sec],
            last=last,
            last_size=last_size,
            last_ms=last_ms,
            volume=volume,
            open=day_open,
            high=high,
            low=low,
            prevclose=cents(prev),
            bidexch=spec.exch,
            askexch=spec.exch,
        )

    def trades_between(self, symbol: str, t0_ms: int, t1_ms: int) -> list[Trade]:
        """Prints with t0 <= second < t1 (by the second they fall in), in order."""
        out: list[Trade] = []
        if self.specs[symbol].quote_only:
            return out
        second = t0_ms - t0_ms % 1000
        while second < t1_ms:
            path, m, sec = self._locate(second)
            if path.volumes[symbol][m]:
                out.extend(self._minute(path.day, m, symbol).trades[sec])
                second += 1000
            else:
                second = path.midnight_ms + (m + 1) * 60_000
        return out

    def trade_seq(self, symbol: str, trade: Trade) -> int:
        """A unique, increasing sequence number for a print (its index in the day)."""
        path, m, sec = self._locate(trade.ms)
        detail = self._minute(path.day, m, symbol)
        before = sum(len(t) for t in detail.trades[:sec]) + detail.trades[sec].index(trade)
        day_number = (path.day - ANCHOR).days
        return day_number * 10_000_000 + m * 100 + before

    def minute_bars(
        self, symbol: str, day: date
    ) -> list[tuple[int, float, float, float, float, int]]:
        """(start ms, open, high, low, close, volume) for every traded minute of `day`."""
        path = self._day(day)
        bars = []
        for m in range(path.minutes):
            vol = path.volumes[symbol][m]
            if vol == 0 and not self.specs[symbol].quote_only:
                continue
            if self.specs[symbol].quote_only and not (path.open_minute <= m < path.close_minute):
                continue
            o = math.exp(path.logs[symbol][m])
            c = math.exp(path.logs[symbol][m + 1])
            wig = abs(c - o) * 0.3 + o * 0.0002
            bars.append(
                (
                    path.midnight_ms + m * 60_000,
                    cents(o),
                    cents(max(o, c) + wig),
                    cents(min(o, c) - wig),
                    cents(c),
                    vol,
                )
            )
        return bars

    def daily_bar(self, symbol: str, day: date) -> tuple[float, float, float, float, int] | None:
        """(open, high, low, close, volume) of a traded day, cheap: from the daily layer only."""
        if self.follow_calendar and not trading_day(day).is_open:
            return None
        spec = self.specs[symbol]
        close = self.daily_close(symbol, day)
        prev = self.daily_close(symbol, day - timedelta(days=1))
        rng = _rng(self.seed, "bar", symbol, day.isoformat())
        day_open = prev * math.exp(rng.gauss(0.0, 0.002))
        span = abs(close - day_open) + close * abs(rng.gauss(0.0, 0.004))
        high = max(day_open, close) + span * rng.uniform(0.1, 0.5)
        low = min(day_open, close) - span * rng.uniform(0.1, 0.5)
        volume = 0 if spec.quote_only else int(spec.daily_volume * rng.lognormvariate(0.0, 0.2))
        return (cents(day_open), cents(high), cents(low), cents(close), volume)
