"""The day's outcomes, as the insights need them: each opening proposal the engine sent,
the gate's decision on it and, once the monitor has closed its position, the P&L.

`DayBook.record` takes the engine's events (`report`): a "proposal" event of an opening
is remembered, a "decision" event settles it (matched by proposal id, so a decision
settled later from the gate's record counts too). Closing proposals are not outcomes of
their own: `closed` puts the close's P&L on the opening it ends (a position's id is its
opening proposal's id). Everything is kept per New York trading day of the injected
clock: the first record of a new day starts an empty book.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from brain.conversations.insights import Outcome
from brain.engine import EngineEvent
from gatekeeper.messages import Intent
from tradier.clock import Clock, to_new_york
from tradier.money import to_wire


@dataclass(frozen=True, slots=True)
class _Sent:
    symbol: str
    strategy: str


class DayBook:
    """Outcomes of one New York day, reset when the day changes."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._day = self._today()
        self._sent: dict[str, _Sent] = {}
        self._outcomes: dict[str, Outcome] = {}

    def _today(self) -> date:
        return to_new_york(self._clock.now_ms()).date()

    def _roll(self) -> None:
        today = self._today()
        if today != self._day:
            self._day = today
            self._sent.clear()
            self._outcomes.clear()

    @property
    def day(self) -> date:
        """The New York day the book holds."""
        return self._day

    def record(self, event: EngineEvent) -> None:
        """Take one engine event (the others than opening proposals and decisions pass)."""
        self._roll()
        proposal = event.proposal
        if proposal is not None and proposal.intent is Intent.OPEN:
            self._sent[proposal.id] = _Sent(proposal.symbol, event.strategy)
        if event.kind != "decision" or event.decision is None:
            return
        decision = event.decision
        sent = self._sent.get(decision.proposal_id)
        if sent is None:
            return  # a close, or a proposal of another day
        self._outcomes[decision.proposal_id] = Outcome(
            proposal_id=decision.proposal_id,
            symbol=sent.symbol,
            strategy=sent.strategy,
            decision=decision.decision.value,
            reason_code=None if decision.reason_code is None else decision.reason_code.value,
            order_state=decision.order_state.value,
        )

    def closed(self, position_id: str, pnl: Decimal) -> None:
        """The position opened by proposal `position_id` is closed, realising `pnl` dollars
        (a position opened on another day, or adopted, is no outcome of today)."""
        self._roll()
        outcome = self._outcomes.get(position_id)
        if outcome is not None:
            self._outcomes[position_id] = replace(outcome, pnl=to_wire(pnl))

    def outcomes(self, day: date) -> list[Outcome]:
        """The outcomes of `day`, in the order they were decided (none for another day)."""
        self._roll()
        return list(self._outcomes.values()) if day == self._day else []
