"""The API's bearer token: at least 32 bytes, compared in constant time, never logged."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

MIN_TOKEN_BYTES = 32
TOKEN_ENV = "EDGEGATE_API_TOKEN"


class TokenError(ValueError):
    """The configured token is missing or too short: the server must not start."""


def api_token(env: Mapping[str, str]) -> str:
    """The token from `EDGEGATE_API_TOKEN`; raises `TokenError` without a strong one."""
    token = env.get(TOKEN_ENV, "")
    if not token:
        raise TokenError(f"{TOKEN_ENV} is not set: the brain's API does not start without it")
    if len(token.encode("utf-8")) < MIN_TOKEN_BYTES:
        raise TokenError(f"{TOKEN_ENV} must be at least {MIN_TOKEN_BYTES} bytes")
    return token


def check_token(token: str, header: str | None) -> str | None:
    """None when `header` is `Bearer <token>`, else what is wrong (for the 401 message)."""
    if not header:
        return "missing Authorization header (Bearer token)"
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return "Authorization must be 'Bearer <token>'"
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        return "wrong token"
    return None
