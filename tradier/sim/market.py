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
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from tradier.calendar import trading_day
from tradier.clock import to_new_york
from tradier.sim.daypath import (
    DAILY_MARKET_VOL,
    SESSION_MINUTES,
    DaySkeleton,
    SymbolDay,
    build_skeleton,
    build_symbol_day,
    rng_for,
)
from tradier.sim.symbols import DEFAULT_SYMBOLS, SPECS, SymbolSpec, SymbolState
from tradier.sim.universe import replay_spec, spec_for, well_formed

ANCHOR = date(2024, 1, 2)
_LEGACY_VOL_SOURCES = ("SPY", "QQQ", "IWM", "DIA")
_MEAN_REVERSION = 0.995


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


_SKELETONS: dict[tuple[object, ...], DaySkeleton] = {}
_SYMBOL_DAYS: dict[tuple[object, ...], SymbolDay] = {}
_DAILY_WALKS: dict[tuple[int, SymbolSpec], list[float]] = {}
_MARKET_FACTORS: dict[int, list[float]] = {}
_IDIO_BLOCKS: dict[tuple[int, str, int], list[float]] = {}
_IDIO_BLOCK = 256  # days of idiosyncratic shocks drawn from one generator


class GeneratedMarket:
    """A deterministic market for every well-formed symbol; `symbols` are the ones streamed
    and listed first, and whether VIX is among them sets where the volatility level comes
    from (as before the market knew other symbols, so seeded markets stay as they were)."""

    def __init__(
        self, seed: int, symbols: tuple[str, ...] = DEFAULT_SYMBOLS, follow_calendar: bool = False
    ) -> None:
        self.seed = seed
        self.symbols = tuple(symbols)
        listed = [s for s in self.symbols if well_formed(s)]
        if "VIX" not in self.symbols and not set(listed) <= set(_LEGACY_VOL_SOURCES):
            # The volatility level comes from VIX. Only a market of the original ETFs (or of
            # made-up test names) without VIX keeps its old stand-in, derived from the first
            # symbol, so its seeded ticks stay as they were; for AAPL it would mean VIX 600.
            self.symbols += ("VIX",)
        self.follow_calendar = follow_calendar
        # A configured symbol always has a market, even a name no exchange would list
        # (the gate's benchmark trades B0000...): it gets a plain stock's facts.
        self.specs: dict[str, SymbolSpec] = {s: spec_for(s) or replay_spec(s) for s in self.symbols}
        # Paths are pure functions of (seed, calendar mode, volatility source, day, symbol):
        # shared by every instance in the process, so many short-lived servers (tests)
        # build each day once, and a symbol's day is built only when someone asks for it.
        self._vix_source = "VIX" if "VIX" in self.symbols else self.symbols[0]
        self._key = (seed, follow_calendar)
        self._minute = lru_cache(maxsize=1024)(self._minute_uncached)

    def spec(self, symbol: str) -> SymbolSpec | None:
        """The facts of a symbol this market can generate, None when it cannot exist."""
        found = self.specs.get(symbol)
        if found is None:
            found = spec_for(symbol)
            if found is None:
                return None
            self.specs[symbol] = found
        return found

    def knows(self, symbol: str) -> bool:
        """True when the symbol has a market here."""
        return self.spec(symbol) is not None

    # ---- daily layer -------------------------------------------------------------------
    def _daily_y(self, symbol: str, n: int) -> float:
        if n <= 0:
            return 0.0
        spec = self.specs[symbol]
        # Shared by every instance: the walk depends only on the seed and the symbol's spec.
        ys = _DAILY_WALKS.setdefault((self.seed, spec), [0.0])
        factors = _MARKET_FACTORS.setdefault(self.seed, [])
        while len(factors) <= n:
            factors.append(rng_for(self.seed, "mkt", len(factors)).gauss(0.0, 1.0))
        phi = 0.9 if spec.quote_only else _MEAN_REVERSION
        # The pinned five seed one generator per day (their ticks must not change); every
        # other symbol draws a block of days from one generator, which makes its first
        # quote about twice as cheap (seeding dominates the walk's cost).
        per_day = spec.symbol in SPECS
        while len(ys) <= n:
            k = len(ys)
            if per_day:
                e = rng_for(self.seed, "idio", spec.symbol, k).gauss(0.0, 1.0)
            else:
                e = self._idio_block(spec.symbol, k // _IDIO_BLOCK)[k % _IDIO_BLOCK]
            innov = spec.beta * factors[k] * DAILY_MARKET_VOL + spec.idio_vol * e
            ys.append(phi * ys[-1] + innov)
        return ys[n]

    def _idio_block(self, symbol: str, block: int) -> list[float]:
        key = (self.seed, symbol, block)
        found = _IDIO_BLOCKS.get(key)
        if found is None:
            if len(_IDIO_BLOCKS) > 20_000:
                _IDIO_BLOCKS.clear()
            rng = rng_for(self.seed, "idio-block", symbol, block)
            found = _IDIO_BLOCKS[key] = [rng.gauss(0.0, 1.0) for _ in range(_IDIO_BLOCK)]
        return found

    def daily_close(self, symbol: str, day: date) -> float:
        """The close of `day` (on a closed day, the last close before it)."""
        if self.follow_calendar:
            while not trading_day(day).is_open and day > ANCHOR - timedelta(days=10):
                day -= timedelta(days=1)
        spec = self.spec(symbol)
        if spec is None:
            raise ValueError(f"symbol: {symbol!r} cannot exist, so it has no closes")
        y = self._daily_y(symbol, (day - ANCHOR).days)
        return spec.base_price * math.exp(y)

    def vix_level(self, day: date) -> float:
        """VIX close of `day`, the volatility level used for every symbol that day."""
        if self._vix_source == "VIX":
            return self.daily_close("VIX", day)
        return 16.0 * math.exp(-4.0 * math.log(self.daily_close(self.symbols[0], day) / 580.0))

    # ---- minute layer ------------------------------------------------------------------
    def _day(self, day: date) -> DaySkeleton:
        key = (*self._key, day)
        cached = _SKELETONS.get(key)
        if cached is not None:
            return cached
        if len(_SKELETONS) > 24:
            _SKELETONS.pop(next(iter(_SKELETONS)))
        skel = build_skeleton(day, self.seed, self.follow_calendar)
        _SKELETONS[key] = skel
        return skel

    def _sym(self, day: date, symbol: str) -> SymbolDay:
        key = (*self._key, self._vix_source, day, symbol)
        cached = _SYMBOL_DAYS.get(key)
        if cached is not None:
            return cached
        if len(_SYMBOL_DAYS) > 256:
            _SYMBOL_DAYS.pop(next(iter(_SYMBOL_DAYS)))
        vix = self.vix_level(day - timedelta(days=1))
        built = build_symbol_day(
            self._day(day),
            self.seed,
            self.specs[symbol],
            self.follow_calendar,
            self.daily_close,
            vix,
        )
        _SYMBOL_DAYS[key] = built
        return built

    # ---- second layer ------------------------------------------------------------------
    def _minute_uncached(self, day: date, m: int, symbol: str) -> _MinuteDetail:
        path = self._day(day)
        sd = self._sym(day, symbol)
        rng = rng_for(self.seed, "min", day.isoformat(), m, symbol)
        a, b = sd.logs[m], sd.logs[m + 1]
        session_minutes = SESSION_MINUTES if self.follow_calendar else path.minutes
        sigma = self.vix_level(day) / 100 / math.sqrt(252 * session_minutes * 60)
        sigma *= max(path.vol_per_min[m], 0.05)
        walk = [0.0]
        for _ in range(60):
            walk.append(walk[-1] + rng.gauss(0.0, sigma))
        mids = [math.exp(a + walk[k] - (k / 60) * walk[-1] + (k / 60) * (b - a)) for k in range(60)]
        volume = sd.volumes[m]
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

    def _spread(self, symbol: str, path: DaySkeleton, m: int) -> float:
        spec = self.specs[symbol]
        ticks = spec.spread_ticks
        if self.follow_calendar and not (path.open_minute <= m < path.close_minute):
            ticks *= 5
        return ticks * 0.01

    def _locate(self, ms: int) -> tuple[DaySkeleton, int, int]:
        local = to_new_york(ms)
        path = self._day(local.date())
        offset = ms - path.midnight_ms
        m = min(path.minutes - 1, offset // 60_000)
        return path, m, (offset // 1000) % 60

    def _last_trade(self, path: DaySkeleton, symbol: str, m: int, sec: int) -> Trade | None:
        volumes = self._sym(path.day, symbol).volumes
        for back in range(0, 8):
            mm = m - back
            if mm < 0:
                return None
            if volumes[mm] == 0:
                continue
            detail = self._minute(path.day, mm, symbol)
            top = sec if back == 0 else 59
            for s in range(top, -1, -1):
                if detail.trades[s]:
                    return detail.trades[s][-1]
        return None

    def state(self, symbol: str, ms: int) -> SymbolState | None:
        """The symbol at `ms`, or None when unknown."""
        spec = self.spec(symbol)
        if spec is None:
            return None
        if spec.proxy is not None:
            return self._index_state(spec, spec.proxy, ms)
        path, m, sec = self._locate(ms)
        sd = self._sym(path.day, symbol)
        detail = self._minute(path.day, m, symbol)
        mid = detail.mids[sec]
        bid, ask = book_at(mid, self._spread(symbol, path, m))
        trade = self._last_trade(path, symbol, m, sec)
        volume = sd.cum_volume[m] + detail.cum_volume[sec]
        prev = sd.prevclose
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
            day_open = cents(math.exp(sd.logs[path.open_minute]))
            upto = min(m, path.close_minute)
            hi = sd.session_high[upto]
            lo = sd.session_low[upto]
            if m < path.close_minute:
                cur = detail.mids[: sec + 1]
                high = cents(max(math.exp(hi), max(cur)))
                low = cents(min(math.exp(lo), min(cur)))
            else:
                high, low = cents(math.exp(hi)), cents(math.exp(lo))
            # The range above is of mids, but prints go off at the bid or ask: the day's
            # high and low must still cover the last print of the session.
            if trade is not None and trade.ms >= path.midnight_ms + path.open_minute * 60_000:
                high, low = max(high, last), min(low, last)
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

    def _index_state(self, spec: SymbolSpec, proxy: str, ms: int) -> SymbolState | None:
        """A cash index computed from its ETF: the ETF's book and day scaled, no prints."""
        base = self.state(proxy, ms)
        if base is None:
            return None
        k = spec.proxy_ratio

        def scaled(x: float | None) -> float | None:
            return None if x is None else cents(x * k)

        mid = cents(base.mid * k)
        return SymbolState(
            symbol=spec.symbol,
            ms=ms,
            bid=mid,
            ask=mid,
            bidsz=0,
            asksz=0,
            last=mid,
            last_size=0,
            last_ms=ms - ms % 1000,
            volume=0,
            open=scaled(base.open),
            high=None if base.high is None else max(cents(base.high * k), mid),
            low=None if base.low is None else min(cents(base.low * k), mid),
            prevclose=cents(base.prevclose * k),
            bidexch=spec.exch,
            askexch=spec.exch,
        )

    def trades_between(self, symbol: str, t0_ms: int, t1_ms: int) -> list[Trade]:
        """Prints with t0 <= second < t1 (by the second they fall in), in order."""
        out: list[Trade] = []
        spec = self.spec(symbol)
        if spec is None or spec.quote_only:
            return out
        second = t0_ms - t0_ms % 1000
        while second < t1_ms:
            path, m, sec = self._locate(second)
            if self._sym(path.day, symbol).volumes[m]:
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
        spec = self.spec(symbol)
        if spec is None:
            return []
        if spec.proxy is not None:
            k = spec.proxy_ratio
            return [
                (t, cents(o * k), cents(h * k), cents(lo * k), cents(c * k), 0)
                for t, o, h, lo, c, _ in self.minute_bars(spec.proxy, day)
            ]
        path = self._day(day)
        sd = self._sym(day, symbol)
        bars = []
        for m in range(path.minutes):
            vol = sd.volumes[m]
            if vol == 0 and not spec.quote_only:
                continue
            if spec.quote_only and not (path.open_minute <= m < path.close_minute):
                continue
            o = math.exp(sd.logs[m])
            c = math.exp(sd.logs[m + 1])
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
        spec = self.spec(symbol)
        if spec is None:
            return None
        if spec.proxy is not None:
            bar = self.daily_bar(spec.proxy, day)
            if bar is None:
                return None
            k = spec.proxy_ratio
            o, h, lo, c, _ = bar
            return (cents(o * k), cents(h * k), cents(lo * k), cents(c * k), 0)
        close = self.daily_close(symbol, day)
        prev = self.daily_close(symbol, day - timedelta(days=1))
        rng = rng_for(self.seed, "bar", symbol, day.isoformat())
        day_open = prev * math.exp(rng.gauss(0.0, 0.002))
        span = abs(close - day_open) + close * abs(rng.gauss(0.0, 0.004))
        high = max(day_open, close) + span * rng.uniform(0.1, 0.5)
        low = min(day_open, close) - span * rng.uniform(0.1, 0.5)
        volume = 0 if spec.quote_only else int(spec.daily_volume * rng.lognormvariate(0.0, 0.2))
        return (cents(day_open), cents(high), cents(low), cents(close), volume)
