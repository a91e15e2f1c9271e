"""Limits under concurrency, on moto and on AWS DynamoDB Local.

Each worker thread has its own `Gate` (its own store object and Tradier client), as
concurrent Lambda containers would; they share one table and one simulator.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gatekeeper.constitution import Constitution
from gatekeeper.dynamo_store import DynamoGateStore
from gatekeeper.service import Gate
from tests.support.gate_harness import (
    Posted,
    constitution,
    equity,
    make_gate,
    orders_tagged,
    post,
    raw,
    trading_client,
)
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

WORKERS = 50


class GatePool:
    """A thread pool whose every thread lazily composes its own gate."""

    def __init__(
        self, table: tuple[Any, str], sim: RunningSim, clock: ManualClock, rules: Constitution
    ) -> None:
        self._table, self._sim, self._clock, self._rules = table, sim, clock, rules
        self._local = threading.local()
        # One HTTP connection pool to the simulator for all gates (httpx is thread-safe);
        # each gate still keeps its own caches, store object and counters.
        self._tradier = trading_client(sim, clock, timeout_s=10.0)
        self.pool = ThreadPoolExecutor(max_workers=WORKERS)

    def gate(self) -> Gate:
        gate: Gate | None = getattr(self._local, "gate", None)
        if gate is None:
            client, name = self._table
            store = DynamoGateStore(client, name, self._clock)
            gate = make_gate(store, self._tradier, self._clock, self._rules)
            self._local.gate = gate
        return gate

    def post_all(self, bodies: list[bytes], barrier: bool = False) -> list[Posted]:
        start = threading.Barrier(len(bodies)) if barrier else None

        def one(body: bytes) -> Posted:
            gate = self.gate()
            if start is not None:
                start.wait(timeout=30)
            return post(gate, self._clock, body)

        return list(self.pool.map(one, bodies))

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self._tradier.close()


@pytest.fixture
def pools(
    any_table: tuple[Any, str], sim: RunningSim, clock: ManualClock
) -> Iterator[Callable[[Constitution], GatePool]]:
    made: list[GatePool] = []

    def make(rules: Constitution) -> GatePool:
        made.append(GatePool(any_table, sim, clock, rules))
        return made[-1]

    yield make
    for pool in made:
        pool.close()


def test_concurrent_duplicates_when_50_posts_of_one_proposal_then_one_order_in_10_of_10_runs(
    pools: Callable[[Constitution], GatePool], clock: ManualClock, sim: RunningSim
) -> None:
    rules = constitution(groups=False, max_open_structures=100, max_open_structures_per_symbol=100)
    pool = pools(rules)
    good_runs = 0
    for _run in range(10):
        body = equity(clock, order_type="limit", price="600.00")
        results = pool.post_all([raw(body)] * 50, barrier=True)
        statuses = Counter(r.status for r in results)
        fresh = [r for r in results if r.status == 200 and r.json["replayed"] is False]
        assert set(statuses) <= {200, 409}, statuses
        assert len(fresh) == 1 and fresh[0].json["decision"] == "APPROVED"
        if len(orders_tagged(sim, body["id"])) == 1:
            good_runs += 1
        clock.advance(61_000)  # past the per-symbol window for the next run
    assert good_runs == 10
    assert len(sim.controls.orders()) == 10


def test_concurrent_opens_when_100_distinct_for_one_symbol_then_exactly_one_approved(
    pools: Callable[[Constitution], GatePool], clock: ManualClock, sim: RunningSim
) -> None:
    pool = pools(constitution())
    bodies = [
        raw(equity(clock, symbol="QQQ", order_type="limit", price="600.00")) for _ in range(100)
    ]
    results = pool.post_all(bodies)
    assert all(r.status == 200 for r in results), Counter(r.status for r in results)
    decisions = Counter((r.json["decision"], r.json["reason_code"]) for r in results)
    assert decisions[("APPROVED", None)] == 1, decisions
    assert decisions[("REJECTED", "SYMBOL_RATE_LIMITED")] == 99, decisions
    assert len(sim.controls.orders()) == 1


def test_concurrent_opens_when_200_across_symbols_then_open_structure_limit_holds(
    pools: Callable[[Constitution], GatePool], clock: ManualClock, sim: RunningSim
) -> None:
    rules = constitution(groups=False, symbol_open_window_seconds=0)
    pool = pools(rules)
    symbols = sorted(rules.symbols)
    bodies = [
        raw(equity(clock, symbol=symbols[i % len(symbols)], order_type="limit", price="600.00"))
        for i in range(200)
    ]
    results = pool.post_all(bodies)
    assert all(r.status == 200 for r in results), Counter(r.status for r in results)
    approved = [r for r in results if r.json["decision"] == "APPROVED"]
    assert len(approved) == rules.max_open_structures  # 10 of 200: the cap, no more
    orders = sim.controls.orders()
    assert len(orders) == rules.max_open_structures
    per_symbol = Counter(o["symbol"] for o in orders)
    assert max(per_symbol.values()) <= rules.max_open_structures_per_symbol
    reasons = Counter(r.json["reason_code"] for r in results if r.json["decision"] == "REJECTED")
    assert set(reasons) <= {"OPEN_STRUCTURES_LIMIT", "SYMBOL_CONCENTRATION"}, reasons


def test_concurrent_closes_when_30_sells_of_one_long_then_one_approved_never_short(
    pools: Callable[[Constitution], GatePool], clock: ManualClock, sim: RunningSim
) -> None:
    # Each close reads the account and then sends: without the per-symbol close fence
    # several would read "10 held" before the first sell landed, and the account would
    # end short. The fence refuses those that read too early (CLOSE_IN_PROGRESS).
    pool = pools(constitution())
    opened = pool.post_all([raw(equity(clock, quantity=10))])
    assert opened[0].json["decision"] == "APPROVED"
    clock.advance(1_000)
    sells = [raw(equity(clock, intent="close", side="sell", quantity=10)) for _ in range(30)]
    results = pool.post_all(sells, barrier=True)
    assert all(r.status == 200 for r in results), Counter(r.status for r in results)
    decisions = Counter((r.json["decision"], r.json["reason_code"]) for r in results)
    assert decisions[("APPROVED", None)] == 1, decisions
    refused = {code for kind, code in decisions if kind == "REJECTED"}
    assert refused <= {"CLOSE_IN_PROGRESS", "CLOSE_CROSSES_ZERO", "NO_MATCHING_POSITION"}
    sides = Counter(o["side"] for o in sim.controls.orders())
    assert sides == Counter({"buy": 1, "sell": 1}), sides


def test_concurrent_opens_when_200_across_grouped_symbols_then_group_cap_holds(
    pools: Callable[[Constitution], GatePool], clock: ManualClock, sim: RunningSim
) -> None:
    # The default group holds all four symbols with a cap of 6, below the total of 10.
    rules = constitution(symbol_open_window_seconds=0)
    [group] = rules.correlation_groups
    pool = pools(rules)
    symbols = sorted(group.symbols)
    bodies = [
        raw(equity(clock, symbol=symbols[i % len(symbols)], order_type="limit", price="600.00"))
        for i in range(200)
    ]
    results = pool.post_all(bodies)
    assert all(r.status == 200 for r in results), Counter(r.status for r in results)
    approved = [r for r in results if r.json["decision"] == "APPROVED"]
    assert len(approved) == group.max_open_structures
    per_symbol = Counter(o["symbol"] for o in sim.controls.orders())
    assert sum(per_symbol.values()) == group.max_open_structures
    assert max(per_symbol.values()) <= rules.max_open_structures_per_symbol
    reasons = Counter(r.json["reason_code"] for r in results if r.json["decision"] == "REJECTED")
    assert set(reasons) <= {"CORRELATION_GROUP_LIMIT", "SYMBOL_CONCENTRATION"}, reasons
