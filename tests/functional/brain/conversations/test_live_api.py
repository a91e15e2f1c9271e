"""The API inside a wired brain: its context is the pipeline's own symbol state, its
plans use the brain's market client, and it does not start without a strong token."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from brain.analyst.analysts import OfflineAnalyst
from brain.api.auth import TokenError
from brain.api.live import start_api
from brain.replay import SIM_ACCOUNT, SIM_TOKEN
from brain.runtime import build_brain
from brain.timing import Pace, clock_sleep
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

TOKEN = "k" * 32


async def test_live_api_when_token_set_then_serves_the_brains_own_state(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as market:
        brain = build_brain(
            symbols=["SPY"],
            clock=clock,
            market=market,
            stream_factory=lambda: None,  # type: ignore[arg-type,return-value]
            gate=None,
            pace=Pace(clock_sleep(clock)),
            equity=Decimal(100_000),
        )
        [quote] = await market.quotes(["SPY"])
        state = brain.pipeline.states["SPY"]
        state.bid, state.ask = float(quote.bid or 0), float(quote.ask or 0)
        with pytest.raises(TokenError):
            await start_api(brain, OfflineAnalyst(), {"EDGEGATE_API_TOKEN": "short"}, port=0)
        assert await start_api(brain, OfflineAnalyst(), {}, port=0) is None
        runner = await start_api(brain, OfflineAnalyst(), {"EDGEGATE_API_TOKEN": TOKEN}, port=0)
        assert runner is not None
        port = runner.addresses[0][1]
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {TOKEN}"},
            ) as http:
                status = (await http.get("/api/status")).json()
                body = (
                    await http.post(
                        "/api/strategies/generate", json={"prompt": "SPY?", "watchlist": ["SPY"]}
                    )
                ).json()
        finally:
            await runner.cleanup()
            await brain.aclose()
    assert status["health"] == "ok" and status["analyst"] == "offline"
    assert body["analyst"] == "offline" and body["response"].startswith("Offline analyst")
    assert body["recommendations"] == []  # regime and gate unknown: nothing to recommend
