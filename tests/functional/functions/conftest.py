"""A real gate behind the real handlers: moto server DynamoDB, the Tradier simulator on
loopback, one manual clock shared by both, and counting wrappers around the two clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from functions import runtime
from functions.config import GateConfig, load_config
from functions.local.metering import CountingClient, TimingTransport
from tests.support import dynamo
from tests.support.events import FILE_ADMIN_SECRET, FILE_SECRET, response_json, signed_event
from tradier.clock import ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

# The shared DynamoDB fixtures, made visible to this directory's tests.
fake_aws_env = dynamo.fake_aws_env
moto_endpoint = dynamo.moto_endpoint
moto_client = dynamo.moto_client
moto_table = dynamo.moto_table

REPO = Path(__file__).resolve().parents[3]
SIGNING_SECRET = FILE_SECRET
ADMIN_SECRET = FILE_ADMIN_SECRET
# Wednesday 2026-11-18, 10:00 in New York: a regular session is open.
START_MS = from_datetime(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))


def gate_env(sim: RunningSim, table: str, **extra: str) -> dict[str, str]:
    """The environment `edgegate gate serve` / Lambda would see for this gate."""
    env = {
        "EDGEGATE_GATE_TABLE": table,
        "EDGEGATE_CONSTITUTION": str(REPO / "infra/constitution.toml"),
        "TRADIER_TRADE_BASE_URL": sim.api_url,
        "TRADIER_TRADE_TOKEN": sim.config.token,
        "TRADIER_ACCOUNT_ID": sim.config.account,
        "EDGEGATE_SIGNING_SECRET": SIGNING_SECRET.decode(),
        "EDGEGATE_ADMIN_SECRET": ADMIN_SECRET.decode(),
        "AWS_REGION": "us-east-1",
    }
    env.update(extra)
    return env


@dataclass
class Harness:
    """Everything a route test touches, with the call counters."""

    clock: ManualClock
    sim: RunningSim
    config: GateConfig
    dynamodb: CountingClient
    raw_dynamodb: Any
    table: str
    tradier_transport: TimingTransport
    tradier: Any

    def now(self) -> int:
        """The shared clock's now."""
        return self.clock.now_ms()

    def event(
        self,
        name: str,
        *,
        body: bytes | dict[str, Any] | None = None,
        secret: bytes = SIGNING_SECRET,
        path_parameters: dict[str, str] | None = None,
        nonce: str | None = None,
    ) -> dict[str, Any]:
        """Event file `name`, re-signed now (v2, a fresh nonce unless `nonce` is given)."""
        return signed_event(
            name, secret, self.now(), body=body, path_parameters=path_parameters, nonce=nonce
        )

    def reset_counts(self) -> None:
        """Zero the DynamoDB and Tradier call counters."""
        self.dynamodb.reset()
        self.tradier_transport.reset()

    def item_count(self) -> int:
        """Items in the gate table (a consistent scan through the uncounted client)."""
        pages = self.raw_dynamodb.get_paginator("scan").paginate(
            TableName=self.table, Select="COUNT", ConsistentRead=True
        )
        return sum(page["Count"] for page in pages)

    def orders(self) -> list[dict[str, Any]]:
        """Every order the simulator received."""
        return self.sim.controls.orders()


@pytest.fixture(scope="module")
def sim_clock() -> ManualClock:
    """The one clock of the simulator and the gate."""
    return ManualClock(START_MS)


@pytest.fixture(scope="module")
def sim(sim_clock: ManualClock) -> Iterator[RunningSim]:
    """The Tradier simulator on loopback, on the shared clock."""
    with run_in_thread(SimConfig(seed=11, start_ms=START_MS), sim_clock) as running:
        yield running


@pytest.fixture
def harness(
    sim: RunningSim, sim_clock: ManualClock, moto_table: tuple[Any, str]
) -> Iterator[Harness]:
    """A freshly composed gate installed for the handlers, on a fresh table."""
    sim_clock.set(START_MS)
    sim.controls.reset()
    raw, table = moto_table
    config = load_config(gate_env(sim, table))
    dynamodb = CountingClient(raw)
    transport = TimingTransport()
    tradier = runtime.tradier_client(config, sim_clock, transport)
    runtime.install(runtime.compose(config, clock=sim_clock, dynamodb=dynamodb, tradier=tradier))
    try:
        yield Harness(sim_clock, sim, config, dynamodb, raw, table, transport, tradier)
    finally:
        runtime.reset()
        tradier.close()


@pytest.fixture
def h(harness: Harness) -> Harness:
    """Short name for the harness."""
    return harness


def body_of(response: dict[str, Any]) -> Any:
    """The JSON body of a handler response."""
    return response_json(response)
