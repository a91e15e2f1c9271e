"""Symbols and helpers shared by the universe contract tests."""

from __future__ import annotations

from datetime import date, datetime

from tests.functional.sim.conftest import Sim
from tradier.clock import NEW_YORK, from_datetime

# (underlying, the option root whose series the test trades)
CASES = [
    ("AAPL", "AAPL"),
    ("ZZZZ", "ZZZZ"),
    ("BRK/B", "BRKB"),
    ("SPX", "SPX"),
    ("SPX", "SPXW"),
    ("XSP", "XSP"),
]
# A table stock, a generated one, a share class, the S&P 500 index and Mini-SPX.
UNDERLYINGS = ["AAPL", "ZZZZ", "BRK/B", "SPX", "XSP"]


async def quote_of(sim: Sim, symbol: str) -> dict[str, object]:
    body = (await sim.http.get("/markets/quotes", params={"symbols": symbol})).json()
    quote = body["quotes"]["quote"]
    assert isinstance(quote, dict)
    return quote


async def series_of(sim: Sim, symbol: str, root: str) -> tuple[str, list[dict[str, object]]]:
    """The first expiration listing `root`, and that day's chain."""
    listed = (
        await sim.http.get(
            "/markets/options/expirations",
            params={"symbol": symbol, "includeAllRoots": "true"},
        )
    ).json()["expirations"]["date"]
    for day in listed:
        chain = (
            await sim.http.get(
                "/markets/options/chains", params={"symbol": symbol, "expiration": day}
            )
        ).json()["options"]["option"]
        if any(o["root_symbol"] == root for o in chain):
            return day, chain
    raise AssertionError(f"no expiration lists {root}")


def et_ms(day: date, hour: int, minute: int) -> int:
    """Epoch ms of a New York wall-clock time."""
    return from_datetime(datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK))
