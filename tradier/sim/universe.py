"""Every symbol the simulator can quote: the pinned five, the indexes, the shipped table of
well-known symbols, and a generated listing for any other well-formed equity symbol.

A symbol's static facts (name, exchange, price level, volatility, beta, dividend, volume)
depend on the symbol alone, so ZZZZ is the same company under every seed; its price path
is drawn from (seed, symbol) by `market.GeneratedMarket`.
"""

from __future__ import annotations

import math
import random
import re
from functools import lru_cache

from tradier.occ import INDEX_ROOTS, SHARE_CLASS_ROOTS
from tradier.sim.daypath import DAILY_MARKET_VOL
from tradier.sim.listings_table import TABLE
from tradier.sim.symbols import SPECS, SymbolSpec

# Tradier writes share classes with a slash (TRADIER.md §6.10: BRK.B is sent as BRK/B).
_EQUITY = re.compile(r"^(?:[A-Z]{1,5}|[A-Z]{1,4}/[A-Z])$")
# Roots that exist only as option series: quoting them as a stock would invent a company.
_OPTION_ONLY = frozenset(INDEX_ROOTS) | frozenset(SHARE_CLASS_ROOTS)
_SPX_VOL = 16.0  # SPY's implied volatility at VIX 16: the unit of `option_vol`

INDEXES: dict[str, SymbolSpec] = {
    # Cash indexes follow their ETF (SPX is about 10 SPY), so index and ETF hedges agree.
    "SPX": SymbolSpec(
        "SPX",
        "S&P 500 Index",
        "index",
        "C",
        5800.0,
        1.0,
        0.0,
        1,
        0,
        True,
        True,
        dividend=0.013,
        proxy="SPY",
        proxy_ratio=10.02,
    ),
    "XSP": SymbolSpec(
        "XSP",
        "Mini-SPX Index",
        "index",
        "C",
        580.0,
        1.0,
        0.0,
        1,
        0,
        True,
        True,
        dividend=0.013,
        proxy="SPY",
        proxy_ratio=1.002,
    ),
    "NDX": SymbolSpec(
        "NDX",
        "NASDAQ 100 Index",
        "index",
        "Q",
        20500.0,
        1.25,
        0.0,
        1,
        0,
        True,
        True,
        dividend=0.006,
        option_vol=1.25,
        proxy="QQQ",
        proxy_ratio=41.0,
    ),
    "RUT": SymbolSpec(
        "RUT",
        "Russell 2000 Index",
        "index",
        "C",
        2210.0,
        1.15,
        0.0,
        1,
        0,
        True,
        True,
        dividend=0.012,
        option_vol=1.4,
        proxy="IWM",
        proxy_ratio=10.05,
    ),
}


def well_formed(symbol: str) -> bool:
    """True for a symbol that could be a listed US equity, ETF or index."""
    return (
        symbol in SPECS
        or symbol in INDEXES
        or (bool(_EQUITY.match(symbol)) and symbol not in _OPTION_ONLY)
    )


def _spread_ticks(price: float) -> int:
    # About half a basis point of the price, at least a cent: AAPL trades a cent wide,
    # BKNG a couple of dollars.
    return max(1, round(price * 0.005))


def _from_row(row: str) -> SymbolSpec:
    symbol, exch, kind, price, vol, beta, div, volume, weekly, name = row.split("|")
    level, annual, b = float(price), float(vol) / 100, float(beta)
    daily = annual / math.sqrt(252)
    # What the market factor does not explain is the symbol's own noise (at least a fifth
    # of its daily volatility, so even an index fund wanders off its beta a little).
    idio = math.sqrt(max(daily**2 - (b * DAILY_MARKET_VOL) ** 2, (0.2 * daily) ** 2))
    return SymbolSpec(
        symbol,
        name,
        kind,
        exch,
        level,
        b,
        idio,
        _spread_ticks(level),
        int(float(volume) * 1_000_000),
        has_weeklies=weekly == "Y",
        dividend=float(div) / 100,
        option_vol=float(vol) / _SPX_VOL,
    )


LISTED: dict[str, SymbolSpec] = {
    spec.symbol: spec
    for spec in (_from_row(line) for line in TABLE.strip().splitlines() if line.strip())
}


def generated_spec(symbol: str) -> SymbolSpec:
    """Made-up but plausible facts for a symbol nobody listed, the same on every run."""
    rng = random.Random(f"listing|{symbol}")
    level = min(1500.0, max(1.0, math.exp(rng.gauss(math.log(40.0), 1.0))))
    # Cheap stocks move more: 25-90 % a year.
    annual = min(0.9, max(0.25, rng.gauss(0.45 - 0.04 * math.log(level / 40.0), 0.1)))
    beta = round(rng.uniform(0.6, 1.8), 2)
    daily = annual / math.sqrt(252)
    idio = math.sqrt(max(daily**2 - (beta * DAILY_MARKET_VOL) ** 2, (0.2 * daily) ** 2))
    volume = int(min(40e6, max(50_000.0, math.exp(rng.gauss(math.log(1.5e6), 1.2)))))
    dividend = 0.0 if rng.random() < 0.5 else round(rng.uniform(0.005, 0.04), 4)
    return SymbolSpec(
        symbol,
        f"{symbol} Corp (generated)",
        "stock",
        rng.choice(("Q", "N")),
        round(level, 2),
        beta,
        idio,
        _spread_ticks(level),
        volume,
        has_weeklies=volume >= 5_000_000,
        dividend=dividend,
        option_vol=annual * 100 / _SPX_VOL,
        generated=True,
    )


@lru_cache(maxsize=4096)
def spec_for(symbol: str) -> SymbolSpec | None:
    """The spec of any well-formed symbol (pinned, index, table or generated), else None."""
    found = SPECS.get(symbol) or INDEXES.get(symbol) or LISTED.get(symbol)
    if found is not None:
        return found
    return generated_spec(symbol) if well_formed(symbol) else None


def replay_spec(symbol: str) -> SymbolSpec:
    """The spec of a replayed or explicitly configured symbol: the known one, or a plain
    $100 stock for a name no exchange would list (as every unknown symbol was before)."""
    return spec_for(symbol) or SymbolSpec(
        symbol, symbol, "stock", "Q", 100.0, 1.0, 0.01, 1, 1_000_000
    )


def known_specs() -> list[SymbolSpec]:
    """Every symbol with facts of its own (pinned, indexes, table), for lookup and search."""
    return [*SPECS.values(), *INDEXES.values(), *LISTED.values()]
