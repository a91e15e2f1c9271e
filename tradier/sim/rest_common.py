"""What every REST handler shares: the app's core, the token seen by the guard, and
small parameter helpers."""

from __future__ import annotations

from aiohttp import web

from tradier.sim.core import SimCore
from tradier.sim.wire import errors_body, respond

CORE = web.AppKey("sim_core", SimCore)
TOKEN = web.RequestKey("sim_token", str)


def core_of(request: web.Request) -> SimCore:
    """The simulator the request is served by."""
    return request.app[CORE]


def bad_request(request: web.Request, message: str) -> web.Response:
    """400 with Tradier's errors body."""
    return respond(request, errors_body([message]), status=400)


async def params_of(request: web.Request) -> dict[str, str]:
    """Query parameters, plus form fields for a POST."""
    params = {k: v for k, v in request.query.items()}
    if request.method == "POST" and request.can_read_body:
        form = await request.post()
        params.update({k: str(v) for k, v in form.items()})
    return params


def flag(value: str | None) -> bool:
    """Tradier's boolean query values: only "true" is true."""
    return (value or "").lower() == "true"
