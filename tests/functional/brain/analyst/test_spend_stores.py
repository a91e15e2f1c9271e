"""One conformance suite for every spend store: memory, a state file, the sessions table
on the moto server and on DynamoDB Local. Each must refuse at the cap, atomically, and
(except memory) keep what it was told across a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from brain.analyst.answers import AbstainReason
from brain.analyst.prices import TokenUsage
from brain.analyst.spend import FileSpendStore, MemorySpendStore, SpendStore
from brain.analyst.spend_dynamo import DynamoSpendStore
from brain.persist import StateStore

DAY, HOUR = "2026-11-18", "2026-11-18T15"
Factory = Callable[[], SpendStore]


@pytest.fixture(
    params=["memory", "file", "moto", pytest.param("ddblocal", marks=pytest.mark.ddblocal)]
)
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Factory]:
    """(backend, a factory that opens the same store again: a restart)."""
    if request.param == "memory":
        store = MemorySpendStore()
        return "memory", lambda: store
    if request.param == "file":
        return "file", lambda: FileSpendStore(StateStore(tmp_path / "state"))
    client, table = request.getfixturevalue(f"{request.param}_table")
    return request.param, lambda: DynamoSpendStore(client, table, time.time)


def test_reserve_when_within_budget_and_cap_then_reserved_and_counted(
    reopen: tuple[str, Factory],
) -> None:
    store = reopen[1]()
    assert store.reserve(DAY, HOUR, Decimal("0.40"), Decimal("1.00"), 10) is None
    day = store.day(DAY)
    assert (day.committed, day.reserved, day.spent, day.calls) == (
        Decimal("0.40"),
        Decimal("0.40"),
        0,
        1,
    )


def test_reserve_when_it_would_pass_the_budget_then_daily_budget_and_nothing_taken(
    reopen: tuple[str, Factory],
) -> None:
    store = reopen[1]()
    assert store.reserve(DAY, HOUR, Decimal("0.60"), Decimal("1.00"), 10) is None
    assert store.reserve(DAY, HOUR, Decimal("0.40"), Decimal("1.00"), 10) is None  # exactly
    assert store.reserve(DAY, HOUR, Decimal("0.000001"), Decimal("1.00"), 10) is (
        AbstainReason.DAILY_BUDGET
    )
    assert store.day(DAY).calls == 2


def test_reserve_when_hour_cap_reached_then_calls_per_hour_and_next_hour_free(
    reopen: tuple[str, Factory],
) -> None:
    store = reopen[1]()
    for _ in range(3):
        assert store.reserve(DAY, HOUR, Decimal("0.01"), Decimal("5"), 3) is None
    assert store.reserve(DAY, HOUR, Decimal("0.01"), Decimal("5"), 3) is (
        AbstainReason.CALLS_PER_HOUR
    )
    assert store.reserve(DAY, "2026-11-18T16", Decimal("0.01"), Decimal("5"), 3) is None
    assert store.day(DAY).committed == Decimal("0.04")


def test_settle_when_cheaper_than_reserved_then_room_returns(
    reopen: tuple[str, Factory],
) -> None:
    store = reopen[1]()
    assert store.reserve(DAY, HOUR, Decimal("0.90"), Decimal("1.00"), 10) is None
    store.settle(DAY, Decimal("0.90"), Decimal("0.25"), TokenUsage(100, 20, 30, 40), False)
    day = store.day(DAY)
    assert (day.committed, day.spent, day.reserved, day.settled) == (
        Decimal("0.25"),
        Decimal("0.25"),
        0,
        1,
    )
    assert (day.input_tokens, day.output_tokens, day.cache_write_tokens, day.cache_read_tokens) == (
        100,
        20,
        30,
        40,
    )
    assert store.reserve(DAY, HOUR, Decimal("0.75"), Decimal("1.00"), 10) is None


def test_store_when_reopened_then_spend_and_open_reservations_survive(
    reopen: tuple[str, Factory],
) -> None:
    _backend, factory = reopen
    first = factory()
    assert first.reserve(DAY, HOUR, Decimal("0.30"), Decimal("1.00"), 10) is None
    first.settle(DAY, Decimal("0.30"), Decimal("0.10"), TokenUsage(1, 1), True)
    assert first.reserve(DAY, HOUR, Decimal("0.50"), Decimal("1.00"), 10) is None  # in flight
    again = factory()  # a restart: the in-flight reservation stays committed
    day = again.day(DAY)
    assert (day.spent, day.reserved, day.committed, day.retries) == (
        Decimal("0.10"),
        Decimal("0.50"),
        Decimal("0.60"),
        1,
    )
    assert again.reserve(DAY, HOUR, Decimal("0.41"), Decimal("1.00"), 10) is (
        AbstainReason.DAILY_BUDGET
    )


def test_reserve_when_concurrent_then_never_past_the_budget(
    reopen: tuple[str, Factory],
) -> None:
    store = reopen[1]()
    results: list[Any] = []
    lock = threading.Lock()

    def one() -> None:
        outcome = store.reserve(DAY, HOUR, Decimal("0.10"), Decimal("1.00"), 1000)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 10
    assert results.count(AbstainReason.DAILY_BUDGET) == 15
    assert store.day(DAY).committed == Decimal("1.00")
