"""The simulator and the real gate (in-process, moto) for the dashboard's browser test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

import pytest

from brain.replay import REPLAY_SECRET, default_day
from edgegate.compose import in_process_gate
from tests.support import dynamo
from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

fake_aws_env = dynamo.fake_aws_env  # fake credentials and region (autouse)

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
