"""Scheduled: no brain heartbeat for too long while positions are open -> REDUCING."""

from __future__ import annotations

from typing import Any

from functions.handling import SCHEDULED, Event, handle_scheduled


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point (EventBridge)."""
    return handle_scheduled(event, lambda gate: gate.watchdog(), SCHEDULED, "watchdog")
