"""The hot path: stream event -> quotes / bars -> indicators -> regime -> strategies.

One `Pipeline` per brain. `on_frame(bytes)` decodes with `tradier.stream.decode_frame`;
`on_event` takes an already decoded event. Quotes only update the symbol's bid/ask;
trades feed the bar builder (whose open bar the session VWAP reads); a closed bar updates
the indicators and the regime and then runs the strategies. Quote and trade handling
allocates nothing (the decoded event aside), and nothing grows with time: bars live in a
ring per symbol and signals in a bounded deque.

Policies:
- `trade` events always count; `tradex` (extended-hours trades) count only outside the
  regular session, because inside it the same prints arrive as `trade` too.
- `summary` and `timesale` events do not make bars (trades are the single source);
  the VIX also takes its level from trades and quotes of `vix_symbol`.
- Every closed bar goes into the symbol's bar history (`SymbolState.bars`, tagged with
  its session). Indicators and the regime update on bars of `indicator_sessions` and
  strategies run on bars of `strategy_sessions`, both the regular session by default:
  extended-hours minutes hold a handful of thin prints that would distort ATR, RSI and
  the regime percentiles, the warm-up from history uses regular-session bars only, and
  the strategies trade the regular session.
- A strategy that raises is counted in `strategy_errors` and logged; the others still run
  and the bars keep flowing.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence

from brain.bars import Bar, Session, SessionCalendar
from brain.indicators import Vix
from brain.market import IndicatorConfig, Signal, Strategy, SymbolState
from tradier.clock import Clock, SystemClock
from tradier.stream import (
    QuoteEvent,
    StreamError,
    StreamEvent,
    TradeEvent,
    TradexEvent,
    decode_frame,
)

log = logging.getLogger(__name__)

_NONE: tuple[Signal, ...] = ()
REGULAR_ONLY = frozenset({Session.REGULAR})


class Pipeline:
    """Per-event market pipeline for a fixed set of symbols."""

    def __init__(
        self,
        symbols: Iterable[str],
        strategies: Sequence[Strategy],
        clock: Clock | None = None,
        *,
        config: IndicatorConfig | None = None,
        calendar: SessionCalendar | None = None,
        vix_symbol: str = "VIX",
        on_signal: Callable[[Signal], None] | None = None,
        indicator_sessions: frozenset[Session] = REGULAR_ONLY,
        strategy_sessions: frozenset[Session] = REGULAR_ONLY,
        signal_history: int = 1000,
        max_future_ms: int | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.calendar = calendar or SessionCalendar()
        self.vix = Vix()
        self.vix_symbol = vix_symbol
        clock_now = self.clock.now_ms
        # trades stamped beyond clock + max_future_ms cannot open a bar (a corrupt timestamp
        # would otherwise make every later trade look late); off unless asked for, because
        # tests and replays may run with a clock that does not follow the frames
        not_after = None if max_future_ms is None else (lambda: clock_now() + max_future_ms)
        self.states: dict[str, SymbolState] = {
            s: SymbolState(s, config, calendar=self.calendar, vix=self.vix, not_after=not_after)
            for s in symbols
        }
        if not self.states:
            raise ValueError("symbols: must name at least one symbol")
        self._get = self.states.get
        self.strategies = tuple(strategies)
        self.on_signal = on_signal
        self.indicator_sessions = indicator_sessions
        self.strategy_sessions = strategy_sessions
        self.signals: deque[Signal] = deque(maxlen=signal_history)
        self.bars = 0
        self.ignored = 0  # events for symbols we do not track, summaries, timesales
        self.errors = 0  # StreamError frames
        self.strategy_errors = 0

    def on_frame(self, data: bytes) -> Sequence[Signal]:
        """Decode one stream payload and process it."""
        event = decode_frame(data)
        # Quotes and trades are nearly the whole stream: handled here without a second
        # call (on_event holds the same steps for already decoded events).
        if event.__class__ is QuoteEvent:
            q: QuoteEvent = event
            st = self._get(q.symbol)
            if st is not None:
                st.bid = q.bid
                st.ask = q.ask
                st.quote = q
                return _NONE
        elif event.__class__ is TradeEvent:
            t: TradeEvent = event
            st = self._get(t.symbol)
            if st is not None:
                closed = st.builder.on_trade(t.price, t.size, t.date)
                return _NONE if closed is None else self._bar(st, closed)
        return self.on_event(event)

    @property
    def tradex_in_regular(self) -> int:
        """`tradex` prints dropped because they fell in the regular session."""
        return sum(st.builder.extended_in_regular for st in self.states.values())

    def on_event(self, event: StreamEvent | StreamError) -> Sequence[Signal]:
        """Process one decoded event; returns the signals it caused (usually none)."""
        cls = event.__class__
        if cls is QuoteEvent:
            q: QuoteEvent = event  # type: ignore[assignment]
            st = self._get(q.symbol)
            if st is None:
                if q.symbol == self.vix_symbol:
                    self.vix.update_quote(q.bid, q.ask, max(q.biddate, q.askdate))
                else:
                    self.ignored += 1
                return _NONE
            st.bid = q.bid
            st.ask = q.ask
            st.quote = q
            return _NONE
        if cls is TradeEvent:
            t: TradeEvent = event  # type: ignore[assignment]
            st = self._get(t.symbol)
            if st is None:
                return self._untracked_trade(t.symbol, t.price, t.date)
            closed = st.builder.on_trade(t.price, t.size, t.date)
            return _NONE if closed is None else self._bar(st, closed)
        if cls is TradexEvent:
            x: TradexEvent = event  # type: ignore[assignment]
            st = self._get(x.symbol)
            if st is None:
                return self._untracked_trade(x.symbol, x.price, x.date)
            closed = st.builder.on_trade(x.price, x.size, x.date, True)
            return _NONE if closed is None else self._bar(st, closed)
        if cls is StreamError:
            self.errors += 1
            return _NONE
        # summaries, timesales and any event type added later: never fatal for the feed
        self.ignored += 1
        return _NONE

    def _untracked_trade(self, symbol: str, price: float, ts_ms: int) -> Sequence[Signal]:
        if symbol == self.vix_symbol:
            self.vix.update_last(price, ts_ms)
        else:
            self.ignored += 1
        return _NONE

    def _bar(self, st: SymbolState, bar: Bar) -> Sequence[Signal]:
        self.bars += 1
        if bar.session not in self.indicator_sessions:
            st.bars.append(bar)
            return _NONE
        st.apply_bar(bar)
        if bar.session not in self.strategy_sessions or not self.strategies:
            return _NONE
        out: list[Signal] | None = None
        for strategy in self.strategies:
            try:
                sigs = strategy.on_bar(st, bar)
            except Exception:
                self.strategy_errors += 1
                log.exception("strategy %s failed on %s", strategy.name, bar.symbol)
                continue
            if sigs:
                if out is None:
                    out = []
                out.extend(sigs)
        if out is None:
            return _NONE
        self.signals.extend(out)
        if self.on_signal is not None:
            for sig in out:
                self.on_signal(sig)
        return out

    def flush(self, now_ms: int | None = None) -> Sequence[Signal]:
        """Close every bar whose minute has ended (call from a timer, e.g. each second)."""
        now = self.clock.now_ms() if now_ms is None else now_ms
        hours = self.calendar.hours(now)
        minute = (now - hours.day_start_ms) // 60_000
        out: list[Signal] = []
        for st in self.states.values():
            bar = st.builder.flush(now)
            if bar is not None:
                out.extend(self._bar(st, bar))
            st.opening_range.mark_time(hours.ny_day, minute)
        return out or _NONE
