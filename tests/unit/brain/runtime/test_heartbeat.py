import asyncio

import httpx
import msgspec

from brain.gate_client import GateClient, request_target
from brain.heartbeat import Heartbeat
from brain.timing import clock_sleep
from gatekeeper.contract import HeartbeatRequest, HeartbeatResponse, TradingState, encode
from gatekeeper.signing import Target, Verified, verify
from tradier.clock import ManualClock

SECRET = b"test-signing-secret-" + b"x" * 20
NOW = 1_795_012_200_000


class FakeGate:
    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.beats: list[HeartbeatRequest] = []
        self.state = TradingState.ACTIVE
        self.fail = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        target = request_target(request)
        assert target == Target("POST", "/v1/heartbeat")
        verified = verify(
            SECRET, dict(request.headers), target, request.content, self.clock.now_ms()
        )
        assert isinstance(verified, Verified)
        if self.fail:
            return httpx.Response(
                503, json={"error": {"code": "STORAGE_UNAVAILABLE", "message": "x"}}
            )
        self.beats.append(msgspec.json.decode(request.content, type=HeartbeatRequest))
        return httpx.Response(
            200,
            content=encode(HeartbeatResponse(state=self.state, received_at=self.clock.now_ms())),
        )


def heartbeat(clock: ManualClock, gate: FakeGate) -> Heartbeat:
    client = GateClient("http://gate.test", SECRET, clock, transport=httpx.MockTransport(gate))
    return Heartbeat(
        client, clock, clock_sleep(clock, 0.0005), "brain-1", lambda: {"open_positions": 2}
    )


async def test_heartbeat_when_gate_reducing_then_state_kept_and_summary_sent():
    clock = ManualClock(NOW)
    gate = FakeGate(clock)
    gate.state = TradingState.REDUCING
    hb = heartbeat(clock, gate)
    assert await hb.beat()
    assert hb.trading_state is TradingState.REDUCING
    assert gate.beats[0].summary == {"open_positions": 2} and gate.beats[0].sent_at == NOW


async def test_heartbeat_when_gate_down_then_counted_and_loop_survives():
    clock = ManualClock(NOW)
    gate = FakeGate(clock)
    gate.fail = True
    hb = heartbeat(clock, gate)
    assert not await hb.beat()
    assert hb.failed == 1


async def test_heartbeat_when_running_then_one_beat_per_60_seconds_of_clock():
    clock = ManualClock(NOW)
    gate = FakeGate(clock)
    task = asyncio.create_task(heartbeat(clock, gate).run())
    await asyncio.sleep(0.01)
    assert len(gate.beats) == 1
    clock.advance(59_000)
    await asyncio.sleep(0.01)
    assert len(gate.beats) == 1
    clock.advance(1_000)
    await asyncio.sleep(0.01)
    assert len(gate.beats) == 2
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
