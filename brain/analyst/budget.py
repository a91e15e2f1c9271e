"""The cost cap: reserve a call's worst case before it, settle the real cost after.

`Budget.reserve(amount)` asks the store for room under the daily budget and the hourly
call cap; at the cap it returns the abstention reason and says so once per day (or hour):
a warning in the log and `on_cap` (the engine turns it into an event the replay prints;
the status and heartbeat show `capped`). The brain keeps trading on its own rules.
Store calls run in a worker thread (a DynamoDB round trip must not block the feed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from brain.analyst.answers import AbstainReason
from brain.analyst.prices import TokenUsage
from brain.analyst.spend import DaySpend, SpendStore
from tradier.clock import Clock, to_new_york

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reservation:
    """Room taken for one attempt: settled against the same day."""

    day: str
    hour: str
    amount: Decimal


def day_of(now_ms: int) -> str:
    """The New York date of `now_ms` (the budget's day)."""
    return to_new_york(now_ms).date().isoformat()


def hour_of(now_ms: int) -> str:
    """The UTC clock hour of `now_ms` (the call cap's window)."""
    return datetime.fromtimestamp(now_ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H")


@dataclass
class Budget:
    """A daily dollar budget and an hourly call cap over a `SpendStore`."""

    store: SpendStore
    clock: Clock
    daily_budget: Decimal
    calls_per_hour: int
    on_cap: Callable[[AbstainReason, str], None] = lambda reason, detail: None
    capped: AbstainReason | None = None
    _announced: set[tuple[AbstainReason, str]] = field(default_factory=set)

    async def reserve(self, amount: Decimal) -> Reservation | AbstainReason:
        """Room for a call costing at most `amount`, or the cap that refuses it."""
        now = self.clock.now_ms()
        day, hour = day_of(now), hour_of(now)
        refused = await asyncio.to_thread(
            self.store.reserve, day, hour, amount, self.daily_budget, self.calls_per_hour
        )
        if refused is None:
            self.capped = None
            return Reservation(day, hour, amount)
        self.capped = refused
        window = day if refused is AbstainReason.DAILY_BUDGET else hour
        if (refused, window) not in self._announced:
            self._announced.add((refused, window))
            if refused is AbstainReason.DAILY_BUDGET:
                detail = (
                    f"analyst daily budget ${self.daily_budget} reached for {day}: "
                    "reviews stop until tomorrow; trading goes on by the brain's own rules"
                )
            else:
                detail = (
                    f"analyst cap of {self.calls_per_hour} calls an hour reached ({hour}h "
                    "UTC): reviews stop until the next hour; trading goes on by the "
                    "brain's own rules"
                )
            log.warning("%s", detail)
            self.on_cap(refused, detail)
        return refused

    async def settle(
        self, reservation: Reservation, cost: Decimal, usage: TokenUsage, *, retry: bool
    ) -> None:
        """Replace `reservation` by the real `cost`."""
        await asyncio.to_thread(
            self.store.settle, reservation.day, reservation.amount, cost, usage, retry
        )

    def today(self) -> DaySpend:
        """Today's totals (a blocking read: for status pages, not the hot path)."""
        return self.store.day(day_of(self.clock.now_ms()))

    def status(self) -> dict[str, Any]:
        """Budget, spend and whether the cap is reached, for the status and heartbeat."""
        today = self.today()
        return {
            "day": today.day,
            "budget": str(self.daily_budget),
            "spent": str(today.spent),
            "reserved": str(today.reserved),
            "calls": today.calls,
            "calls_per_hour": self.calls_per_hour,
            "capped": self.capped.value if self.capped is not None else None,
        }
