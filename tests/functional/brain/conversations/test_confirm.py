"""Confirming recommendations through the brain's API, against the real gate (in-process,
moto) trading on the simulator: 20 concurrent confirms make one proposal and one order;
a second confirm is 409 with the first decision, an expired one 410, an unknown one 404;
a no places nothing; a price moved beyond tolerance asks again instead of trading."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.conversations.ids import new_id
from brain.conversations.plans import proposal_id_of
from brain.conversations.store import MemorySessionStore, SessionStore
from brain.replay import SIM_ACCOUNT, SIM_TOKEN
from tests.functional.brain.conversations.support import Harness, answer, harness, idea
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

MIN = 60_000


async def recommend(h: Harness, symbol: str = "SPY") -> dict[str, Any]:
    """One turn in which Claude recommends one bull put spread on `symbol`."""
    assert h.fake is not None
    h.fake.script(Reply(Scripted.VALID, answer("One idea.", idea(symbol))))
    body = (await h.generate(f"an idea for {symbol}?", watchlist=[symbol])).json()
    [rec] = body["recommendations"]
    return rec


async def orders_tagged(sim: RunningSim, tag: str) -> list[Any]:
    """The simulator's orders carrying `tag` (the gate tags each with the proposal id)."""
    async with AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as client:
        return [o for o in await client.orders() if o.tag == tag]


async def test_confirm_when_20_race_then_one_proposal_one_order_and_409s_with_it(
    store: SessionStore, sim: RunningSim, gate_url: str, clock: ManualClock
) -> None:
    clock.advance(61_000)  # past the gate's one-opening-per-symbol-per-minute window
    async with (
        FakeClaude() as fake,
        harness(store=store, clock=clock, sim_url=sim.api_url, gate_url=gate_url, fake=fake) as h,
    ):
        rec = await recommend(h)
        responses = await asyncio.gather(*(h.confirm(rec["id"]) for _ in range(20)))
        assert h.confirmer.proposals_sent == 1
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [409] * 19, [r.text for r in responses]
        [first] = [r.json() for r in responses if r.status_code == 200]
        assert first["proposal_id"] == proposal_id_of(rec["id"])
        assert first["decision"] == "APPROVED", first
        assert first["order_id"] is not None
        later = [r.json() for r in responses if r.status_code == 409]
        # Those that lost while the winner was still sending see "in progress" (null).
        assert all(r["error"]["code"] == "already_confirmed" for r in later)
        assert all(r["decision"] in (None, first) for r in later)
        again = await h.confirm(rec["id"])
        assert again.status_code == 409 and again.json()["decision"] == first
    assert len(await orders_tagged(sim, first["proposal_id"])) == 1


async def test_confirm_when_expired_then_410_and_unknown_then_404(
    sim: RunningSim, gate_url: str, clock: ManualClock
) -> None:
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
        rec = await recommend(h)
        clock.advance(10 * MIN)
        expired = await h.confirm(rec["id"])
        assert expired.status_code == 410 and expired.json()["error"]["code"] == "expired"
        unknown = await h.confirm(new_id())
        assert unknown.status_code == 404
        assert h.confirmer.proposals_sent == 0
    assert await orders_tagged(sim, proposal_id_of(rec["id"])) == []


async def test_confirm_when_trader_says_no_then_nothing_placed_and_final(
    sim: RunningSim, gate_url: str, clock: ManualClock
) -> None:
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
        rec = await recommend(h)
        no = await h.confirm(rec["id"], confirmed=False)
        assert no.status_code == 200 and no.json()["placed"] is False
        yes_after = await h.confirm(rec["id"])
        assert yes_after.status_code == 409
        assert yes_after.json()["decision"]["decision"] == "DECLINED_BY_TRADER"
        assert h.confirmer.proposals_sent == 0


async def test_confirm_when_price_moved_beyond_tolerance_then_asks_again_then_trades(
    sim: RunningSim, gate_url: str, clock: ManualClock
) -> None:
    store = MemorySessionStore()
    async with (
        FakeClaude() as fake,
        harness(store=store, clock=clock, sim_url=sim.api_url, gate_url=gate_url, fake=fake) as h,
    ):
        clock.advance(61_000)
        rec = await recommend(h, "QQQ")
        # What the trader was shown: the same legs, 0.50 more credit than the market gives now.
        stored = store.get_recommendation(rec["id"])
        assert stored is not None
        shown = json.loads(stored.structure)
        shown["net_price"] = str(Decimal(shown["net_price"]) + Decimal("0.50"))
        assert store.reprice(rec["id"], 1, json.dumps(shown), stored.expires_at_ms)
        moved = await h.confirm(rec["id"])
        assert moved.status_code == 409 and moved.json()["error"]["code"] == "price_moved"
        fresh = moved.json()["recommendation"]
        assert fresh["id"] == rec["id"] and fresh["net_price"] == rec["net_price"]
        assert fresh["expires_at"] == clock.now_ms() + 10 * MIN  # a fresh window
        assert h.confirmer.proposals_sent == 0  # nothing traded at a price not shown
        placed = await h.confirm(rec["id"])  # the price now shown holds
        assert placed.status_code == 200, placed.text
        assert placed.json()["decision"] == "APPROVED", placed.text
        assert h.confirmer.proposals_sent == 1
