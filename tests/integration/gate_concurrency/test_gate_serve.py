"""The concurrency suite through `edgegate gate serve` itself: its HTTP server, its
embedded DynamoDB, and many HTTP clients at once, ten independent runs of each case.

Each run starts a fresh `gate serve` (a fresh embedded store) on wall time, trading with
the test's simulator; afterwards the open-structure counters in the gate's own table must
equal the structures it recorded, its approvals and the orders the broker received.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from gatekeeper.signing import Target, signed_headers
from tests.support.gate_harness import ACCOUNT, ADMIN, SIGNING, TOKEN, equity, raw
from tests.support.gate_serve import ServedGate, constitution_file, gate_serve
from tradier.clock import ManualClock, SystemClock
from tradier.sim.server import RunningSim

RUNS = range(10)
WORKERS = 50
pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


class Clients:
    """Concurrent brains: one HTTP client per worker thread, all posting to one gate."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._local = threading.local()
        self._made: list[httpx.Client] = []
        self._pool = ThreadPoolExecutor(max_workers=WORKERS)
        self._wall = SystemClock()

    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = httpx.Client(base_url=self._url, timeout=30)
            self._local.client = client
            self._made.append(client)
        return client

    def post_all(
        self, count: int, make: Callable[[int], bytes], barrier: bool = False
    ) -> list[httpx.Response]:
        """POST `count` bodies (`make(i)`, built and signed as each is sent, as a brain
        would) to /v1/proposals at once; the responses in order."""
        start = threading.Barrier(count) if barrier else None

        def one(i: int) -> httpx.Response:
            client = self._client()
            if start is not None:
                start.wait(timeout=30)
            body = make(i)
            headers = self._signed("POST", "/v1/proposals", body)
            return client.post("/v1/proposals", content=body, headers=headers)

        return list(self._pool.map(one, range(count)))

    def status(self) -> dict[str, Any]:
        """GET /v1/status."""
        reply = self._client().get("/v1/status", headers=self._signed("GET", "/v1/status", b""))
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def _signed(self, method: str, path: str, body: bytes) -> dict[str, str]:
        # The one place these brains sign: v2 binds the method and path (a fresh nonce each).
        return signed_headers(SIGNING, Target(method, path), body, self._wall.now_ms())

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for client in self._made:
            client.close()


@pytest.fixture
def serve(sim: RunningSim, clock: ManualClock, tmp_path: Path) -> Iterator[Any]:
    """Start `gate serve` with a constitution of the given keys; returns (gate, clients)."""
    with contextlib.ExitStack() as stack:

        def start(groups: Any = None, **keys: Any) -> tuple[ServedGate, Clients]:
            env = {
                "EDGEGATE_CONSTITUTION": str(constitution_file(tmp_path, groups, **keys)),
                "EDGEGATE_SIGNING_SECRET": SIGNING.decode(),
                "EDGEGATE_ADMIN_SECRET": ADMIN.decode(),
                "TRADIER_TRADE_BASE_URL": sim.api_url,
                "TRADIER_TRADE_TOKEN": TOKEN,
                "TRADIER_ACCOUNT_ID": ACCOUNT,
            }
            gate = stack.enter_context(gate_serve(env))
            clients = Clients(gate.url)
            stack.callback(clients.close)
            return gate, clients

        yield start


def opening(symbols: list[str]) -> Callable[[int], bytes]:
    """The i-th of many distinct opening limit buys, cycling over `symbols`, stamped now."""

    def make(i: int) -> bytes:
        stamp = ManualClock(SystemClock().now_ms())
        return raw(
            equity(stamp, symbol=symbols[i % len(symbols)], order_type="limit", price="600.00")
        )

    return make


def decisions_of(replies: list[httpx.Response]) -> list[dict[str, Any]]:
    """The decision bodies, after checking every reply was a 200."""
    statuses = Counter(r.status_code for r in replies)
    assert set(statuses) == {200}, (statuses, [r.text for r in replies if r.status_code != 200])
    return [r.json() for r in replies]


