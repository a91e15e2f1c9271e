"""POST /v1/heartbeat: the brain is alive; answers with the trading state."""

from __future__ import annotations

from typing import Any

from functions.handling import SIGNED_READ, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.heartbeat(req.headers, req.body, req.target),
        SIGNED_READ,
        "heartbeat",
    )
