"""The live dashboard in a real browser: headless Chromium over the DevTools protocol.

The brain is wired for real (the simulator on loopback, the gate in-process over moto,
the analyst's client on the local fake Messages API) and its API is served on a free
port. Chromium signs in through the page's form (a wrong token first: refused), asks the
strategy chat for an idea, places it with the page's button, and the test reads the
state, positions and proposals tables the page drew from the run; a screenshot is kept in
tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from brain.analyst.analysts import ClaudeAnalyst
from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.api.live import dashboard_api
from brain.api.server import serve
from brain.conversations.prefix import conversation_prefix
from brain.conversations.store import MemorySessionStore
from brain.gate_client import GateClient
from brain.replay import REPLAY_SECRET, SIM_ACCOUNT, SIM_TOKEN
from brain.runtime import Brain, build_brain
from brain.timing import Pace, clock_sleep
from tests.functional.brain.conversations.support import answer, claude_speaker, idea
from tests.integration.dashboard.devtools import Page, open_page
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "artifacts"
TOKEN = "fake-dashboard-token-for-tests-" + "d" * 16
TABLES = """JSON.stringify(Object.fromEntries(["state", "spend", "positions", "proposals"].map(
  (id) => [id, [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) => ({
    id: tr.dataset.positionId || tr.dataset.proposalId || null,
    cells: [...tr.cells].map((td) => td.innerText.trim())}))])))"""


async def _brain(market: AsyncTradierClient, gate_url: str, clock: ManualClock) -> Brain:
    brain = build_brain(
        symbols=["SPY"],
        clock=clock,
        market=market,
        stream_factory=lambda: None,  # type: ignore[arg-type,return-value]  # no feed here
        gate=GateClient(gate_url, REPLAY_SECRET, clock),
        pace=Pace(clock_sleep(clock)),
        equity=Decimal(100_000),
    )
    [quote] = await market.quotes(["SPY"])
    state = brain.pipeline.states["SPY"]
    state.bid, state.ask = float(quote.bid or 0), float(quote.ask or 0)
    assert await brain.heartbeat.beat()  # the gate's trading state, as the running brain has
    return brain


async def _submit_token(page: Page, token: str) -> None:
    await page.wait_for("document.getElementById('token') !== null")
    await page.evaluate(
        f"document.getElementById('token').value = {token!r};"
        "document.getElementById('sign-in').click(); true"
    )


async def _sign_in(page: Page, url: str) -> None:
    await page.send("Page.enable")
    await page.send("Page.navigate", url=url)
    await _submit_token(page, "a-wrong-token-of-enough-length-" + "w" * 16)
    await page.wait_for("document.getElementById('login-message')?.innerText === 'Wrong token.'")
    await _submit_token(page, TOKEN)
    await page.wait_for("document.getElementById('trading-state') !== null")


async def _chat_and_place(page: Page) -> str:
    await page.evaluate(
        "document.getElementById('prompt').value = 'An income idea for SPY?';"
        "document.getElementById('send').click(); true"
    )
    rec_id: str = await page.wait_for(
        "document.querySelector('.rec button.confirm')?.dataset.recId"
    )
    # Shown, not placed: the page waits for the trader's click.
    assert await page.evaluate("document.querySelector('.rec .outcome').innerText") == ""
    await page.evaluate("document.querySelector('.rec button.confirm').click(); true")
    outcome: str = await page.wait_for(
        "(t => t.startsWith('gate:') && t)(document.querySelector('.rec .outcome').innerText)"
    )
    assert outcome.startswith("gate: APPROVED"), outcome
    return rec_id


@pytest.fixture
async def dashboard(
    sim: RunningSim, gate_url: str, clock: ManualClock
) -> AsyncIterator[tuple[str, Brain, FakeClaude]]:
    """The brain's API on a free port over a wired brain; its URL, the brain, the fake."""
    async with (
        FakeClaude() as fake,
        AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as market,
    ):
        brain = await _brain(market, gate_url, clock)
        analyst = ClaudeAnalyst(claude_speaker(fake.url, clock).client, conversation_prefix())
        api = dashboard_api(brain, analyst, MemorySessionStore(), TOKEN)
        runner, port = await serve(api, "127.0.0.1", 0)
        try:
            yield f"http://127.0.0.1:{port}/", brain, fake
        finally:
            await runner.cleanup()
            await brain.aclose()
            await analyst.aclose()


async def test_dashboard_when_signed_in_and_an_idea_placed_then_tables_hold_the_run(
    dashboard: tuple[str, Brain, FakeClaude], tmp_path: Path
) -> None:
    url, brain, fake = dashboard
    fake.script(Reply(Scripted.VALID, answer("One idea: a bull put spread.", idea("SPY"))))
    async with open_page(tmp_path / "profile") as page:
        await _sign_in(page, url)
        cookies = (await page.send("Network.getAllCookies"))["cookies"]
        [session] = [c for c in cookies if c["name"] == "eg_session"]
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        assert "eg_session" not in await page.evaluate("document.cookie")
        rec_id = await _chat_and_place(page)
        await page.wait_for(
            "document.querySelector('.msg.analyst')?.innerText.includes('bull put')"
        )
        await brain.monitor.check()  # the monitor marks the new position, as it does every 30 s
        await page.wait_for(
            "/^[+-]?\\d+\\.\\d\\d$/.test("
            "document.querySelector('#positions tbody tr[data-position-id]')?.cells[4].innerText)"
        )
        await page.wait_for(
            "document.querySelector('#proposals tbody tr[data-proposal-id]') !== null"
        )
        tables: dict[str, list[dict[str, Any]]] = json.loads(await page.evaluate(TABLES))
        ARTIFACTS.mkdir(exist_ok=True)
        shot = await page.send("Page.captureScreenshot", format="png")
        (ARTIFACTS / "dashboard.png").write_bytes(base64.b64decode(shot["data"]))
    state = {row["cells"][0]: row["cells"][1] for row in tables["state"]}
    assert state["trading_state"] == "ACTIVE"
    [position] = [row for row in tables["positions"] if row["id"]]
    assert position["id"] in brain.monitor.positions
    assert position["cells"][0] == "SPY" and position["cells"][1] == "vertical"
    held = brain.monitor.positions[position["id"]]
    assert held.last_pnl_each is not None  # marked at the simulator's quotes
    assert Decimal(position["cells"][4]) == round(held.last_pnl_each * held.quantity, 2)
    [proposal] = [row for row in tables["proposals"] if row["id"]]
    assert proposal["cells"][1:3] == ["SPY", "vertical"]
    assert proposal["cells"][3] == "chat" and proposal["cells"][5] == "APPROVED"
    assert rec_id
    spend = {row["cells"][0]: row["cells"][1] for row in tables["spend"]}
    assert spend["analyst"] == "claude"
    assert (ARTIFACTS / "dashboard.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
