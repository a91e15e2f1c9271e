"""The decision pipeline: one signed, well-formed proposal decided and executed once.

Order (after the signature, checked by `gatekeeper.service` before any I/O):
body size -> schema -> staleness -> idempotency lookup -> trading state -> constitution
checks on inputs the gate fetches itself -> one transaction (record + rate limits +
limits reservation + intent) -> the Tradier order tagged with the proposal id -> outcome.

Hot path of an approved proposal: 3 store calls (snapshot read, reservation transaction,
outcome transaction) and 2 or 3 Tradier calls: an open makes one quotes call for its legs
and the underlying, which its risk is priced from; a close reads the positions and the
working orders it is judged on (net of what is working it must move each leg toward zero,
`gatekeeper.closes`); then the order. Clock and balances come from a short-lived cache.
The request's nonce is written inside the reservation (or the rejection's transaction), so
accepting it once costs no extra call; only a duplicate, which writes nothing else, claims
it on its own. Rejections are values (a `Decision`); only faults raise.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gatekeeper import risk
from gatekeeper.account import account_view
from gatekeeper.constitution import Constitution
from gatekeeper.contract import (
    MAX_BODY_BYTES,
    Decision,
    DecisionKind,
    Intent,
    OrderState,
    Proposal,
    ReasonCode,
    StateChanger,
    TradingState,
    decode_proposal,
    encode,
)
from gatekeeper.errors import (
    BodyTooLarge,
    BrokerUnavailable,
    InvalidRequest,
    NonceReused,
    ProposalIdReused,
    ProposalInProgress,
    StoreUnavailable,
)
from gatekeeper.execution import BrokerInputs, SendResult, send_once
from gatekeeper.orders import to_order_request
from gatekeeper.ratelimit import CONFLICT_REASONS, limits_from, refusal_text
from gatekeeper.reconcile import trading_day
from gatekeeper.state_changes import StateChange, change_state
from gatekeeper.states import state_after_daily_loss
from gatekeeper.store import (
    STATUS_DECIDED,
    STATUS_IN_PROGRESS,
    AuditEntry,
    CloseFence,
    ConflictKind,
    GateStore,
    IntentRecord,
    NonceUse,
    Outcome,
    ProposalRecord,
    Reservation,
    Snapshot,
    StructureRecord,
)
from gatekeeper.watchdog import AuditNotifier, Notifier
from tradier import models
from tradier.clock import Clock
from tradier.errors import TradierError
from tradier.orders import OrderRequest

log = logging.getLogger(__name__)
DEFAULT_LEASE_MS = 60_000


def body_hash(raw: bytes) -> str:
    """The idempotency fingerprint of a request body."""
    return hashlib.sha256(raw).hexdigest()


def decision_of(record: ProposalRecord, replayed: bool = False) -> Decision:
    """The contract `Decision` of a stored proposal record."""
    return Decision(
        proposal_id=record.proposal_id,
        decision=DecisionKind(record.decision or DecisionKind.REJECTED),
        reason_code=ReasonCode(record.reason_code) if record.reason_code else None,
        reason=record.reason,
        order_id=int(record.order_id) if record.order_id else None,
        order_state=OrderState(record.order_state or OrderState.NONE),
        replayed=replayed,
    )


def instruments_of(proposal: Proposal) -> tuple[str, ...]:
    """What a structure holds: its option symbols, or the equity symbol."""
    if proposal.legs:
        return tuple(leg.option_symbol for leg in proposal.legs)
    return (proposal.symbol,)


def _reused(nonce: NonceUse | None) -> NonceReused:
    """The fault of a request whose nonce was accepted before (401, nothing done)."""
    return NonceReused(f"nonce {nonce.nonce if nonce else '?'} was already used")


@dataclass(frozen=True)
class _Rejection:
    code: ReasonCode
    reason: str


class Pipeline:
    """Decides proposals against one store, one broker and one constitution."""

    def __init__(
        self,
        store: GateStore,
        inputs: BrokerInputs,
        constitution: Constitution,
        clock: Clock,
        lease_ms: int = DEFAULT_LEASE_MS,
        notifier: Notifier | None = None,
    ) -> None:
        self._store = store
        self._notifier: Notifier = notifier or AuditNotifier(store, clock)
        self._inputs = inputs
        self._constitution = constitution
        self._clock = clock
        self._limits = limits_from(constitution)
        self._lease_ms = lease_ms

    def submit(self, raw: bytes, nonce: NonceUse | None = None) -> Decision:
        """Decide an authenticated request body whose `nonce` is written with the decision;
        raises InvalidRequest/NonceReused/Conflict/StoreUnavailable."""
        if len(raw) > MAX_BODY_BYTES:
            raise BodyTooLarge(len(raw), MAX_BODY_BYTES)
        proposal = decode_proposal(raw)
        return self.decide(proposal, body_hash(raw), nonce=nonce)

    def decide(
        self,
        proposal: Proposal,
        fingerprint: str,
        *,
        flatten: bool = False,
        nonce: NonceUse | None = None,
    ) -> Decision:
        """Decide and execute a decoded proposal (`flatten`: an admin close, any state;
        `nonce`: the request's, accepted once, with whatever this decision writes)."""
        now = self._clock.now_ms()
        c = self._constitution
        skew = proposal.created_at - now
        if not flatten and abs(skew) > c.staleness_ms:
            code = ReasonCode.FUTURE_PROPOSAL if skew > 0 else ReasonCode.STALE_PROPOSAL
            text = f"created_at is {abs(skew)} ms {'ahead of' if skew > 0 else 'behind'} the gate"
            return self._reject(proposal, fingerprint, now, _Rejection(code, text), nonce)
        groups = [g.name for g in c.groups_for(proposal.symbol)]
        opening = proposal.intent is Intent.OPEN
        # A close reads its symbol's close fence here, before it reads the account.
        closing = None if opening else proposal.symbol
        day = trading_day(now)
        snap = self._store.snapshot(proposal.id, day, [proposal.symbol], groups, closing)
        if snap.proposal is not None:
            self._claim(nonce)
            return self._replay(snap.proposal, fingerprint)
        state = TradingState(snap.state.state)
        if not flatten:
            refused = self._state_refusal(state, opening)
            if refused is not None:
                return self._reject(proposal, fingerprint, now, refused, nonce)
        try:
            order = to_order_request(proposal)
        except ValueError as exc:  # the contract admits it but Tradier's rules do not
            raise InvalidRequest(f"cannot build the Tradier order: {exc}") from exc
        try:
            rejection, state = self._check_risk(proposal, snap, state, now, flatten)
        except TradierError as exc:
            # Nothing is reserved or sent yet: the caller may retry (503).
            raise BrokerUnavailable(f"Tradier unavailable: {type(exc).__name__}") from exc
        if rejection is not None:
            return self._reject(proposal, fingerprint, now, rejection, nonce)
        fence = None if opening else snap.close_fence or CloseFence(proposal.symbol)
        return self._reserve_and_send(proposal, fingerprint, now, groups, order, fence, nonce)

    # -- steps ------------------------------------------------------------------------

    @staticmethod
    def _state_refusal(state: TradingState, opening: bool) -> _Rejection | None:
        if state is TradingState.HALTED:
            return _Rejection(ReasonCode.STATE_HALTED, "trading is HALTED")
        if state is TradingState.REDUCING and opening:
            return _Rejection(ReasonCode.STATE_REDUCING, "REDUCING: only closing proposals")
        return None

    def _check_risk(
        self,
        proposal: Proposal,
        snap: Snapshot,
        state: TradingState,
        now: int,
        flatten: bool,
    ) -> tuple[_Rejection | None, TradingState]:
        balances = self._inputs.balances()
        equity = balances.total_equity
        baseline = snap.baseline
        if baseline is None and equity is not None and equity > 0:
            baseline = self._store.put_baseline_if_absent(trading_day(now), equity, now)
        market_clock = self._inputs.market_clock()
        # A close is judged on the account: the positions and every working order (it must
        # really close, `gatekeeper.closes`). An open is judged at the market, never at its
        # declared price: one call for the legs' quotes and the underlying's (a symbol
        # outside the universe is refused before any price matters).
        positions: list[models.Position] = []
        view = None
        if proposal.intent is Intent.CLOSE:
            positions = self._inputs.positions()
            working = self._inputs.working_orders(balances.pending_orders_count)
            view = account_view(positions, working)
        quotes: list[models.Quote] = []
        if proposal.intent is Intent.OPEN and proposal.symbol in self._constitution.symbols:
            legs = [leg.option_symbol for leg in proposal.legs or ()]
            quotes = self._inputs.broker.quotes([proposal.symbol, *legs])
        current = risk.inputs_from_broker(
            proposal,
            now_ms=now,
            clock=market_clock,
            balances=balances,
            positions=positions,
            start_of_day_equity=baseline,
            open_structures_total=snap.open_total,
            open_structures_by_symbol=snap.open_by_symbol,
            open_structures_by_group=snap.open_by_group,
            quotes=quotes,
            account=view,
        )
        # Checked against the state this request started in, so the proposal that trips the
        # daily-loss limit is told DAILY_LOSS_LIMIT; later ones see STATE_REDUCING.
        effective = TradingState.ACTIVE if flatten else state
        if state is TradingState.ACTIVE and risk.daily_loss_breached(current, self._constitution):
            state = self._tighten_for_daily_loss(current.equity, baseline, now)
        rejection = risk.evaluate(proposal, current, self._constitution, effective)
        if rejection is None or (flatten and rejection.code is ReasonCode.MARKET_CLOSED):
            return None, state
        return _Rejection(rejection.code, rejection.message), state

    def _tighten_for_daily_loss(
        self, equity: Decimal, baseline: Decimal | None, now: int
    ) -> TradingState:
        new = state_after_daily_loss(TradingState.ACTIVE)
        loss = None if baseline is None else baseline - equity
        change = StateChange(
            TradingState.ACTIVE,
            new,
            f"daily loss limit: equity {equity} vs start-of-day {baseline}",
            StateChanger.DAILY_LOSS,
            now,
            {
                "equity": format(equity, "f"),
                "start_of_day_equity": "" if baseline is None else format(baseline, "f"),
                "loss": "" if loss is None else format(loss, "f"),
                "daily_loss_percent": format(self._constitution.daily_loss_percent, "f"),
            },
        )
        # Only from ACTIVE: concurrent requests that all see the breach change it (and tell
        # the operator) once.
        if change_state(self._store, self._notifier, change, only_from=[TradingState.ACTIVE]):
            log.warning("daily loss breach: trading state %s", new)
        return new

    def _claim(self, nonce: NonceUse | None) -> None:
        """Accept the request's nonce on a path that writes nothing else (a duplicate)."""
        if nonce is not None and not self._store.claim_nonce(nonce):
            raise _reused(nonce)

    def _replay(self, existing: ProposalRecord, fingerprint: str) -> Decision:
        if existing.body_hash != fingerprint:
            raise ProposalIdReused(f"proposal {existing.proposal_id} was sent with another body")
        if existing.status != STATUS_DECIDED:
            raise ProposalInProgress(f"proposal {existing.proposal_id} is still being decided")
        return decision_of(existing, replayed=True)

    @staticmethod
    def _record(
        proposal: Proposal, fingerprint: str, now: int, status: str, **decided: Any
    ) -> ProposalRecord:
        """The proposal's first record: identity, fingerprint and body, with `decided`
        (decision, reason, order state, lease) as the decision so far."""
        return ProposalRecord(
            proposal_id=proposal.id,
            body_hash=fingerprint,
            symbol=proposal.symbol,
            intent=proposal.intent,
            status=status,
            created_at_ms=now,
            updated_at_ms=now,
            body=encode(proposal).decode(),
            **decided,
        )

    def _audit(self, proposal: Proposal, now: int, decision: Decision) -> AuditEntry:
        detail = {
            "strategy": proposal.strategy,
            "intent": proposal.intent,
            "quantity": str(proposal.quantity),
            "source": f"{proposal.source.kind}:{proposal.source.name}",
            "order_id": "" if decision.order_id is None else str(decision.order_id),
            "order_state": decision.order_state,
            "reason": decision.reason or "",
        }
        return AuditEntry(
            trading_day(now), now, proposal.id, "decision", proposal.symbol,
            decision.decision, decision.reason_code or "", detail,
        )  # fmt: skip

    def _reject(
        self,
        proposal: Proposal,
        fingerprint: str,
        now: int,
        rejection: _Rejection,
        nonce: NonceUse | None,
    ) -> Decision:
        decision = Decision(
            proposal_id=proposal.id,
            decision=DecisionKind.REJECTED,
            reason_code=rejection.code,
            reason=rejection.reason,
        )
        record = self._record(
            proposal,
            fingerprint,
            now,
            STATUS_DECIDED,
            decision=DecisionKind.REJECTED,
            reason_code=rejection.code,
            reason=rejection.reason,
            order_state=OrderState.NONE,
        )
        conflict = self._store.record_rejection(record, self._audit(proposal, now, decision), nonce)
        if conflict is not None and conflict.kind is ConflictKind.NONCE_REUSED:
            raise _reused(nonce)
        if conflict is not None and conflict.existing is not None:
            # The transaction wrote nothing, the nonce included: accept it on its own.
            self._claim(nonce)
            return self._replay(conflict.existing, fingerprint)
        return decision

    def _reserve_and_send(
        self,
        proposal: Proposal,
        fingerprint: str,
        now: int,
        groups: list[str],
        order: OrderRequest,
        fence: CloseFence | None,
        nonce: NonceUse | None,
    ) -> Decision:
        """Reserve (a close also takes its symbol's fence: `gatekeeper.records.CloseFence`),
        then send once."""
        opening = fence is None
        held = instruments_of(proposal)
        structure = (
            StructureRecord(proposal.id, proposal.symbol, tuple(groups), held, now)
            if opening
            else None
        )
        reservation = Reservation(
            record=self._record(
                proposal,
                fingerprint,
                now,
                STATUS_IN_PROGRESS,
                decision=DecisionKind.APPROVED,
                order_state=OrderState.SUBMITTING,
                lease_expires_ms=now + self._lease_ms,
            ),
            intent=IntentRecord(proposal.id, proposal.symbol, now),
            now_ms=now,
            opening=opening,
            limits=self._limits,
            structure=structure,
            nonce=nonce,
            close_fence=fence,
        )
        conflict = self._store.reserve(reservation)
        if conflict is not None:
            if conflict.kind is ConflictKind.NONCE_REUSED:
                raise _reused(nonce)
            if conflict.kind is ConflictKind.DUPLICATE:
                # The transaction wrote nothing, the nonce included: accept it on its own.
                self._claim(nonce)
                if conflict.existing is None:
                    raise ProposalInProgress(f"proposal {proposal.id} is being decided")
                return self._replay(conflict.existing, fingerprint)
            text = refusal_text(conflict.kind, self._limits, conflict.detail)
            return self._reject(
                proposal,
                fingerprint,
                now,
                _Rejection(CONFLICT_REASONS[conflict.kind], text),
                nonce,
            )
        result = send_once(self._inputs.broker, order, proposal.id)
        closing = None if fence is None else fence.symbol
        return self._record_outcome(proposal, now, result, structure, closing)

    def _record_outcome(
        self,
        proposal: Proposal,
        now: int,
        result: SendResult,
        structure: StructureRecord | None,
        close_symbol: str | None = None,
    ) -> Decision:
        done = self._clock.now_ms()
        if result.rejected is not None:
            decision = Decision(
                proposal_id=proposal.id,
                decision=DecisionKind.REJECTED,
                reason_code=ReasonCode.BROKER_REJECTED,
                reason=result.rejected[:500],
                order_state=result.order_state,
            )
        else:
            decision = Decision(
                proposal_id=proposal.id,
                decision=DecisionKind.APPROVED,
                order_id=result.order_id,
                order_state=result.order_state,
            )
        outcome = Outcome(
            proposal_id=proposal.id,
            decision=decision.decision,
            reason_code=decision.reason_code,
            reason=decision.reason,
            order_id=None if result.order_id is None else str(result.order_id),
            order_state=result.order_state,
            now_ms=done,
            settled=result.settled,
            audit=self._audit(proposal, done, decision),
            release=structure if result.rejected is not None else None,
            close_symbol=close_symbol,
        )
        try:
            recorded = self._store.record_outcome(outcome, expect_status=STATUS_IN_PROGRESS)
        except StoreUnavailable:
            # The order's fate is known to us but not stored: reconcile adopts it by tag.
            log.warning("outcome of %s not recorded; reconcile will settle it", proposal.id)
            return decision
        if not recorded:
            stored = self._store.get_proposal(proposal.id)
            if stored is not None and stored.status == STATUS_DECIDED:
                return decision_of(stored)
        return decision
