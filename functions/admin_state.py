"""POST /v1/admin/state: set ACTIVE, REDUCING or HALTED (admin secret)."""

from __future__ import annotations

from typing import Any

from functions.handling import ADMIN, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.admin_state(req.headers, req.body, req.target),
        ADMIN,
        "admin_state",
    )
