"""Unguessable ids, drawn from an injected source of randomness (tests pass a seeded one)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable

RandomBytes = Callable[[int], bytes]
ID_BYTES = 24  # 192 bits, 32 url-safe characters


def new_id(random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A fresh session or recommendation id (url-safe, no padding)."""
    return base64.urlsafe_b64encode(random_bytes(ID_BYTES)).decode("ascii")


def message_key(at_ms: int, random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A message's sort key: time-ordered, and unique when two turns land in the same ms."""
    return f"{at_ms:013d}#{random_bytes(6).hex()}"
