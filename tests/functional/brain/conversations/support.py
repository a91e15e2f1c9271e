"""The conversations wired for real on loopback: the Tradier simulator, the gate
in-process (moto DynamoDB), the local fake Messages API, a sessions store, and the
brain's API server; nothing reaches a real service."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import httpx

from brain.analyst.budget import Budget
from brain.analyst.calls import CallLog
from brain.analyst.claude import ClaudeClient
from brain.analyst.config import AnalystConfig
from brain.analyst.fake_claude import FakeClaude
from brain.analyst.prices import load_prices
from brain.analyst.spend import MemorySpendStore
from brain.api.server import Api, serve
from brain.conversations.compose import build_service
from brain.conversations.confirm import ConfirmConfig, Confirmer
from brain.conversations.context import LiveBrainState
from brain.conversations.prefix import conversation_prefix
from brain.conversations.service import ConversationService
from brain.conversations.speakers import ClaudeSpeaker, OfflineSpeaker, Speaker
from brain.conversations.store import SessionStore
from brain.gate_client import GateClient
from brain.market import SymbolState
from brain.replay import REPLAY_SECRET
from tradier.client import AsyncTradierClient
from tradier.clock import ManualClock

TOKEN = "t" * 40


async def no_sleep(_s: float) -> None:
    """Retries wait in simulated time."""


def claude_speaker(fake_url: str, clock: ManualClock) -> ClaudeSpeaker:
    """Claude's conversation speaker, its client pointed at the fake."""
    settings = AnalystConfig(api_key="test-key", base_url=fake_url, max_tokens=1200)
    prices = load_prices(settings.prices_path)
    client = ClaudeClient(
        settings,
        prices.price(settings.model),
        Budget(MemorySpendStore(), clock, Decimal("5.00"), 1000),
        clock,
        calls=CallLog(),
        sleep=no_sleep,
        price_effective=prices.effective if prices.effective else date(2026, 1, 1),
    )
    return ClaudeSpeaker(client, conversation_prefix())


async def quote_states(client: AsyncTradierClient, symbols: Sequence[str]) -> dict[str, Any]:
    """The pipeline's per-symbol states, quoted from the simulator (as the feed would)."""
    states = {s: SymbolState(s) for s in symbols}
    for quote in await client.quotes(list(symbols)):
        state = states[quote.symbol]
        state.bid = float(quote.bid) if quote.bid is not None else None
        state.ask = float(quote.ask) if quote.ask is not None else None
    return states


@dataclass
class Harness:
    """Everything a test talks to."""

    http: httpx.AsyncClient
    service: ConversationService
    store: SessionStore
    clock: ManualClock
    states: dict[str, SymbolState]
    fake: FakeClaude | None
    confirmer: Confirmer

    async def generate(self, prompt: str, watchlist: Sequence[str] = ("SPY",), **kw: Any) -> Any:
        """POST /api/strategies/generate; the response."""
        body = {"prompt": prompt, "watchlist": list(watchlist), **kw}
        return await self.http.post("/api/strategies/generate", json=body)

    async def confirm(self, rec_id: str, confirmed: bool = True) -> httpx.Response:
        """POST /api/strategies/{id}/confirm."""
        return await self.http.post(
            f"/api/strategies/{rec_id}/confirm", json={"confirmed": confirmed}
        )


@asynccontextmanager
async def harness(
    *,
    store: SessionStore,
    clock: ManualClock,
    sim_url: str,
    gate_url: str | None,
    fake: FakeClaude | None,
    symbols: Sequence[str] = ("SPY", "QQQ"),
    confirm: ConfirmConfig | None = None,
) -> AsyncIterator[Harness]:
    """The API on a free loopback port over the real parts."""
    from brain.replay import SIM_ACCOUNT, SIM_TOKEN

    async with AsyncTradierClient(sim_url, SIM_TOKEN, SIM_ACCOUNT) as market:
        gate = GateClient(gate_url, REPLAY_SECRET, clock) if gate_url else None
        states = await quote_states(market, symbols)
        brain = LiveBrainState(states, {}, gate, clock)

        async def equity() -> Decimal:
            return Decimal(100_000)

        speaker: Speaker = claude_speaker(fake.url, clock) if fake else OfflineSpeaker()
        service = build_service(
            store=store,
            speaker=speaker,
            brain=brain,
            chains=market,
            gate=gate,
            clock=clock,
            equity=equity,
            confirm=confirm,
        )
        runner, port = await serve(Api(service, TOKEN), "127.0.0.1", 0)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60
            ) as http:
                yield Harness(http, service, store, clock, states, fake, service.confirmer)
        finally:
            await runner.cleanup()
            if isinstance(speaker, ClaudeSpeaker):
                await speaker.client.aclose()
            if gate is not None:
                await gate.aclose()


def answer(response: str, *recommendations: dict[str, Any]) -> str:
    """A scripted ConversationAnswer (the fake returns it as Claude's text)."""
    return json.dumps({"response": response, "recommendations": list(recommendations)})


def idea(
    symbol: str = "SPY",
    strategy: str = "credit_spread",
    direction: str = "bull_put",
    quantity: int = 1,
) -> dict[str, Any]:
    """One recommendation as Claude would state it."""
    return {
        "strategy": strategy,
        "symbol": symbol,
        "direction": direction,
        "quantity": quantity,
        "rationale": "test idea",
    }


@dataclass
class Hours:
    start: time
    end: time


@dataclass
class Day:
    date: date
    status: str
    open: Hours | None


class Calendar:
    """Tradier's calendar: weekdays open 09:30-16:00, weekends closed."""

    async def calendar(self, year: int, month: int) -> list[Any]:
        first = date(year, month, 1)
        days = [first + timedelta(days=n) for n in range(31)]
        return [
            Day(d, "closed", None)
            if d.weekday() >= 5
            else Day(d, "open", Hours(time(9, 30), time(16)))
            for d in days
            if d.month == month
        ]
