"""The OpenAPI 3.1 document of the gate's HTTP API, generated from the contract.

`python -m gatekeeper.openapi > docs/openapi.json` regenerates the committed file; a unit
test fails when the two drift apart.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final

import msgspec

from gatekeeper.contract import (
    MAX_BODY_BYTES,
    AdminStateRequest,
    AdminStateResponse,
    Decision,
    ErrorBody,
    FlattenRequest,
    FlattenResponse,
    HeartbeatRequest,
    HeartbeatResponse,
    Proposal,
    ProposalRecordResponse,
    StatusResponse,
)
from gatekeeper.signing import (
    DEFAULT_TOLERANCE_MS,
    MIN_SECRET_BYTES,
    NONCE_HEADER,
    NONCE_PATTERN,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    VERSION,
)

_SCHEMA_TYPES: Final = (
    Proposal,
    Decision,
    ProposalRecordResponse,
    StatusResponse,
    HeartbeatRequest,
    HeartbeatResponse,
    AdminStateRequest,
    AdminStateResponse,
    FlattenRequest,
    FlattenResponse,
    ErrorBody,
)
_REF = "#/components/schemas/{name}"
_SIGNING = "gateSignature"
_ADMIN = "adminSignature"
_ERRORS: Final = {
    400: "Invalid request: the body breaks the contract; `error.field` names the field.",
    401: "Missing, malformed, stale, retired (v1) or wrong signature, checked before any other "
    "work (`error.code` UNAUTHORIZED); or a correctly signed request whose nonce was already "
    "accepted, a replay, refused with no side effect (`error.code` NONCE_REUSED, "
    f"`error.field` {NONCE_HEADER}).",
    404: "No proposal with this id.",
    409: "The same proposal id is in progress, or was used with a different body.",
    413: f"Body larger than {MAX_BODY_BYTES} bytes.",
    503: "The gate's storage is unavailable; nothing was recorded and no order was sent.",
}
_SIGNATURE_TEXT = (
    f"Signature {VERSION}: `{SIGNATURE_HEADER}: {VERSION}=<hex HMAC-SHA256(secret, "
    '"<timestamp>\\n<nonce>\\n<METHOD>\\n<path>\\n<query>\\n" + raw body)>` with '
    f"`{TIMESTAMP_HEADER}: <epoch ms>` and `{NONCE_HEADER}: <16-64 of [A-Za-z0-9_-]>`; "
    "`<path>` is the request's raw path and `<query>` its raw query string (empty when "
    "there is none); GET requests sign an empty body. A timestamp more than "
    f"{DEFAULT_TOLERANCE_MS // 1000} s from the gate's clock is refused, and a nonce is "
    "accepted once: a fresh one for every request, retries included. Several "
    f"comma-separated `{VERSION}=` values are accepted during a secret rotation; `v1` "
    f"signatures are refused. Secrets are at least {MIN_SECRET_BYTES} bytes."
)


def _json(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF.format(name=schema_name)}}}


def _operation(
    summary: str,
    security: str,
    ok: str,
    ok_text: str,
    errors: tuple[int, ...],
    body: str | None = None,
    parameters: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": ok_text, "content": _json(ok)}}
    for status in errors:
        responses[str(status)] = {"description": _ERRORS[status], "content": _json("ErrorBody")}
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{security: []}],
        "parameters": [
            {"$ref": "#/components/parameters/Timestamp"},
            {"$ref": "#/components/parameters/Nonce"},
            *parameters,
        ],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    return operation


def build() -> dict[str, Any]:
    """The OpenAPI document as a JSON-ready dict."""
    _, components = msgspec.json.schema_components(_SCHEMA_TYPES, ref_template=_REF)
    proposal_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": components["Proposal"]["properties"]["id"],
    }
    paths = {
        "/v1/proposals": {
            "post": _operation(
                "Decide a proposal and, when approved, execute it exactly once",
                _SIGNING,
                "Decision",
                "The decision for every well-formed proposal (REJECTED is a 200 too). "
                "A duplicate id returns the stored decision with `replayed: true`.",
                (400, 401, 409, 413, 503),
                body="Proposal",
            )
        },
        "/v1/proposals/{id}": {
            "get": _operation(
                "The stored record: decision, reason, order id, order state, fills",
                _SIGNING,
                "ProposalRecordResponse",
                "The proposal's record.",
                (400, 401, 404, 503),
                parameters=(proposal_id,),
            )
        },
        "/v1/status": {
            "get": _operation(
                "Trading state, open structures, limits in use, day P&L, heartbeat",
                _SIGNING,
                "StatusResponse",
                "The gate's status.",
                (401, 503),
            )
        },
        "/v1/heartbeat": {
            "post": _operation(
                "Brain liveness and a small state summary",
                _SIGNING,
                "HeartbeatResponse",
                "Recorded; the current trading state.",
                (400, 401, 413, 503),
                body="HeartbeatRequest",
            )
        },
        "/v1/admin/state": {
            "post": _operation(
                "Set the trading state (ACTIVE, REDUCING, HALTED)",
                _ADMIN,
                "AdminStateResponse",
                "The state after the change.",
                (400, 401, 413, 503),
                body="AdminStateRequest",
            )
        },
        "/v1/admin/flatten": {
            "post": _operation(
                "Close every open position (allowed in every trading state)",
                _ADMIN,
                "FlattenResponse",
                "One decision per closing proposal created.",
                (400, 401, 413, 503),
                body="FlattenRequest",
            )
        },
    }
    scheme = {"type": "apiKey", "in": "header", "name": SIGNATURE_HEADER}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "edgegate gate",
            "version": "1",
            "description": "Signed trade proposals, decided and executed exactly once. "
            "Every route is authenticated. " + _SIGNATURE_TEXT,
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "parameters": {
                "Timestamp": {
                    "name": TIMESTAMP_HEADER,
                    "in": "header",
                    "required": True,
                    "description": "UTC epoch milliseconds the request was signed at.",
                    "schema": {"type": "string", "pattern": "^[0-9]{1,16}$"},
                },
                "Nonce": {
                    "name": NONCE_HEADER,
                    "in": "header",
                    "required": True,
                    "description": "A fresh random value per request (retries included), "
                    "accepted once by the gate; a reuse is a 401 NONCE_REUSED.",
                    "schema": {"type": "string", "pattern": NONCE_PATTERN},
                },
            },
            "securitySchemes": {
                _SIGNING: {
                    **scheme,
                    "description": "Signed with the brain's signing secret. " + _SIGNATURE_TEXT,
                },
                _ADMIN: {
                    **scheme,
                    "description": "Signed with the separate admin secret. " + _SIGNATURE_TEXT,
                },
            },
        },
    }


def render() -> str:
    """The document as the exact text committed in docs/openapi.json."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Write the document to stdout."""
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
