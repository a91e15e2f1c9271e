"""API Gateway HTTP API (payload format 2.0) events in, Lambda proxy responses out.

The only place that knows the v2 event shape: `parse_event` turns an event into an
`HttpRequest` (raw body bytes exactly as signed, base64 bodies decoded, headers looked up
case-insensitively), `to_response` turns a `GateResponse`-like value into the v2 response.
Stdlib only: importing it costs nothing on a cold start.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from functions.errors import BadEvent
from gatekeeper.signing import Target

JSON_HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
}


class Headers(Mapping[str, str]):
    """Request headers with case-insensitive lookup; keys are kept lower-case."""

    __slots__ = ("_items",)

    def __init__(self, raw: Mapping[str, str] | None = None) -> None:
        self._items: dict[str, str] = {}
        for key, value in (raw or {}).items():
            name = key.lower()
            # HTTP API joins repeated headers with commas; keep that rule for other sources.
            self._items[name] = f"{self._items[name]},{value}" if name in self._items else value

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        # Never print values: they carry signatures.
        return f"Headers({sorted(self._items)})"


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """The parts of an HTTP API v2 event a handler uses."""

    method: str
    path: str
    route_key: str
    headers: Headers
    body: bytes
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    request_id: str = ""
    source_ip: str = ""
    raw_path: str = ""
    raw_query: str = ""

    @property
    def target(self) -> Target:
        """What the signature must bind: the method, the raw path and the raw query."""
        return Target(self.method, self.raw_path or self.path, self.raw_query)


class ResponseLike(Protocol):
    """What the gate returns: an HTTP status and a body."""

    @property
    def status(self) -> int:
        """HTTP status."""
        ...

    @property
    def body(self) -> Any:
        """bytes, str, or anything JSON-encodable (dict, msgspec Struct)."""
        ...


def _str_map(event: Mapping[str, Any], name: str) -> dict[str, str]:
    value = event.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise BadEvent(name, "must be an object of strings")
    return dict(value)


def _body(event: Mapping[str, Any]) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise BadEvent("body", "must be a string")
    if event.get("isBase64Encoded") is True:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BadEvent("body", "isBase64Encoded is true but the body is not base64") from None
    try:
        # Text bodies arrive decoded from UTF-8; encoding restores the signed bytes.
        return body.encode("utf-8")
    except UnicodeEncodeError:
        raise BadEvent("body", "must be valid UTF-8 text") from None


def parse_event(event: Mapping[str, Any]) -> HttpRequest:
    """An HTTP API v2 event as a typed request; `BadEvent` names what is malformed."""
    if not isinstance(event, Mapping):
        raise BadEvent("event", "must be an object")
    context = event.get("requestContext") or {}
    http = context.get("http") if isinstance(context, Mapping) else None
    if not isinstance(http, Mapping):
        raise BadEvent("requestContext.http", "is missing: not an HTTP API v2 event")
    method = http.get("method")
    path = http.get("path", event.get("rawPath", ""))
    if not isinstance(method, str) or not isinstance(path, str):
        raise BadEvent("requestContext.http", "method and path must be strings")
    query = _str_map(event, "queryStringParameters")
    raw_path = event.get("rawPath", path)
    raw_query = event.get("rawQueryString", "")
    if not isinstance(raw_path, str) or not isinstance(raw_query, str):
        raise BadEvent("rawPath", "rawPath and rawQueryString must be strings")
    return HttpRequest(
        method=method.upper(),
        path=path,
        route_key=str(event.get("routeKey", f"{method.upper()} {path}")),
        headers=Headers(_str_map(event, "headers")),
        body=_body(event),
        path_parameters=_str_map(event, "pathParameters"),
        query=query,
        request_id=str(context.get("requestId", "")),
        source_ip=str(http.get("sourceIp", "")),
        raw_path=raw_path,
        raw_query=raw_query,
    )


def _encode(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, bytes | bytearray):
        return bytes(body).decode("utf-8")
    if isinstance(body, str):
        return body
    if isinstance(body, Mapping | list):
        try:
            return json.dumps(body, separators=(",", ":"))
        except TypeError:
            pass
    # msgspec Structs, Decimals, enums: msgspec is a runtime dependency of the gate.
    import msgspec

    return msgspec.json.encode(body).decode("utf-8")


def to_response(
    result: ResponseLike, extra_headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A `GateResponse` (status, body) as an HTTP API v2 Lambda response."""
    headers = dict(JSON_HEADERS)
    headers.update(getattr(result, "headers", None) or {})
    headers.update(extra_headers or {})
    return {
        "statusCode": int(result.status),
        "headers": headers,
        "body": _encode(result.body),
        "isBase64Encoded": False,
    }


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    request_id: str = "",
) -> dict[str, Any]:
    """The `{"error": {...}}` body of DESIGN.md as a v2 response."""
    error: dict[str, Any] = {"code": code, "message": message, "field": field}
    headers = {"x-request-id": request_id} if request_id else None
    return to_response(_Plain(status, {"error": error}), headers)


@dataclass(frozen=True, slots=True)
class _Plain:
    status: int
    body: Any
