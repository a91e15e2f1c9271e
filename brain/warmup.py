"""Warming indicators up from history before the stream starts (never on reconnects).

One-minute bars of the previous trading sessions come from Tradier's time and sales;
each becomes a `Bar` (tagged with its session by the pipeline's calendar) and goes
through `SymbolState.apply_bar`, so indicators and the regime are ready at the open.
Strategies do not run on history: warm-up makes no signals. The VIX level and the
at-the-money IV (for the IV rank) are polled by `MarketPoller`, a supervised task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from brain.bars import Bar
from brain.legs import pick_expiration
from brain.pipeline import Pipeline
from brain.timing import Pace
from tradier.clock import NEW_YORK, Clock, to_new_york
from tradier.money import to_decimal
from tradier.occ import OptionType, build_occ, occ_root

log = logging.getLogger(__name__)
MINUTE_MS = 60_000


class HistorySource(Protocol):
    """Intraday bars (the Tradier client satisfies it)."""

    async def timesales(
        self,
        symbol: str,
        interval: str = "1min",
        start: Any = None,
        end: Any = None,
        session_filter: str = "all",
    ) -> list[Any]:
        """One-minute bars between `start` and `end` (New York time)."""
        ...


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def bars_from_timesales(
    pipeline: Pipeline, symbol: str, rows: Sequence[Any], before_ms: int
) -> list[Bar]:
    """Bars from time-and-sales rows, in time order, ending before `before_ms`."""
    out: list[Bar] = []
    last = -1
    calendar = pipeline.calendar
    for row in sorted(rows, key=lambda r: r.time_ms):
        start = row.time_ms - row.time_ms % MINUTE_MS
        o, h, lo, c = _float(row.open), _float(row.high), _float(row.low), _float(row.close)
        volume = int(row.volume or 0)
        if start <= last or start + MINUTE_MS > before_ms or None in (o, h, lo, c) or volume <= 0:
            continue
        assert o is not None and h is not None and lo is not None and c is not None
        hours = calendar.hours(start)
        vwap = _float(row.vwap) or c
        out.append(
            Bar(
                symbol,
                start,
                o,
                h,
                lo,
                c,
                volume,
                1,
                vwap,
                calendar.session_of(start),
                0,
                hours.ny_day,
                (start - hours.day_start_ms) // MINUTE_MS,
                vwap * volume,
            )
        )
        last = start
    return out


async def warm_up(
    pipeline: Pipeline, history: HistorySource, clock: Clock, sessions_back: int = 3
) -> dict[str, int]:
    """Apply the bars of today so far and of the previous `sessions_back` weekdays;
    returns the number of bars per symbol. Three sessions: the regime's time-of-day
    baseline learns on the first and its percentiles have history from the others, so
    the open is classified on the first bar rather than half an hour later."""
    now = clock.now_ms()
    today = to_new_york(now).date()
    first = today - timedelta(days=1)
    back = sessions_back
    while back > 0:
        if first.weekday() < 5:
            back -= 1
        if back > 0:
            first -= timedelta(days=1)
    while first.weekday() >= 5:
        first -= timedelta(days=1)
    start = datetime.combine(first, time(9, 30), tzinfo=NEW_YORK)
    end = to_new_york(now)
    counts: dict[str, int] = {}
    for symbol, state in pipeline.states.items():
        try:
            rows = await history.timesales(symbol, "1min", start, end, "open")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # warm-up is best effort: a cold start is still safe
            log.warning("warm-up of %s failed: %s", symbol, type(exc).__name__)
            counts[symbol] = 0
            continue
        bars = bars_from_timesales(pipeline, symbol, rows, now - now % MINUTE_MS)
        # A brain that runs for days warms up every morning: bars it has already seen
        # (live or at an earlier warm-up) must not count twice in the regime's baselines.
        seen = state.last_bar
        if seen is not None:
            bars = [b for b in bars if b.start_ms > seen.start_ms]
        for bar in bars:
            state.apply_bar(bar)
        counts[symbol] = len(bars)
    return counts


class MarketPoller:
    """Polls the VIX and each symbol's at-the-money IV (for the IV rank); supervised."""

    def __init__(
        self, pipeline: Pipeline, client: Any, clock: Clock, vix_symbol: str = "VIX"
    ) -> None:
        self.pipeline = pipeline
        self.client = client
        self.clock = clock
        self.vix_symbol = vix_symbol
        self.polls = 0
        self.failures = 0

    async def poll_once(self) -> None:
        """One VIX quote and one ATM IV per symbol."""
        now = self.clock.now_ms()
        try:
            quotes = await self.client.quotes([self.vix_symbol])
            for q in quotes:
                if q.bid is not None and q.ask is not None:
                    self.pipeline.vix.update_quote(float(q.bid), float(q.ask), now)
            today: date = to_new_york(now).date()
            for symbol, state in self.pipeline.states.items():
                iv = await self._atm_iv(symbol, state.mid or state.last, today)
                if iv is not None:
                    state.iv_rank.update(iv, now)
            self.polls += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failures += 1
            log.warning("market poll failed: %s", type(exc).__name__)

    async def _atm_iv(self, symbol: str, price: float | None, today: date) -> float | None:
        # One strike list and one option quote, not a whole chain: cheap enough to poll.
        if price is None:
            return None
        expiration = pick_expiration(await self.client.expirations(symbol), today, 20, 45, 30)
        if expiration is None:
            return None
        strikes = await self.client.strikes(symbol, expiration)
        if not strikes:
            return None
        target = to_decimal(round(price, 2))
        strike = min(strikes, key=lambda k: (abs(k - target), k))
        # BRK/B lists its options under BRKB; an index's own root (SPX) has the monthlies.
        occ = build_occ(occ_root(symbol), expiration, OptionType.CALL, strike)
        for quote in await self.client.quotes([occ], greeks=True):
            greeks = getattr(quote, "greeks", None)
            iv = getattr(greeks, "mid_iv", None) if greeks is not None else None
            if isinstance(iv, float) and iv > 0:
                return iv
        return None

    async def run(self, pace: Pace, interval_s: float = 900.0) -> None:
        """Poll every `interval_s` (supervised)."""
        while True:
            await pace.wait("poll", interval_s)
            await self.poll_once()
