"""The API's request bodies, parsed and checked before anything is stored or called.

Every rule names its field: a missing or oversized prompt, a watchlist that is not a list
of 1–10 tickers, a malformed session id; the prompt's token limit is the budget's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from brain.conversations.budget import BudgetConfig, check_user_message
from brain.conversations.errors import BadRequest
from brain.conversations.records import GenerateRequest, valid_id
from brain.conversations.tokens import Estimate

SYMBOL = re.compile(r"^[A-Z][A-Z0-9.]{0,9}$")  # the gate's ticker rule
MAX_WATCHLIST = 10
MAX_BODY_BYTES = 64 * 1024


def _object(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest("body", f"is over {MAX_BODY_BYTES} bytes", "too_large")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest("body", f"is not JSON ({exc})", "invalid_json") from exc
    if not isinstance(body, dict):
        raise BadRequest("body", "must be a JSON object", "invalid_json")
    return body


def check_session_id(value: object, field: str = "session_id") -> str:
    """A well-formed id (32 url-safe characters), or 400 naming `field`."""
    if not isinstance(value, str) or not valid_id(value):
        raise BadRequest(field, "must be 32 characters of [A-Za-z0-9_-]", "invalid")
    return value


def parse_generate(raw: bytes, budget: BudgetConfig, estimate: Estimate) -> GenerateRequest:
    """The request, or `BadRequest` naming the field and the rule."""
    body = _object(raw)
    unknown = sorted(set(body) - {"prompt", "watchlist", "session_id"})
    if unknown:
        raise BadRequest(unknown[0], "is not a field of this request", "unknown_field")
    prompt = body.get("prompt")
    if prompt is None:
        raise BadRequest("prompt", "is required", "missing")
    if not isinstance(prompt, str):
        raise BadRequest("prompt", "must be a string", "invalid")
    check_user_message(prompt, budget, estimate)
    watchlist = body.get("watchlist", [])
    if not isinstance(watchlist, list) or len(watchlist) > MAX_WATCHLIST:
        raise BadRequest("watchlist", f"must be a list of at most {MAX_WATCHLIST} tickers")
    for i, symbol in enumerate(watchlist):
        if not isinstance(symbol, str) or not SYMBOL.match(symbol):
            raise BadRequest(
                f"watchlist[{i}]", "must be an upper-case ticker like SPY (A-Z, 0-9, '.')"
            )
    session_id = body.get("session_id")
    if session_id is not None:
        session_id = check_session_id(session_id)
    return GenerateRequest(prompt, tuple(dict.fromkeys(watchlist)), session_id)


def parse_confirm(raw: bytes) -> bool:
    """`{"confirmed": true|false}`: anything but a JSON boolean is refused."""
    body = _object(raw)
    confirmed = body.get("confirmed")
    if not isinstance(confirmed, bool):
        raise BadRequest("confirmed", "must be true or false", "invalid")
    return confirmed
