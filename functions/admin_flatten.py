"""POST /v1/admin/flatten: close every open position (admin secret)."""

from __future__ import annotations

from typing import Any

from functions.handling import ADMIN_TRADING, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.admin_flatten(req.headers, req.body, req.target),
        ADMIN_TRADING,
        "admin_flatten",
    )