def assert_counters_match_structures(
    gate: ServedGate, clients: Clients, approved: list[dict[str, Any]], sim: RunningSim
) -> None:
    """The gate's counters = its structure items = its approvals = the broker's orders."""
    structures = gate.items("STRUCTURE")
    by_symbol = Counter(s["symbol"]["S"] for s in structures)
    by_group = Counter(g["S"] for s in structures for g in s["groups"]["L"])
    counters = {c["pk"]["S"]: int(c["n"]["N"]) for c in gate.items("OPEN#")}
    assert counters.get("OPEN#TOTAL", 0) == len(structures) == len(approved)
    for symbol, held in by_symbol.items():
        assert counters[f"OPEN#SYMBOL#{symbol}"] == held, (symbol, counters)
    for group, held in by_group.items():
        assert counters[f"OPEN#GROUP#{group}"] == held, (group, counters)
    assert sum(n for pk, n in counters.items() if pk.startswith("OPEN#SYMBOL#")) == len(structures)
    assert {s["proposal_id"]["S"] for s in structures} == {d["proposal_id"] for d in approved}
    orders = sim.controls.orders()
    assert sorted(o["tag"] for o in orders) == sorted(d["proposal_id"] for d in approved)
    assert clients.status()["open_structures"] == len(structures)


@pytest.mark.parametrize("run", RUNS)
def test_gate_serve_when_50_concurrent_posts_of_one_proposal_then_one_order(
    serve: Any, sim: RunningSim, run: int
) -> None:
    gate, clients = serve(groups=[])
    body = opening(["SPY"])(0)
    replies = clients.post_all(50, lambda _: body, barrier=True)
    statuses = Counter(r.status_code for r in replies)
    assert set(statuses) <= {200, 409}, (statuses, [r.text for r in replies])
    fresh = [r.json() for r in replies if r.status_code == 200 and not r.json()["replayed"]]
    assert len(fresh) == 1 and fresh[0]["decision"] == "APPROVED", fresh
    replayed = [r.json() for r in replies if r.status_code == 200 and r.json()["replayed"]]
    assert all(d["order_id"] == fresh[0]["order_id"] for d in replayed)
    assert len(sim.controls.orders()) == 1
    assert_counters_match_structures(gate, clients, fresh, sim)


@pytest.mark.parametrize("run", RUNS)
def test_gate_serve_when_100_distinct_opens_for_one_symbol_then_exactly_one_approved(
    serve: Any, sim: RunningSim, run: int
) -> None:
    gate, clients = serve()
    decisions = decisions_of(clients.post_all(100, opening(["QQQ"])))
    verdicts = Counter((d["decision"], d["reason_code"]) for d in decisions)
    assert verdicts == {("APPROVED", None): 1, ("REJECTED", "SYMBOL_RATE_LIMITED"): 99}
    approved = [d for d in decisions if d["decision"] == "APPROVED"]
    assert_counters_match_structures(gate, clients, approved, sim)


@pytest.mark.parametrize("run", RUNS)
def test_gate_serve_when_200_opens_across_symbols_then_structure_and_group_caps_hold(
    serve: Any, sim: RunningSim, run: int
) -> None:
    # Caps that all bind: SPY+QQQ at most 4 together, each symbol at most 3, 9 in all
    # (IWM 3 + DIA 3 + the group's 4 could reach 10, so the total cap is what stops it).
    gate, clients = serve(
        groups=[("large_caps", ["SPY", "QQQ"], 4)],
        max_open_structures=9,
        max_open_structures_per_symbol=3,
        symbol_open_window_seconds=0,
    )
    decisions = decisions_of(clients.post_all(200, opening(["SPY", "QQQ", "IWM", "DIA"])))
    approved = [d for d in decisions if d["decision"] == "APPROVED"]
    assert len(approved) == 9
    reasons = Counter(d["reason_code"] for d in decisions if d["decision"] == "REJECTED")
    # With no symbol window a few still read SYMBOL_RATE_LIMITED: requests take the wall
    # clock before they write, so one may find a later open already recorded (DynamoDB
    # would refuse it the same way).
    assert set(reasons) <= {
        "SYMBOL_RATE_LIMITED",
        "OPEN_STRUCTURES_LIMIT",
        "SYMBOL_CONCENTRATION",
        "CORRELATION_GROUP_LIMIT",
    }, reasons
    per_symbol = Counter(o["symbol"] for o in sim.controls.orders())
    assert max(per_symbol.values()) <= 3, per_symbol
    assert per_symbol["SPY"] + per_symbol["QQQ"] <= 4, per_symbol
    assert_counters_match_structures(gate, clients, approved, sim)
