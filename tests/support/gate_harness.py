"""A gate on loopback for tests: the simulator, a store, signed requests, proposal bodies.

The simulator and the gate share one `ManualClock`, so market hours, staleness and rate
windows move only when a test moves them.
"""

from __future__ import annotations

import json
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from gatekeeper.constitution import DEFAULT_PATH, Constitution, from_mapping
from gatekeeper.service import PROPOSALS, Gate, GateResponse
from gatekeeper.signing import Target, signed_headers
from gatekeeper.store import GateStore
from tradier.client import TradierClient
from tradier.clock import NEW_YORK, ManualClock, from_datetime
from tradier.sim.core import SimConfig
from tradier.sim.server import RunningSim, run_in_thread

SIGNING = b"test-signing-secret-" + b"x" * 20
ADMIN = b"test-admin-secret-" + b"x" * 20
TOKEN = "sim-token"
ACCOUNT = "VA00000000"
# Monday 2026-09-21, 10:00 in New York: the market is open.
MARKET_OPEN_MS = from_datetime(datetime(2026, 9, 21, 10, 0, tzinfo=NEW_YORK))
DAY = "2026-09-21"
NO_RATE_LIMITS = {"standard": 100_000, "market": 100_000, "trade": 100_000}
EXPIRY = "260925"  # 4 days after MARKET_OPEN_MS


def sim_config(**overrides: Any) -> SimConfig:
    """A simulator without Tradier's rate limits and with short injected timeouts."""
    values: dict[str, Any] = {"rate_limits": dict(NO_RATE_LIMITS), "fault_delay_s": 1.0}
    values.update(overrides)
    return SimConfig(**values)


def constitution(groups: bool = True, **keys: Any) -> Constitution:
    """The default constitution with keys of [limits] / [rate_limits] replaced."""
    data = tomllib.loads(DEFAULT_PATH.read_text(), parse_float=Decimal)
    for section in ("limits", "rate_limits", "timing"):
        for key in list(data[section]):
            if key in keys:
                data[section][key] = keys[key]
    if not groups:
        data["correlation_groups"] = []
    return from_mapping(data)


def trading_client(sim: RunningSim, clock: ManualClock, timeout_s: float = 0.5) -> TradierClient:
    """The gate's Tradier client for the simulator (short timeouts for fault tests)."""
    return TradierClient(
        sim.api_url, TOKEN, ACCOUNT, clock=clock, timeout=httpx.Timeout(timeout_s, connect=2.0)
    )


def make_gate(
    store: GateStore,
    client: TradierClient,
    clock: ManualClock,
    rules: Constitution | None = None,
) -> Gate:
    """A gate composed like a Lambda container's."""
    return Gate(
        store=store,
        tradier=client,
        constitution=rules or constitution(),
        clock=clock,
        signing_secret=SIGNING,
        admin_secret=ADMIN,
    )


def equity(
    clock: ManualClock,
    *,
    symbol: str = "SPY",
    intent: str = "open",
    side: str = "buy",
    quantity: int = 10,
    order_type: str = "market",
    price: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An equity proposal body (a fresh id, created now)."""
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "created_at": clock.now_ms(),
        "symbol": symbol,
        "strategy": "equity",
        "intent": intent,
        "quantity": quantity,
        "order_type": order_type,
        "duration": "day",
        "side": side,
        "source": {"kind": "signal", "name": "test"},
    }
    if price is not None:
        body["price"] = price
    body.update(extra)
    return body


def single_option(clock: ManualClock, option_symbol: str, price: str = "1.00") -> dict[str, Any]:
    """A long single-option opening proposal at a limit price."""
    return {
        "id": str(uuid.uuid4()),
        "created_at": clock.now_ms(),
        "symbol": option_symbol[:3],
        "strategy": "single_option",
        "intent": "open",
        "quantity": 1,
        "order_type": "limit",
        "price": price,
        "duration": "day",
        "legs": [{"option_symbol": option_symbol, "side": "buy_to_open"}],
        "source": {"kind": "signal", "name": "test"},
    }


def raw(body: dict[str, Any]) -> bytes:
    """JSON bytes of a body."""
    return json.dumps(body).encode()


def signed(
    body: bytes,
    clock: ManualClock,
    secret: bytes = SIGNING,
    target: Target = PROPOSALS,
    nonce: str | None = None,
) -> dict[str, str]:
    """v2 signature headers for `body` sent to `target` now (a fresh nonce unless given)."""
    return signed_headers(secret, target, body, clock.now_ms(), nonce)


@dataclass
class Posted:
    """A response with its JSON body decoded."""

    status: int
    json: dict[str, Any] = field(default_factory=dict)


def decoded(response: GateResponse) -> Posted:
    """Decode a GateResponse body."""
    body = response.body
    if isinstance(body, bytes | bytearray):
        return Posted(response.status, json.loads(body) if body else {})
    return Posted(response.status, dict(body))


def post(gate: Gate, clock: ManualClock, body: dict[str, Any] | bytes) -> Posted:
    """Sign and submit a proposal."""
    data = body if isinstance(body, bytes) else raw(body)
    return decoded(gate.submit_proposal(signed(data, clock), data))


def orders_tagged(sim: RunningSim, tag: str) -> list[dict[str, Any]]:
    """The simulator's orders carrying `tag` (every day)."""
    return [o for o in sim.controls.orders() if o.get("tag") == tag]


# -- pytest fixtures (import them into a conftest) -------------------------------------


@pytest.fixture(scope="session")
def sim_clock() -> ManualClock:
    """The one clock of the simulator and every gate in the session."""
    return ManualClock(MARKET_OPEN_MS)


@pytest.fixture(scope="session")
def sim(sim_clock: ManualClock) -> Iterator[RunningSim]:
    """A simulator for the session (reset before each test by `clock`)."""
    with run_in_thread(sim_config(), clock=sim_clock) as running:
        yield running


@pytest.fixture
def clock(sim: RunningSim, sim_clock: ManualClock) -> ManualClock:
    """The shared clock at Monday 10:00 New York, with a freshly reset simulator."""
    sim.controls.reset()
    sim_clock.set(MARKET_OPEN_MS)
    return sim_clock


@pytest.fixture
def client(sim: RunningSim, clock: ManualClock) -> Iterator[TradierClient]:
    """The gate's Tradier client."""
    with trading_client(sim, clock) as tradier:
        yield tradier
