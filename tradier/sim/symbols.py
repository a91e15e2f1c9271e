"""The five original instruments (their specs are pinned), the spec record every symbol
resolves to, and the market-state record every source produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SymbolSpec:
    """Static facts about one generated instrument."""

    symbol: str
    description: str
    kind: str  # Tradier quote `type`: etf or index
    exch: str
    base_price: float
    beta: float  # loading on the common market factor
    idio_vol: float  # daily idiosyncratic volatility
    spread_ticks: int  # regular-hours spread in cents
    daily_volume: int
    quote_only: bool = False  # an index: quotes, no trades
    has_weeklies: bool = True
    dividend: float = 0.0  # continuous yield used to price its options
    option_vol: float = 1.0  # its implied volatility as a multiple of the VIX level
    proxy: str | None = None  # an index computed from a traded symbol (SPX from SPY)
    proxy_ratio: float = 1.0  # index level per unit of the proxy's price
    generated: bool = False  # facts made up from the symbol, not taken from the table


SPECS: dict[str, SymbolSpec] = {
    "SPY": SymbolSpec(
        "SPY", "SPDR S&P 500", "etf", "P", 580.0, 1.0, 0.001, 1, 60_000_000, dividend=0.012
    ),
    "QQQ": SymbolSpec(
        "QQQ",
        "Invesco QQQ Trust",
        "etf",
        "Q",
        500.0,
        1.25,
        0.003,
        1,
        40_000_000,
        dividend=0.006,
        option_vol=1.25,
    ),
    "IWM": SymbolSpec(
        "IWM",
        "iShares Russell 2000 ETF",
        "etf",
        "P",
        220.0,
        1.15,
        0.005,
        1,
        25_000_000,
        dividend=0.012,
        option_vol=1.4,
    ),
    "DIA": SymbolSpec(
        "DIA",
        "SPDR Dow Jones Industrial Average",
        "etf",
        "P",
        430.0,
        0.85,
        0.002,
        3,
        3_000_000,
        dividend=0.016,
        option_vol=0.92,
    ),
    "VIX": SymbolSpec(
        "VIX", "CBOE Volatility Index", "index", "C", 16.0, -4.0, 0.03, 2, 0, True, False
    ),
}

DEFAULT_SYMBOLS: tuple[str, ...] = ("SPY", "QQQ", "IWM", "DIA", "VIX")


@dataclass(frozen=True, slots=True)
class SymbolState:
    """One instrument at one instant: top of book, last trade, and the day so far."""

    symbol: str
    ms: int
    bid: float
    ask: float
    bidsz: int
    asksz: int
    last: float
    last_size: int
    last_ms: int
    volume: int
    open: float | None
    high: float | None
    low: float | None
    prevclose: float
    bidexch: str = "Q"
    askexch: str = "Q"

    @property
    def mid(self) -> float:
        """Midpoint of bid and ask (the last price when the book is empty)."""
        if self.bid > 0 and self.ask > 0:
            return (self.bid + self.ask) / 2
        return self.last
