"""Local DynamoDB fixtures (moto server, DynamoDB Local) and a store of each backend."""

from __future__ import annotations

import pytest

from brain.conversations.store import MemorySessionStore, SessionStore
from brain.conversations.store_dynamo import DynamoSessionStore
from tests.support import dynamo

fake_aws_env = dynamo.fake_aws_env
moto_endpoint = dynamo.moto_endpoint
moto_client = dynamo.moto_client
moto_table = dynamo.moto_table
ddblocal_process = dynamo.ddblocal_process
ddblocal_endpoint = dynamo.ddblocal_endpoint
ddblocal_client = dynamo.ddblocal_client
ddblocal_table = dynamo.ddblocal_table


@pytest.fixture(params=["memory", "moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)])
def store(request: pytest.FixtureRequest) -> SessionStore:
    """A fresh sessions store on each backend in turn (the conformance suite's subject)."""
    if request.param == "memory":
        return MemorySessionStore()
    client, table = request.getfixturevalue(f"{request.param}_table")
    return DynamoSessionStore(client, table)


# The simulator and an in-process gate for the conversation tests (module-scoped: the
# gate's per-symbol rate limit is stepped over by advancing the shared clock).
from collections.abc import Iterator  # noqa: E402
from datetime import datetime, time  # noqa: E402

from brain.replay import REPLAY_SECRET, default_day  # noqa: E402
from edgegate.compose import in_process_gate  # noqa: E402
from tradier.clock import NEW_YORK, ManualClock, from_datetime  # noqa: E402
from tradier.sim.core import SimConfig  # noqa: E402
from tradier.sim.server import RunningSim, run_in_thread  # noqa: E402

START = from_datetime(datetime.combine(default_day(), time(10, 30), tzinfo=NEW_YORK))


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    """Simulated time shared by the simulator, the gate and the brain."""
    return ManualClock(START)


@pytest.fixture(scope="module")
def sim(clock: ManualClock) -> Iterator[RunningSim]:
    """The Tradier simulator on loopback."""
    with run_in_thread(SimConfig(seed=11, follow_calendar=True, tick_s=0.05), clock) as running:
        yield running


@pytest.fixture(scope="module")
def gate_url(sim: RunningSim, clock: ManualClock) -> Iterator[str]:
    """The real gate, in-process over moto, trading on the simulator."""
    with in_process_gate(sim.api_url, clock, REPLAY_SECRET) as url:
        yield url
