"""Scheduled: the end-of-day report, once, after the New York close."""

from __future__ import annotations

from typing import Any

from functions.handling import SCHEDULED, Event, handle_scheduled
from functions.schedule import fired_at_ms, is_report_time
from tradier.clock import SystemClock


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point (two UTC crons, for EDT and EST; one of them is 16:15 New York)."""
    if not is_report_time(fired_at_ms(event, SystemClock().now_ms())):
        return {"job": "report", "skipped": "not 16:xx in New York (the other DST cron)"}
    return handle_scheduled(event, lambda gate: gate.end_of_day(), SCHEDULED, "report")
