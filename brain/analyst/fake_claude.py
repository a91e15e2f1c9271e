"""A local fake of Anthropic's Messages API, for tests and for trying the review path
without a key (`edgegate fake-claude`).

A real HTTP server (aiohttp) on loopback answering `POST /v1/messages` and
`POST /v1/messages/count_tokens` with the API's bodies, headers and status codes. It
records every request, and answers from a script when one is queued (`script(...)`, or
`POST /fake/script` with a JSON list): a valid answer, malformed JSON, a schema-invalid
object, a refusal, a reply cut off at `max_tokens`, 429 with `retry-after`, 529
overloaded, 500, 401, or a hang past the client's timeout. Unscripted, it answers the
request's `output_config` schema with a deterministic object (for a signal review:
approve, veto or adjust chosen by a hash of the request, so a replay has all three).

Tokens are counted as ~4 bytes each (deterministic, not the real tokenizer). Prompt
caching follows the API: the system blocks up to the last `cache_control` mark form the
prefix; at or above the model's minimum cacheable length, the first request writes it
(`cache_creation_input_tokens`) and a repeat within the TTL reads it
(`cache_read_input_tokens`, refreshing the TTL); a shorter prefix is silently not cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web

from brain.analyst.fake_model import cache_prefix, default_answer, prompt_tokens, tokens_of_text

DEFAULT_MIN_CACHEABLE = 1024
CACHE_TTL_S = {"5m": 300.0, "1h": 3600.0}


class Scripted(StrEnum):
    """The replies the fake can be told to give."""

    VALID = "valid"
    MALFORMED_JSON = "malformed_json"
    SCHEMA_INVALID = "schema_invalid"
    REFUSAL = "refusal"
    MAX_TOKENS = "max_tokens"
    RATE_LIMITED = "rate_limited"  # 429 with retry-after
    OVERLOADED = "overloaded"  # 529
    SERVER_ERROR = "server_error"  # 500
    UNAUTHORIZED = "unauthorized"  # 401
    HANG = "hang"  # answers only after `hang_s`


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted reply; `text` replaces the default answer of a VALID reply."""

    kind: Scripted
    text: str | None = None
    retry_after_s: float = 0.05
    hang_s: float = 30.0

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Reply:
        """A reply from its JSON form (`POST /fake/script`)."""
        return cls(
            Scripted(str(raw["kind"])),
            raw.get("text"),
            float(raw.get("retry_after_s", 0.05)),
            float(raw.get("hang_s", 30.0)),
        )


@dataclass(frozen=True, slots=True)
class Recorded:
    """A request as the fake received it (the key is never kept, only how it came)."""

    path: str
    body: dict[str, Any]
    auth: str  # "x-api-key", "bearer" or "none"
    headers: dict[str, str]
    status: int = 0


def _error(status: int, kind: str, message: str, headers: Mapping[str, str]) -> web.Response:
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return web.json_response(body, status=status, headers=dict(headers))


