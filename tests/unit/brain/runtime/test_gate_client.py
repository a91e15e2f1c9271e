import uuid

import httpx
import pytest

from brain.gate_client import (
    GateClient,
    GateRequestRefused,
    GateUnavailable,
    RetryPolicy,
    SigningAuth,
)
from gatekeeper.contract import (
    Decision,
    DecisionKind,
    Duration,
    EquitySide,
    Intent,
    OrderType,
    Proposal,
    Source,
    SourceKind,
    Strategy,
    encode,
)
from gatekeeper.signing import verify
from tradier.clock import ManualClock

SECRET = b"test-secret-not-real"
NOW = 1_790_000_000_000


def proposal() -> Proposal:
    return Proposal(
        id=str(uuid.UUID(int=7)),
        created_at=NOW,
        symbol="SPY",
        strategy=Strategy.EQUITY,
        intent=Intent.OPEN,
        quantity=10,
        order_type=OrderType.LIMIT,
        price="500.25",
        duration=Duration.DAY,
        side=EquitySide.BUY,
        source=Source(kind=SourceKind.SIGNAL, name="equity_trend"),
    )


async def _no_sleep(_: float) -> None:
    return None


class FakeGate:
    """A hand-written gate: verifies signatures, answers from a script of statuses."""

    def __init__(self, script: list[int | Exception]) -> None:
        self.script = script
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.content
        failure = verify(SECRET, dict(request.headers), body, NOW)
        assert failure is None, failure
        self.bodies.append(body)
        step = self.script.pop(0) if self.script else 200
        if isinstance(step, Exception):
            raise step
        if step == 200:
            pid = uuid.UUID(int=7)
            return httpx.Response(
                200, content=encode(Decision(proposal_id=str(pid), decision=DecisionKind.APPROVED))
            )
        code = {
            409: "PROPOSAL_IN_PROGRESS",
            400: "INVALID_REQUEST",
            503: "STORAGE_UNAVAILABLE",
        }.get(step, "INTERNAL")
        return httpx.Response(
            step,
            json={
                "error": {"code": code, "message": "x", "field": "price" if step == 400 else None}
            },
        )


def client(gate: FakeGate, attempts: int = 4) -> GateClient:
    return GateClient(
        "http://gate.test",
        SECRET,
        ManualClock(NOW),
        transport=httpx.MockTransport(gate),
        retry=RetryPolicy(attempts=attempts),
        sleep=_no_sleep,
    )


def test_signing_auth_when_bare_request_then_signature_verifies_over_raw_bytes():
    body = b'{"a": 1,  "b":"x"}'
    request = httpx.Request("POST", "http://gate.test/v1/proposals", content=body)
    flow = SigningAuth(SECRET, ManualClock(NOW)).auth_flow(request)
    signed = next(flow)
    assert verify(SECRET, dict(signed.headers), body, NOW) is None
    assert verify(SECRET, dict(signed.headers), body + b" ", NOW) is not None
    assert signed.headers["X-Edgegate-Timestamp"] == str(NOW)


def test_signing_auth_when_empty_secret_then_refused():
    with pytest.raises(ValueError, match="secret"):
        SigningAuth(b"", ManualClock(NOW))


async def test_submit_when_gate_approves_then_decision_decoded():
    gate = FakeGate([200])
    async with client(gate) as c:
        decision = await c.submit(proposal())
    assert decision.decision is DecisionKind.APPROVED
    assert gate.bodies == [encode(proposal())]


async def test_submit_when_5xx_and_timeout_then_retried_with_same_bytes():
    gate = FakeGate([503, httpx.ReadTimeout("slow"), 409, 200])
    async with client(gate) as c:
        decision = await c.submit(proposal())
    assert decision.decision is DecisionKind.APPROVED
    assert len(gate.bodies) == 4
    assert len(set(gate.bodies)) == 1


async def test_submit_when_invalid_then_refused_without_retry():
    gate = FakeGate([400])
    async with client(gate) as c:
        with pytest.raises(GateRequestRefused) as info:
            await c.submit(proposal())
    assert info.value.status == 400 and info.value.field == "price"
    assert len(gate.bodies) == 1


async def test_submit_when_always_failing_then_unavailable_with_proposal_id():
    gate = FakeGate([500, 500, 500])
    async with client(gate, attempts=3) as c:
        with pytest.raises(GateUnavailable) as info:
            await c.submit(proposal())
    assert info.value.proposal_id == proposal().id
    assert len(gate.bodies) == 3


def test_retry_policy_when_attempts_grow_then_delay_bounded():
    import random

    policy = RetryPolicy(base_s=0.5, max_s=2.0)
    rng = random.Random(1)
    delays = [policy.delay(n, rng) for n in range(1, 8)]
    assert all(0.25 <= d <= 2.0 for d in delays)
    assert delays[-1] >= 1.0


def _answering(status: int, body: dict) -> GateClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    return GateClient(
        "http://gate.test", SECRET, ManualClock(NOW), transport=httpx.MockTransport(handler)
    )


async def test_proposal_record_when_gate_says_not_found_then_none():
    body = {"error": {"code": "NOT_FOUND", "message": "no such proposal", "field": "id"}}
    async with _answering(404, body) as c:
        assert await c.proposal_record(proposal().id) is None


async def test_proposal_record_when_404_not_from_the_gate_then_still_unknown_not_none():
    # A proxy's or a mis-routed stage's 404 says nothing about the proposal: reading it as
    # "never arrived" would drop a live position or send a second close.
    async with _answering(404, {"message": "Not Found"}) as c:
        with pytest.raises(GateRequestRefused):
            await c.proposal_record(proposal().id)
