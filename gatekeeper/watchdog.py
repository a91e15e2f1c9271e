"""Watchdog: no brain heartbeat for N minutes while positions are open -> REDUCING, audited
and notified (`gatekeeper.state_changes`).

The brain may die with positions on; the gate then stops anything new from opening (the
brain, or a human, can still close) and tells someone through a `Notifier`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from gatekeeper.contract import StateChanger, TradingState
from gatekeeper.execution import Broker
from gatekeeper.state_changes import StateChange, change_state
from gatekeeper.store import AuditEntry, GateStore
from tradier.clock import Clock, to_new_york

log = logging.getLogger(__name__)
DEFAULT_HEARTBEAT_TIMEOUT_MS = 5 * 60_000


class Notifier(Protocol):
    """Tells an operator something needs attention."""

    def notify(self, subject: str, detail: Mapping[str, str]) -> None:
        """Send one notification."""
        ...


class AuditNotifier:
    """The default notifier: a warning log line and an `alert` line in the audit trail."""

    def __init__(self, store: GateStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self.sent: list[tuple[str, dict[str, str]]] = []

    def notify(self, subject: str, detail: Mapping[str, str]) -> None:
        """Log and audit the alert."""
        now = self._clock.now_ms()
        self.sent.append((subject, dict(detail)))
        log.warning("ALERT %s", subject, extra={"detail": dict(detail)})
        day = to_new_york(now).date().isoformat()
        entry = AuditEntry(
            day, now, f"alert-{now}", "alert", "", "", "", {"subject": subject, **detail}
        )
        self._store.append_audit(entry)


@dataclass(frozen=True)
class WatchdogResult:
    """What the watchdog saw and did."""

    open_positions: int
    heartbeat_age_ms: int | None
    tripped: bool


class Watchdog:
    """Moves ACTIVE to REDUCING when the brain is silent while positions are open."""

    def __init__(
        self,
        store: GateStore,
        broker: Broker,
        clock: Clock,
        notifier: Notifier,
        timeout_ms: int = DEFAULT_HEARTBEAT_TIMEOUT_MS,
    ) -> None:
        self._store = store
        self._broker = broker
        self._clock = clock
        self._notifier = notifier
        self._timeout_ms = timeout_ms

    def run(self) -> WatchdogResult:
        """One check."""
        now = self._clock.now_ms()
        heartbeat = self._store.get_heartbeat()
        age = None if heartbeat is None else now - heartbeat.at_ms
        if age is not None and age <= self._timeout_ms:
            return WatchdogResult(-1, age, False)  # alive: no need to ask the broker
        positions = [p for p in self._broker.positions() if p.quantity != 0]
        if not positions:
            return WatchdogResult(0, age, False)
        silent = "never" if age is None else f"{age // 1000} s"
        change = StateChange(
            TradingState.ACTIVE,
            TradingState.REDUCING,
            f"no brain heartbeat for {silent} with positions open",
            StateChanger.WATCHDOG,
            now,
            {
                "heartbeat_age": silent,
                "heartbeat_timeout": f"{self._timeout_ms // 1000} s",
                "open_positions": str(len(positions)),
            },
        )
        tripped = change_state(self._store, self._notifier, change, only_from=[TradingState.ACTIVE])
        return WatchdogResult(len(positions), age, tripped)
