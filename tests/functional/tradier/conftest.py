"""A Tradier simulator on loopback for the client tests (no mocked HTTP)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tradier.client import TradierClient
from tradier.rest import Backoff, RetryPolicy
from tradier.sim.server import RunningSim, SimConfig, run_in_thread

# Wednesday 2026-11-18 10:00 New York: the market is open.
MARKET_OPEN_MS = 1_795_014_000_000
TOKEN = "sim-token"
SANDBOX_TOKEN = "sandbox-token-not-real"
ACCOUNT = "VA00000000"


def sim_config(**overrides: object) -> SimConfig:
    """The simulator configuration these tests share."""
    args: dict = {
        "start_ms": MARKET_OPEN_MS,
        "token": TOKEN,
        "account": ACCOUNT,
        "sandbox_tokens": (SANDBOX_TOKEN,),
        "fault_delay_s": 2.0,
    }
    args.update(overrides)
    return SimConfig(**args)


class Sleeps:
    """An injected sleep that records instead of waiting."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture(scope="session")
def sim() -> Iterator[RunningSim]:
    with run_in_thread(sim_config()) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> None:
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").controls.reset()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sim: RunningSim, sleeps: Sleeps) -> Iterator[TradierClient]:
    retry = RetryPolicy(attempts=4, backoff=Backoff(initial_s=0.01, max_s=0.05))
    with TradierClient(sim.api_url, TOKEN, ACCOUNT, retry=retry, sleep=sleeps) as c:
        yield c
