"""What strategies read and return: per-symbol state, bars, signals, the Strategy protocol.

`SymbolState` holds one symbol's current quote, last trade, a ring buffer of recent bars,
its indicators and its regime. The pipeline owns and updates it; strategies only read it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from brain.bars import Bar, BarBuilder, Session, SessionCalendar
from brain.indicators import (
    ADX,
    ATR,
    EMA,
    RSI,
    SMA,
    BollingerBands,
    IvRank,
    OpeningRange,
    RealizedVolatility,
    SessionVwap,
    Vix,
    VolumeProfile,
    VolumeVelocity,
)
from brain.regime import Regime, RegimeDetector, RegimeThresholds
from tradier.stream import QuoteEvent

__all__ = [
    "Bar",
    "IndicatorConfig",
    "Regime",
    "Session",
    "Signal",
    "SignalKind",
    "Strategy",
    "SymbolState",
]

SignalKind = Literal[
    "bull_put",
    "bear_call",
    "iron_condor",
    "iron_butterfly",
    "put_ratio_backspread",
    "calendar",
    "long",
    "short",
    "exit",
]


@dataclass(frozen=True, slots=True)
class Signal:
    """A strategy's wish to act on a symbol; turned into a proposal downstream."""

    symbol: str
    strategy: str
    kind: SignalKind
    created_at_ms: int
    strength: float = 1.0  # 0..1, how strongly the strategy's conditions hold
    reason: str = ""
    params: Mapping[str, object] = field(default_factory=dict)


@runtime_checkable
class Strategy(Protocol):
    """Bars and quotes in (through `SymbolState`), signals out."""

    name: str

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        """React to a closed bar of `state.symbol`; return zero or more signals."""
        ...


@dataclass(frozen=True, slots=True)
class IndicatorConfig:
    """Periods and settings of the per-symbol indicators."""

    sma_fast: int = 20
    sma_slow: int = 50
    ema_fast: int = 9
    ema_slow: int = 21
    rsi: int = 14
    atr: int = 14
    adx_di: int = 14
    adx: int = 14
    bb: int = 20
    bb_k: float = 2.0
    realized_vol: int = 30
    volume_velocity: int = 20
    profile_tick: float = 0.05
    value_area: float = 0.70
    iv_rank_lookback_ms: int = 252 * 86_400_000
    bar_history: int = 500
    regime: RegimeThresholds = field(default_factory=RegimeThresholds)


class SymbolState:
    """One symbol's market state. Read-only for strategies; the pipeline writes it."""

    __slots__ = (
        "adx",
        "ask",
        "atr",
        "bars",
        "bb",
        "bid",
        "builder",
        "ema_fast",
        "ema_slow",
        "iv_rank",
        "last_bar",
        "opening_range",
        "quote",
        "realized_vol",
        "regime",
        "rsi",
        "sma_fast",
        "sma_slow",
        "symbol",
        "vix",
        "volume_profile",
        "volume_velocity",
        "vwap",
    )

    def __init__(
        self,
        symbol: str,
        config: IndicatorConfig | None = None,
        *,
        calendar: SessionCalendar | None = None,
        vix: Vix | None = None,
        not_after: Callable[[], int] | None = None,
    ) -> None:
        c = config or IndicatorConfig()
        self.symbol = symbol
        # current quote; None until the first quote arrives (never 0)
        self.bid: float | None = None
        self.ask: float | None = None
        self.quote: QuoteEvent | None = None  # the latest quote event (sizes, exchanges, times)
        self.bars: deque[Bar] = deque(maxlen=c.bar_history)
        self.last_bar: Bar | None = None
        self.builder = BarBuilder(symbol, calendar, not_after)
        # closed bars are added at close; the open bar's sums are read live
        self.vwap = SessionVwap(self.builder.open_regular_sums)
        self.volume_profile = VolumeProfile(c.profile_tick, c.value_area)
        self.sma_fast = SMA(c.sma_fast)
        self.sma_slow = SMA(c.sma_slow)
        self.ema_fast = EMA(c.ema_fast)
        self.ema_slow = EMA(c.ema_slow)
        self.rsi = RSI(c.rsi)
        self.atr = ATR(c.atr)
        # ADX reuses the state's ATR when the periods agree (apply_bar updates it first)
        self.adx = ADX(c.adx_di, c.adx, self.atr if c.atr == c.adx_di else None)
        self.bb = BollingerBands(c.bb, c.bb_k)
        self.opening_range = OpeningRange()
        self.volume_velocity = VolumeVelocity(c.volume_velocity)
        self.realized_vol = RealizedVolatility(c.realized_vol)
        self.iv_rank = IvRank(c.iv_rank_lookback_ms)
        self.vix = vix if vix is not None else Vix()  # shared across symbols by the pipeline
        self.regime = RegimeDetector(c.regime)

    @property
    def bid_size(self) -> int:
        """Size at the bid of the latest quote (0 without one)."""
        return self.quote.bidsz if self.quote is not None else 0

    @property
    def ask_size(self) -> int:
        """Size at the ask of the latest quote (0 without one)."""
        return self.quote.asksz if self.quote is not None else 0

    @property
    def quote_ms(self) -> int:
        """When the latest quote changed, epoch ms (-1 without one)."""
        q = self.quote
        return -1 if q is None else max(q.biddate, q.askdate)

    @property
    def mid(self) -> float | None:
        """Mid of the current quote, None without a two-sided quote."""
        b, a = self.bid, self.ask
        if b is None or a is None or b <= 0.0 or a < b:
            return None
        return (b + a) * 0.5

    @property
    def spread(self) -> float | None:
        """Ask minus bid, None without a two-sided quote."""
        b, a = self.bid, self.ask
        if b is None or a is None or b <= 0.0 or a < b:
            return None
        return a - b

    @property
    def last(self) -> float | None:
        """Price of the latest accepted trade (late and bad prints excluded)."""
        return self.builder.last_price

    @property
    def session(self) -> Session:
        """Session of the open (or most recent) bar."""
        return self.builder.session

    @property
    def current_regime(self) -> Regime:
        """The regime after hysteresis."""
        return self.regime.regime

    def apply_bar(self, bar: Bar) -> None:
        """Update the bar-driven indicators, the session VWAP and the regime with a
        closed bar (from the pipeline or from history at warm-up); O(1) per indicator."""
        self.bars.append(bar)
        self.last_bar = bar
        h, lo, c = bar.high, bar.low, bar.close
        self.sma_fast.update(c)
        self.sma_slow.update(c)
        self.ema_fast.update(c)
        self.ema_slow.update(c)
        self.rsi.update(c)
        self.atr.update(h, lo, c)
        self.adx.update(h, lo, c)
        self.bb.update(c)
        self.realized_vol.update(c)
        self.volume_velocity.update(bar.volume, bar.gap_before + 1)
        if bar.session is Session.REGULAR:
            self.vwap.add(bar.notional, bar.volume, bar.ny_day)
            self.opening_range.update(h, lo, bar.ny_day, bar.ny_minute)
            self.volume_profile.on_bar(bar)
        atr = self.atr.value
        self.regime.update(
            self.adx.value,
            atr / c if atr is not None and c > 0.0 else None,
            self.bb.width,
            self.vix.value,
            bar.ny_minute,
        )
