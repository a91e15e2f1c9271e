"""The engine: signals to sized, signed proposals; exits to closing proposals.

Signals arrive from the feed into a bounded queue (the feed never waits). `process_pending`
takes every queued signal, in a fixed order (time, symbol, strategy), and for each:
skips it while a position of the same strategy is open on the symbol or the gate is not
ACTIVE; applies the brain's own limits (`brain.limits`); plans the trade from the chain
(`brain.proposals.Planner`); sizes it (`brain.sizing`); builds the proposal with an id
from the injected factory; and sends it through the gate client. An approved opening
becomes a managed position; exits found by the monitor come back through `close`.
Every step is reported to `report` (the replay prints these).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from msgspec import to_builtins

from brain.analyst.review import ReviewOutcome, SignalReviewer
from brain.correlation import GroupLimits
from brain.exits import ExitReason
from brain.gate_client import GateClient, GateClientError, GateUnavailable
from brain.legs import NetPrice
from brain.limits import SignalLimiter
from brain.market import Signal
from brain.monitor import CloseReview, OpenPosition, PositionMonitor
from brain.persist import StateFileError, StateStore
from brain.proposals import (
    IdFactory,
    Planner,
    Skip,
    close_equity_proposal,
    close_option_proposal,
    open_proposal,
    opened_position,
    plan_summary,
    planned_quantity,
    signal_key,
)
from brain.sizing import SizingPolicy
from brain.strategies.base import OptionStrategy, PlannedTrade
from gatekeeper.contract import (
    ContractError,
    Decision,
    DecisionKind,
    OrderState,
    Proposal,
    ReasonCode,
    TradingState,
    decode_proposal,
    encode,
)
from tradier.clock import Clock, to_new_york
from tradier.money import to_wire

log = logging.getLogger(__name__)
EquitySource = Callable[[], Awaitable[Decimal]]
MAX_QUEUE = 1000
UNKNOWN_STATE = "unknown_outcomes"
_ENDED_UNFILLED = frozenset(
    {OrderState.CANCELED, OrderState.REJECTED, OrderState.EXPIRED, OrderState.NOT_PLACED}
)


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """One thing the engine did: a signal seen, skipped, proposed or decided."""

    at_ms: int
    kind: str  # signal | skip | review | proposal | decision | notice | error
    symbol: str
    strategy: str
    detail: str
    proposal: Proposal | None = None
    decision: Decision | None = None
    review: ReviewOutcome | None = None  # kind == "review": what the analyst decided


@dataclass
class EngineStats:
    """Counters for the heartbeat and the replay summary."""

    signals: int = 0
    dropped: int = 0
    skipped: int = 0
    proposals: int = 0
    approved: int = 0
    rejected: int = 0
    unknown: int = 0
    closes: int = 0
    reviews: dict[str, int] = field(default_factory=dict)  # by outcome status


@dataclass
class Engine:
    """Turns signals into proposals and exits into closes, through the gate."""

    clock: Clock
    strategies: Sequence[OptionStrategy]
    planner: Planner
    limiter: SignalLimiter
    gate: GateClient | None
    monitor: PositionMonitor
    equity: EquitySource
    ids: IdFactory
    sizing: SizingPolicy = field(default_factory=SizingPolicy)
    # The brain's own ceiling on managed positions, kept at or under the gate's limits so
    # it does not send openings the gate must refuse anyway.
    max_open: int = 6
    # correlated exposure: one bet per strategy per group of symbols that move together
    groups: GroupLimits = field(default_factory=GroupLimits)
    # after the gate refuses an opening for its correlation-group cap, the group's other
    # symbols are held back this long instead of being offered one after another
    group_backoff_ms: int = 15 * 60_000
    report: Callable[[EngineEvent], None] = lambda event: None
    gate_state: Callable[[], TradingState | None] = lambda: None
    stats: EngineStats = field(default_factory=EngineStats)
    _queue: deque[Signal] = field(default_factory=lambda: deque(maxlen=MAX_QUEUE))
    # Openings whose outcome is unknown (the gate could not be reached), by id. Kept in
    # `store` too: after a restart they are still settled, never forgotten.
    store: StateStore | None = None
    _unknown: dict[str, Proposal] = field(default_factory=dict)
    # Closes whose outcome is unknown: id -> (proposal, position id). Until settled, the
    # position keeps this id as its close: a new id would be a second close of one position.
    _unknown_closes: dict[str, tuple[Proposal, str]] = field(default_factory=dict)
    _by_name: dict[str, OptionStrategy] = field(default_factory=dict)
    # Signal review (None: off). It can only hold a signal back or make it smaller.
    reviewer: SignalReviewer | None = None

    def __post_init__(self) -> None:
        self._last_unknown: str | None = None
        self._group_refused: dict[str, int] = {}
        self._by_name = {s.name: s for s in self.strategies}
        self.monitor.close = self.close
        self.monitor.review_close = self.review_close

    def submit_signal(self, signal: Signal) -> None:
        """Queue a signal (called on the feed's path: never blocks)."""
        self.stats.signals += 1
        if len(self._queue) == self._queue.maxlen:
            self.stats.dropped += 1
        self._queue.append(signal)

    def take_pending(self) -> list[Signal]:
        """Remove and return the queued signals (when they cannot be planned)."""
        batch = list(self._queue)
        self._queue.clear()
        return batch

    @property
    def pending(self) -> int:
        """Signals waiting to be processed."""
        return len(self._queue)

    async def process_pending(self) -> int:
        """Settle unknown outcomes, then handle every queued signal in a fixed order;
        returns how many signals were handled."""
        if self._unknown or self._unknown_closes:
            await self.settle_unknown()
        batch = self.groups.rank(self._queue)
        self._queue.clear()
        for signal in batch:
            try:
                await self.handle(signal)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one bad signal must not stop the others
                self._emit("error", signal.symbol, signal.strategy, f"{type(exc).__name__}: {exc}")
                log.exception("signal %s failed", signal_key(signal))
        return len(batch)

    async def handle(self, signal: Signal) -> Decision | None:
        """One signal to (at most) one proposal; returns the gate's decision if sent."""
        what = (
            signal.reason if signal.kind == signal.strategy else f"{signal.kind}: {signal.reason}"
        )
        self._emit("signal", signal.symbol, signal.strategy, what)
        strategy = self._by_name.get(signal.strategy)
        if strategy is None or signal.kind == "exit":
            return self._skip(signal, "no_strategy" if strategy is None else "exit_signal")
        state = self.gate_state()
        if state is not None and state is not TradingState.ACTIVE:
            return self._skip(signal, f"gate_{state.value.lower()}")
        if self.monitor.has_open(signal.symbol, signal.strategy):
            return self._skip(signal, "position_open")
        if any(
            p.symbol == signal.symbol and p.source.name == signal.strategy
            for p in self._unknown.values()
        ):
            # The last opening may have been executed: another id could open it twice.
            return self._skip(signal, "outcome_unknown")
        if len(self.monitor.positions) >= self.max_open:
            return self._skip(signal, "max_open_positions")
        held = [(p.symbol, p.source) for p in self.monitor.positions.values()]
        held += [(p.symbol, p.source.name) for p in self._unknown.values()]
        capped = self.groups.check(signal.symbol, signal.strategy, held)
        if capped is not None:
            return self._skip(signal, capped)
        group = self.groups.group_of(signal.symbol)
        refused_at = self._group_refused.get(group)
        if refused_at is not None and self.clock.now_ms() - refused_at < self.group_backoff_ms:
            return self._skip(signal, "gate_group_full")
        key = signal_key(signal)
        hit = self.limiter.check(signal.symbol, key)
        if hit is not None:
            return self._skip(signal, hit.reason.value)
        today = to_new_york(self.clock.now_ms()).date()
        planned = await self.planner.plan(signal, strategy, today)
        if isinstance(planned, Skip):
            return self._skip(signal, planned.reason)
        quantity = await self._quantity(planned)
        if quantity <= 0:
            return self._skip(signal, "size_zero")
        review_context: dict[str, Any] = {}
        if self.reviewer is not None:
            outcome = await self._review(signal, planned, quantity)
            if not outcome.proceeds:
                # Remembered like a sent signal, so the same signal is not asked again
                # (and paid for again) on every bar.
                self.limiter.record(signal.symbol, key)
                why = "review_veto" if outcome.status == "vetoed" else "review_held"
                return self._skip(signal, why)
            # Never larger than sized, whatever the reviewer returned.
            quantity = min(quantity, outcome.quantity)
            review_context = {"review": outcome.context()}
        proposal = open_proposal(
            planned,
            quantity,
            proposal_id=self.ids(),
            created_at_ms=self.clock.now_ms(),
            source_name=signal.strategy,
            context={
                "reason": signal.reason[:200],
                "regime": str(signal.params.get("regime", "")),
                **review_context,
            },
        )
        self.limiter.record(signal.symbol, key)
        t = planned.targets
        # the exit levels and their reward-to-risk, so a replay shows what each entry risks
        summary = (
            f"{plan_summary(planned.plan)} tp {to_wire(t.take_profit_each)}"
            f" sl {to_wire(t.stop_loss_each)} rr {t.reward_risk:.2f}"
        )
        decision = await self._send(proposal, signal.strategy, summary)
        if decision is None and self._last_unknown == proposal.id:
            self._unknown[proposal.id] = proposal
            self.save_unknown()
        if decision is not None and decision.decision is DecisionKind.APPROVED:
            self.monitor.add(opened_position(proposal, self.clock.now_ms()))
        elif decision is not None and decision.reason_code is ReasonCode.CORRELATION_GROUP_LIMIT:
            self._group_refused[self.groups.group_of(signal.symbol)] = self.clock.now_ms()
        return decision

    async def _review(self, signal: Signal, planned: PlannedTrade, quantity: int) -> ReviewOutcome:
        assert self.reviewer is not None
        outcome = await self.reviewer.review(signal, [(planned, quantity)])
        self.stats.reviews[outcome.status] = self.stats.reviews.get(outcome.status, 0) + 1
        size = f" x{outcome.quantity}" if outcome.status == "adjusted" else ""
        self._emit(
            "review",
            signal.symbol,
            signal.strategy,
            f"{outcome.status}{size} by {outcome.analyst}: {outcome.rationale[:160]}",
            review=outcome,
        )
        return outcome

    def notify(self, detail: str, symbol: str = "-", strategy: str = "analyst") -> None:
        """Report something the trader must know that is not about one signal (e.g. the
        analyst's cost cap was reached)."""
        self._emit("notice", symbol, strategy, detail)

    async def settle_unknown(self) -> None:
        """Ask the gate what became of proposals sent while it was unreachable. Never
        resent: an approved opening becomes a managed position, one the gate never saw is
        dropped; a close the gate never saw or refused leaves the position open to be
        closed again, a filled one removes it, an approved working one stays closing."""
        if self.gate is None:
            self._unknown.clear()
            self._unknown_closes.clear()
            return
        gate = self.gate
        for pid, proposal in list(self._unknown.items()):
            try:
                settled = await self._settle(gate, proposal)
            except GateClientError:
                continue  # still unreachable: ask again next time
            del self._unknown[pid]
            if settled is not None and settled.decision is DecisionKind.APPROVED:
                self.monitor.add(opened_position(proposal, self.clock.now_ms()))
            self.save_unknown()
        for pid, (proposal, position_id) in list(self._unknown_closes.items()):
            try:
                settled = await self._settle(gate, proposal)
            except GateClientError:
                continue
            del self._unknown_closes[pid]
            if settled is None or settled.decision is not DecisionKind.APPROVED:
                self.monitor.close_failed(position_id)
            elif settled.order_state is OrderState.FILLED:
                self.monitor.remove(position_id)
            self.save_unknown()

    async def _settle(self, gate: GateClient, proposal: Proposal) -> Decision | None:
        """The gate's decision on `proposal`, None when it never arrived; GateClientError
        while the gate still cannot say."""
        record = await gate.proposal_record(proposal.id)
        source = proposal.source.name
        if record is None:
            self._emit("decision", proposal.symbol, source, "never reached the gate")
            return None
        decision = record.decision
        detail = f"settled {decision.decision.value}"
        self._emit("decision", proposal.symbol, source, detail, decision=decision)
        if decision.decision is DecisionKind.APPROVED:
            self.stats.approved += 1
        return decision

    async def _quantity(self, planned: PlannedTrade) -> int:
        return planned_quantity(planned, await self.equity(), self.sizing)

    async def close(
        self, position: OpenPosition, reason: ExitReason, price: NetPrice
    ) -> str | None:
        """Send the closing proposal for `position`; its id, or None when not accepted.
        While an earlier close's outcome is unknown, that close's id (nothing is sent)."""
        for pid, (_, position_id) in self._unknown_closes.items():
            if position_id == position.id:
                return pid
        key = f"{position.id}|close"
        if self.limiter.admit(position.symbol, key, closing=True) is not None:
            return None
        common: dict[str, Any] = {
            "proposal_id": self.ids(),
            "created_at_ms": self.clock.now_ms(),
            "source_name": position.source or "monitor",
            "context": {"exit": reason.value, "position": position.id[:64]},
        }
        if position.equity_side is not None:
            proposal = close_equity_proposal(
                position.symbol, position.equity_side, position.quantity, price.price, **common
            )
        else:
            proposal = close_option_proposal(
                position.symbol,
                position.strategy,
                position.legs,
                position.quantity,
                price,
                **common,
            )
        self.stats.closes += 1
        decision = await self._send(proposal, common["source_name"], f"close {reason.value}")
        if decision is None and self._last_unknown == proposal.id:
            self._unknown_closes[proposal.id] = (proposal, position.id)
            self.save_unknown()
            return proposal.id  # closing until settled from the gate's record
        if decision is None or decision.decision is not DecisionKind.APPROVED:
            return None
        if decision.order_state is OrderState.FILLED:
            self.monitor.remove(position.id)
        return proposal.id

    async def review_close(self, position: OpenPosition) -> CloseReview:
        """What the gate's record says of `position`'s close, working for a while now."""
        pid = position.closing_id
        if self.gate is None or pid is None:
            return CloseReview.OVER
        if pid in self._unknown_closes:
            return CloseReview.WORKING  # the executor settles it from the record
        try:
            record = await self.gate.proposal_record(pid)
        except GateClientError:
            return CloseReview.WORKING
        if record is None or record.decision.decision is not DecisionKind.APPROVED:
            return CloseReview.OVER
        state = record.decision.order_state
        if state is OrderState.FILLED:
            return CloseReview.FILLED
        if state in _ENDED_UNFILLED and not record.fills:
            return CloseReview.OVER
        # Working, or ended after a partial fill: closing the full quantity again could
        # over-close, so it stays closing (the broker sync drops it once its legs are gone).
        return CloseReview.WORKING

    def save_unknown(self) -> None:
        """Write the proposals whose outcome is unknown (atomically, when a store is set)."""
        if self.store is None:
            return
        openings = [to_builtins(p) for p in self._unknown.values()]
        closes = [[to_builtins(p), pos] for p, pos in self._unknown_closes.values()]
        self.store.save(UNKNOWN_STATE, {"openings": openings, "closes": closes})

    def load_unknown(self) -> int:
        """Read what `save_unknown` wrote; how many proposals are to be settled.
        StateFileError (nothing loaded) when any of them cannot be read."""
        data = self.store.load(UNKNOWN_STATE) if self.store is not None else None
        if not data:
            return 0
        try:
            openings = [_proposal_of(raw) for raw in data.get("openings", [])]
            closes = [(_proposal_of(raw), str(pos)) for raw, pos in data.get("closes", [])]
        except (ContractError, TypeError, ValueError) as exc:
            raise StateFileError(
                UNKNOWN_STATE, f"{UNKNOWN_STATE}: unreadable proposal ({exc})"
            ) from exc
        self._unknown.update({p.id: p for p in openings})
        self._unknown_closes.update({p.id: (p, pos) for p, pos in closes})
        return len(openings) + len(closes)

    async def _send(self, proposal: Proposal, strategy: str, summary: str) -> Decision | None:
        self.stats.proposals += 1
        self._emit("proposal", proposal.symbol, strategy, summary, proposal=proposal)
        if self.gate is None:
            return None  # dry run: proposals are built and reported, never sent
        try:
            decision = await self.gate.submit(proposal)
        except GateUnavailable as exc:
            # The outcome is unknown: settled later from the gate's record; never resent.
            self.stats.unknown += 1
            self._last_unknown = proposal.id
            self._emit("error", proposal.symbol, strategy, f"gate unavailable: {exc}")
            return None
        except GateClientError as exc:
            self.stats.rejected += 1
            self._emit("error", proposal.symbol, strategy, str(exc))
            return None
        if decision.decision is DecisionKind.APPROVED:
            self.stats.approved += 1
        else:
            self.stats.rejected += 1
        detail = f"{decision.decision.value} {decision.order_state.value}"
        if decision.reason_code is not None:
            detail += f" {decision.reason_code.value}"
        self._emit("decision", proposal.symbol, strategy, detail, decision=decision)
        return decision

    def _skip(self, signal: Signal, reason: str) -> Decision | None:
        self.stats.skipped += 1
        self._emit("skip", signal.symbol, signal.strategy, reason)
        return None

    def _emit(
        self,
        kind: str,
        symbol: str,
        strategy: str,
        detail: str,
        *,
        proposal: Proposal | None = None,
        decision: Decision | None = None,
        review: ReviewOutcome | None = None,
    ) -> None:
        self.report(
            EngineEvent(
                self.clock.now_ms(), kind, symbol, strategy, detail, proposal, decision, review
            )
        )

    def summary(self) -> dict[str, Any]:
        """Counters for the heartbeat."""
        s = self.stats
        return {
            "signals": s.signals,
            "proposals": s.proposals,
            "approved": s.approved,
            "rejected": s.rejected,
            "pending": self.pending,
            **({"reviews": dict(s.reviews)} if s.reviews else {}),
        }


def _proposal_of(raw: Any) -> Proposal:
    return decode_proposal(encode(raw))
