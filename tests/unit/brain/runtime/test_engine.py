from decimal import Decimal

import httpx

from brain.engine import Engine, EngineEvent
from brain.gate_client import GateClient
from brain.limits import SignalLimiter
from brain.market import Signal
from brain.monitor import OpenPosition, PositionMonitor
from brain.proposals import Planner, seeded_ids
from brain.strategies import build_strategies
from gatekeeper.contract import (
    Decision,
    DecisionKind,
    Intent,
    OrderState,
    ReasonCode,
    TradingState,
    decode_proposal,
    encode,
)
from tradier.clock import ManualClock

from .test_monitor import FakeQuotes
from .test_proposals import FakeChains

NOW = 1_795_012_200_000  # 2026-11-18 (chain fixture expirations are 30 and 58 days out)
SECRET = b"test-signing-secret-" + b"x" * 20


class FakeGate:
    """Decodes every proposal with the real contract and approves it as filled."""

    def __init__(self) -> None:
        self.proposals = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        proposal = decode_proposal(request.content)
        self.proposals.append(proposal)
        decision = Decision(
            proposal_id=proposal.id,
            decision=DecisionKind.APPROVED,
            order_id=1,
            order_state=OrderState.FILLED,
        )
        return httpx.Response(200, content=encode(decision))


async def _equity() -> Decimal:
    return Decimal(100_000)


def engine(
    quotes: FakeQuotes | None = None,
) -> tuple[Engine, FakeGate, list[EngineEvent], ManualClock]:
    clock = ManualClock(NOW)
    gate = FakeGate()
    events: list[EngineEvent] = []
    monitor = PositionMonitor(clock=clock, quotes=quotes or FakeQuotes({}))
    eng = Engine(
        clock=clock,
        strategies=build_strategies(),
        planner=Planner(FakeChains()),
        limiter=SignalLimiter(clock),
        gate=GateClient("http://gate.test", SECRET, clock, transport=httpx.MockTransport(gate)),
        monitor=monitor,
        equity=_equity,
        ids=seeded_ids(1),
        report=events.append,
    )
    return eng, gate, events, clock


def signal(strategy: str, kind: str) -> Signal:
    return Signal("SPY", strategy, kind, NOW, 1.0, "test", {"price": "500.00"})  # type: ignore[arg-type]


async def test_engine_when_signal_then_sized_proposal_approved_and_position_managed():
    eng, gate, events, _ = engine()
    eng.submit_signal(signal("iron_condor", "iron_condor"))
    assert await eng.process_pending() == 1
    assert [e.kind for e in events] == ["signal", "proposal", "decision"]
    proposal = gate.proposals[0]
    assert proposal.quantity >= 1 and proposal.intent is Intent.OPEN
    assert eng.monitor.has_open("SPY", "iron_condor")
    assert eng.stats.approved == 1


async def test_engine_when_same_strategy_already_open_then_skipped():
    eng, gate, events, clock = engine()
    await eng.handle(signal("iron_condor", "iron_condor"))
    clock.advance(600_000)
    await eng.handle(signal("iron_condor", "iron_condor"))
    assert len(gate.proposals) == 1
    assert events[-1].kind == "skip" and events[-1].detail == "position_open"


async def test_engine_when_other_strategy_same_symbol_within_minute_then_symbol_rate():
    eng, gate, events, _ = engine()
    await eng.handle(signal("iron_condor", "iron_condor"))
    await eng.handle(signal("credit_spread", "bull_put"))
    assert len(gate.proposals) == 1
    assert events[-1].detail == "symbol_rate"


async def test_engine_when_gate_reducing_then_no_opening():
    eng, gate, events, _ = engine()
    eng.gate_state = lambda: TradingState.REDUCING
    await eng.handle(signal("iron_condor", "iron_condor"))
    assert gate.proposals == []
    assert events[-1].detail == "gate_reducing"


async def test_engine_when_signals_queued_out_of_order_then_processed_in_time_symbol_order():
    eng, _, events, _ = engine()
    late = Signal("SPY", "iron_condor", "iron_condor", NOW + 1, 1.0, "", {"price": "500.00"})
    eng.submit_signal(late)
    eng.submit_signal(signal("credit_spread", "bull_put"))
    await eng.process_pending()
    seen = [e.strategy for e in events if e.kind == "signal"]
    assert seen == ["credit_spread", "iron_condor"]


async def test_engine_when_monitor_exit_then_closing_proposal_sent_and_position_removed():
    quotes = FakeQuotes({})
    eng, gate, _, clock = engine(quotes)
    await eng.handle(signal("credit_spread", "bull_put"))
    position = next(iter(eng.monitor.positions.values()))
    # Both legs now nearly worthless: the spread has made most of its credit.
    quotes.book = {leg.option_symbol: ("0.01", "0.02") for leg in position.legs}
    clock.advance(60_000)
    asked = await eng.monitor.check()
    assert len(asked) == 1
    closing = gate.proposals[-1]
    assert closing.intent is Intent.CLOSE
    assert closing.quantity == position.quantity
    assert eng.monitor.positions == {}  # the gate reported the close filled


