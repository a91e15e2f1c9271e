"""`Gate`: the facade every handler calls, composed once per container.

Every route authenticates first (signature v2 with the signing secret, or the admin secret
for admin routes, over the method, path and query the request was received at) and answers
401 before any DynamoDB or Tradier call. A verified request's nonce is then accepted once:
written with the route's first write (inside the proposal's transaction), and a reuse is a
401 `NONCE_REUSED` with no side effect. A request refused as invalid (400/413) writes
nothing, its nonce included. Results are `GateResponse(status, body)`;
errors use the `{"error": {"code", "message", "field"}}` body; a rejected proposal is a 200.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gatekeeper.constitution import Constitution, check_trading_host
from gatekeeper.contract import (
    AdminStateRequest,
    AdminStateResponse,
    ContractError,
    ErrorBody,
    ErrorCode,
    ErrorDetail,
    FlattenRequest,
    HeartbeatRequest,
    HeartbeatResponse,
    ProposalRecordResponse,
    StateChanger,
    TradingState,
    decode,
    encode,
)
from gatekeeper.errors import (
    BodyTooLarge,
    BrokerUnavailable,
    GatekeeperError,
    InvalidRequest,
    NonceReused,
    ProposalIdReused,
    ProposalInProgress,
    RetryableGateError,
    StoreUnavailable,
)
from gatekeeper.execution import Broker, BrokerInputs
from gatekeeper.pipeline import Pipeline
from gatekeeper.reconcile import Reconciler, ReconcileReport
from gatekeeper.signing import (
    DEFAULT_TOLERANCE_MS,
    NONCE_HEADER,
    SignatureFailure,
    Target,
    secret_problem,
    verify,
)
from gatekeeper.state_changes import StateChange, change_state
from gatekeeper.states import Actor, transition
from gatekeeper.store import GateStore, Heartbeat, NonceUse
from gatekeeper.watchdog import AuditNotifier, Notifier, Watchdog, WatchdogResult
from tradier.clock import Clock

if TYPE_CHECKING:
    from gatekeeper.report import DayReport

log = logging.getLogger(__name__)
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What each route serves, for callers in-process; handlers pass what they received.
PROPOSALS = Target("POST", "/v1/proposals")
STATUS = Target("GET", "/v1/status")
HEARTBEAT = Target("POST", "/v1/heartbeat")
ADMIN_STATE = Target("POST", "/v1/admin/state")
ADMIN_FLATTEN = Target("POST", "/v1/admin/flatten")


def proposal_target(proposal_id: str) -> Target:
    """`GET /v1/proposals/{id}`."""
    return Target("GET", f"/v1/proposals/{proposal_id}")


@dataclass(frozen=True)
class GateResponse:
    """An HTTP status and a body (bytes, or a JSON-encodable object)."""

    status: int
    body: Any


def error(status: int, code: ErrorCode, message: str, field: str | None = None) -> GateResponse:
    """The error body of every non-200 answer."""
    return GateResponse(status, encode(ErrorBody(ErrorDetail(code, message, field))))


def _fault(exc: GatekeeperError) -> GateResponse:
    if isinstance(exc, BodyTooLarge):
        return error(413, ErrorCode.PAYLOAD_TOO_LARGE, str(exc), "body")
    if isinstance(exc, ContractError):
        return error(400, ErrorCode.INVALID_REQUEST, exc.message, exc.field)
    if isinstance(exc, InvalidRequest):
        return error(400, ErrorCode.INVALID_REQUEST, str(exc))
    if isinstance(exc, NonceReused):
        return error(401, ErrorCode.NONCE_REUSED, str(exc), NONCE_HEADER)
    if isinstance(exc, ProposalIdReused):
        return error(409, ErrorCode.PROPOSAL_ID_REUSED, str(exc), "id")
    if isinstance(exc, ProposalInProgress):
        return error(409, ErrorCode.PROPOSAL_IN_PROGRESS, str(exc), "id")
    if isinstance(exc, StoreUnavailable):
        return error(503, ErrorCode.STORAGE_UNAVAILABLE, "storage unavailable; nothing was sent")
    if isinstance(exc, RetryableGateError):
        return error(503, ErrorCode.BROKER_UNAVAILABLE, f"{exc}; nothing was sent")
    raise exc


class Gate:
    """The gate's routes and scheduled jobs over one store, broker and constitution."""

    def __init__(
        self,
        *,
        store: GateStore,
        tradier: Broker | None,
        constitution: Constitution,
        clock: Clock,
        signing_secret: bytes | None,
        admin_secret: bytes | None,
        id_factory: Callable[[], str] | None = None,
        notifier: Notifier | None = None,
        cache_ttl_ms: int = 5_000,
    ) -> None:
        for name, secret in (("signing_secret", signing_secret), ("admin_secret", admin_secret)):
            problem = None if secret is None else secret_problem(secret)
            if problem is not None:
                raise ValueError(f"{name}: {problem}")
        if signing_secret is not None and signing_secret == admin_secret:
            # Otherwise a request signed for proposals could HALT or resume trading.
            raise ValueError("admin_secret: must differ from signing_secret")
        base_url = getattr(tradier, "base_url", None)
        if isinstance(base_url, str):
            check_trading_host(constitution, base_url)  # refuses a live host unless enabled
        self.store = store
        self.tradier = tradier
        self.constitution = constitution
        self.clock = clock
        self._signing = signing_secret
        self._admin = admin_secret
        self._ids = id_factory or (lambda: str(uuid.uuid4()))
        self.notifier = notifier or AuditNotifier(store, clock)
        self._inputs = BrokerInputs(tradier, clock, cache_ttl_ms) if tradier else None
        self._pipeline = (
            Pipeline(store, self._inputs, constitution, clock, notifier=self.notifier)
            if self._inputs
            else None
        )

    # -- auth -------------------------------------------------------------------------

    def _authenticate(
        self, secret: bytes | None, headers: Mapping[str, str], body: bytes, target: Target
    ) -> NonceUse | GateResponse:
        """The request's nonce use when the signature holds, else the 401 to answer."""
        if not secret:
            return error(401, ErrorCode.UNAUTHORIZED, "this route is not enabled here")
        now = self.clock.now_ms()
        verified = verify(secret, headers, target, body, now, DEFAULT_TOLERANCE_MS)
        if isinstance(verified, SignatureFailure):
            return error(401, ErrorCode.UNAUTHORIZED, verified.message)
        return NonceUse.of(verified.nonce, verified.timestamp_ms, now, DEFAULT_TOLERANCE_MS)

    def _claim(self, nonce: NonceUse) -> None:
        """Accept the nonce once (one conditional write), before the route's own effect."""
        if not self.store.claim_nonce(nonce):
            raise NonceReused(f"nonce {nonce.nonce} was already used")

    def _run(self, call: Callable[[], GateResponse]) -> GateResponse:
        try:
            return call()
        except GatekeeperError as exc:
            return _fault(exc)

    def _trading(self) -> Pipeline:
        if self._pipeline is None:
            raise BrokerUnavailable("no Tradier client is configured for this function")
        return self._pipeline

    def _broker(self) -> Broker:
        if self.tradier is None:
            raise BrokerUnavailable("no Tradier client is configured for this function")
        return self.tradier

    # -- routes -----------------------------------------------------------------------

    def submit_proposal(
        self, headers: Mapping[str, str], raw_body: bytes, target: Target = PROPOSALS
    ) -> GateResponse:
        """POST /v1/proposals (the nonce is written inside the decision's transaction)."""
        nonce = self._authenticate(self._signing, headers, raw_body, target)
        if isinstance(nonce, GateResponse):
            return nonce
        return self._run(lambda: GateResponse(200, encode(self._trading().submit(raw_body, nonce))))

    def get_proposal(
        self,
        headers: Mapping[str, str],
        raw_body: bytes,
        proposal_id: str,
        target: Target | None = None,
    ) -> GateResponse:
        """GET /v1/proposals/{id}."""
        nonce = self._authenticate(
            self._signing, headers, raw_body, target or proposal_target(proposal_id)
        )
        if isinstance(nonce, GateResponse):
            return nonce
        if not _ID.fullmatch(proposal_id):
            return error(400, ErrorCode.INVALID_REQUEST, "must be a lower-case UUID", "id")
        # Route-only modules load on the route's first use: a proposal's cold start skips them.
        from gatekeeper.status import record_response

        def call() -> GateResponse:
            self._claim(nonce)
            record = self.store.get_proposal(proposal_id)
            if record is None or not record.body:
                return error(404, ErrorCode.NOT_FOUND, "no such proposal", "id")
            response: ProposalRecordResponse = record_response(record)
            return GateResponse(200, encode(response))

        return self._run(call)

    def status(
        self, headers: Mapping[str, str], raw_body: bytes, target: Target = STATUS
    ) -> GateResponse:
        """GET /v1/status."""
        nonce = self._authenticate(self._signing, headers, raw_body, target)
        if isinstance(nonce, GateResponse):
            return nonce
        from gatekeeper.status import build_status

        inputs = self._inputs

        def call() -> GateResponse:
            self._claim(nonce)
            status = build_status(
                self.store,
                self.constitution,
                self.clock.now_ms(),
                inputs.balances if inputs else None,
            )
            return GateResponse(200, encode(status))

        return self._run(call)

    def heartbeat(
        self, headers: Mapping[str, str], raw_body: bytes, target: Target = HEARTBEAT
    ) -> GateResponse:
        """POST /v1/heartbeat."""
        nonce = self._authenticate(self._signing, headers, raw_body, target)
        if isinstance(nonce, GateResponse):
            return nonce

        def call() -> GateResponse:
            request = decode(raw_body, HeartbeatRequest)
            self._claim(nonce)
            now = self.clock.now_ms()
            summary = {str(k): str(v)[:200] for k, v in list(request.summary.items())[:32]}
            summary["brain_id"] = request.brain_id
            self.store.put_heartbeat(Heartbeat(now, summary))
            state = TradingState(self.store.get_state().state)
            return GateResponse(200, encode(HeartbeatResponse(state=state, received_at=now)))

        return self._run(call)

    def admin_state(
        self, headers: Mapping[str, str], raw_body: bytes, target: Target = ADMIN_STATE
    ) -> GateResponse:
        """POST /v1/admin/state (admin secret)."""
        nonce = self._authenticate(self._admin, headers, raw_body, target)
        if isinstance(nonce, GateResponse):
            return nonce

        def call() -> GateResponse:
            request = decode(raw_body, AdminStateRequest)
            self._claim(nonce)  # a replayed change (say, ACTIVE after a HALT) stops here
            now = self.clock.now_ms()
            previous = TradingState(self.store.get_state().state)
            new = transition(previous, request.state, Actor.ADMIN)
            change = StateChange(previous, new, request.reason, StateChanger.ADMIN, now)
            change_state(self.store, self.notifier, change)  # an admin may set any state
            response = AdminStateResponse(
                state=new, previous=previous, reason=request.reason, changed_at=now
            )
            return GateResponse(200, encode(response))

        return self._run(call)

    def admin_flatten(
        self, headers: Mapping[str, str], raw_body: bytes, target: Target = ADMIN_FLATTEN
    ) -> GateResponse:
        """POST /v1/admin/flatten (admin secret): close every open position, in any state."""
        nonce = self._authenticate(self._admin, headers, raw_body, target)
        if isinstance(nonce, GateResponse):
            return nonce

        from gatekeeper.flatten import flatten_all

        def call() -> GateResponse:
            request = decode(raw_body, FlattenRequest)
            self._claim(nonce)  # a replayed flatten closes nothing
            response = flatten_all(
                self._trading(), self._broker(), self.store, self.clock, self._ids, request.reason
            )
            return GateResponse(200, encode(response))

        return self._run(call)

    # -- scheduled --------------------------------------------------------------------

    def reconcile(self) -> ReconcileReport:
        """Scheduled every minute in market hours."""
        return Reconciler(self.store, self._broker(), self.clock, self.notifier).run()

    def watchdog(self) -> WatchdogResult:
        """Scheduled: brain heartbeat check."""
        timeout = self.constitution.heartbeat_timeout_ms
        return Watchdog(self.store, self._broker(), self.clock, self.notifier, timeout).run()

    def end_of_day(self, force: bool = False) -> DayReport:
        """Scheduled after the close: the day's report and the next baseline."""
        from gatekeeper.report import EndOfDay, report_detail

        report = EndOfDay(self.store, self._broker(), self.clock).run(force)
        if report.skipped is None:
            self.notifier.notify(f"end of day {report.day}", report_detail(report))
        return report
