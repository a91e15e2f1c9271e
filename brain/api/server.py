"""The brain's API server (aiohttp) on 127.0.0.1:8702: one place maps outcomes to HTTP.

Every `/api/` route needs the bearer token or the dashboard's session cookie (401 before
the body is read); a POST under the cookie also needs its CSRF token (403, nothing done).
Bad input is a 400 naming the field, raised by `brain.api.requests` before the service is called, so
nothing is stored and Claude is not asked. Error bodies have the gate's shape:
`{"error": {"code", "message", "field"}}`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import web

from brain.api.activity import Activity
from brain.api.auth import check_token
from brain.api.requests import (
    MAX_BODY_BYTES,
    check_session_id,
    parse_confirm,
    parse_generate,
)
from brain.api.web import PUBLIC, DashboardView, add_routes
from brain.api.web_auth import CSRF_HEADER, SESSION_COOKIE, WebSessions
from brain.conversations.budget import BudgetConfig
from brain.conversations.errors import BadRequest, StoreUnavailable
from brain.conversations.outcomes import (
    AlreadyConfirmed,
    Confirmed,
    ConfirmOutcome,
    Declined,
    Expired,
    GateUnreachable,
    Generated,
    PriceMoved,
    Transcript,
    Unknown,
)
from brain.conversations.records import GenerateRequest
from brain.conversations.tokens import Estimate

log = logging.getLogger(__name__)
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8702
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Conversations(Protocol):
    """What the API serves (`brain.conversations.service.ConversationService`)."""

    budget: BudgetConfig
    estimate: Estimate

    async def generate(self, request: GenerateRequest) -> Generated:
        """One turn of a conversation."""
        ...

    async def confirm(self, recommendation_id: str, confirmed: bool) -> ConfirmOutcome:
        """The trader's answer to one recommendation."""
        ...

    async def transcript(self, session_id: str) -> Transcript | None:
        """A live session's messages, or None."""
        ...

    async def status(self) -> dict[str, Any]:
        """Health, analyst, spend today, trading state."""
        ...


def error(status: int, code: str, message: str, field: str | None = None) -> web.Response:
    """An error response in the gate's shape."""
    detail: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        detail["field"] = field
    return web.json_response({"error": detail}, status=status)


def confirm_response(outcome: ConfirmOutcome) -> web.Response:
    """The HTTP form of a confirm's outcome."""
    match outcome:
        case Confirmed(decision=decision):
            return web.json_response(decision, status=200)
        case AlreadyConfirmed(decision=decision):
            body: dict[str, Any] = {
                "error": {"code": "already_confirmed", "message": "confirmed once already"},
                "decision": decision,
            }
            return web.json_response(body, status=409)
        case PriceMoved(recommendation=rec, moved=moved):
            body = {
                "error": {
                    "code": "price_moved",
                    "message": f"the net price moved by {moved}: confirm the new price",
                },
                "recommendation": rec,
            }
            return web.json_response(body, status=409)
        case Declined(reason=reason):
            return web.json_response({"placed": False, "reason": reason}, status=200)
        case Expired(expired_at_ms=at):
            return error(410, "expired", f"the recommendation expired at {at} (epoch ms)")
        case Unknown():
            return error(404, "not_found", "no such recommendation")
        case GateUnreachable(proposal_id=pid, detail=detail):
            body = {
                "error": {
                    "code": "gate_unavailable",
                    "message": f"the gate did not answer ({detail}); the outcome is unknown",
                },
                "proposal_id": pid,
            }
            return web.json_response(body, status=503)
    raise AssertionError(f"unmapped outcome {outcome!r}")


@dataclass
class Api:
    """The routes over a `Conversations` service."""

    service: Conversations
    token: str
    view: DashboardView | None = None
    activity: Activity | None = None
    now_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    sessions: WebSessions = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = WebSessions(self.token, self.now_ms)

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY_BYTES + 1)
        add_routes(app, self.sessions, self.view)
        app.router.add_post("/api/strategies/generate", self._generate)
        app.router.add_post("/api/strategies/{id}/confirm", self._confirm)
        app.router.add_get("/api/sessions/{id}", self._session)
        app.router.add_get("/api/status", self._status)
        return app

    def _refusal(self, request: web.Request) -> web.Response | None:
        """None when the request may proceed: a public page, the bearer token, or a live
        session cookie (with its CSRF token on anything but GET)."""
        if request.path in PUBLIC and request.method in ("GET", "HEAD", "POST"):
            return None
        header = request.headers.get("Authorization")
        session_id = request.cookies.get(SESSION_COOKIE)
        if header is None and self.sessions.valid(session_id):
            assert session_id is not None
            if request.method in ("GET", "HEAD"):
                return None
            if self.sessions.csrf_ok(session_id, request.headers.get(CSRF_HEADER)):
                return None
            return error(403, "csrf", f"missing or wrong {CSRF_HEADER} header", CSRF_HEADER)
        wrong = check_token(self.token, header)
        if wrong is not None:
            return error(401, "unauthorized", wrong, "Authorization")
        return None

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        try:
            return await handler(request)
        except BadRequest as exc:
            return error(400, exc.code, f"{exc.field} {exc.detail}", exc.field)
        except web.HTTPRequestEntityTooLarge:
            return error(413, "too_large", f"body over {MAX_BODY_BYTES} bytes", "body")
        except StoreUnavailable as exc:
            log.warning("sessions store unavailable: %s", exc)
            return error(503, "store_unavailable", "the sessions store did not answer")

    async def _generate(self, request: web.Request) -> web.Response:
        raw = await request.read()
        parsed = parse_generate(raw, self.service.budget, self.service.estimate)
        generated = await self.service.generate(parsed)
        return web.json_response(generated.body())

    async def _confirm(self, request: web.Request) -> web.Response:
        rec_id = check_session_id(request.match_info["id"], "id")
        confirmed = parse_confirm(await request.read())
        outcome = await self.service.confirm(rec_id, confirmed)
        if isinstance(outcome, Confirmed) and self.activity is not None:
            self.activity.confirmed(self.now_ms(), outcome.decision)
        return confirm_response(outcome)

    async def _session(self, request: web.Request) -> web.Response:
        session_id = check_session_id(request.match_info["id"], "id")
        transcript = await self.service.transcript(session_id)
        if transcript is None:
            return error(404, "not_found", "no live session with this id (unknown or expired)")
        return web.json_response(
            {
                "session_id": transcript.session_id,
                "expires_at_ms": transcript.expires_at_ms,
                "messages": transcript.messages,
            }
        )

    async def _status(self, request: web.Request) -> web.Response:
        return web.json_response(await self.service.status())


async def serve(
    api: Api, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (to clean up) and the bound port."""
    runner = web.AppRunner(api.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    bound = int(sockets[0].getsockname()[1]) if sockets else port
    return runner, bound