class FlakyGate(FakeGate):
    """Down for proposals until told otherwise; keeps the record of what it decided."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True
        self.records: dict[str, bytes] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            pid = request.url.path.rsplit("/", 1)[-1]
            if pid not in self.records:
                return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "no"}})
            return httpx.Response(200, content=self.records[pid])
        if self.down:
            # The gate decided, but the answer was lost on the way back.
            response = super().__call__(request)
            proposal = self.proposals[-1]
            self.records[proposal.id] = _record(proposal, response.content)
            return httpx.Response(
                503, json={"error": {"code": "STORAGE_UNAVAILABLE", "message": "x"}}
            )
        return super().__call__(request)


def _record(proposal, decision_bytes: bytes) -> bytes:
    import msgspec

    decision = msgspec.json.decode(decision_bytes)
    return msgspec.json.encode(
        {
            "decision": decision,
            "proposal": msgspec.json.decode(encode(proposal)),
            "received_at": NOW,
            "updated_at": NOW,
        }
    )


async def test_engine_when_outcome_unknown_then_settled_from_gate_record_not_resent():
    eng, _, events, _ = engine()
    flaky = FlakyGate()
    eng.gate = GateClient(
        "http://gate.test",
        SECRET,
        ManualClock(NOW),
        transport=httpx.MockTransport(flaky),
        sleep=_no_sleep,
    )
    await eng.handle(signal("iron_condor", "iron_condor"))
    assert eng.stats.unknown == 1 and not eng.monitor.has_open("SPY", "iron_condor")
    flaky.down = False
    sent_before = len(flaky.proposals)
    await eng.process_pending()
    assert len(flaky.proposals) == sent_before  # settled by reading the record, not resending
    assert eng.monitor.has_open("SPY", "iron_condor")
    assert events[-1].detail == "settled APPROVED"


async def _no_sleep(_: float) -> None:
    return None


async def test_engine_when_max_open_positions_reached_then_skipped_before_the_gate():
    eng, gate, events, _ = engine()
    eng.max_open = 1
    await eng.handle(signal("iron_condor", "iron_condor"))
    other = Signal("QQQ", "credit_spread", "bull_put", NOW, 1.0, "", {"price": "500.00"})
    await eng.handle(other)
    assert len(gate.proposals) == 1
    assert events[-1].detail == "max_open_positions"


class SilentGate(FlakyGate):
    """Decides every proposal but every answer is lost, and its records cannot be read."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and self.down:
            return httpx.Response(
                503, json={"error": {"code": "STORAGE_UNAVAILABLE", "message": "x"}}
            )
        return super().__call__(request)


def _ids(proposals) -> int:
    return len({p.id for p in proposals})


def _gate_over(handler: FakeGate) -> GateClient:
    return GateClient(
        "http://gate.test",
        SECRET,
        ManualClock(NOW),
        transport=httpx.MockTransport(handler),
        sleep=_no_sleep,
    )


async def _exit_through(gate: FakeGate) -> tuple[Engine, OpenPosition, ManualClock]:
    """A credit spread opened, then `gate` in place, then an exit fires and is sent."""
    quotes = FakeQuotes({})
    eng, _, _, clock = engine(quotes)
    await eng.handle(signal("credit_spread", "bull_put"))
    position = next(iter(eng.monitor.positions.values()))
    eng.gate = _gate_over(gate)
    quotes.book = {leg.option_symbol: ("0.01", "0.02") for leg in position.legs}
    clock.advance(60_000)
    await eng.monitor.check()
    return eng, position, clock


async def test_engine_when_close_outcome_unknown_then_settled_from_record_never_a_second_close():
    flaky = FlakyGate()  # the close is decided and filled, but the answer is lost
    eng, _, clock = await _exit_through(flaky)
    assert _ids(flaky.proposals) == 1 and eng.stats.unknown == 1
    # Past the repeat window and every monitor timeout, the gate reachable again.
    clock.advance(600_000)
    flaky.down = False
    await eng.process_pending()
    await eng.monitor.check()
    closes = [p for p in flaky.proposals if p.intent is Intent.CLOSE]
    assert _ids(closes) == 1  # one intent, one proposal id (retries resend that id)
    assert eng.monitor.positions == {}  # the record says the close filled


async def test_engine_when_close_outcome_still_unknown_then_same_id_kept_not_a_new_one():
    silent = SilentGate()
    eng, position, clock = await _exit_through(silent)
    first = eng.monitor.positions[position.id].closing_id
    clock.advance(600_000)
    await eng.process_pending()
    await eng.monitor.check()
    assert _ids([p for p in silent.proposals if p.intent is Intent.CLOSE]) == 1
    assert eng.monitor.positions[position.id].closing_id == first


