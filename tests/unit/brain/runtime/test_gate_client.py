import uuid

import httpx
import pytest

from brain.gate_client import (
    GateClient,
    GateRequestRefused,
    GateUnavailable,
    RetryPolicy,
    SigningAuth,
    request_target,
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
from gatekeeper.signing import NONCE_HEADER, TIMESTAMP_HEADER, Target, Verified, verify
from tradier.clock import ManualClock

SECRET = b"test-signing-secret-" + b"x" * 20
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
        self.nonces: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.content
        verified = verify(SECRET, dict(request.headers), request_target(request), body, NOW)
        assert isinstance(verified, Verified), verified
        self.bodies.append(body)
        self.nonces.append(verified.nonce)
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


def _signed(request: httpx.Request, random_bytes=None) -> httpx.Request:
    return next(SigningAuth(SECRET, ManualClock(NOW), random_bytes).auth_flow(request))


def test_signing_auth_when_bare_request_then_v2_verifies_over_target_and_raw_bytes():
    body = b'{"a": 1,  "b":"x"}'
    request = httpx.Request("POST", "http://gate.test/v1/proposals", content=body)
    signed = _signed(request, lambda n: b"\x00" * n)
    proposals = Target("POST", "/v1/proposals")
    assert verify(SECRET, dict(signed.headers), proposals, body, NOW) == Verified(NOW, "A" * 32)
    assert not isinstance(
        verify(SECRET, dict(signed.headers), proposals, body + b" ", NOW), Verified
    )
    assert signed.headers[TIMESTAMP_HEADER] == str(NOW)
    assert signed.headers["X-Edgegate-Signature"].startswith("v2=")


def test_signing_auth_when_query_and_base_path_then_both_signed_as_sent():
    request = httpx.Request("GET", "http://gate.test/prod/v1/status?verbose=1&x=a%20b")
    signed = _signed(request)
    target = request_target(request)
    assert target == Target("GET", "/prod/v1/status", "verbose=1&x=a%20b")
    assert isinstance(verify(SECRET, dict(signed.headers), target, b"", NOW), Verified)
    elsewhere = Target("GET", "/prod/v1/status", "")
    assert not isinstance(verify(SECRET, dict(signed.headers), elsewhere, b"", NOW), Verified)


def test_signing_auth_when_same_request_signed_twice_then_new_nonce_each_time():
    request = httpx.Request("POST", "http://gate.test/v1/proposals", content=b"{}")
    first = _signed(request).headers[NONCE_HEADER]
    second = _signed(request).headers[NONCE_HEADER]
    assert first != second


@pytest.mark.parametrize("secret", [b"", b"x", b"test-signing-secret-" + b"x" * 11])
def test_signing_auth_when_secret_shorter_than_32_bytes_then_refused(secret: bytes):
    with pytest.raises(ValueError, match="at least 32 bytes"):
        SigningAuth(secret, ManualClock(NOW))


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
    # The proposal id is the idempotency key; each attempt is a new request with its own nonce.
    assert len(set(gate.nonces)) == 4


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


async def test_submit_when_retried_later_then_each_attempt_has_new_timestamp_and_nonce():
    clock = ManualClock(NOW)
    seen: list[tuple[int, str]] = []

    def gate(request: httpx.Request) -> httpx.Response:
        verified = verify(
            SECRET, dict(request.headers), request_target(request), request.content, clock.now_ms()
        )
        assert isinstance(verified, Verified), verified
        seen.append((verified.timestamp_ms, verified.nonce))
        if len(seen) < 3:
            return httpx.Response(
                503, json={"error": {"code": "STORAGE_UNAVAILABLE", "message": "x"}}
            )
        return httpx.Response(
            200, content=encode(Decision(proposal_id=proposal().id, decision=DecisionKind.APPROVED))
        )

    async def sleep(seconds: float) -> None:
        clock.advance(int(seconds * 1000) + 1)

    async with GateClient(
        "http://gate.test",
        SECRET,
        clock,
        transport=httpx.MockTransport(gate),
        retry=RetryPolicy(attempts=3),
        sleep=sleep,
    ) as c:
        decision = await c.submit(proposal())
    assert decision.decision is DecisionKind.APPROVED
    assert len({ts for ts, _ in seen}) == 3 and seen == sorted(seen, key=lambda s: s[0])
    assert len({nonce for _, nonce in seen}) == 3
