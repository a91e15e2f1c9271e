"""Where the analyst's spend is kept: a small store interface and two local backends.

A store does three things, each atomic on its own:
- `reserve`: add a call's worst-case cost to the day's committed dollars and one call to
  the hour's count, only if the budget and the hourly cap both still hold, else neither;
- `settle`: replace a reservation by the real cost and record the call's tokens;
- `day`: read a day's totals.

Committed = spent + still reserved, so a crash between reserve and settle leaves the
reservation counted: a restart never frees money that may have been spent. Days are New
York dates (a trader's day); hours are UTC clock hours (a fixed window).

`MemorySpendStore` (tests, replay) and `FileSpendStore` (a local run: one JSON document
written atomically) are here; `DynamoSpendStore` (the sessions table) is in
`brain.analyst.spend_dynamo`. All three pass one conformance suite.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Protocol

from brain.analyst.answers import AbstainReason
from brain.analyst.prices import TokenUsage
from brain.persist import StateStore

ZERO = Decimal(0)
KEEP_DAYS = 40
KEEP_HOURS = 48
SPEND_DOCUMENT = "analyst_spend"


@dataclass(frozen=True, slots=True)
class DaySpend:
    """One day's totals."""

    day: str
    committed: Decimal = ZERO  # spent + reserved
    spent: Decimal = ZERO
    reserved: Decimal = ZERO
    calls: int = 0  # attempts reserved (every retry is one)
    settled: int = 0
    retries: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0


class SpendStore(Protocol):
    """The analyst's spend, by day and hour (see the module docstring)."""

    def reserve(
        self, day: str, hour: str, amount: Decimal, budget: Decimal, calls_per_hour: int
    ) -> AbstainReason | None:
        """Reserve `amount` and one call; the cap that refused it, or None when reserved."""
        ...

    def settle(
        self, day: str, reserved: Decimal, cost: Decimal, usage: TokenUsage, retry: bool
    ) -> None:
        """Turn a reservation of `reserved` into the real `cost` and record `usage`."""
        ...

    def day(self, day: str) -> DaySpend:
        """The totals of `day` (zeros when nothing was spent)."""
        ...


class MemorySpendStore:
    """Spend in memory, one lock around every change (calls come from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._days: dict[str, DaySpend] = {}
        self._hours: dict[str, int] = {}

    def reserve(
        self, day: str, hour: str, amount: Decimal, budget: Decimal, calls_per_hour: int
    ) -> AbstainReason | None:
        """See `SpendStore.reserve`."""
        with self._lock:
            current = self._days.get(day) or DaySpend(day)
            if current.committed + amount > budget:
                return AbstainReason.DAILY_BUDGET
            if self._hours.get(hour, 0) >= calls_per_hour:
                return AbstainReason.CALLS_PER_HOUR
            self._days[day] = replace(
                current,
                committed=current.committed + amount,
                reserved=current.reserved + amount,
                calls=current.calls + 1,
            )
            self._hours[hour] = self._hours.get(hour, 0) + 1
            self._changed()
            return None

    def settle(
        self, day: str, reserved: Decimal, cost: Decimal, usage: TokenUsage, retry: bool
    ) -> None:
        """See `SpendStore.settle`."""
        with self._lock:
            c = self._days.get(day) or DaySpend(day)
            self._days[day] = replace(
                c,
                committed=c.committed - reserved + cost,
                reserved=c.reserved - reserved,
                spent=c.spent + cost,
                settled=c.settled + 1,
                retries=c.retries + (1 if retry else 0),
                input_tokens=c.input_tokens + usage.input_tokens,
                output_tokens=c.output_tokens + usage.output_tokens,
                cache_write_tokens=c.cache_write_tokens + usage.cache_write_tokens,
                cache_read_tokens=c.cache_read_tokens + usage.cache_read_tokens,
            )
            self._changed()

    def day(self, day: str) -> DaySpend:
        """See `SpendStore.day`."""
        with self._lock:
            return self._days.get(day) or DaySpend(day)

    def _changed(self) -> None:
        """Called under the lock after every change (the file store writes here)."""


_INT_FIELDS = (
    "calls",
    "settled",
    "retries",
    "input_tokens",
    "output_tokens",
    "cache_write_tokens",
    "cache_read_tokens",
)
_DECIMAL_FIELDS = ("committed", "spent", "reserved")


def _day_of(raw: dict[str, Any]) -> DaySpend:
    def dec(name: str) -> Decimal:
        return Decimal(str(raw.get(name, "0")))

    def num(name: str) -> int:
        return int(raw.get(name, 0))

    return DaySpend(
        day=str(raw["day"]),
        committed=dec("committed"),
        spent=dec("spent"),
        reserved=dec("reserved"),
        calls=num("calls"),
        settled=num("settled"),
        retries=num("retries"),
        input_tokens=num("input_tokens"),
        output_tokens=num("output_tokens"),
        cache_write_tokens=num("cache_write_tokens"),
        cache_read_tokens=num("cache_read_tokens"),
    )


def _raw_of(day: DaySpend) -> dict[str, Any]:
    return {
        "day": day.day,
        **{name: str(getattr(day, name)) for name in _DECIMAL_FIELDS},
        **{name: getattr(day, name) for name in _INT_FIELDS},
    }


class FileSpendStore(MemorySpendStore):
    """Spend in one JSON document of a `StateStore`, rewritten atomically on each change,
    so a restart (or a crash) finds every reservation and settlement made before it."""

    def __init__(self, state: StateStore) -> None:
        super().__init__()
        self._state = state
        data = state.load(SPEND_DOCUMENT) or {}
        for raw in data.get("days", []):
            day = _day_of(raw)
            self._days[day.day] = day
        self._hours = {str(k): int(v) for k, v in dict(data.get("hours", {})).items()}

    def _changed(self) -> None:
        days = sorted(self._days)[-KEEP_DAYS:]
        hours = sorted(self._hours)[-KEEP_HOURS:]
        self._days = {d: self._days[d] for d in days}
        self._hours = {h: self._hours[h] for h in hours}
        self._state.save(
            SPEND_DOCUMENT,
            {"days": [_raw_of(self._days[d]) for d in days], "hours": self._hours},
        )
