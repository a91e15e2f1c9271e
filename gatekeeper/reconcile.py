"""Reconcile (every minute in market hours): the broker's truth back into the gate's table.

- pending intents are settled by tag: an order found is adopted; none found after the
  grace period means it never reached the broker (NOT_PLACED, counters released);
- proposals still IN_PROGRESS after their lease (the request died before recording its
  outcome) are settled the same way, so a duplicate never gets 409 forever;
- order states and fills of today's orders are copied to their proposals when they change;
- orders from outside edgegate (no tag, or a tag that is no proposal) are audited and alerted
  once each;
- structures whose order is final and whose instruments are no longer held are released.
Nothing here ever sends an order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from gatekeeper.contract import DecisionKind, OrderState, ReasonCode
from gatekeeper.execution import UNFILLED_FINAL, Broker, order_state_of
from gatekeeper.states import TERMINAL_ORDER_STATES
from gatekeeper.store import (
    STATUS_IN_PROGRESS,
    AuditEntry,
    GateStore,
    IntentRecord,
    Outcome,
    StructureRecord,
)
from gatekeeper.watchdog import Notifier
from tradier import models
from tradier.clock import Clock, to_new_york
from tradier.errors import TradierError

log = logging.getLogger(__name__)
DEFAULT_GRACE_MS = 120_000  # longer than a proposal function's timeout plus its lease


@dataclass
class ReconcileReport:
    """What one reconcile run did (returned to the scheduled function)."""

    adopted: list[str] = field(default_factory=list)
    not_placed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    external_orders: list[int] = field(default_factory=list)
    released: list[str] = field(default_factory=list)


def trading_day(now_ms: int) -> str:
    """The New York calendar date of `now_ms` (the gate's day key)."""
    return to_new_york(now_ms).date().isoformat()


def _book_entry(order: models.Order) -> str:
    avg = "" if order.avg_fill_price is None else format(order.avg_fill_price, "f")
    return f"{order_state_of(order)}|{order.exec_quantity}|{avg}|{order.tag or ''}"


class Reconciler:
    """Settles intents, order states, outside orders and open-structure counters."""

    def __init__(
        self,
        store: GateStore,
        broker: Broker,
        clock: Clock,
        notifier: Notifier,
        grace_ms: int = DEFAULT_GRACE_MS,
    ) -> None:
        self._store = store
        self._broker = broker
        self._clock = clock
        self._notifier = notifier
        self._grace_ms = grace_ms

    def run(self) -> ReconcileReport:
        """One reconcile pass."""
        now = self._clock.now_ms()
        report = ReconcileReport()
        orders = self._broker.orders(include_tags=True)
        by_tag = {o.tag: o for o in orders if o.tag}
        for intent in self._store.pending_intents():
            self._settle_intent(intent, by_tag, now, report)
        self._settle_expired_leases(by_tag, now, report)
        self._sync_orders(orders, now, report)
        self._release_closed(now, report)
        return report

    # -- intents ----------------------------------------------------------------------

    def _settle_intent(
        self,
        intent: IntentRecord,
        by_tag: dict[str, models.Order],
        now: int,
        report: ReconcileReport,
    ) -> None:
        order = by_tag.get(intent.proposal_id)
        age = now - intent.created_at_ms
        if order is None and age < self._grace_ms:
            return  # possibly still being sent by a live request
        if order is None:
            try:
                order = self._broker.find_order_by_tag(intent.proposal_id)
            except TradierError as exc:
                log.warning("reconcile lookup failed: %s", type(exc).__name__)
                return
        if order is not None:
            self._adopt(intent.proposal_id, intent.symbol, order, now, None, report)
        else:
            self._not_placed(intent.proposal_id, intent.symbol, now, None, report)

    def _settle_expired_leases(
        self, by_tag: dict[str, models.Order], now: int, report: ReconcileReport
    ) -> None:
        """Proposals still IN_PROGRESS after their lease: the request that held it died
        (a Lambda times out well inside the lease) between reserving and recording. Until
        settled, a duplicate gets 409 and GET shows no outcome, so settle by the broker's
        word: the order with its tag, or none (NOT_PLACED once the grace has passed)."""
        settled = {*report.adopted, *report.not_placed}
        for record in self._store.expired_leases(now):
            pid = record.proposal_id
            if pid in settled:
                continue  # just settled through its intent (the index lags a little)
            order = by_tag.get(pid)
            if order is None:
                try:
                    order = self._broker.find_order_by_tag(pid)
                except TradierError as exc:
                    log.warning("reconcile lookup failed: %s", type(exc).__name__)
                    continue
            if order is not None:
                self._adopt(pid, record.symbol, order, now, STATUS_IN_PROGRESS, report)
            elif now - record.created_at_ms >= self._grace_ms:
                self._not_placed(pid, record.symbol, now, STATUS_IN_PROGRESS, report)

    def _adopt(
        self,
        proposal_id: str,
        symbol: str,
        order: models.Order,
        now: int,
        expect_status: str | None,
        report: ReconcileReport,
    ) -> None:
        """Record the order found by tag as the proposal's outcome, with its fills."""
        state = order_state_of(order)
        audit = AuditEntry(
            trading_day(now), now, proposal_id, "settled", symbol,
            DecisionKind.APPROVED, "", {"order_id": str(order.id), "order_state": state},
        )  # fmt: skip
        outcome = Outcome(
            proposal_id, DecisionKind.APPROVED, None, None, str(order.id),
            state, now, True, audit,
        )  # fmt: skip
        if self._store.record_outcome(outcome, expect_status=expect_status):
            avg = None if order.avg_fill_price is None else format(order.avg_fill_price, "f")
            self._store.update_order(proposal_id, state, order.exec_quantity, avg, now)
            report.adopted.append(proposal_id)

    def _not_placed(
        self,
        proposal_id: str,
        symbol: str,
        now: int,
        expect_status: str | None,
        report: ReconcileReport,
    ) -> None:
        """No order carries the proposal's tag after the grace: it never reached the broker;
        its structure stops counting against the caps."""
        structure = self._structure_of(proposal_id)
        reason = "the order never reached the broker (no order with its tag after the grace)"
        audit = AuditEntry(
            trading_day(now), now, proposal_id, "settled", symbol,
            DecisionKind.REJECTED, ReasonCode.BROKER_REJECTED, {"reason": reason},
        )  # fmt: skip
        outcome = Outcome(
            proposal_id, DecisionKind.REJECTED, ReasonCode.BROKER_REJECTED, reason,
            None, OrderState.NOT_PLACED, now, True, audit, structure,
        )  # fmt: skip
        if self._store.record_outcome(outcome, expect_status=expect_status):
            report.not_placed.append(proposal_id)

    def _structure_of(self, proposal_id: str) -> StructureRecord | None:
        return next(
            (s for s in self._store.open_structures() if s.proposal_id == proposal_id), None
        )

    # -- order states, fills and outside orders ---------------------------------------

    def _sync_orders(self, orders: list[models.Order], now: int, report: ReconcileReport) -> None:
        day = trading_day(now)
        key = f"ORDERS#{day}"
        book = self._store.get_doc(key) or {}
        changed = False
        for order in orders:
            oid = str(order.id)
            entry = _book_entry(order)
            if book.get(oid) == entry:
                continue
            first_seen = oid not in book
            book[oid] = entry
            changed = True
            record = self._store.get_proposal(order.tag) if order.tag else None
            if record is None:
                if first_seen:
                    self._external(order, day, now, report)
                continue
            avg = None if order.avg_fill_price is None else format(order.avg_fill_price, "f")
            state = order_state_of(order)
            if record.order_id in (None, oid) and record.order_state != OrderState.NOT_PLACED:
                self._store.update_order(record.proposal_id, state, order.exec_quantity, avg, now)
                report.updated.append(record.proposal_id)
                filled = order.exec_quantity or 0
                if filled > record.filled_quantity:
                    self._notifier.notify(
                        f"fill {order.symbol or ''} x{filled}",
                        {
                            "proposal_id": record.proposal_id,
                            "order_id": oid,
                            "status": order.status,
                            "filled": f"{filled} of {order.quantity or 0}",
                            "avg_fill_price": avg or "",
                        },
                    )
        if changed:
            self._store.put_doc(key, book, ttl_s=now // 1000 + 40 * 86_400)

    def _external(self, order: models.Order, day: str, now: int, report: ReconcileReport) -> None:
        detail = {
            "order_id": str(order.id),
            "status": order.status,
            "tag": order.tag or "",
            "side": order.side or "",
            "quantity": str(order.quantity or 0),
        }
        ref, symbol = f"order-{order.id}", order.symbol or ""
        entry = AuditEntry(day, now, ref, "external_order", symbol, "", "", detail)
        self._store.append_audit(entry)
        self._notifier.notify("order placed outside edgegate", detail)
        report.external_orders.append(order.id)

    # -- open structures --------------------------------------------------------------

    def _release_closed(self, now: int, report: ReconcileReport) -> None:
        structures = self._store.open_structures()
        if not structures:
            return
        held = {p.symbol for p in self._broker.positions() if p.quantity != 0}
        for structure in structures:
            record = self._store.get_proposal(structure.proposal_id)
            state = record.order_state if record else None
            if state is None or state not in TERMINAL_ORDER_STATES:
                continue
            never_filled = state in UNFILLED_FINAL and (
                record is None or not record.filled_quantity
            )
            if (never_filled or not held.intersection(structure.instruments)) and (
                self._store.release_structure(structure)
            ):
                report.released.append(structure.proposal_id)
