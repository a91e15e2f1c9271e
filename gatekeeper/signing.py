"""Request signing for the gate's HTTP API: one implementation for the brain and the gate.

`X-Edgegate-Timestamp: <epoch ms>` and
`X-Edgegate-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>`.
The raw body bytes are signed, so nothing is ever re-serialised to check a signature.
During a secret rotation the signer may send several comma-separated `v1=` values (one per
secret) and the verifier may hold several secrets; one match is enough.
Stdlib only, so that importing it costs nothing on a Lambda cold start.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

TIMESTAMP_HEADER: Final = "X-Edgegate-Timestamp"
SIGNATURE_HEADER: Final = "X-Edgegate-Signature"
VERSION: Final = "v1"
DEFAULT_TOLERANCE_MS: Final = 30_000
# Epoch ms has 13 digits until the year 2286; 16 leaves room and bounds int() on junk.
_TIMESTAMP = re.compile(r"[0-9]{1,16}")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_MAX_SIGNATURES = 8


class SignatureFailureReason(StrEnum):
    """Why a signature was refused."""

    MISSING_TIMESTAMP = "missing_timestamp"
    MISSING_SIGNATURE = "missing_signature"
    MALFORMED_TIMESTAMP = "malformed_timestamp"
    MALFORMED_SIGNATURE = "malformed_signature"
    STALE_TIMESTAMP = "stale_timestamp"
    FUTURE_TIMESTAMP = "future_timestamp"
    UNKNOWN_VERSION = "unknown_version"
    MISMATCH = "mismatch"


@dataclass(frozen=True, slots=True)
class SignatureFailure:
    """A refused signature: the reason and a message safe to return to the caller."""

    reason: SignatureFailureReason
    message: str


def _digest(secret: bytes, timestamp: str, body: bytes) -> str:
    return hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, timestamp_ms: int, body: bytes) -> str:
    """The signature header value `v1=<hex>` for `body` sent at `timestamp_ms`."""
    if not secret:
        raise ValueError("secret: must not be empty")
    if timestamp_ms < 0:
        raise ValueError("timestamp_ms: must be >= 0")
    return f"{VERSION}={_digest(secret, str(timestamp_ms), body)}"


def signed_headers(secret: bytes, body: bytes, now_ms: int) -> dict[str, str]:
    """The two headers that authenticate `body` at `now_ms`."""
    return {TIMESTAMP_HEADER: str(now_ms), SIGNATURE_HEADER: sign(secret, now_ms, body)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # HTTP header names are case-insensitive; API Gateway v2 lower-cases them.
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def _secrets(secret: bytes | Sequence[bytes]) -> list[bytes]:
    found = [secret] if isinstance(secret, bytes | bytearray) else list(secret)
    if not found or any(not s for s in found):
        raise ValueError("secret: must not be empty")
    return [bytes(s) for s in found]


def verify(
    secret: bytes | Sequence[bytes],
    headers: Mapping[str, str],
    body: bytes,
    now_ms: int,
    tolerance_ms: int = DEFAULT_TOLERANCE_MS,
) -> SignatureFailure | None:
    """None when `body` is signed by `secret` (or any of several secrets) within
    `tolerance_ms` of `now_ms`; otherwise the reason it is refused."""
    secrets = _secrets(secret)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    if timestamp is None:
        return SignatureFailure(
            SignatureFailureReason.MISSING_TIMESTAMP, f"{TIMESTAMP_HEADER} header is missing"
        )
    signature = _header(headers, SIGNATURE_HEADER)
    if signature is None:
        return SignatureFailure(
            SignatureFailureReason.MISSING_SIGNATURE, f"{SIGNATURE_HEADER} header is missing"
        )
    if not _TIMESTAMP.fullmatch(timestamp):
        return SignatureFailure(
            SignatureFailureReason.MALFORMED_TIMESTAMP,
            f"{TIMESTAMP_HEADER} must be epoch milliseconds (digits only)",
        )
    skew = int(timestamp) - now_ms
    if skew < -tolerance_ms:
        return SignatureFailure(
            SignatureFailureReason.STALE_TIMESTAMP,
            f"{TIMESTAMP_HEADER} is more than {tolerance_ms} ms in the past",
        )
    if skew > tolerance_ms:
        return SignatureFailure(
            SignatureFailureReason.FUTURE_TIMESTAMP,
            f"{TIMESTAMP_HEADER} is more than {tolerance_ms} ms in the future",
        )
    candidates: list[str] = []
    other_versions = False
    parts = [part.strip() for part in signature.split(",")]
    if len(parts) > _MAX_SIGNATURES:
        return SignatureFailure(
            SignatureFailureReason.MALFORMED_SIGNATURE,
            f"{SIGNATURE_HEADER} carries more than {_MAX_SIGNATURES} values",
        )
    for part in parts:
        version, sep, value = part.partition("=")
        if not sep or not version:
            return SignatureFailure(
                SignatureFailureReason.MALFORMED_SIGNATURE,
                f"{SIGNATURE_HEADER} must be comma-separated <version>=<hex> values",
            )
        if version != VERSION:
            other_versions = True
            continue
        if not _HEX_DIGEST.fullmatch(value):
            return SignatureFailure(
                SignatureFailureReason.MALFORMED_SIGNATURE,
                f"{SIGNATURE_HEADER} {VERSION} value must be 64 lower-case hex digits",
            )
        candidates.append(value)
    if not candidates:
        reason = (
            SignatureFailureReason.UNKNOWN_VERSION
            if other_versions
            else SignatureFailureReason.MALFORMED_SIGNATURE
        )
        return SignatureFailure(reason, f"{SIGNATURE_HEADER} has no {VERSION}= value")
    matched = False
    # Every pair is compared (no early exit) so timing does not reveal which one matched.
    for key in secrets:
        expected = _digest(key, timestamp, body).encode("ascii")
        for candidate in candidates:
            matched |= hmac.compare_digest(expected, candidate.encode("ascii"))
    if not matched:
        return SignatureFailure(SignatureFailureReason.MISMATCH, "signature does not match")
    return None
