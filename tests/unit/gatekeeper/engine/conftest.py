"""The gate with an in-memory store and the simulator on loopback."""

from __future__ import annotations

import pytest

from gatekeeper.service import Gate
from gatekeeper.store import MemoryGateStore
from tests.support import gate_harness
from tradier.client import TradierClient
from tradier.clock import ManualClock

sim_clock = gate_harness.sim_clock
sim = gate_harness.sim
clock = gate_harness.clock
client = gate_harness.client


@pytest.fixture
def store() -> MemoryGateStore:
    return MemoryGateStore()


@pytest.fixture
def gate(store: MemoryGateStore, client: TradierClient, clock: ManualClock) -> Gate:
    return gate_harness.make_gate(store, client, clock)
