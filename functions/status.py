"""GET /v1/status: trading state, limits in use, day P&L, last heartbeat, recent decisions."""

from __future__ import annotations

from typing import Any

from functions.handling import SIGNED_READ, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.status(req.headers, req.body, req.target),
        SIGNED_READ,
        "status",
    )
