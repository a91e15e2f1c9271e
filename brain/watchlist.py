"""The brain's symbols checked against the market-data API once, at start.

A well-formed symbol can still be one no exchange lists (`ZZZZ9`, or `SPXW`, an option
root): Tradier answers its quote in `unmatched_symbols` and sends none. The brain asks
rather than keeping its own list, so whatever the data source lists is accepted and
nothing else is, and says which symbol is wrong instead of streaming silence for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


async def unknown_symbols(market: Any, symbols: Sequence[str]) -> list[str]:
    """The symbols the market-data API has no quote for, in the order given."""
    quotes = await market.quotes(list(symbols))
    # No quote back is the verdict: Tradier lists the symbol in `unmatched_symbols`, and a
    # symbol answered under another name would not be the one the feed subscribes.
    known = {quote.symbol for quote in quotes}
    return [symbol for symbol in symbols if symbol not in known]


def unknown_message(unknown: Sequence[str]) -> str:
    """Why the brain will not start on `unknown`."""
    return f"{', '.join(unknown)}: unknown to the market-data API (no quote for it)"
