"""The one adapter every HTTP handler uses: event → request → one gate call → response.

The gate answers every outcome it knows (401, 400, 409, 413, 503, 200) itself. Here: a
malformed event is a 400; configuration faults (missing variable, invalid constitution,
live trading refused) are raised so the function stops loudly; anything else is logged
with the request id and answered 500 without details.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from functions import runtime
from functions.config import Need
from functions.errors import BadEvent, ConfigError
from functions.http import HttpRequest, ResponseLike, error_response, parse_event, to_response
from gatekeeper import errors as gate_errors

if TYPE_CHECKING:
    from gatekeeper.service import Gate

log = logging.getLogger("edgegate.functions")

GateCall = Callable[["Gate", HttpRequest], ResponseLike]
Event = Mapping[str, Any]

# What each kind of function needs composed.
TRADING = frozenset({Need.SIGNING_SECRET, Need.TRADIER_TOKEN, Need.TRADIER_ACCOUNT})
SIGNED_READ = frozenset({Need.SIGNING_SECRET})
ADMIN = frozenset({Need.ADMIN_SECRET})
ADMIN_TRADING = frozenset({Need.ADMIN_SECRET, Need.TRADIER_TOKEN, Need.TRADIER_ACCOUNT})
SCHEDULED = frozenset({Need.TRADIER_TOKEN, Need.TRADIER_ACCOUNT})


def handle_http(event: Event, call: GateCall, needs: Iterable[Need], route: str) -> dict[str, Any]:
    """Run one HTTP route: parse, call the gate once, map the result or fault."""
    started = time.perf_counter()
    try:
        request = parse_event(event)
    except BadEvent as exc:
        log.info("bad event route=%s field=%s", route, exc.field)
        return error_response(400, "INVALID_REQUEST", str(exc), exc.field)
    gate = runtime.current_gate(needs)  # ConfigError / ConstitutionError stop the function
    try:
        response = to_response(call(gate, request), {"x-request-id": request.request_id})
    except (ConfigError, gate_errors.FatalGateError):
        raise
    except Exception:
        log.exception("unhandled fault route=%s request_id=%s", route, request.request_id)
        response = error_response(500, "INTERNAL", "internal error", None, request.request_id)
    # Fields in the message itself: Lambda's text log format drops `extra`.
    log.info(
        "handled route=%s status=%s ms=%.1f request_id=%s",
        route,
        response["statusCode"],
        (time.perf_counter() - started) * 1000,
        request.request_id,
    )
    return response


def handle_scheduled(
    event: Event, call: Callable[[Gate], Any], needs: Iterable[Need], name: str
) -> dict[str, Any]:
    """Run one scheduled job; faults propagate so Lambda records the failure and retries."""
    started = time.perf_counter()
    gate = runtime.current_gate(needs)
    result = call(gate)
    from functions.notify import drain_webhook

    drain_webhook(gate.notifier)
    summary = {"job": name, "result": _plain(result)}
    log.info("scheduled job=%s ms=%.0f", name, (time.perf_counter() - started) * 1000)
    return summary


def _plain(value: Any) -> Any:
    """A JSON-ready form of whatever a gate job returns (Structs, dataclasses, responses)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    import msgspec

    body = getattr(value, "body", None)
    if body is not None and hasattr(value, "status"):
        value = {"status": value.status, "body": body}
    try:
        return msgspec.to_builtins(value, str_keys=True)
    except TypeError:
        return repr(value)
