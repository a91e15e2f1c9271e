"""Read models: `GET /v1/status` and `GET /v1/proposals/{id}` built from the store."""

from __future__ import annotations

import logging
from collections.abc import Callable

from gatekeeper.constitution import Constitution
from gatekeeper.contract import (
    Decision,
    DecisionKind,
    Fill,
    OrderState,
    Proposal,
    ProposalRecordResponse,
    ReasonCode,
    StateChanger,
    StatusResponse,
    TradingState,
    decode,
)
from gatekeeper.pipeline import decision_of
from gatekeeper.reconcile import trading_day
from gatekeeper.store import AuditEntry, GateStore, ProposalRecord
from tradier import models
from tradier.errors import TradierError
from tradier.money import to_wire

log = logging.getLogger(__name__)
RECENT_DECISIONS = 20


def record_response(record: ProposalRecord) -> ProposalRecordResponse:
    """The stored proposal with its decision, order state and fills."""
    fills = []
    if record.filled_quantity and record.avg_fill_price:
        fills.append(
            Fill(
                quantity=record.filled_quantity,
                price=record.avg_fill_price,
                at=record.updated_at_ms,
            )
        )
    return ProposalRecordResponse(
        decision=decision_of(record),
        proposal=decode(record.body.encode(), Proposal),
        received_at=record.created_at_ms,
        updated_at=record.updated_at_ms,
        fills=fills,
    )


def _decision_from_audit(entry: AuditEntry) -> Decision:
    order_id = entry.detail.get("order_id") or ""
    state = entry.detail.get("order_state") or OrderState.NONE
    return Decision(
        proposal_id=entry.ref,
        decision=DecisionKind(entry.decision),
        reason_code=ReasonCode(entry.reason_code) if entry.reason_code else None,
        reason=entry.detail.get("reason") or None,
        order_id=int(order_id) if order_id.isdigit() else None,
        order_state=OrderState(state),
    )


def build_status(
    store: GateStore,
    constitution: Constitution,
    now_ms: int,
    balances: Callable[[], models.Balances] | None,
) -> StatusResponse:
    """Trading state, open structures, day P&L, last heartbeat and recent decisions."""
    day = trading_day(now_ms)
    symbols = sorted(constitution.symbols)
    snap = store.snapshot(None, day, symbols, [g.name for g in constitution.correlation_groups])
    heartbeat = store.get_heartbeat()
    entries = [e for e in store.audit_for_day(day) if e.kind == "decision" and e.decision]
    recent = [_decision_from_audit(e) for e in entries[-RECENT_DECISIONS:]][::-1]
    pnl = None
    if balances is not None and snap.baseline is not None:
        try:
            equity = balances().total_equity
        except TradierError as exc:
            log.warning("status without P&L: %s", type(exc).__name__)
            equity = None
        pnl = None if equity is None else to_wire(equity - snap.baseline)
    return StatusResponse(
        state=TradingState(snap.state.state),
        state_reason=snap.state.reason or None,
        as_of=now_ms,
        open_structures=snap.open_total,
        max_open_structures=constitution.max_open_structures,
        open_structures_by_symbol={s: n for s, n in snap.open_by_symbol.items() if n},
        day_pnl=pnl,
        start_of_day_equity=None if snap.baseline is None else to_wire(snap.baseline),
        last_heartbeat_at=heartbeat.at_ms if heartbeat else None,
        recent_decisions=recent,
        state_changed_at=snap.state.updated_at_ms or None,
        state_changed_by=_changer(snap.state.actor) if snap.state.updated_at_ms else None,
    )


def _changer(actor: str) -> StateChanger | None:
    # A record written before the changer was named (or by hand) is shown without one.
    try:
        return StateChanger(actor)
    except ValueError:
        return None
