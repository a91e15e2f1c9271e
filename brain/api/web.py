"""The dashboard's routes: the login form, the page, its assets and its JSON.

`GET /` is the login form until the browser holds a session, then the dashboard (its CSRF
token in a `<meta>` tag). `POST /login` checks the form's double-submit CSRF value before
the token (403 with nothing done), then the token (401 and the form again). Everything the
page needs is served from `brain/api/static/`: no CDN, nothing fetched from elsewhere.
"""

from __future__ import annotations

import html
from importlib import resources
from typing import Any, Protocol

from aiohttp import web

from brain.api.web_auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    WebSessions,
    cookie_flags,
    login_csrf_ok,
    login_nonce,
)

ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
PUBLIC = frozenset({"/", "/login", *(f"/static/{name}" for name in ASSETS)})
# The page runs only its own script and style, and cannot be framed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class DashboardView(Protocol):
    """What the page shows (`brain.api.activity.BrainView`)."""

    def snapshot(self) -> dict[str, Any]:
        """Everything the page shows, as JSON-ready values."""
        ...


def _asset(name: str) -> str:
    return resources.files("brain.api").joinpath("static", name).read_text("utf-8")


def _page(name: str, status: int = 200, **values: str) -> web.Response:
    text = _asset(name)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", html.escape(value, quote=True))
    response = web.Response(text=text, content_type="text/html", status=status)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _login_form(message: str = "", status: int = 200) -> web.Response:
    nonce = login_nonce()
    response = _page("login.html", status, csrf=nonce, message=message)
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=3600, **cookie_flags())  # type: ignore[arg-type]
    return response


def add_routes(app: web.Application, sessions: WebSessions, view: DashboardView | None) -> None:
    """The dashboard's routes on `app` (the API's guard lets only `PUBLIC` through)."""

    async def index(request: web.Request) -> web.Response:
        session_id = request.cookies.get(SESSION_COOKIE)
        if not sessions.valid(session_id):
            return _login_form()
        assert session_id is not None
        return _page("dashboard.html", csrf=sessions.csrf(session_id))

    async def login(request: web.Request) -> web.Response:
        form = await request.post()
        nonce, token = form.get("csrf"), form.get("token")
        if not login_csrf_ok(request.cookies.get(LOGIN_COOKIE), _text(nonce)):
            return _page("login.html", 403, csrf="", message="The form expired: reload the page.")
        session_id = sessions.login(_text(token) or "")
        if session_id is None:
            return _login_form("Wrong token.", status=401)
        response = web.HTTPSeeOther("/")
        response.set_cookie(SESSION_COOKIE, session_id, **cookie_flags())  # type: ignore[arg-type]
        response.del_cookie(LOGIN_COOKIE, path="/")
        raise response

    async def logout(request: web.Request) -> web.Response:
        sessions.logout(request.cookies.get(SESSION_COOKIE))
        response = web.json_response({"logged_out": True})
        response.del_cookie(SESSION_COOKIE, path="/")
        return response

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        response = web.Response(text=_asset(name), content_type=ASSETS[name])
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def dashboard(request: web.Request) -> web.Response:
        if view is None:
            return web.json_response(
                {"error": {"code": "not_found", "message": "no brain"}}, status=404
            )
        response = web.json_response(view.snapshot())
        response.headers["Cache-Control"] = "no-store"
        return response

    app.router.add_get("/", index)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    for name in ASSETS:
        app.router.add_get(f"/static/{{name:{name.replace('.', '[.]')}}}", asset)
    app.router.add_get("/api/dashboard", dashboard)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