async def test_engine_when_opening_outcome_unknown_then_same_signal_later_not_sent_again():
    eng, _, events, clock = engine()
    silent = SilentGate()
    eng.gate = _gate_over(silent)
    await eng.handle(signal("iron_condor", "iron_condor"))
    clock.advance(600_000)  # past the brain's repeat window
    await eng.process_pending()
    await eng.handle(signal("iron_condor", "iron_condor"))
    assert _ids(silent.proposals) == 1
    assert events[-1].kind == "skip" and events[-1].detail == "outcome_unknown"


class WorkingGate(FakeGate):
    """Approves openings as filled and closes as working orders; the records it keeps
    say what became of each close (`close_state`)."""

    def __init__(self) -> None:
        super().__init__()
        self.close_state = OrderState.OPEN
        self.sent: dict[str, object] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            pid = request.url.path.rsplit("/", 1)[-1]
            proposal = self.sent[pid]
            decision = Decision(
                proposal_id=pid,
                decision=DecisionKind.APPROVED,
                order_id=2,
                order_state=self.close_state,
            )
            return httpx.Response(200, content=_record(proposal, encode(decision)))
        proposal = decode_proposal(request.content)
        if proposal.intent is not Intent.CLOSE:
            return super().__call__(request)
        self.proposals.append(proposal)
        self.sent[proposal.id] = proposal
        decision = Decision(
            proposal_id=proposal.id,
            decision=DecisionKind.APPROVED,
            order_id=2,
            order_state=OrderState.OPEN,
        )
        return httpx.Response(200, content=encode(decision))


async def test_engine_when_close_still_working_after_timeout_then_no_second_close_until_final():
    working = WorkingGate()
    eng, position, clock = await _exit_through(working)
    first = eng.monitor.positions[position.id].closing_id
    assert first is not None
    clock.advance(600_000)  # past the monitor's closing timeout and the repeat window
    await eng.monitor.check()
    closes = [p for p in working.proposals if p.intent is Intent.CLOSE]
    assert _ids(closes) == 1  # the first close order is still working at the broker
    assert eng.monitor.positions[position.id].closing_id == first
    working.close_state = OrderState.FILLED
    clock.advance(600_000)
    await eng.monitor.check()
    assert eng.monitor.positions == {}
    assert _ids([p for p in working.proposals if p.intent is Intent.CLOSE]) == 1


async def test_engine_when_close_expired_unfilled_then_position_closed_again_with_new_id():
    working = WorkingGate()
    eng, _, clock = await _exit_through(working)
    working.close_state = OrderState.EXPIRED
    clock.advance(600_000)
    await eng.monitor.check()
    assert _ids([p for p in working.proposals if p.intent is Intent.CLOSE]) == 2


async def test_engine_when_same_bet_on_two_index_etfs_in_a_minute_then_strongest_only():
    eng, gate, events, _ = engine()
    # the weaker arrives first and sorts first by symbol: strength decides, not the order
    weak = Signal("DIA", "iron_condor", "iron_condor", NOW, 0.5, "", {"price": "500.00"})
    strong = Signal("SPY", "iron_condor", "iron_condor", NOW + 5, 0.9, "", {"price": "500.00"})
    eng.submit_signal(weak)
    eng.submit_signal(strong)
    await eng.process_pending()
    assert [p.symbol for p in gate.proposals] == ["SPY"]
    assert events[-1].symbol == "DIA" and events[-1].detail == "group_strategy_cap"


class GroupFullGate(FakeGate):
    """Refuses every opening for the gate's correlation-group cap."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        proposal = decode_proposal(request.content)
        self.proposals.append(proposal)
        decision = Decision(
            proposal_id=proposal.id,
            decision=DecisionKind.REJECTED,
            reason_code=ReasonCode.CORRELATION_GROUP_LIMIT,
            reason="group full",
        )
        return httpx.Response(200, content=encode(decision))


async def test_engine_when_gate_refuses_for_group_cap_then_group_held_back_for_a_while():
    eng, _, events, clock = engine()
    gate = GroupFullGate()
    eng.gate = GateClient("http://gate.test", SECRET, clock, transport=httpx.MockTransport(gate))
    await eng.handle(signal("iron_condor", "iron_condor"))
    clock.advance(120_000)
    other = Signal("DIA", "iron_butterfly", "iron_butterfly", clock.now_ms(), 1.0, "", {})
    await eng.handle(other)
    assert len(gate.proposals) == 1 and events[-1].detail == "gate_group_full"
    clock.advance(eng.group_backoff_ms)
    await eng.handle(signal("iron_condor", "iron_condor"))
    assert len(gate.proposals) == 2
