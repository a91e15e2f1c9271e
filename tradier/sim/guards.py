"""What stands in front of every /v1 handler: injected faults, bearer auth, rate limits."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web
from aiohttp.typedefs import Handler

from tradier.sim.account_stream import ACCOUNT_EVENTS_PATH
from tradier.sim.limits import group_for
from tradier.sim.rest_common import CORE, TOKEN
from tradier.sim.wire import errors_body, respond

STREAM_PATH = "/v1/markets/events"
LOOPBACK = ("127.0.0.1", "::1")
BACKEND_ERROR = "An error occurred while communicating with the backend."


async def _is_preview(request: web.Request) -> bool:
    if request.method != "POST" or not request.path.endswith("/orders"):
        return False
    form = await request.post()
    return str(form.get("preview", "")).lower() == "true"


async def _hold(request: web.Request, delay_s: float) -> None:
    # Cancel-safe: stop() sets `stopping`, so a held request never outlives the server.
    core = request.app[CORE]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(core.stopping.wait(), timeout=delay_s)


def _drop_connection(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Faults first (the backend is down), then auth, then the rate limit."""
    if request.path.startswith("/sim/") and request.remote not in LOOPBACK:
        # Test controls can move the clock and drop orders: never from another host.
        return web.Response(status=403, text="sim controls are loopback-only")
    if not request.path.startswith(("/v1/", "/beta/")) or request.path in (
        STREAM_PATH,
        ACCOUNT_EVENTS_PATH,
    ):
        return await handler(request)
    core = request.app[CORE]
    fault = core.faults.take(request.path)
    if fault is not None and fault.kind == "5xx":
        if await _is_preview(request):
            # MEAS: during the outage at the open, previews answered 400, not 500.
            return respond(request, errors_body(["Unexpected server error"]), status=400)
        return web.Response(status=500, text=BACKEND_ERROR, content_type="text/plain")
    if fault is not None and fault.kind == "timeout":
        await _hold(request, fault.delay_s)
        return web.Response(status=504, text="Gateway Timeout", content_type="text/plain")
    auth = request.headers.get("Authorization", "")
    token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
    if token not in (core.config.token, *core.config.sandbox_tokens):
        return web.Response(status=401, text="Invalid Access Token", content_type="text/plain")
    request[TOKEN] = token
    usage = core.limiter.hit(token, group_for(request.method, request.path), core.clock.now_ms())
    if usage.exceeded:
        return web.Response(
            status=429,
            text=f"Quota Violation: rate limit exceeded, the window resets at {usage.expiry_ms}",
            content_type="text/plain",
            headers=usage.headers(),
        )
    response = await handler(request)
    response.headers.update(usage.headers())
    if fault is not None and fault.kind == "lost_response":
        # The request was processed (an order exists); the answer never arrives.
        _drop_connection(request)
        raise web.HTTPBadGateway(text="lost response")
    return response
