"""The gate's routes: one table shared by the local adapter and checked against
serverless.yml by a test, so the two cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Route:
    """An HTTP API route and the module whose `handler` serves it."""

    method: str
    path: str  # API Gateway template, e.g. /v1/proposals/{id}
    module: str
    function: str  # the function's name in serverless.yml

    @property
    def route_key(self) -> str:
        """API Gateway's `routeKey`, e.g. `GET /v1/proposals/{id}`."""
        return f"{self.method} {self.path}"

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when `path` fits this route's template, else None."""
        found = _pattern(self.path).fullmatch(path)
        return None if found is None else found.groupdict()


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


ROUTES: Final = (
    Route("POST", "/v1/proposals", "functions.proposals", "proposals"),
    Route("GET", "/v1/proposals/{id}", "functions.proposal_get", "proposalGet"),
    Route("GET", "/v1/status", "functions.status", "status"),
    Route("POST", "/v1/heartbeat", "functions.heartbeat", "heartbeat"),
    Route("POST", "/v1/admin/state", "functions.admin_state", "adminState"),
    Route("POST", "/v1/admin/flatten", "functions.admin_flatten", "adminFlatten"),
)

SCHEDULES: Final = {
    "reconcile": "functions.reconcile",
    "watchdog": "functions.watchdog",
    "report": "functions.report",
}


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]] | tuple[None, bool]:
    """The route for a request and its path parameters; else (None, path_exists)."""
    path_exists = False
    for route in ROUTES:
        params = route.match(path)
        if params is None:
            continue
        path_exists = True
        if route.method == method:
            return route, params
    return None, path_exists
