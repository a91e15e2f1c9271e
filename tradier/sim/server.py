"""The simulator's HTTP server: Tradier REST and the market WebSocket on one aiohttp port,
plus test controls under /sim/.

    server = SimServer(SimConfig(seed=7))
    base_url = await server.start()      # http://127.0.0.1:<port>, REST at base_url + "/v1"
    ...
    await server.stop()

or, from sync code, `with run_in_thread(SimConfig()) as sim: sim.api_url, sim.controls...`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tradier.clock import Clock
from tradier.sim import rest_account as acct
from tradier.sim import rest_history as hist
from tradier.sim import rest_market as mkt
from tradier.sim import rest_options as opts
from tradier.sim import rest_reference as ref
from tradier.sim.account_stream import ACCOUNT_EVENTS_PATH
from tradier.sim.controls import SimControls
from tradier.sim.core import SimConfig, SimCore
from tradier.sim.frames import quote_frames
from tradier.sim.guards import STREAM_PATH, guard
from tradier.sim.limits import Fault
from tradier.sim.orders import SimOrder
from tradier.sim.rest_common import CORE
from tradier.sim.stream import StreamStats

__all__ = ["RunningSim", "SimConfig", "SimServer", "run_in_thread"]

_log = logging.getLogger(__name__)
MAX_BLAST = 1_000_000  # frames per /sim/stream/blast call


class SimServer:
    """One simulator: REST + WebSocket + controls, and a ticker advancing simulated time."""

    def __init__(self, config: SimConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or SimConfig()
        self.core = SimCore(self.config, clock)
        self._runner: web.AppRunner | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._port = 0

    # ---- lifecycle ---------------------------------------------------------------------
    async def start(self) -> str:
        """Bind, start the ticker, and return the base url."""
        app = web.Application(middlewares=[guard])
        app[CORE] = self.core
        self._routes(app)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        addresses = self._runner.addresses  # (host, port, ...) per bound socket
        self._port = int(addresses[0][1]) if addresses else self.config.port
        self.core.stopping.clear()
        self._ticker = asyncio.create_task(self._tick_forever())
        return self.base_url

    async def stop(self) -> None:
        """Close every connection, stop the ticker, release the port."""
        self.core.stopping.set()
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        await self.core.stream.drop_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.config.tick_s)
            try:
                await self.core.pump()
            except Exception:  # a bug in one tick must not stop time for every client
                _log.exception("simulator tick failed")

    @property
    def port(self) -> int:
        """The bound port."""
        return self._port

    @property
    def base_url(self) -> str:
        """http://host:port (REST is under /v1)."""
        return f"http://{self.config.host}:{self._port}"

    @property
    def api_url(self) -> str:
        """base_url + /v1."""
        return self.base_url + "/v1"

    @property
    def frames_sent(self) -> int:
        """Market-stream payloads delivered to subscribers so far."""
        return self.core.stream.frames_sent

    def stream_stats(self) -> StreamStats:
        """Market-stream frames delivered so far and subscribed connections now."""
        return self.core.stream.stats()

    @property
    def ws_url(self) -> str:
        """The market WebSocket url."""
        return f"ws://{self.config.host}:{self._port}{STREAM_PATH}"

    # ---- controls as methods -----------------------------------------------------------
    def inject_fault(
        self, kind: str, count: int = 1, path_prefix: str = "", delay_s: float | None = None
    ) -> None:
        """Arm `count` faults (5xx, timeout, lost_response) for matching /v1 requests."""
        delay = self.config.fault_delay_s if delay_s is None else delay_s
        self.core.faults.arm(Fault(kind, count, path_prefix, delay))

    async def drop_streams(self) -> int:
        """Close every stream connection (market and account); returns how many."""
        return await self.core.stream.drop_all() + await self.core.accounts.drop_all()

    def expire_sessions(self) -> int:
        """Expire every stream session id (market and account); returns how many."""
        return self.core.stream.expire_all() + self.core.accounts.sessions.expire_all()

    def set_clock(self, now_ms: int | None = None, speed: float | None = None) -> None:
        """Jump the simulated clock and/or change its speed."""
        self.core.clock.set(now_ms, speed)
        if now_ms is not None and now_ms < self.core.last_pump_ms:
            self.core.last_pump_ms = now_ms

    def pin_quote(self, symbol: str, bid: float, ask: float, last: float) -> None:
        """Fix a symbol's book and last price (equity or OCC option)."""
        self.core.venue.pin(symbol, bid, ask, last)

    def unpin_quote(self, symbol: str) -> None:
        """Release a pinned price."""
        self.core.venue.unpin(symbol)

    def orders(self) -> list[SimOrder]:
        """Every order, all days."""
        return self.core.all_orders()

    def reset(self) -> None:
        """Forget orders, positions, pins, faults, windows and sessions."""
        self.core.reset()

    async def blast(self, frames: Sequence[str]) -> int:
        """Send pre-encoded frames to every subscribed market-stream connection as fast as
        possible (symbols and filters ignored); returns the frames delivered."""
        return await self.core.stream.blast(frames)

    async def blast_generated(self, count: int) -> int:
        """Blast `count` quote frames cycling over the subscribed symbols' current books."""
        if not 1 <= count <= MAX_BLAST:
            raise ValueError(f"count: must be an integer from 1 to {MAX_BLAST}")
        now = self.core.clock.now_ms()
        wanted = sorted(self.core.stream.wanted_symbols())
        return await self.blast(quote_frames(self.core.venue, wanted, count, now))

    async def step(self) -> None:
        """Advance to the clock's now at once (publish frames, fill orders)."""
        await self.core.pump()

    # ---- routes ------------------------------------------------------------------------
    def _routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/v1/markets/quotes", mkt.quotes)
        r.add_post("/v1/markets/quotes", mkt.quotes)
        r.add_get("/v1/markets/clock", mkt.clock)
        r.add_get("/v1/markets/calendar", mkt.calendar)
        r.add_get("/v1/markets/options/expirations", opts.option_expirations)
        r.add_get("/v1/markets/options/strikes", opts.option_strikes)
        r.add_get("/v1/markets/options/chains", opts.option_chains)
        r.add_get("/v1/markets/options/lookup", opts.option_lookup)
        r.add_get("/v1/markets/history", hist.history)
        r.add_get("/v1/markets/timesales", hist.timesales)
        r.add_get("/v1/markets/lookup", ref.lookup)
        r.add_get("/v1/markets/search", ref.search)
        r.add_get("/v1/markets/etb", ref.etb)
        r.add_get("/beta/markets/fundamentals/company", ref.company)
        r.add_post("/v1/markets/events/session", mkt.create_session)
        r.add_get(STREAM_PATH, self.core.stream.handle)
        r.add_post(STREAM_PATH, self.core.stream.handle)
        r.add_post("/v1/accounts/events/session", acct.create_account_session)
        r.add_get(ACCOUNT_EVENTS_PATH, self._account_events)
        r.add_get("/v1/user/profile", acct.profile)
        r.add_get("/v1/accounts/{account}/balances", acct.balances)
        r.add_get("/v1/accounts/{account}/positions", acct.positions)
        r.add_get("/v1/accounts/{account}/gainloss", acct.gainloss)
        r.add_get("/v1/accounts/{account}/orders", acct.list_orders)
        r.add_post("/v1/accounts/{account}/orders", acct.place_order)
        r.add_get("/v1/accounts/{account}/orders/{order_id}", acct.get_order)
        r.add_put("/v1/accounts/{account}/orders/{order_id}", acct.modify_order)
        r.add_delete("/v1/accounts/{account}/orders/{order_id}", acct.cancel_order)
        r.add_post("/sim/faults", self._c_faults)
        r.add_post("/sim/stream/drop", self._c_drop)
        r.add_post("/sim/stream/expire", self._c_expire)
        r.add_post("/sim/stream/blast", self._c_blast)
        r.add_post("/sim/clock", self._c_clock)
        r.add_post("/sim/quotes", self._c_quotes)
        r.add_get("/sim/orders", self._c_orders)
        r.add_post("/sim/reset", self._c_reset)
        r.add_get("/sim/state", self._c_state)

    async def _account_events(self, request: web.Request) -> web.StreamResponse:
        return await self.core.accounts.handle(request, self.config.account)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        body = json.loads(await request.text() or "{}")
        if not isinstance(body, dict):
            raise ValueError("body: must be a JSON object")
        return body

    @staticmethod
    def _ok(**extra: Any) -> web.Response:
        return web.json_response({"ok": True, **extra})

    @staticmethod
    def _invalid(exc: Exception) -> web.Response:
        return web.json_response({"ok": False, "error": str(exc)}, status=400)

    async def _c_faults(self, request: web.Request) -> web.Response:
        try:
            body = await self._body(request)
            delay = body.get("delay_s")
            self.inject_fault(
                str(body.get("kind", "")),
                int(body.get("count", 1)),
                str(body.get("path_prefix", body.get("path", "")) or ""),
                float(delay) if delay is not None else None,
            )
        except (ValueError, TypeError) as exc:
            return self._invalid(exc)
        return self._ok()

    async def _c_drop(self, request: web.Request) -> web.Response:
        return self._ok(dropped=await self.drop_streams())

    async def _c_expire(self, request: web.Request) -> web.Response:
        return self._ok(expired=self.expire_sessions())

    async def _c_blast(self, request: web.Request) -> web.Response:
        try:
            body = await self._body(request)
            count = body.get("count")
            if not isinstance(count, int) or isinstance(count, bool):
                raise ValueError(f"count: must be an integer from 1 to {MAX_BLAST}")
            sent = await self.blast_generated(count)
        except (ValueError, TypeError) as exc:
            return self._invalid(exc)
        return self._ok(sent=sent)

    async def _c_clock(self, request: web.Request) -> web.Response:
        try:
            body = await self._body(request)
            now = body.get("now_ms")
            speed = body.get("speed")
            self.set_clock(
                int(now) if now is not None else None, float(speed) if speed is not None else None
            )
        except (ValueError, TypeError) as exc:
            return self._invalid(exc)
        return self._ok(now_ms=self.core.clock.now_ms(), speed=self.core.clock.speed)

    async def _c_quotes(self, request: web.Request) -> web.Response:
        try:
            body = await self._body(request)
            symbol = str(body["symbol"])
            if body.get("unpin"):
                self.unpin_quote(symbol)
            else:
                self.pin_quote(symbol, float(body["bid"]), float(body["ask"]), float(body["last"]))
        except (KeyError, ValueError, TypeError) as exc:
            return self._invalid(exc)
        return self._ok()

    async def _c_orders(self, request: web.Request) -> web.Response:
        return web.json_response({"orders": [o.to_json(True) for o in self.orders()]})

    async def _c_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return self._ok()

    async def _c_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.core.state_summary())


@dataclass
class RunningSim:
    """A simulator running on its own event loop in a thread."""

    server: SimServer
    loop: asyncio.AbstractEventLoop
    controls: SimControls

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>."""
        return self.server.base_url

    @property
    def api_url(self) -> str:
        """base_url + /v1."""
        return self.server.api_url

    @property
    def ws_url(self) -> str:
        """ws://127.0.0.1:<port>/v1/markets/events."""
        return self.server.ws_url

    @property
    def config(self) -> SimConfig:
        """The configuration it runs with."""
        return self.server.config


@contextlib.contextmanager
def run_in_thread(
    config: SimConfig | None = None, clock: Clock | None = None
) -> Iterator[RunningSim]:
    """Run a simulator in a background thread for the duration of the `with` block."""
    server = SimServer(config or SimConfig(), clock)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    failure: list[BaseException] = []

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.stop())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()

    thread = threading.Thread(target=main, name="tradier-sim", daemon=True)
    thread.start()
    ready.wait(30)
    if failure:
        thread.join(5)
        loop.close()
        raise failure[0]
    controls = SimControls(server.base_url)
    try:
        yield RunningSim(server, loop, controls)
    finally:
        controls.close()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
