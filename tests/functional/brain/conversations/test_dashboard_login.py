"""The dashboard's login over HTTP: the token asked once, then an HttpOnly SameSite=Strict
cookie; every POST under the cookie needs the session's CSRF token, and the bearer API
keeps working without one (`edgegate chat`)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from brain.conversations.store import MemorySessionStore
from tests.functional.brain.conversations.support import TOKEN, Harness, harness
from tradier.clock import ManualClock
from tradier.sim.server import RunningSim

HIDDEN = re.compile(r'name="csrf" value="([^"]+)"')
META = re.compile(r'name="csrf-token" content="([^"]+)"')


@asynccontextmanager
async def browser(
    sim: RunningSim, clock: ManualClock
) -> AsyncIterator[tuple[Harness, httpx.AsyncClient]]:
    """The API over the real parts (offline speaker, no gate) and a cookie-keeping client."""
    async with (
        harness(
            store=MemorySessionStore(), clock=clock, sim_url=sim.api_url, gate_url=None, fake=None
        ) as h,
        httpx.AsyncClient(base_url=h.http.base_url, timeout=30) as client,
    ):
        yield h, client


async def login(client: httpx.AsyncClient, token: str = TOKEN) -> httpx.Response:
    """GET the form, then POST it with its double-submit value."""
    form = await client.get("/")
    match = HIDDEN.search(form.text)
    assert match is not None, form.text
    return await client.post("/login", data={"csrf": match.group(1), "token": token})


async def test_login_when_right_token_then_httponly_strict_cookie_and_the_dashboard(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (_h, client):
        done = await login(client)
        assert done.status_code == 303 and done.headers["location"] == "/"
        [cookie] = [c for c in done.headers.get_list("set-cookie") if c.startswith("eg_session=")]
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= flags
        assert "secure" not in flags  # plain http on loopback: a Secure cookie is never sent
        page = await client.get("/")
        assert page.status_code == 200 and META.search(page.text)
        assert "default-src 'none'" in page.headers["content-security-policy"]
        status = await client.get("/api/status")
        assert status.status_code == 200 and status.json()["health"] == "ok"


async def test_login_when_wrong_token_then_401_and_no_session(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (_h, client):
        done = await login(client, token="wrong-but-long-enough-" + "z" * 20)
        assert done.status_code == 401 and "Wrong token." in done.text
        assert "eg_session" not in client.cookies
        assert (await client.get("/api/status")).status_code == 401


async def test_login_when_form_csrf_missing_then_403_and_no_session(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (_h, client):
        await client.get("/")  # the login cookie is set, the form's value is not sent
        done = await client.post("/login", data={"token": TOKEN})
        assert done.status_code == 403
        assert "eg_session" not in client.cookies


async def test_post_when_cookie_without_csrf_then_403_and_nothing_asked(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (h, client):
        await login(client)
        body = {"prompt": "SPY?", "watchlist": ["SPY"]}
        missing = await client.post("/api/strategies/generate", json=body)
        wrong = await client.post(
            "/api/strategies/generate", json=body, headers={"X-CSRF-Token": "0" * 64}
        )
        assert missing.status_code == 403 and wrong.status_code == 403
        assert missing.json()["error"]["field"] == "X-CSRF-Token"
        assert h.service.turns == 0  # nothing stored, nobody asked
        match = META.search((await client.get("/")).text)
        assert match is not None
        ok = await client.post(
            "/api/strategies/generate", json=body, headers={"X-CSRF-Token": match.group(1)}
        )
        assert ok.status_code == 200 and ok.json()["response"]
        assert h.service.turns == 1


async def test_bearer_when_no_cookie_then_api_works_without_csrf_and_dashboard_asks_to_login(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (h, client):
        answer = await h.generate("SPY?")  # the harness's client sends only the bearer token
        assert answer.status_code == 200
        page = await client.get("/")
        assert page.status_code == 200 and HIDDEN.search(page.text)  # the login form
        assert (await client.get("/api/dashboard")).status_code == 401
        headers = {"Authorization": "Bearer " + "w" * 40}
        assert (await client.get("/api/status", headers=headers)).status_code == 401


async def test_logout_when_posted_with_csrf_then_the_cookie_no_longer_opens_the_api(
    sim: RunningSim, clock: ManualClock
) -> None:
    async with browser(sim, clock) as (_h, client):
        await login(client)
        session = client.cookies["eg_session"]
        match = META.search((await client.get("/")).text)
        assert match is not None
        out = await client.post("/logout", headers={"X-CSRF-Token": match.group(1)})
        assert out.status_code == 200
        client.cookies.set("eg_session", session)  # as a stolen copy would be replayed
        again = await client.get("/api/status")
        assert again.status_code == 401
