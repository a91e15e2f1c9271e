"""Classifying Tradier's HTTP replies: every HTTP-level quirk mapped to `tradier.errors`.

429 with `X-Ratelimit-Expiry` or a `Quota Violation` text body, HTML maintenance pages,
`fault` objects (a datastore error is transient, an invalid token is not), 200 replies that
carry `errors`, `errors.error` as a string or a list, and the order endpoints' plain-text
400/401 answers are all settled here, in one place, with no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

import msgspec

from tradier import models
from tradier.errors import (
    StreamAuthError,
    TradierError,
    TradierFatal,
    TradierOrderNotFound,
    TradierOrderRejected,
    TradierOutcomeUnknown,
    TradierRateLimited,
    TradierRetryable,
)
from tradier.shapes import as_str_list

_FINALIZED = re.compile(rb"finalized state:\s*([a-z_]+)")
_QUOTA_MS = re.compile(rb"(\d{10,})")


class Kind(Enum):
    """How a request may be retried and how its faults are named."""

    READ = "read"  # retried; faults are TradierRetryable/TradierFatal
    SEND = "send"  # places or changes an order: never retried; unsure -> OutcomeUnknown
    PREVIEW = "preview"  # no side effect: retried like a read; refusals are rejections
    CANCEL = "cancel"  # idempotent: retried; a finalized order is a result, not a fault
    SESSION = "session"  # stream session: 401/403 -> StreamAuthError


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP response as plain values."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class _Errors(msgspec.Struct):
    error: list[str] | str | None = None


class _Fault(msgspec.Struct):
    faultstring: str | None = None


class _Probe(msgspec.Struct):
    errors: _Errors | str | None = None
    fault: _Fault | None = None


_PROBE = msgspec.json.Decoder(_Probe)


def _probe(body: bytes) -> _Probe | None:
    if body.lstrip()[:1] != b"{":
        return None
    try:
        return _PROBE.decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None


def error_messages(errors: _Errors | str | None) -> list[str]:
    """Tradier's `errors.error`, a string or a list, as a list."""
    if errors is None:
        return []
    if isinstance(errors, str):
        return [] if errors == "null" else [errors]
    return as_str_list(errors.error)


def rate_limit_reset_ms(headers: Mapping[str, str], body: bytes) -> int | None:
    """The window reset from `X-Ratelimit-Expiry` (epoch ms), else from a Quota Violation body."""
    raw = headers.get("x-ratelimit-expiry") or headers.get("X-Ratelimit-Expiry")
    if raw and raw.strip().isdigit():
        return int(raw.strip())
    match = _QUOTA_MS.search(body[:512])
    return int(match.group(1)) if match else None


def _text(body: bytes) -> str:
    return body[:300].decode("utf-8", "replace").strip() or "(empty body)"


def _is_html(body: bytes) -> bool:
    head = body.lstrip()[:15].lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<"))


def _unsure(kind: Kind, message: str, status: int) -> TradierError:
    if kind is Kind.SEND:
        return TradierOutcomeUnknown(message, status=status)
    return TradierRetryable(message, status=status)


def _refused(kind: Kind, message: str, status: int, errors: list[str]) -> TradierError:
    if kind in (Kind.SEND, Kind.PREVIEW, Kind.CANCEL):
        return TradierOrderRejected(message, status=status, errors=errors)
    if kind is Kind.SESSION and status in (401, 403):
        return StreamAuthError(message, status=status)
    return TradierFatal(message, status=status, errors=errors)


def raise_for_reply(reply: Reply, kind: Kind) -> None:
    """Raise the `TradierError` a reply stands for; return when it is a usable success."""
    status, body = reply.status, reply.body
    if status == 429 or body.lstrip().startswith(b"Quota Violation"):
        raise TradierRateLimited(rate_limit_reset_ms(reply.headers, body), status=status)
    if kind is Kind.SESSION and status in (401, 403):
        raise StreamAuthError(f"HTTP {status}: {_text(body)}", status=status)
    probe = _probe(body)
    if probe is not None and probe.fault is not None:
        fault = probe.fault.faultstring or "fault"
        if "invalid access token" in fault.lower() or status in (401, 403):
            raise _refused(Kind.READ, f"HTTP {status}: {fault}", status, [fault])
        raise _unsure(kind, f"HTTP {status}: Tradier fault: {fault}", status)
    if status >= 500 or (body and _is_html(body)):
        raise _unsure(kind, f"HTTP {status}: {_text(body)}", status)
    messages = error_messages(probe.errors) if probe is not None else []
    if messages:  # a 400, or a 200 that carries a downstream rejection
        raise _refused(kind, f"HTTP {status}: {'; '.join(messages)}", status, messages)
    if status == 401 or status == 403:
        raise TradierFatal(f"HTTP {status} (bad token?): {_text(body)}", status=status)
    if status >= 400:
        text = _text(body)
        raise _refused(kind, f"HTTP {status}: {text}", status, [text])
    if not 200 <= status < 300:
        raise _unsure(kind, f"unexpected HTTP {status}", status)


def cancel_verdict(reply: Reply, order_id: int) -> models.CancelResult | None:
    """A cancel of a finalized order is an answer (which final state), not a fault."""
    if reply.status == 400:
        match = _FINALIZED.search(reply.body)
        if match:
            state = match.group(1).decode()
            return models.CancelResult(id=order_id, outcome="already_final", final_state=state)
    unknown_order(reply)
    return None


def unknown_order(reply: Reply) -> None:
    """Tradier answers an unknown order id (or another account's) with 401."""
    if reply.status == 401 and b"Unauthorized Account" in reply.body:
        raise TradierOrderNotFound(f"HTTP 401: {_text(reply.body)}", status=401)
