"""The demo's gate: `edgegate.compose`'s scheduled gate, keeping its audit trail at the end.

The audit trail lives in the gate's (embedded) DynamoDB, which goes when the gate stops;
the report wants it, so the factory reads the day's lines through the gate's own store
just before the block ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from edgegate.compose import gate_env
from gatekeeper.reconcile import trading_day
from gatekeeper.records import AuditEntry
from tradier.clock import Clock


class AuditKeepingGate:
    """A `brain.replay.GateFactory` whose gate runs `constitution`; `audit` after the run."""

    def __init__(self, constitution: Path) -> None:
        self.constitution = constitution
        self.audit: list[AuditEntry] = []

    @contextlib.contextmanager
    def __call__(self, api_url: str, clock: Clock, secret: bytes) -> Iterator[str]:
        """Serve the gate with its schedules on `clock` for the block; yields its URL."""
        from functions.local.embedded import local_gate

        env = {**gate_env(api_url, secret), "EDGEGATE_CONSTITUTION": str(self.constitution)}
        with local_gate(env, clock=clock, schedules=True) as gate:
            yield gate.url
            self.audit = gate.gate.store.audit_for_day(trading_day(clock.now_ms()))
