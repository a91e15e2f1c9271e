"""Scheduled jobs: end-of-day across daylight saving, watchdog, flatten of options."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from gatekeeper.flatten import closing_proposal
from gatekeeper.report import next_trading_days
from gatekeeper.service import Gate
from gatekeeper.store import Heartbeat, MemoryGateStore
from tests.support.gate_harness import equity, post
from tradier import models
from tradier.clock import ManualClock, from_datetime


@pytest.mark.parametrize(
    ("utc", "runs"),
    [
        (datetime(2026, 9, 25, 20, 15, tzinfo=UTC), True),  # EDT: 16:15 in New York
        (datetime(2026, 9, 25, 21, 15, tzinfo=UTC), False),  # EDT: 17:15
        (datetime(2026, 12, 4, 20, 15, tzinfo=UTC), False),  # EST: 15:15
        (datetime(2026, 12, 4, 21, 15, tzinfo=UTC), True),  # EST: 16:15
    ],
)
def test_end_of_day_when_either_utc_schedule_fires_then_runs_once_per_day(
    utc: datetime, runs: bool, gate: Gate, clock: ManualClock
) -> None:
    clock.set(from_datetime(utc))
    report = gate.end_of_day()
    assert (report.skipped is None) is runs
    if runs:
        # Friday: the next baselines cover the weekend and Monday.
        assert len(report.next_baselines) == 3


def test_end_of_day_when_loss_then_pnl_is_equity_minus_baseline(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    store.put_baseline_if_absent("2026-09-21", Decimal("100250.00"), clock.now_ms())
    report = gate.end_of_day(force=True)
    assert report.equity is not None
    assert Decimal(report.day_pnl or "0") == Decimal(report.equity) - Decimal("100250.00")
    assert store.docs["REPORT#2026-09-21"]["day_pnl"] == report.day_pnl


def test_next_trading_days_when_friday_then_through_monday() -> None:
    days = next_trading_days(datetime(2026, 9, 25).date())
    assert [d.isoformat() for d in days] == ["2026-09-26", "2026-09-27", "2026-09-28"]


def test_next_trading_days_when_good_friday_follows_then_through_monday() -> None:
    days = next_trading_days(datetime(2026, 4, 2).date())
    assert [d.isoformat() for d in days] == [
        "2026-04-03",
        "2026-04-04",
        "2026-04-05",
        "2026-04-06",
    ]


def test_watchdog_when_heartbeat_fresh_or_no_positions_then_not_tripped(
    gate: Gate, store: MemoryGateStore, clock: ManualClock
) -> None:
    assert gate.watchdog().tripped is False  # no heartbeat, but no positions either
    post(gate, clock, equity(clock, quantity=1))
    store.put_heartbeat(Heartbeat(clock.now_ms()))
    assert gate.watchdog().tripped is False
    clock.advance(10 * 60_000 + 1)
    assert gate.watchdog().tripped is True
    assert gate.watchdog().tripped is False  # already REDUCING: one notification
    assert store.state.state == "REDUCING"


def test_flatten_when_short_option_then_buy_to_close_proposal() -> None:
    position = models.Position(symbol="SPY260925P00500000", quantity=-2, cost_basis=Decimal(-300))
    proposal = closing_proposal(position, "00000000-0000-4000-8000-000000000001", 0)
    assert proposal.symbol == "SPY" and proposal.quantity == 2
    assert proposal.legs is not None and proposal.legs[0].side == "buy_to_close"
