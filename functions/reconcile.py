"""Scheduled: settle order states, fills, positions and orders from outside edgegate."""

from __future__ import annotations

from typing import Any

from functions.handling import SCHEDULED, Event, handle_scheduled
from functions.schedule import fired_at_ms, in_reconcile_window
from tradier.clock import SystemClock


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point (EventBridge, every minute of the UTC window)."""
    if not in_reconcile_window(fired_at_ms(event, SystemClock().now_ms())):
        return {"job": "reconcile", "skipped": "outside market hours in New York"}
    return handle_scheduled(event, lambda gate: gate.reconcile(), SCHEDULED, "reconcile")
