"""The demo's gate: `edgegate.compose`'s scheduled gate, keeping its audit trail at the end.

The audit trail lives in the gate's (embedded) DynamoDB, which goes when the gate stops;
the report wants it, so the day's lines are read through the gate's own store first.

`quiesce()` stops the gate's schedules and reads the trail; call it from a worker thread
(`RunRecorder.on_finish`) while the replay's loop still serves the simulator. Stopping them
on the loop itself, as the block's exit does, can wait out a reconcile that is calling the
simulator the blocked loop cannot answer: 5 s, then the job fails against a torn-down gate.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from edgegate.compose import gate_env
from gatekeeper.reconcile import trading_day
from gatekeeper.records import AuditEntry
from tradier.clock import Clock

if TYPE_CHECKING:
    from functions.local.embedded import LocalGate


class AuditKeepingGate:
    """A `brain.replay.GateFactory` whose gate runs `constitution`; `audit` after the run."""

    def __init__(self, constitution: Path) -> None:
        self.constitution = constitution
        self.audit: list[AuditEntry] = []
        self._gate: LocalGate | None = None
        self._quiesced = False

    @contextlib.contextmanager
    def __call__(self, api_url: str, clock: Clock, secret: bytes) -> Iterator[str]:
        """Serve the gate with its schedules on `clock` for the block; yields its URL."""
        from functions.local.embedded import local_gate

        env = gate_env(api_url, secret, self.constitution)
        with local_gate(env, clock=clock, schedules=True) as gate:
            self._gate, self._quiesced = gate, False
            try:
                yield gate.url
                if not self._quiesced:
                    self.quiesce()
            finally:
                self._gate = None

    def quiesce(self) -> None:
        """Stop the gate's schedules (a job in flight finishes) and read the day's audit."""
        gate = self._gate
        if gate is None:
            return
        if gate.scheduler is not None:
            gate.scheduler.stop()
        # The whole day: the store's default page of 1,000 lines can be filled by a loaded
        # day's alerts and reconciles, leaving later decisions out of the report.
        day = trading_day(gate.clock.now_ms())
        self.audit = gate.gate.store.audit_for_day(day, limit=1_000_000)
        self._quiesced = True
