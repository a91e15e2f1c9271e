"""The dashboard as `edgegate brain run` serves it (`start_api` over a wired brain)."""

from __future__ import annotations

from decimal import Decimal

import httpx

from brain.analyst.analysts import OfflineAnalyst
from brain.api.live import start_api
from brain.replay import SIM_ACCOUNT, SIM_TOKEN
from brain.runtime import build_brain
from brain.timing import Pace, clock_sleep
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

TOKEN = "fake-live-dashboard-token-" + "l" * 16


async def test_brain_run_when_token_set_then_the_login_page_and_the_brains_own_board(
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
        runner = await start_api(brain, OfflineAnalyst(), {"EDGEGATE_API_TOKEN": TOKEN}, port=0)
        assert runner is not None
        try:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            async with httpx.AsyncClient(base_url=url) as http:
                page = await http.get("/")
                script = await http.get("/static/dashboard.js")
                unauthorised = await http.get("/api/dashboard")
                headers = {"Authorization": f"Bearer {TOKEN}"}
                board = (await http.get("/api/dashboard", headers=headers)).json()
        finally:
            await runner.cleanup()
            await brain.aclose()
    assert page.status_code == 200 and 'action="/login"' in page.text
    assert script.headers["content-type"].startswith("text/javascript")
    assert unauthorised.status_code == 401
    assert board["positions"] == [] and board["proposals"] == []
    assert board["trading_state"] is None  # no heartbeat yet: said, not guessed
    assert board["analyst"]["analyst"] == "offline"
    assert board["now_ms"] == clock.now_ms()
