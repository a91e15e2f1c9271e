"""When the scheduled functions should act, in New York time.

EventBridge crons are in UTC, so serverless.yml fires over a window that covers both EDT
(UTC-4) and EST (UTC-5); these checks, on the time the schedule fired, keep only the runs
that fall in the New York window. Pure functions of epoch ms: tested across DST changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from tradier.clock import from_datetime, to_new_york

# Reconcile from just before the open until a little after the close (late fills, MOC).
RECONCILE_FROM = time(9, 25)
RECONCILE_UNTIL = time(16, 20)
# The report crons fire at hh:15 UTC; only the one that is 16:15 in New York runs.
REPORT_HOUR = 16
WEEKDAYS = range(0, 5)


def in_reconcile_window(now_ms: int) -> bool:
    """True on a weekday between 09:25 and 16:20 New York time."""
    local = to_new_york(now_ms)
    return local.weekday() in WEEKDAYS and RECONCILE_FROM <= local.time() <= RECONCILE_UNTIL


def is_report_time(now_ms: int) -> bool:
    """True when the end-of-day report's UTC cron landed in the 16:00 hour in New York."""
    local = to_new_york(now_ms)
    return local.weekday() in WEEKDAYS and local.hour == REPORT_HOUR


def fired_at_ms(event: Mapping[str, Any], fallback_ms: int) -> int:
    """The time an EventBridge scheduled event fired (`time`, ISO 8601 UTC), else fallback."""
    raw = event.get("time") if isinstance(event, Mapping) else None
    if not isinstance(raw, str):
        return fallback_ms
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return fallback_ms
    return from_datetime(parsed) if parsed.tzinfo is not None else fallback_ms
