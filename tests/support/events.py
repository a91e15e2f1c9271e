"""Real API Gateway HTTP API v2 event files (tests/events/*.json), loaded and re-signed.

The files are events as API Gateway delivers them, signed (v2) at a fixed time with the
fake `FILE_SECRET`. `signed_event` returns a deep copy with a fresh timestamp and nonce, a
new v2 signature over the method, path, query and (possibly replaced) body, matching
`content-length`, `requestContext.time/timeEpoch`, and the body re-encoded as base64 when
the file's body was.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gatekeeper.signing import Target, signed_headers

EVENTS = Path(__file__).resolve().parents[1] / "events"
# The secrets the committed files are signed with (admin routes with the second): fakes,
# and the functional tests' own.
FILE_SECRET = b"test-signing-secret-" + b"x" * 20
FILE_ADMIN_SECRET = b"test-admin-secret-" + b"x" * 20


def load_event(name: str) -> dict[str, Any]:
    """The event file `tests/events/<name>.json` as a fresh dict."""
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


def event_body(event: dict[str, Any]) -> bytes:
    """The raw body bytes of an event (base64 decoded when flagged)."""
    raw = event.get("body") or ""
    return base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode("utf-8")


def body_json(name: str) -> dict[str, Any]:
    """The JSON body of an event file, as a dict to edit."""
    parsed: dict[str, Any] = json.loads(event_body(load_event(name)))
    return parsed


def fresh_proposal(name: str, now_ms: int, **overrides: Any) -> dict[str, Any]:
    """The proposal in an event file with a new id, `created_at = now_ms` and overrides."""
    body = body_json(name)
    body.update({"id": str(uuid.uuid4()), "created_at": now_ms})
    body.update(overrides)
    return body


def encode_json(value: Any) -> bytes:
    """Compact JSON bytes, as the brain sends them."""
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def with_body(event: dict[str, Any], body: bytes) -> dict[str, Any]:
    """`event` carrying `body`, encoded the way the original event encoded its body."""
    out = copy.deepcopy(event)
    if out.get("isBase64Encoded"):
        out["body"] = base64.b64encode(body).decode("ascii")
    else:
        out["body"] = body.decode("utf-8")
    out["headers"]["content-length"] = str(len(body))
    return out


def event_target(event: dict[str, Any]) -> Target:
    """The method, raw path and raw query an event was received at."""
    return Target(
        event["requestContext"]["http"]["method"],
        event["rawPath"],
        event.get("rawQueryString", ""),
    )


def sign_event(
    event: dict[str, Any], secret: bytes, now_ms: int, nonce: str | None = None
) -> dict[str, Any]:
    """`event` with v2 signature headers for its own target and body (in place)."""
    headers = signed_headers(secret, event_target(event), event_body(event), now_ms, nonce)
    for header, value in headers.items():
        event["headers"][header.lower()] = value
    return event


def signed_event(
    name: str,
    secret: bytes,
    now_ms: int,
    *,
    body: bytes | dict[str, Any] | None = None,
    path_parameters: dict[str, str] | None = None,
    nonce: str | None = None,
) -> dict[str, Any]:
    """Event file `name`, re-signed with `secret` at `now_ms` (and `body` if given) with
    `nonce` (a fresh random one unless given)."""
    event = load_event(name)
    if isinstance(body, dict):
        body = encode_json(body)
    raw = event_body(event) if body is None else body
    if body is not None or "body" in event:
        event = with_body(event, raw)
    if path_parameters is not None:
        event["pathParameters"] = dict(path_parameters)
        path = event["routeKey"].split(" ", 1)[1]
        for key, value in path_parameters.items():
            path = path.replace("{" + key + "}", value)
        event["rawPath"] = path
        event["requestContext"]["http"]["path"] = path
    sign_event(event, secret, now_ms, nonce)
    stamp = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    event["requestContext"]["time"] = stamp.strftime("%d/%b/%Y:%H:%M:%S +0000")
    event["requestContext"]["timeEpoch"] = now_ms
    event["requestContext"]["requestId"] = uuid.uuid4().hex[:16]
    return event


def response_json(response: dict[str, Any]) -> Any:
    """The JSON body of a Lambda proxy response."""
    raw = response["body"]
    if response.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    return json.loads(raw)
