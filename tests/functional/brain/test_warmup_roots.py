"""The brain's at-the-money IV poll asks for the option the market lists: a share class's
options are under its OCC root (BRK/B -> BRKB), on the simulator on loopback."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from brain.warmup import MarketPoller
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock, from_datetime, to_new_york
from tradier.sim.core import SimConfig
from tradier.sim.server import run_in_thread

START_MS = from_datetime(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))


def test_atm_iv_when_share_class_then_priced_from_its_brkb_options() -> None:
    clock = ManualClock(START_MS)
    with run_in_thread(SimConfig(seed=3, start_ms=START_MS), clock) as sim:

        async def poll() -> float | None:
            client = AsyncTradierClient(sim.api_url, sim.config.token)
            try:
                (quote,) = await client.quotes(["BRK/B"])
                assert quote.last is not None
                poller = MarketPoller(pipeline=None, client=client, clock=clock)  # type: ignore[arg-type]
                today = to_new_york(START_MS).date()
                return await poller._atm_iv("BRK/B", float(quote.last), today)
            finally:
                await client.aclose()

        iv = asyncio.run(poll())
    assert iv is not None and 0.05 < iv < 1.5
