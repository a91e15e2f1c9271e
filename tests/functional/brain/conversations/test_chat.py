"""`edgegate chat` against the brain's API: recommendations shown with legs, price and max
loss; anything but yes places nothing; yes places one order through the gate."""

from __future__ import annotations

from typing import Any

from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.api.cli import chat
from brain.conversations.store import MemorySessionStore
from brain.replay import SIM_ACCOUNT, SIM_TOKEN
from tests.functional.brain.conversations.support import answer, harness, idea, quote_states
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim


async def test_chat_when_trader_answers_n_then_yes_then_one_order_only(
    sim: RunningSim, gate_url: str, clock: ManualClock
) -> None:
    typed = iter(["an idea for SPY?", "n", "and another?", "yes", ""])
    shown: list[str] = []

    async def read(prompt: str) -> str:
        shown.append(prompt)
        return next(typed)

    async with (
        FakeClaude() as fake,
        harness(
            store=MemorySessionStore(),
            clock=clock,
            sim_url=sim.api_url,
            gate_url=gate_url,
            fake=fake,
        ) as h,
    ):
        clock.advance(61_000)
        fake.script(
            Reply(Scripted.VALID, answer("One idea.", idea("IWM"))),
            Reply(Scripted.VALID, answer("Another.", idea("IWM"))),
        )
        h.states.update(await _states(sim, "IWM"))
        confirmed = await chat(h.http, ["IWM"], read, shown.append)
        assert h.confirmer.proposals_sent == 1
    assert confirmed == 1
    text = "\n".join(shown)
    assert "max loss $" in text and "IWM" in text and "sell" in text and "buy" in text
    assert "  not placed." in text
    assert "gate: APPROVED" in text


async def _states(sim: RunningSim, symbol: str) -> dict[str, Any]:
    async with AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as client:
        return await quote_states(client, [symbol])
