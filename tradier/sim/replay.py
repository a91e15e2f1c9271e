"""Replay of recorded stream frames (newline-delimited Tradier payloads), in time order.

A frame's time is its `date` (trade, tradex, timesale) or `biddate`/`askdate` (quote);
a frame without one (summary) takes the time of the frame before it (leading ones, the
first dated frame's). Prices, books and
the day's volume seen by REST and the broker are rebuilt from the frames up to now.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from tradier.clock import to_new_york
from tradier.occ import is_occ
from tradier.sim.errors import ReplayError
from tradier.sim.market import Trade
from tradier.sim.symbols import SymbolSpec, SymbolState
from tradier.sim.universe import replay_spec


def _frame_ms(frame: dict[str, Any]) -> int | None:
    for key in ("date", "biddate", "askdate"):
        raw = frame.get(key)
        if raw is not None:
            return int(raw)
    return None


def _f(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


@dataclass(frozen=True, slots=True)
class Frame:
    """One recorded payload and its time."""

    ms: int
    payload: dict[str, Any]


class ReplayMarket:
    """A MarketSource built from recorded frames."""

    def __init__(self, frames: list[Frame]) -> None:
        if not frames:
            raise ReplayError("data file: holds no frames")
        self.frames = sorted(frames, key=lambda f: f.ms)
        self._times = [f.ms for f in self.frames]
        seen: dict[str, None] = {}
        for f in self.frames:
            seen.setdefault(f.payload["symbol"], None)
        self.symbols = tuple(s for s in seen if not is_occ(s))
        self._states: dict[str, tuple[list[int], list[SymbolState]]] = {}
        self._trades: dict[str, list[tuple[Trade, int]]] = {}
        for sym in seen:
            self._build(sym)

    @property
    def start_ms(self) -> int:
        """Time of the first frame."""
        return self.frames[0].ms

    @classmethod
    def load(cls, path: Path) -> ReplayMarket:
        """Read a newline-delimited file of frames."""
        parsed: list[tuple[int | None, dict[str, Any]]] = []
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                payload = json.loads(line)
            except ValueError as exc:
                raise ReplayError(f"{path}:{number}: not JSON") from exc
            if not isinstance(payload, dict) or "type" not in payload or "symbol" not in payload:
                raise ReplayError(f"{path}:{number}: a frame needs `type` and `symbol`")
            parsed.append((_frame_ms(payload), payload))
        first = next((ms for ms, _ in parsed if ms is not None), None)
        if first is None:
            raise ReplayError(f"{path}: no frame carries a date")
        frames: list[Frame] = []
        last_ms = first  # dateless frames take the time of the frame before (or the first)
        for ms, payload in parsed:
            last_ms = ms if ms is not None else last_ms
            frames.append(Frame(last_ms, payload))
        return cls(frames)

    def _build(self, symbol: str) -> None:
        times: list[int] = []
        states: list[SymbolState] = []
        trades: list[tuple[Trade, int]] = []
        cur: SymbolState | None = None
        day: date | None = None
        for index, frame in enumerate(f for f in self.frames if f.payload["symbol"] == symbol):
            p = frame.payload
            if cur is None:
                px = _f(p.get("price")) or _f(p.get("bid")) or _f(p.get("prevClose")) or 0.0
                cur = SymbolState(
                    symbol, frame.ms, px, px, 0, 0, px, 0, frame.ms, 0, None, None, None, px
                )
            today = to_new_york(frame.ms).date()
            if day is not None and today != day:
                cur = replace(cur, volume=0, open=None, high=None, low=None, prevclose=cur.last)
            day = today
            kind = p["type"]
            if kind == "quote":
                cur = replace(
                    cur,
                    bid=float(p["bid"]),
                    ask=float(p["ask"]),
                    bidsz=int(p.get("bidsz", 0)),
                    asksz=int(p.get("asksz", 0)),
                    bidexch=str(p.get("bidexch", "Q")),
                    askexch=str(p.get("askexch", "Q")),
                )
            elif kind in ("trade", "tradex"):
                price, size = float(p["price"]), int(p["size"])
                high = price if cur.high is None else max(cur.high, price)
                low = price if cur.low is None else min(cur.low, price)
                cvol = int(p["cvol"]) if p.get("cvol") else cur.volume + size
                cur = replace(
                    cur,
                    last=price,
                    last_size=size,
                    last_ms=frame.ms,
                    volume=cvol,
                    open=cur.open if cur.open is not None else price,
                    high=high,
                    low=low,
                )
                trades.append((Trade(frame.ms, price, size), index))
            elif kind == "summary":
                cur = replace(
                    cur,
                    open=_f(p.get("open")),
                    high=_f(p.get("high")),
                    low=_f(p.get("low")),
                    prevclose=_f(p.get("prevClose")) or cur.prevclose,
                )
            times.append(frame.ms)
            states.append(replace(cur, ms=frame.ms))
        self._states[symbol] = (times, states)
        self._trades[symbol] = trades

    def knows(self, symbol: str) -> bool:
        """Only the recorded underlyings have a market in a replay."""
        return symbol in self.symbols

    def spec(self, symbol: str) -> SymbolSpec | None:
        """The facts of a recorded underlying (a plain stock when the name is unknown)."""
        return replay_spec(symbol) if symbol in self.symbols else None

    def state(self, symbol: str, ms: int) -> SymbolState | None:
        """The rebuilt state at `ms` (before the first frame: the first frame's state)."""
        found = self._states.get(symbol)
        if found is None or symbol not in self.symbols:
            return None
        times, states = found
        i = bisect.bisect_right(times, ms) - 1
        return replace(states[max(i, 0)], ms=ms)

    def trades_between(self, symbol: str, t0_ms: int, t1_ms: int) -> list[Trade]:
        """Recorded prints with t0 <= time < t1."""
        return [t for t, _ in self._trades.get(symbol, []) if t0_ms <= t.ms < t1_ms]

    def trade_seq(self, symbol: str, trade: Trade) -> int:
        """The print's position in the recording."""
        return next((i for t, i in self._trades.get(symbol, []) if t == trade), 0)

    def frames_between(self, t0_ms: int, t1_ms: int, symbols: set[str]) -> list[dict[str, Any]]:
        """The recorded payloads with t0 < time <= t1, verbatim."""
        lo = bisect.bisect_right(self._times, t0_ms)
        hi = bisect.bisect_right(self._times, t1_ms)
        return [f.payload for f in self.frames[lo:hi] if f.payload["symbol"] in symbols]

    def minute_bars(
        self, symbol: str, day: date
    ) -> list[tuple[int, float, float, float, float, int]]:
        """Minute bars aggregated from the recorded prints of `day`."""
        bars: dict[int, list[Trade]] = {}
        for t, _ in self._trades.get(symbol, []):
            if to_new_york(t.ms).date() == day:
                bars.setdefault(t.ms - t.ms % 60_000, []).append(t)
        return [
            (
                start,
                ts[0].price,
                max(t.price for t in ts),
                min(t.price for t in ts),
                ts[-1].price,
                sum(t.size for t in ts),
            )
            for start, ts in sorted(bars.items())
        ]

    def daily_bar(self, symbol: str, day: date) -> tuple[float, float, float, float, int] | None:
        """The day's bar from its recorded prints, None without any."""
        bars = self.minute_bars(symbol, day)
        if not bars:
            return None
        return (
            bars[0][1],
            max(b[2] for b in bars),
            min(b[3] for b in bars),
            bars[-1][4],
            sum(b[5] for b in bars),
        )
