"""The exchange as the broker and the REST layer see it: prices with test pins applied,
option marks, the market clock and the trading day."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Protocol

from tradier.calendar import MarketState, read_clock
from tradier.clock import NEW_YORK, Clock, from_datetime, to_new_york
from tradier.occ import OccSymbol, underlying_of
from tradier.sim.market import Trade
from tradier.sim.option_roots import settlement_ms
from tradier.sim.options import OptionMark, is_listed, mark, parse_listed
from tradier.sim.symbols import SymbolSpec, SymbolState


class MarketSource(Protocol):
    """What a price source (generated or replayed) provides."""

    symbols: tuple[str, ...]

    def knows(self, symbol: str) -> bool:
        """True when the source has a market for the (underlying) symbol."""
        ...

    def spec(self, symbol: str) -> SymbolSpec | None:
        """The symbol's static facts, None when unknown."""
        ...

    def state(self, symbol: str, ms: int) -> SymbolState | None:
        """The symbol at `ms`, or None when unknown."""
        ...

    def trades_between(self, symbol: str, t0_ms: int, t1_ms: int) -> list[Trade]:
        """Prints in [t0, t1)."""
        ...

    def trade_seq(self, symbol: str, trade: Trade) -> int:
        """A unique increasing sequence number for a print."""
        ...

    def minute_bars(
        self, symbol: str, day: date
    ) -> list[tuple[int, float, float, float, float, int]]:
        """(start ms, o, h, l, c, volume) per traded minute of `day`."""
        ...

    def daily_bar(self, symbol: str, day: date) -> tuple[float, float, float, float, int] | None:
        """(o, h, l, c, volume) of `day`, None when not traded."""
        ...


@dataclass(frozen=True, slots=True)
class Pin:
    """A price fixed by a test: the book and last stay here until unpinned."""

    bid: float
    ask: float
    last: float
    pinned_ms: int


class Venue:
    """Prices, option marks and the market clock, all at the simulated now."""

    def __init__(self, source: MarketSource, clock: Clock, follow_calendar: bool) -> None:
        self.source = source
        self.clock = clock
        self.follow_calendar = follow_calendar
        self.pins: dict[str, Pin] = {}
        # One chain request marks hundreds of contracts off the same underlying instant.
        self._states: dict[tuple[str, int], SymbolState | None] = {}

    @property
    def symbols(self) -> tuple[str, ...]:
        """The underlying symbols this venue quotes."""
        return self.source.symbols

    def knows(self, symbol: str) -> bool:
        """True for an underlying (equity, ETF or index) this venue quotes."""
        return self.source.knows(symbol)

    def spec(self, symbol: str) -> SymbolSpec | None:
        """An underlying's static facts (name, exchange, type), None when unknown."""
        return self.source.spec(symbol)

    def now_ms(self) -> int:
        """Simulated now."""
        return self.clock.now_ms()

    def today(self, ms: int | None = None) -> date:
        """The ET calendar date."""
        return to_new_york(self.now_ms() if ms is None else ms).date()

    def state(self, symbol: str, ms: int | None = None) -> SymbolState | None:
        """An underlying at `ms` (default now), with any pin applied."""
        at = self.now_ms() if ms is None else ms
        key = (symbol, at)
        if key in self._states:
            base = self._states[key]
        else:
            if len(self._states) > 512:
                self._states.clear()
            base = self._states[key] = self.source.state(symbol, at)
        if base is None:
            return None
        pin = self.pins.get(symbol)
        if pin is None:
            return base
        return replace(base, bid=pin.bid, ask=pin.ask, last=pin.last, last_ms=pin.pinned_ms)

    def reference(self, root: str, day: date) -> float:
        """The price strikes are centred on for `day`: the previous close."""
        state = self.source.state(root, self.day_start_ms(day))
        return state.prevclose if state is not None else 100.0

    def day_start_ms(self, day: date) -> int:
        """Noon ET of `day`, a safe instant inside the day for daily facts."""
        return from_datetime(datetime.combine(day, time(12, 0), tzinfo=NEW_YORK))

    def vix(self, ms: int | None = None) -> float:
        """The VIX level (from the VIX symbol when quoted, else 16)."""
        state = self.state("VIX", ms) if "VIX" in self.symbols else None
        return state.last if state is not None and state.last > 0 else 16.0

    def option(self, symbol: str, ms: int | None = None) -> OptionMark | None:
        """A listed option's mark at `ms`, None when not listed or expired."""
        occ = parse_listed(symbol)
        if occ is None or not self.knows(underlying_of(occ.root)):
            return None
        at = self.now_ms() if ms is None else ms
        today = self.today(at)
        if not is_listed(occ, today, self.reference(underlying_of(occ.root), today)):
            return None
        return self.option_mark(occ, at)

    def option_mark(self, occ: OccSymbol, ms: int) -> OptionMark:
        """Mark a contract without checking the listing."""
        settled_at = settlement_ms(occ.root, occ.expiration)
        # once settled, the contract is worth its intrinsic value against the settlement
        # price (the session's close), whatever the underlying does after hours
        under = self.state(underlying_of(occ.root), min(ms, settled_at))
        spot = under.mid if under is not None else 100.0
        pin = self.pins.get(str(occ))
        result = mark(occ, spot, ms, self.vix(ms))
        if pin is not None:
            result = replace(result, bid=pin.bid, ask=pin.ask, theo=pin.last)
        return result

    def market_state(self, ms: int | None = None) -> MarketState:
        """premarket, open, postmarket or closed."""
        at = self.now_ms() if ms is None else ms
        return read_clock(at, self.follow_calendar).state

    def is_regular(self, ms: int | None = None) -> bool:
        """True during the regular session."""
        return self.market_state(ms) is MarketState.OPEN

    def pin(self, symbol: str, bid: float, ask: float, last: float) -> None:
        """Fix a symbol's book (equity or option) until unpinned or reset."""
        if not (math.isfinite(bid) and math.isfinite(ask) and math.isfinite(last)):
            raise ValueError("bid, ask, last: must be finite numbers")
        if bid < 0 or ask < bid:
            raise ValueError("bid/ask: need 0 <= bid <= ask")
        self.pins[symbol] = Pin(bid, ask, last, self.now_ms())

    def unpin(self, symbol: str) -> None:
        """Release a pin."""
        self.pins.pop(symbol, None)
