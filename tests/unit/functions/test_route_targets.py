"""The gate's in-process route targets are the routes API Gateway serves."""

from __future__ import annotations

from functions.routes import ROUTES
from gatekeeper import service
from gatekeeper.signing import Target


def test_route_targets_when_compared_with_routes_table_then_identical() -> None:
    pid = "00000000-0000-4000-8000-000000000000"
    targets = {
        service.PROPOSALS,
        service.STATUS,
        service.HEARTBEAT,
        service.ADMIN_STATE,
        service.ADMIN_FLATTEN,
        service.proposal_target(pid),
    }
    routed = {Target(r.method, r.path.replace("{id}", pid)) for r in ROUTES}
    assert targets == routed
