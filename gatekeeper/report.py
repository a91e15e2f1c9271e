"""End-of-day report, run after the close in New York time, and the next day's baseline.

The schedule fires at two UTC times so one of them is after the close whatever the
daylight-saving offset; the report itself checks New York local time and writes once per
day. Day P&L is total equity (dollars, from Tradier's balances) minus the start-of-day
baseline recorded in the same unit, so the two are always comparable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from gatekeeper.execution import Broker
from gatekeeper.store import GateStore
from tradier.calendar import next_trading_day
from tradier.clock import Clock, to_new_york
from tradier.money import round_cents, to_wire

# The report runs in the hour after the close; of the two UTC schedules (20:15 and 21:15)
# exactly one lands in it, in EDT (UTC-4) as in EST (UTC-5).
REPORT_FROM = time(16, 0)
REPORT_UNTIL = time(17, 0)


@dataclass(frozen=True)
class DayReport:
    """The day's numbers."""

    day: str
    equity: str | None
    start_of_day_equity: str | None
    day_pnl: str | None
    decisions: dict[str, int] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)
    next_baselines: tuple[str, ...] = ()
    skipped: str | None = None


def next_trading_days(today: date) -> list[date]:
    """Every calendar day after `today` up to and including the next NYSE trading day (a
    baseline written for each covers weekends and holidays; only the trading day's is read)."""
    last = next_trading_day(today)
    return [today + timedelta(days=n) for n in range(1, (last - today).days + 1)]


class EndOfDay:
    """Builds and stores the end-of-day report."""

    def __init__(self, store: GateStore, broker: Broker, clock: Clock) -> None:
        self._store = store
        self._broker = broker
        self._clock = clock

    def run(self, force: bool = False) -> DayReport:
        """The day's report; skipped outside 16:00-17:00 New York time unless `force`."""
        now = self._clock.now_ms()
        local = to_new_york(now)
        day = local.date().isoformat()
        if not force and not REPORT_FROM <= local.time() < REPORT_UNTIL:
            return DayReport(day, None, None, None, skipped="outside 16:00-17:00 New York time")
        equity = self._broker.balances().total_equity
        baseline = self._store.snapshot(None, day).baseline
        pnl = None if equity is None or baseline is None else round_cents(equity - baseline)
        decisions: Counter[str] = Counter()
        for entry in self._store.audit_for_day(day, limit=10_000):
            if entry.kind == "decision":
                decisions[f"{entry.decision}:{entry.reason_code or '-'}"] += 1
        orders: Counter[str] = Counter(o.status for o in self._broker.orders(include_tags=True))
        written: list[str] = []
        if equity is not None:
            for nxt in next_trading_days(local.date()):
                self._store.put_baseline_if_absent(nxt.isoformat(), equity, now)
                written.append(nxt.isoformat())
        report = DayReport(
            day=day,
            equity=_wire(equity),
            start_of_day_equity=_wire(baseline),
            day_pnl=_wire(pnl),
            decisions=dict(decisions),
            orders=dict(orders),
            next_baselines=tuple(written),
        )
        doc = {
            "equity": report.equity or "",
            "start_of_day_equity": report.start_of_day_equity or "",
            "day_pnl": report.day_pnl or "",
            **{f"decisions.{k}": str(v) for k, v in report.decisions.items()},
            **{f"orders.{k}": str(v) for k, v in report.orders.items()},
        }
        self._store.put_doc(f"REPORT#{day}", doc)
        return report


def report_detail(report: DayReport) -> dict[str, str]:
    """The report as an operator reads it in a notification."""
    rejected = sum(n for k, n in report.decisions.items() if k.startswith("REJECTED:"))
    approved = sum(n for k, n in report.decisions.items() if k.startswith("APPROVED:"))
    reasons = ", ".join(
        f"{k.split(':', 1)[1]} x{n}"
        for k, n in sorted(report.decisions.items())
        if k.startswith("REJECTED:")
    )
    return {
        "day P&L": report.day_pnl or "unknown",
        "equity": report.equity or "unknown",
        "approved": str(approved),
        "rejected": f"{rejected}" + (f" ({reasons})" if reasons else ""),
        "orders": ", ".join(f"{k} x{n}" for k, n in sorted(report.orders.items())) or "none",
    }


def _wire(value: Decimal | None) -> str | None:
    return None if value is None else to_wire(value)
