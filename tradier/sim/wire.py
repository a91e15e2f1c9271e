"""Tradier's response shapes: list cardinality, JSON-or-XML bodies, plain-text errors."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

JSON_TYPE = "application/json"


def listing(items: list[Any]) -> Any:
    """Tradier's cardinality quirk: "null" for none, a bare object for one, else a list."""
    if not items:
        return "null"
    if len(items) == 1:
        return items[0]
    return items


def wrapped(outer: str, inner: str, items: list[Any]) -> dict[str, Any]:
    """`{outer: {inner: items}}`, or `{outer: "null"}` when there are none."""
    if not items:
        return {outer: "null"}
    return {outer: {inner: listing(items)}}


def wants_json(request: web.Request) -> bool:
    """True when the Accept header names application/json (or any JSON)."""
    accept = request.headers.get("Accept", "")
    return JSON_TYPE in accept or "*/json" in accept


def _xml(tag: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml(k, v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return "".join(_xml(tag, v) for v in value)
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        return f"<{tag}>{str(value).lower()}</{tag}>"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def to_xml(body: dict[str, Any]) -> str:
    """The body as Tradier's XML rendering (what it returns when Accept is not JSON)."""
    return '<?xml version="1.0" encoding="UTF-8"?>' + "".join(_xml(k, v) for k, v in body.items())


def respond(request: web.Request, body: dict[str, Any], status: int = 200) -> web.Response:
    """A JSON response when asked for JSON, XML otherwise (as Tradier does)."""
    if wants_json(request):
        return web.Response(
            status=status, text=json.dumps(body, separators=(",", ":")), content_type=JSON_TYPE
        )
    return web.Response(status=status, text=to_xml(body), content_type="application/xml")


def errors_body(messages: list[str]) -> dict[str, Any]:
    """`{"errors":{"error": ...}}`: a single message as a string, several as a list."""
    return {"errors": {"error": messages[0] if len(messages) == 1 else list(messages)}}


def plain(status: int, text: str) -> web.Response:
    """A plain-text response (Tradier's 401, 429, 500 and cancel errors are plain text)."""
    return web.Response(status=status, text=text, content_type="text/plain")