@dataclass
class FakeClaude:
    """The fake server; `await start()`, point the SDK at `url`, `await stop()`."""

    host: str = "127.0.0.1"
    port: int = 0
    api_key: str | None = None  # None: any non-empty key is accepted
    min_cacheable: Mapping[str, int] = field(default_factory=dict)
    default_min_cacheable: int = DEFAULT_MIN_CACHEABLE
    now: Callable[[], float] = time.monotonic
    answer: Callable[[Mapping[str, Any]], str] = default_answer
    requests: list[Recorded] = field(default_factory=list)
    _queue: list[Reply] = field(default_factory=list)
    _cache: dict[str, float] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The base URL to give the SDK (`base_url` / `ANTHROPIC_BASE_URL`)."""
        return f"http://{self.host}:{self.port}"

    def script(self, *replies: Reply | Scripted) -> None:
        """Queue replies for the next `/v1/messages` requests, in order."""
        self._queue.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    @property
    def messages(self) -> list[Recorded]:
        """The `/v1/messages` requests received."""
        return [r for r in self.requests if r.path == "/v1/messages"]

    def app(self) -> web.Application:
        """The aiohttp application (routes of the API and of the fake's control)."""
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_post("/v1/messages", self._messages)
        app.router.add_post("/v1/messages/count_tokens", self._count_tokens)
        app.router.add_post("/fake/script", self._script)
        app.router.add_get("/fake/requests", self._recorded)
        return app

    async def start(self) -> None:
        """Listen on `host:port` (port 0: a free one, then set)."""
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            self.port = int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeClaude:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _auth(self, request: web.Request) -> str:
        key = request.headers.get("x-api-key")
        if key:
            return "x-api-key" if self.api_key in (None, key) else "bad"
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer ") and bearer[7:].strip():
            return "bearer" if self.api_key in (None, bearer[7:].strip()) else "bad"
        return "none"

    async def _read(self, request: web.Request) -> tuple[dict[str, Any] | None, str]:
        auth = self._auth(request)
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        headers = {
            k.lower(): v
            for k, v in request.headers.items()
            if k.lower() not in ("x-api-key", "authorization")
        }
        self.requests.append(
            Recorded(request.path, body if isinstance(body, dict) else {}, auth, headers)
        )
        return (body if isinstance(body, dict) else None), auth

    def _invalid(
        self, body: dict[str, Any] | None, auth: str, messages: bool
    ) -> web.Response | None:
        rid = {"request-id": f"req_fake_{next(self._ids)}"}
        if auth in ("none", "bad"):
            return _error(401, "authentication_error", "invalid x-api-key", rid)
        if body is None:
            return _error(400, "invalid_request_error", "body: not JSON", rid)
        if not isinstance(body.get("model"), str) or not isinstance(body.get("messages"), list):
            return _error(400, "invalid_request_error", "model and messages are required", rid)
        if messages and not isinstance(body.get("max_tokens"), int):
            return _error(400, "invalid_request_error", "max_tokens: Field required", rid)
        return None

    async def _count_tokens(self, request: web.Request) -> web.Response:
        body, auth = await self._read(request)
        problem = self._invalid(body, auth, messages=False)
        if problem is not None:
            return problem
        assert body is not None
        return web.json_response({"input_tokens": prompt_tokens(body)})

    async def _messages(self, request: web.Request) -> web.Response:
        body, auth = await self._read(request)
        problem = self._invalid(body, auth, messages=True)
        if problem is not None:
            return problem
        assert body is not None
        reply = self._queue.pop(0) if self._queue else Reply(Scripted.VALID)
        rid = {"request-id": f"req_fake_{next(self._ids)}"}
        kind = reply.kind
        if kind is Scripted.RATE_LIMITED:
            headers = {**rid, "retry-after": f"{reply.retry_after_s:g}"}
            return _error(429, "rate_limit_error", "Number of requests has exceeded", headers)
        if kind is Scripted.OVERLOADED:
            return _error(529, "overloaded_error", "Overloaded", rid)
        if kind is Scripted.SERVER_ERROR:
            return _error(500, "api_error", "Internal server error", rid)
        if kind is Scripted.UNAUTHORIZED:
            return _error(401, "authentication_error", "invalid x-api-key", rid)
        if kind is Scripted.HANG:
            await asyncio.sleep(reply.hang_s)
        return web.json_response(self._message(body, reply), headers=rid)

    def _usage(self, body: Mapping[str, Any], output_tokens: int) -> dict[str, Any]:
        total = prompt_tokens(body)
        written = read = 0
        found = cache_prefix(body)
        model = str(body.get("model"))
        minimum = self.min_cacheable.get(model, self.default_min_cacheable)
        if found is not None and found[1] >= minimum:
            key, tokens, ttl = found
            now = self.now()
            expires = self._cache.get(key)
            if expires is not None and expires > now:
                read = tokens
            else:
                written = tokens
            self._cache[key] = now + CACHE_TTL_S.get(ttl, 300.0)
        return {
            "input_tokens": total - written - read,
            "output_tokens": output_tokens,
            "cache_creation_input_tokens": written,
            "cache_read_input_tokens": read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": written,
                "ephemeral_1h_input_tokens": 0,
            },
            "service_tier": "standard",
        }

    def _message(self, body: Mapping[str, Any], reply: Reply) -> dict[str, Any]:
        max_tokens = int(body["max_tokens"])
        stop_reason = "end_turn"
        stop_details: dict[str, Any] | None = None
        kind = reply.kind
        if kind is Scripted.MALFORMED_JSON:
            text = '{"verdict": "approve", "rationale": "looks fine"'
        elif kind is Scripted.SCHEMA_INVALID:
            text = json.dumps({"verdict": "buy", "size": 1000, "symbol": "SPY"})
        elif kind is Scripted.REFUSAL:
            text = ""
            stop_reason = "refusal"
            stop_details = {"type": "refusal", "category": None, "explanation": None}
        else:
            text = reply.text if reply.text is not None else self.answer(body)
        output_tokens = tokens_of_text(text) if text else 1
        if kind is Scripted.MAX_TOKENS or output_tokens > max_tokens:
            text = text[: max(1, min(len(text) // 2, max_tokens * 4))]
            output_tokens = max_tokens
            stop_reason = "max_tokens"
        content = [{"type": "text", "text": text}] if text else []
        return {
            "id": f"msg_fake_{next(self._ids)}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "stop_details": stop_details,
            "usage": self._usage(body, output_tokens),
        }

    async def _script(self, request: web.Request) -> web.Response:
        try:
            raw = await request.json()
            self.script(*(Reply.of(r) for r in raw))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"queued": len(self._queue)})

    async def _recorded(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"path": r.path, "auth": r.auth, "model": r.body.get("model")} for r in self.requests]
        )


@contextlib.contextmanager
def fake_in_thread(fake: FakeClaude | None = None) -> Iterator[FakeClaude]:
    """Serve `fake` from its own thread and event loop, so the time it spends answering
    is never counted against the caller's loop (benchmarks)."""
    server = fake or FakeClaude()
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="fake-claude", daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()
