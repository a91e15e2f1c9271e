"""What the dashboard shows of a running brain: recent signals, proposals and decisions.

`Activity` keeps the last events the engine reported and the decisions of the trader's
confirmations (bounded deques: the page is a window, the logs and the gate's audit are the
record). `BrainView` turns a wired brain into the page's JSON: trading state, positions
with their last marked P&L, activity, and the analyst's spend.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tradier.money import to_wire

if TYPE_CHECKING:
    from brain.analyst.analysts import Analyst
    from brain.engine import EngineEvent
    from brain.runtime import Brain
    from gatekeeper.contract import Proposal
    from gatekeeper.messages import Decision

KEEP = 50


@dataclass
class Activity:
    """The most recent signals and proposals, newest last."""

    signals: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=KEEP))
    proposals: dict[str, dict[str, Any]] = field(default_factory=dict)

    def engine_event(self, event: EngineEvent) -> None:
        """Record one engine event (signal, proposal, decision)."""
        base = {"at_ms": event.at_ms, "symbol": event.symbol, "strategy": event.strategy}
        if event.kind == "signal":
            self.signals.append({**base, "detail": event.detail})
        elif event.kind == "proposal" and event.proposal is not None:
            self._proposal(
                str(event.proposal.id),
                {
                    **base,
                    "source": "strategy",
                    "intent": f"{event.proposal.intent.value} x{event.proposal.quantity}",
                },
            )
        elif event.kind == "decision" and event.decision is not None:
            self._decided(str(event.decision.proposal_id), base, event.decision)

    def chat_proposal(self, proposal: Proposal, at_ms: int) -> None:
        """Record a trader-confirmed proposal the gate approved (its legs are known)."""
        self._proposal(str(proposal.id), {
            "at_ms": at_ms, "symbol": proposal.symbol, "strategy": proposal.strategy.value,
            "source": "chat", "intent": f"{proposal.intent.value} x{proposal.quantity}",
        })  # fmt: skip

    def confirmed(self, at_ms: int, decision: dict[str, Any]) -> None:
        """Record the gate's decision on a trader-confirmed recommendation."""
        pid = str(decision.get("proposal_id"))
        self._proposal(pid, {"at_ms": at_ms, "symbol": "-", "strategy": "-",
                             "source": "chat", "intent": "open"})  # fmt: skip
        self.proposals[pid].update(
            decision=decision.get("decision"), reason_code=decision.get("reason_code")
        )

    def _proposal(self, pid: str, row: dict[str, Any]) -> None:
        self.proposals.setdefault(
            pid, {"proposal_id": pid, "decision": None, "reason_code": None, **row}
        )
        while len(self.proposals) > KEEP:
            del self.proposals[next(iter(self.proposals))]

    def _decided(self, pid: str, base: dict[str, Any], decision: Decision) -> None:
        self._proposal(pid, {**base, "source": "strategy", "intent": "-"})
        reason = decision.reason_code
        self.proposals[pid].update(
            decision=decision.decision.value,
            reason_code=getattr(reason, "value", reason),
        )


def watch(brain: Brain, activity: Activity) -> None:
    """Feed `activity` from the brain's engine reports (the previous listener still runs)."""
    previous: Callable[[EngineEvent], None] = brain.engine.report

    def report(event: EngineEvent) -> None:
        activity.engine_event(event)
        previous(event)

    brain.engine.report = report


@dataclass
class BrainView:
    """The dashboard's JSON over a wired brain."""

    brain: Brain
    activity: Activity
    analyst: Analyst | None = None

    def snapshot(self) -> dict[str, Any]:
        """Everything the page shows, as JSON-ready values."""
        brain = self.brain
        state = brain.heartbeat.trading_state
        positions = []
        for p in brain.monitor.positions.values():
            each = p.last_pnl_each
            positions.append({
                "id": p.id, "symbol": p.symbol, "strategy": p.strategy.value,
                "quantity": p.quantity, "entry": to_wire(p.entry_signed),
                "legs": [leg.option_symbol for leg in p.legs],
                "pnl": to_wire(each * p.quantity) if each is not None else None,
                "opened_at_ms": p.opened_at_ms, "closing": p.closing_id is not None,
            })  # fmt: skip
        return {
            "now_ms": brain.clock.now_ms(),
            "trading_state": state.value if state is not None else None,
            "summary": brain.summary(),
            "positions": positions,
            "signals": list(self.activity.signals)[::-1],
            "proposals": list(self.activity.proposals.values())[::-1],
            "analyst": self.analyst.status() if self.analyst is not None else None,
        }
