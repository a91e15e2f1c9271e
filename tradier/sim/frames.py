"""Tradier market-stream payloads, with Tradier's field types (many numbers as strings),
and the generated frames for a span of simulated time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tradier.calendar import MarketState
from tradier.sim.market import Trade
from tradier.sim.replay import ReplayMarket
from tradier.sim.symbols import SymbolState
from tradier.sim.venue import Venue

MAX_SPAN_MS = 120_000  # a catch-up after a long pause emits at most this much history


def _px(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if x != int(x) else f"{x:.1f}"


def quote_payload(
    symbol: str,
    bid: float,
    ask: float,
    bidsz: int,
    asksz: int,
    bidexch: str,
    askexch: str,
    ms: int,
) -> dict[str, Any]:
    """A `quote` event: bid/ask numbers, sizes ints, dates strings of epoch ms."""
    return {
        "type": "quote",
        "symbol": symbol,
        "bid": bid,
        "bidsz": bidsz,
        "bidexch": bidexch,
        "biddate": str(ms),
        "ask": ask,
        "asksz": asksz,
        "askexch": askexch,
        "askdate": str(ms),
    }


def quote_frames(venue: Venue, symbols: Sequence[str], count: int, ms: int) -> list[str]:
    """`count` encoded quote frames cycling over `symbols` at their current books (for
    stream blasts); symbols without a book are skipped."""
    states = [st for sym in symbols if (st := venue.state(sym, ms)) is not None]
    texts = [
        json.dumps(
            quote_payload(
                st.symbol, st.bid, st.ask, st.bidsz, st.asksz, st.bidexch, st.askexch, ms
            ),
            separators=(",", ":"),
        )
        for st in states
    ]
    return [texts[i % len(texts)] for i in range(count)] if texts else []


def trade_payload(kind: str, symbol: str, exch: str, trade: Trade, cvol: int) -> dict[str, Any]:
    """A `trade` or `tradex` event: price, size, cvol, date and last as strings."""
    price = _px(round(trade.price, 4))
    return {
        "type": kind,
        "symbol": symbol,
        "exch": exch,
        "price": price,
        "size": str(trade.size),
        "cvol": str(cvol),
        "date": str(trade.ms),
        "last": price,
    }


def summary_payload(state: SymbolState) -> dict[str, Any]:
    """A `summary` event: open/high/low/prevClose as strings."""
    body: dict[str, Any] = {"type": "summary", "symbol": state.symbol}
    for key, value in (("open", state.open), ("high", state.high), ("low", state.low)):
        body[key] = _px(value) if value is not None else None
    body["prevClose"] = _px(state.prevclose)
    return body


def timesale_payload(
    symbol: str, exch: str, state: SymbolState, trade: Trade, seq: int, session: str
) -> dict[str, Any]:
    """A `timesale` event: prices/size/date strings, seq an int, flags bool."""
    return {
        "type": "timesale",
        "symbol": symbol,
        "exch": exch,
        "bid": _px(state.bid),
        "ask": _px(state.ask),
        "last": _px(round(trade.price, 4)),
        "size": str(trade.size),
        "date": str(trade.ms),
        "seq": seq,
        "flag": "",
        "cancel": False,
        "correction": False,
        "session": session,
    }


@dataclass(slots=True)
class FrameGenerator:
    """Turns the venue's state over (t0, t1] into stream payloads, remembering what it sent."""

    venue: Venue
    last_quote: dict[str, tuple[float, float]] = field(default_factory=dict)
    last_minute: dict[str, int] = field(default_factory=dict)

    def between(self, t0: int, t1: int, symbols: set[str]) -> list[dict[str, Any]]:
        """Payloads for every second boundary in (t0, t1], in time order."""
        t0 = max(t0, t1 - MAX_SPAN_MS)
        if isinstance(self.venue.source, ReplayMarket):
            return self.venue.source.frames_between(t0, t1, symbols)
        out: list[dict[str, Any]] = []
        # Configured symbols first, in their order (the order frames always had), then any
        # other underlying a client subscribed to; everything else is an option.
        configured = [s for s in self.venue.symbols if s in symbols]
        others = sorted(s for s in symbols - set(configured) if self.venue.knows(s))
        underlyings = configured + others
        options = sorted(symbols - set(underlyings))
        second = t0 - t0 % 1000 + 1000
        while second <= t1:
            state_kind = self.venue.market_state(second)
            if state_kind is not MarketState.CLOSED:
                for sym in underlyings:
                    self._underlying(sym, second, state_kind, out)
                for sym in options:
                    if state_kind is MarketState.OPEN:
                        self._option(sym, second, out)
            second += 1000
        return out

    def _underlying(
        self, sym: str, second: int, market: MarketState, out: list[dict[str, Any]]
    ) -> None:
        state = self.venue.state(sym, second)
        if state is None:
            return
        spec_exch = state.bidexch
        pinned = sym in self.venue.pins
        trades = [] if pinned else self.venue.source.trades_between(sym, second - 1000, second)
        if trades:
            kind = "trade" if market is MarketState.OPEN else "tradex"
            session = {"open": "normal", "premarket": "pre", "postmarket": "post"}[market.value]
            before = self.venue.state(sym, second - 1) or state
            cvol = before.volume - sum(t.size for t in trades)
            for trade in trades:
                cvol += trade.size
                out.append(trade_payload(kind, sym, spec_exch, trade, cvol))
                seq = self.venue.source.trade_seq(sym, trade)
                out.append(timesale_payload(sym, spec_exch, state, trade, seq, session))
        book = (state.bid, state.ask)
        if self.last_quote.get(sym) != book:
            self.last_quote[sym] = book
            out.append(
                quote_payload(
                    sym,
                    state.bid,
                    state.ask,
                    state.bidsz,
                    state.asksz,
                    state.bidexch,
                    state.askexch,
                    second,
                )
            )
        minute = second // 60_000
        if self.last_minute.get(sym) != minute:
            self.last_minute[sym] = minute
            out.append(summary_payload(state))

    def _option(self, sym: str, second: int, out: list[dict[str, Any]]) -> None:
        mark = self.venue.option(sym, second)
        if mark is None:
            return
        book = (mark.bid, mark.ask)
        if self.last_quote.get(sym) != book:
            self.last_quote[sym] = book
            out.append(quote_payload(sym, mark.bid, mark.ask, 10, 10, "C", "C", second))


@dataclass(slots=True)
class StaleRepeater:
    """An idle symbol's last frames sent again every `interval_ms`, old timestamps and all
    (QuantConnect saw Tradier re-send old ticks about every 20 s on an idle stream)."""

    interval_ms: int
    last: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    sent_ms: dict[str, int] = field(default_factory=dict)

    def due(self, now: int, wanted: set[str], fresh: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Remember `fresh`; return repeats for wanted symbols idle for `interval_ms`."""
        for payload in fresh:
            self.last.setdefault(payload["symbol"], {})[payload["type"]] = payload
            self.sent_ms[payload["symbol"]] = now
        repeats: list[dict[str, Any]] = []
        for symbol in sorted(wanted):
            if symbol not in self.last:
                continue
            if now - self.sent_ms.get(symbol, now) >= self.interval_ms:
                self.sent_ms[symbol] = now
                repeats.extend(
                    p for kind, p in self.last[symbol].items() if kind in ("trade", "quote")
                )
        return repeats
