"""POST /v1/proposals: verify, decide and execute a signed proposal exactly once."""

from __future__ import annotations

from typing import Any

from functions.handling import TRADING, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.submit_proposal(req.headers, req.body, req.target),
        TRADING,
        "proposals",
    )
