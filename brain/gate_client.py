"""The brain's client of the gate's HTTP API: signed, idempotent, with explicit timeouts.

`SigningAuth` is an `httpx.Auth` that signs (signature v2) the method, path, query and exact
raw bytes about to be sent, with a fresh nonce and timestamp per attempt (so it is testable
on a bare `httpx.Request`). A proposal is encoded once; every retry sends the very same
bytes with the same proposal id, so the gate's idempotency makes a retry safe: a duplicate
returns the stored decision. The proposal id is the idempotency key, not the nonce: the gate
accepts a nonce once, so a retry must carry a new one. Retries happen only where the outcome
is unknown or the gate asks for it (timeouts, transport errors, 5xx, 409 in progress); a 400,
401 or a reused id is a fault no retry can fix.

Exceptions::

    GateClientError               root
    ├── GateRequestRefused        400/401/409-reused/413: fix the request or the secret
    └── GateUnavailable           retries exhausted; the proposal's fate may be unknown:
                                  look it up with `proposal_record(id)`, never re-create it
"""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Final

import httpx
import msgspec

from gatekeeper.contract import (
    Decision,
    ErrorBody,
    ErrorCode,
    HeartbeatRequest,
    HeartbeatResponse,
    Proposal,
    ProposalRecordResponse,
    StatusResponse,
    encode,
)
from gatekeeper.signing import RandomBytes, Target, new_nonce, secret_problem, signed_headers
from tradier.clock import Clock

DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=3.0, read=10.0, write=5.0, pool=3.0)
_RETRY_STATUSES: Final = frozenset({500, 502, 503, 504})
Sleep = Callable[[float], Awaitable[None]]


class GateClientError(Exception):
    """Root of the gate client's faults."""


class GateRequestRefused(GateClientError):
    """The gate refused the request itself (not the trade): status, code, field."""

    def __init__(self, status: int, code: str | None, message: str, field: str | None) -> None:
        self.status = status
        self.code = code
        self.field = field
        where = f" ({field})" if field else ""
        super().__init__(f"gate refused the request: HTTP {status} {code or ''}{where}: {message}")


class GateUnavailable(GateClientError):
    """The gate could not be reached or kept failing; the outcome may be unknown."""

    def __init__(self, message: str, proposal_id: str | None = None) -> None:
        self.proposal_id = proposal_id
        super().__init__(message)


def request_target(request: httpx.Request) -> Target:
    """The method, raw path and raw query of `request`, as the gate receives them."""
    path, _, _ = request.url.raw_path.partition(b"?")
    return Target(request.method, path.decode("ascii"), request.url.query.decode("ascii"))


class SigningAuth(httpx.Auth):
    """Signs each request (v2) at the injected clock's time with a fresh random nonce."""

    requires_request_body = True

    def __init__(
        self, secret: bytes, clock: Clock, random_bytes: RandomBytes | None = None
    ) -> None:
        problem = secret_problem(secret)
        if problem is not None:
            raise ValueError(f"secret: {problem}")
        self._secret = secret
        self._clock = clock
        self._random: RandomBytes = random_bytes or os.urandom

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the timestamp, nonce and signature headers for exactly this request."""
        nonce = new_nonce(self._random)
        request.headers.update(
            signed_headers(
                self._secret, request_target(request), request.content, self._clock.now_ms(), nonce
            )
        )
        yield request


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry; jittered exponential backoff."""

    attempts: int = 4
    base_s: float = 0.25
    max_s: float = 4.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        ceiling = min(self.max_s, self.base_s * (2 ** (attempt - 1)))
        return ceiling / 2 + rng.random() * ceiling / 2


_DECISION = msgspec.json.Decoder(Decision)
_RECORD = msgspec.json.Decoder(ProposalRecordResponse)
_HEARTBEAT = msgspec.json.Decoder(HeartbeatResponse)
_STATUS = msgspec.json.Decoder(StatusResponse)
_ERROR = msgspec.json.Decoder(ErrorBody)


class GateClient:
    """Async client of the gate: proposals, records, heartbeat and status."""

    def __init__(
        self,
        base_url: str,
        secret: bytes,
        clock: Clock,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        nonce_bytes: RandomBytes | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            auth=SigningAuth(secret, clock, nonce_bytes),
            timeout=timeout,
            transport=transport,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random(0)
        self.attempts_made = 0

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> GateClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def submit(self, proposal: Proposal) -> Decision:
        """Send a proposal and return the gate's decision; retries resend the same bytes."""
        body = encode(proposal)
        response = await self._send("POST", "/v1/proposals", body, proposal.id)
        return _decode(_DECISION, response)

    async def proposal_record(self, proposal_id: str) -> ProposalRecordResponse | None:
        """The gate's record of a proposal, or None when it never arrived."""
        try:
            response = await self._send("GET", f"/v1/proposals/{proposal_id}", b"", proposal_id)
        except GateRequestRefused as exc:
            # Only the gate's own NOT_FOUND means "never arrived"; any other 404 (a proxy,
            # a wrong stage) leaves the outcome unknown.
            if exc.status == 404 and exc.code == ErrorCode.NOT_FOUND:
                return None
            raise
        return _decode(_RECORD, response)

    async def heartbeat(
        self, brain_id: str, sent_at_ms: int, summary: dict[str, Any]
    ) -> HeartbeatResponse:
        """Tell the gate the brain is alive, with a small state summary."""
        body = encode(HeartbeatRequest(brain_id=brain_id, sent_at=sent_at_ms, summary=summary))
        # A heartbeat is cheap and the next one comes soon: one attempt only.
        response = await self._send("POST", "/v1/heartbeat", body, None, attempts=1)
        return _decode(_HEARTBEAT, response)

    async def status(self) -> StatusResponse:
        """The gate's trading state, limits in use and recent decisions."""
        return _decode(_STATUS, await self._send("GET", "/v1/status", b"", None))

    async def _send(
        self, method: str, path: str, body: bytes, proposal_id: str | None, attempts: int = 0
    ) -> httpx.Response:
        total = attempts or self._retry.attempts
        last: str = "no attempt made"
        for attempt in range(1, total + 1):
            if attempt > 1:
                await self._sleep(self._retry.delay(attempt - 1, self._rng))
            self.attempts_made += 1
            try:
                response = await self._http.request(method, path, content=body)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if response.status_code == 200:
                return response
            error = _error_of(response)
            code = error.code if error else None
            if response.status_code in _RETRY_STATUSES or (
                response.status_code == 409 and code == "PROPOSAL_IN_PROGRESS"
            ):
                last = f"HTTP {response.status_code} {code or ''}".strip()
                continue
            raise GateRequestRefused(
                response.status_code,
                code,
                error.message if error else response.text[:200],
                error.field if error else None,
            )
        raise GateUnavailable(f"{method} {path} failed {total} times: {last}", proposal_id)


def _error_of(response: httpx.Response) -> Any:
    try:
        return _ERROR.decode(response.content).error
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def _decode(decoder: msgspec.json.Decoder[Any], response: httpx.Response) -> Any:
    try:
        return decoder.decode(response.content)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise GateUnavailable(f"gate sent an undecodable body: {exc}") from exc
