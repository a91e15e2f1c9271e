"""Every change of the trading state: stored with its audit entry at once, then told.

Who may move the state is `gatekeeper.states`; this is what happens when one does. The
new state and an audit entry (previous and new state, reason, who, and the figures that
led to it) are one conditional write, so the trail can never miss a change nor record one
that lost a race; the operator is then told through the `Notifier` (SNS when deployed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gatekeeper.contract import StateChanger, TradingState
from gatekeeper.store import AuditEntry, GateStore, StateRecord
from tradier.clock import to_new_york

if TYPE_CHECKING:
    from gatekeeper.watchdog import Notifier

AUDIT_KIND = "state"


@dataclass(frozen=True)
class StateChange:
    """One change of the trading state, with the figures that justify it."""

    previous: TradingState
    state: TradingState
    reason: str
    changed_by: StateChanger
    at_ms: int
    figures: Mapping[str, str] = field(default_factory=dict)

    def detail(self) -> dict[str, str]:
        """What the audit entry and the notification carry."""
        return {
            "previous": self.previous.value,
            "state": self.state.value,
            "reason": self.reason,
            "changed_by": self.changed_by.value,
            **self.figures,
        }

    def audit(self) -> AuditEntry:
        """The audit entry written with the change."""
        day = to_new_york(self.at_ms).date().isoformat()
        ref = f"state-{self.at_ms}-{self.changed_by.value}"
        return AuditEntry(day, self.at_ms, ref, AUDIT_KIND, "", self.state.value, "", self.detail())


def change_state(
    store: GateStore,
    notifier: Notifier,
    change: StateChange,
    only_from: Sequence[TradingState] = (),
) -> bool:
    """Store `change` with its audit entry (only from `only_from` states when given) and
    notify; False, with nothing written or sent, when the current state was not one of them."""
    record = StateRecord(change.state, change.reason, change.changed_by.value, change.at_ms)
    if not store.set_state(record, only_from=only_from, audit=change.audit()):
        return False
    subject = f"trading state {change.previous} -> {change.state} ({change.changed_by})"
    notifier.notify(subject, change.detail())
    return True
