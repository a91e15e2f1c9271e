"""A local stand-in for API Gateway's HTTP API: real v2 events to the real handlers.

Each request to a `ThreadingHTTPServer` is turned into an API Gateway HTTP API payload
format 2.0 event (lower-case headers joined by commas, `rawPath`, `rawQueryString`,
`requestContext.http`, `pathParameters`, text or base64 body as API Gateway would send it)
and passed to the same `handler(event, context)` that Lambda calls. Unknown paths get 404
and wrong methods 405, the way API Gateway answers when no route matches.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from functions.routes import ROUTES, Route, resolve
from tradier.clock import Clock, SystemClock

log = logging.getLogger("edgegate.functions.local")

# API Gateway's own payload limit; the gate refuses anything over 64 KiB itself.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
LOCAL_ACCOUNT_ID = "000000000000"
LOCAL_API_ID = "local"
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")

Handler = Callable[[Mapping[str, Any], Any], Mapping[str, Any]]


def _is_text(content_type: str) -> bool:
    lowered = content_type.lower()
    return any(lowered.startswith(kind) or kind in lowered for kind in _TEXT_TYPES) or (
        "+json" in lowered
    )


def build_event(
    *,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    route: Route,
    path_parameters: Mapping[str, str],
    source_ip: str,
    now_ms: int,
    request_id: str,
    domain_name: str = "127.0.0.1",
) -> dict[str, Any]:
    """An API Gateway HTTP API v2 event, as API Gateway would build it for this request."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    content_type = joined.get("content-type", "")
    text: str | None = None
    if body and _is_text(content_type):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    stamp = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
        "headers": joined,
        "requestContext": {
            "accountId": LOCAL_ACCOUNT_ID,
            "apiId": LOCAL_API_ID,
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".")[0],
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route.route_key,
            "stage": "$default",
            "time": stamp.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": now_ms,
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if raw_query:
        query: dict[str, str] = {}
        for key, value in parse_qsl(raw_query, keep_blank_values=True):
            query[key] = f"{query[key]},{value}" if key in query else value
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if body:
        if text is not None:
            event["body"] = text
        else:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def _load(route: Route) -> Handler:
    handler: Handler = importlib.import_module(route.module).handler
    return handler


class _RequestHandler(BaseHTTPRequestHandler):
    server: LocalGateServer
    protocol_version = "HTTP/1.1"
    server_version = "edgegate-local-gateway"
    # Headers and body go out as two writes: with Nagle on, the body waits for the
    # client's delayed ACK of the headers, 40 ms on Linux loopback, on every response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _reply(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._reply(
            status, json.dumps({"message": message}).encode(), {"content-type": "application/json"}
        )

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        route, found = resolve(self.command, parts.path)
        length_header = self.headers.get("content-length", "0")
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            self._error(400, "Bad Request")
            return
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._error(413, "Request Entity Too Large")
            return
        body = self.rfile.read(length) if length > 0 else b""
        if route is None:
            self._error(405 if found else 404, "Method Not Allowed" if found else "Not Found")
            return
        params = route.match(parts.path) or {}
        event = build_event(
            method=self.command,
            raw_path=parts.path,
            raw_query=parts.query,
            headers=list(self.headers.items()),
            body=body,
            route=route,
            path_parameters=params,
            source_ip=self.client_address[0],
            now_ms=self.server.clock.now_ms(),
            request_id=self.server.new_request_id(),
            domain_name=self.headers.get("host", "127.0.0.1").split(":")[0],
        )
        try:
            result = self.server.handler_for(route)(event, self.server.context(route))
        except Exception:
            # Lambda would report the invocation as failed; API Gateway answers 500.
            log.exception("handler raised", extra={"route": route.route_key})
            self._error(500, "Internal Server Error")
            return
        self._write_result(result)

    def _write_result(self, result: Mapping[str, Any]) -> None:
        raw = result.get("body") or ""
        payload = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode("utf-8")
        self._reply(int(result.get("statusCode", 200)), payload, result.get("headers") or {})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch


class LocalGateServer(ThreadingHTTPServer):
    """The gate's routes on a local port; `handlers` override route modules (tests)."""

    daemon_threads = True
    # socketserver's default backlog of 5 makes a burst of brains wait out SYN retries.
    request_queue_size = 128

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        clock: Clock | None = None,
        request_ids: Callable[[], str] | None = None,
        handlers: Mapping[str, Handler] | None = None,
    ) -> None:
        super().__init__((host, port), _RequestHandler)
        self.clock = clock or SystemClock()
        self.new_request_id = request_ids or (lambda: str(uuid.uuid4()))
        self._handlers = {route.route_key: _load(route) for route in ROUTES}
        self._handlers.update(handlers or {})
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. `http://127.0.0.1:8701`."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def handler_for(self, route: Route) -> Handler:
        """The handler function serving a route."""
        return self._handlers[route.route_key]

    def context(self, route: Route) -> Any:
        """A minimal Lambda context object."""
        return SimpleNamespace(
            function_name=f"edgegate-gate-local-{route.function}",
            aws_request_id=self.new_request_id(),
            get_remaining_time_in_millis=lambda: 15_000,
        )

    def start(self) -> str:
        """Serve on a background thread; returns the base URL."""
        self._thread = threading.Thread(target=self.serve_forever, name="gate-local", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalGateServer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self.stop()
        else:
            self.server_close()
