"""Every built-in strategy end to end: signal -> chain -> legs -> sized proposal ->
the contract's validation -> the real gate (in-process, moto DynamoDB) -> the simulator's
sandbox broker, which must accept the order."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, time
from decimal import Decimal

import pytest

from brain.engine import Engine
from brain.exits import ExitReason
from brain.gate_client import GateClient
from brain.limits import SignalLimiter
from brain.market import Signal
from brain.monitor import PositionMonitor, closing_price, quote_book
from brain.proposals import PlannedTrade, Planner, open_proposal, opened_position, seeded_ids
from brain.replay import REPLAY_SECRET, SIM_ACCOUNT, SIM_TOKEN, default_day
from brain.sizing import SizingPolicy, shares_for, size
from brain.strategies import EquityPlan, build_strategies
from edgegate.compose import in_process_gate
from gatekeeper.contract import DecisionKind, decode_proposal, encode
from tradier.client import AsyncTradierClient
from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

# One symbol per strategy keeps the gate's per-symbol limits out of the way.
CASES = [
    ("credit_spread", "SPY", "bull_put"),
    ("iron_condor", "QQQ", "iron_condor"),
    ("iron_butterfly", "IWM", "iron_butterfly"),
    ("put_ratio_backspread", "DIA", "put_ratio_backspread"),
    ("calendar", "SPY", "calendar"),
    ("equity_trend", "QQQ", "long"),
]
START = from_datetime(datetime.combine(default_day(), time(10, 30), tzinfo=NEW_YORK))


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(scope="module")
def sim(clock: ManualClock) -> Iterator[RunningSim]:
    with run_in_thread(SimConfig(seed=11, follow_calendar=True, tick_s=0.05), clock) as running:
        yield running


@pytest.fixture(scope="module")
def gate_url(sim: RunningSim, clock: ManualClock) -> Iterator[str]:
    with in_process_gate(sim.api_url, clock, REPLAY_SECRET) as url:
        yield url


async def _signal(
    client: AsyncTradierClient, symbol: str, strategy: str, kind: str, now: int
) -> Signal:
    quote = (await client.quotes([symbol]))[0]
    assert quote.bid is not None and quote.ask is not None
    mid = (quote.bid + quote.ask) / 2
    params: dict[str, object] = {"price": str(round(mid, 2)), "regime": "test"}
    if kind == "long":
        params.update({"bid": str(quote.bid), "ask": str(quote.ask), "atr": 0.8})
    return Signal(symbol, strategy, kind, now, 1.0, "end-to-end test", params)  # type: ignore[arg-type]


async def _equity() -> Decimal:
    return Decimal(100_000)


def _quantity(planned: PlannedTrade) -> int:
    policy = SizingPolicy()
    plan = planned.plan
    if isinstance(plan, EquityPlan):
        return shares_for(Decimal(100_000), plan.price, plan.stop, policy).quantity
    ratio = max(leg.ratio for leg in plan.legs)
    return min(size(Decimal(100_000), plan.max_loss_each, policy).quantity, policy.cap // ratio)


@pytest.mark.parametrize(("name", "symbol", "kind"), CASES)
async def test_strategy_when_signalled_then_gate_approves_and_simulator_accepts_order(
    name: str, symbol: str, kind: str, sim: RunningSim, gate_url: str, clock: ManualClock
):
    clock.advance(61_000)  # past the gate's one-opening-per-symbol-per-minute window
    strategy = next(s for s in build_strategies([name]))
    async with AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as client:
        signal = await _signal(client, symbol, name, kind, clock.now_ms())
        planned = await Planner(client).plan(signal, strategy, default_day())
        assert isinstance(planned, PlannedTrade), planned
        quantity = _quantity(planned)
        assert quantity >= 1
        proposal = open_proposal(
            planned,
            quantity,
            proposal_id=seeded_ids(99, name)(),
            created_at_ms=clock.now_ms(),
            source_name=name,
        )
        assert decode_proposal(encode(proposal)) == proposal
        async with GateClient(gate_url, REPLAY_SECRET, clock) as gate:
            decision = await gate.submit(proposal)
        assert decision.decision is DecisionKind.APPROVED, decision
        assert decision.order_id is not None
        order = await client.order(decision.order_id)
    assert order.status in {"open", "pending", "filled", "partially_filled"}, order
    assert order.tag == proposal.id


@pytest.fixture
def fresh_gate_url(sim: RunningSim, clock: ManualClock) -> Iterator[str]:
    # Its own tables: the six openings above fill the correlation group of the shared gate.
    with in_process_gate(sim.api_url, clock, REPLAY_SECRET) as url:
        yield url


async def test_exit_when_vertical_filled_then_closing_proposal_approved_and_accepted(
    sim: RunningSim, fresh_gate_url: str, clock: ManualClock
):
    gate_url = fresh_gate_url
    clock.advance(61_000)
    strategy = build_strategies(["credit_spread"])[0]
    async with (
        AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT) as client,
        GateClient(gate_url, REPLAY_SECRET, clock) as gate,
    ):
        signal = await _signal(client, "IWM", "credit_spread", "bear_call", clock.now_ms())
        planned = await Planner(client).plan(signal, strategy, default_day())
        assert isinstance(planned, PlannedTrade)
        ids = seeded_ids(99, "exit")
        opening = open_proposal(
            planned, 1, proposal_id=ids(), created_at_ms=clock.now_ms(), source_name="credit_spread"
        )
        opened = await gate.submit(opening)
        assert opened.decision is DecisionKind.APPROVED and opened.order_id is not None
        for _ in range(100):  # the simulator fills marketable orders on its next tick
            clock.advance(1_000)
            await asyncio.sleep(0.05)
            if (await client.order(opened.order_id)).status == "filled":
                break
        assert (await client.order(opened.order_id)).status == "filled"
        monitor = PositionMonitor(clock=clock, quotes=client)
        engine = Engine(
            clock=clock,
            strategies=[strategy],
            planner=Planner(client),
            limiter=SignalLimiter(clock),
            gate=gate,
            monitor=monitor,
            equity=_equity,
            ids=ids,
        )
        position = opened_position(opening, clock.now_ms())
        monitor.add(position)
        book = quote_book(await client.quotes(position.quote_symbols))
        price = closing_price(position, book)
        assert price is not None
        closing_id = await engine.close(position, ExitReason.TIME, price)
        assert closing_id is not None
        assert engine.stats.closes == 1 and engine.stats.approved == 1
        record = await gate.proposal_record(closing_id)
        assert record is not None and record.proposal.intent.value == "close"
        assert record.decision.order_id is not None
        order = await client.order(record.decision.order_id)
        assert order.status in {"open", "pending", "filled", "partially_filled"}, order
