"""GET /v1/proposals/{id}: the record of one proposal (decision, order state, fills)."""

from __future__ import annotations

from typing import Any

from functions.handling import SIGNED_READ, Event, handle_http


def handler(event: Event, context: Any = None) -> dict[str, Any]:
    """Lambda entry point."""
    return handle_http(
        event,
        lambda gate, req: gate.get_proposal(
            req.headers, req.body, req.path_parameters.get("id", ""), req.target
        ),
        SIGNED_READ,
        "proposal_get",
    )
