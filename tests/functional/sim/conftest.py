"""A simulator on loopback with a manual clock, and plain HTTP clients for it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest

from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.server import SimConfig, SimServer

TOKEN = "test-token"
ACCOUNT = "VA11111111"
# Wednesday 2026-11-18, 10:30 ET: a regular trading day, market open.
OPEN_MS = from_datetime(datetime(2026, 11, 18, 10, 30, tzinfo=NEW_YORK))
JSON = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
# Building an SSL context costs ~0.1 s per client; loopback http needs none, so share one.
SSL = ssl.create_default_context()


@dataclass
class Sim:
    """A running server, its clock and an authenticated REST client."""

    server: SimServer
    clock: ManualClock
    http: httpx.AsyncClient
    raw: httpx.AsyncClient  # no default headers

    @property
    def orders_path(self) -> str:
        """The account's orders path."""
        return f"/accounts/{ACCOUNT}/orders"

    async def place(self, **form: str) -> httpx.Response:
        """POST an order form."""
        return await self.http.post(self.orders_path, data=form)


def make_config(**overrides: object) -> SimConfig:
    """The test configuration with overrides."""
    base: dict[str, object] = {
        "token": TOKEN,
        "account": ACCOUNT,
        "seed": 11,
        "follow_calendar": True,
        "tick_s": 0.01,
        "sandbox_tokens": ("sandbox-test-token",),
    }
    base.update(overrides)
    return SimConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[Sim]:
    """A simulator at OPEN_MS; `@pytest.mark.parametrize('sim', [{...}], indirect=True)`
    passes config overrides."""
    overrides = getattr(request, "param", {}) or {}
    clock = ManualClock(overrides.pop("start_ms", OPEN_MS))
    server = SimServer(make_config(**overrides), clock=clock)
    await server.start()
    async with (
        httpx.AsyncClient(base_url=server.api_url, headers=JSON, timeout=10, verify=SSL) as http,
        httpx.AsyncClient(base_url=server.base_url, timeout=10, verify=SSL) as raw,
    ):
        yield Sim(server, clock, http, raw)
    await server.stop()
