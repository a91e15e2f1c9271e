"""Request signing for the gate's HTTP API: one implementation for the brain and the gate.

Signature v2::

    X-Edgegate-Timestamp: <epoch ms>
    X-Edgegate-Nonce:     <16-64 of [A-Za-z0-9_-]>
    X-Edgegate-Signature: v2=<hex HMAC-SHA256(secret,
        "<timestamp>\\n<nonce>\\n<METHOD>\\n<path>\\n<query>\\n" + raw body)>

`<query>` is the raw query string (empty when there is none). The raw body bytes are
signed, so nothing is ever re-serialised to check a signature; the method, path and query
are bound, so a signature made for one route does not verify on another; the nonce lets the
gate accept a request once (the gate remembers it, `gatekeeper.nonces`; this module only
checks its form). `v1` (timestamp and body only) is retired and refused.

During a secret rotation the signer may send several comma-separated `v2=` values (one per
secret) and the verifier may hold several secrets; one match is enough.
Stdlib only, so that importing it costs nothing on a Lambda cold start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

TIMESTAMP_HEADER: Final = "X-Edgegate-Timestamp"
NONCE_HEADER: Final = "X-Edgegate-Nonce"
SIGNATURE_HEADER: Final = "X-Edgegate-Signature"
VERSION: Final = "v2"
RETIRED_VERSIONS: Final = frozenset({"v1"})
DEFAULT_TOLERANCE_MS: Final = 30_000
# HMAC-SHA256's own block of strength: a shorter secret is guessable offline from any
# captured request, and the gate's promise rests on nobody else being able to sign.
MIN_SECRET_BYTES: Final = 32
NONCE_PATTERN: Final = "^[A-Za-z0-9_-]{16,64}$"
# Epoch ms has 13 digits until the year 2286; 16 leaves room and bounds int() on junk.
_TIMESTAMP = re.compile(r"[0-9]{1,16}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_METHOD = re.compile(r"[A-Z]{1,16}")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_MAX_SIGNATURES = 8
_NONCE_BYTES = 24  # 192 random bits: 32 URL-safe characters

RandomBytes = Callable[[int], bytes]


class SignatureFailureReason(StrEnum):
    """Why a signature was refused."""

    MISSING_TIMESTAMP = "missing_timestamp"
    MISSING_NONCE = "missing_nonce"
    MISSING_SIGNATURE = "missing_signature"
    MALFORMED_TIMESTAMP = "malformed_timestamp"
    MALFORMED_NONCE = "malformed_nonce"
    MALFORMED_SIGNATURE = "malformed_signature"
    MALFORMED_TARGET = "malformed_target"
    STALE_TIMESTAMP = "stale_timestamp"
    FUTURE_TIMESTAMP = "future_timestamp"
    RETIRED_VERSION = "retired_version"
    UNKNOWN_VERSION = "unknown_version"
    MISMATCH = "mismatch"


@dataclass(frozen=True, slots=True)
class SignatureFailure:
    """A refused signature: the reason and a message safe to return to the caller."""

    reason: SignatureFailureReason
    message: str


@dataclass(frozen=True, slots=True)
class Target:
    """What a signature binds besides the body: the method, the path and the raw query."""

    method: str
    path: str
    query: str = ""


@dataclass(frozen=True, slots=True)
class Verified:
    """An accepted signature: the signed timestamp and the nonce to accept only once."""

    timestamp_ms: int
    nonce: str


def secret_problem(secret: bytes) -> str | None:
    """Why `secret` cannot be a signing or admin secret, or None when it can."""
    if len(secret) < MIN_SECRET_BYTES:
        return f"must be at least {MIN_SECRET_BYTES} bytes, got {len(secret)}"
    return None


def new_nonce(random_bytes: RandomBytes = os.urandom) -> str:
    """A fresh nonce: 24 random bytes as 32 URL-safe base64 characters."""
    return base64.urlsafe_b64encode(random_bytes(_NONCE_BYTES)).decode("ascii").rstrip("=")


def _target_problem(target: Target) -> str | None:
    if not _METHOD.fullmatch(target.method.upper()):
        return "method must be letters only"
    # A line break in the path or query would let one signed string read as another.
    if any(c in target.path or c in target.query for c in "\r\n") or not target.path:
        return "path must be non-empty and path and query must not contain line breaks"
    return None


def canonical(timestamp: str, nonce: str, target: Target, body: bytes) -> bytes:
    """The exact bytes a v2 signature covers."""
    head = f"{timestamp}\n{nonce}\n{target.method.upper()}\n{target.path}\n{target.query}\n"
    return head.encode("utf-8") + body


def _digest(secret: bytes, timestamp: str, nonce: str, target: Target, body: bytes) -> str:
    return hmac.new(secret, canonical(timestamp, nonce, target, body), hashlib.sha256).hexdigest()


def _secrets(secret: bytes | Sequence[bytes]) -> list[bytes]:
    found = [secret] if isinstance(secret, bytes | bytearray) else list(secret)
    if not found or any(not s for s in found):
        raise ValueError("secret: must not be empty")
    return [bytes(s) for s in found]


def sign(
    secret: bytes | Sequence[bytes], timestamp_ms: int, nonce: str, target: Target, body: bytes
) -> str:
    """The signature header value `v2=<hex>` (one value per secret, comma-separated)."""
    secrets = _secrets(secret)
    if timestamp_ms < 0:
        raise ValueError("timestamp_ms: must be >= 0")
    if not _NONCE.fullmatch(nonce):
        raise ValueError("nonce: must be 16-64 of [A-Za-z0-9_-]")
    problem = _target_problem(target)
    if problem is not None:
        raise ValueError(f"target: {problem}")
    stamp = str(timestamp_ms)
    return ",".join(f"{VERSION}={_digest(s, stamp, nonce, target, body)}" for s in secrets)


def signed_headers(
    secret: bytes | Sequence[bytes],
    target: Target,
    body: bytes,
    now_ms: int,
    nonce: str | None = None,
) -> dict[str, str]:
    """The three headers that authenticate `body` sent to `target` at `now_ms`
    (a fresh random nonce unless one is given)."""
    used = new_nonce() if nonce is None else nonce
    return {
        TIMESTAMP_HEADER: str(now_ms),
        NONCE_HEADER: used,
        SIGNATURE_HEADER: sign(secret, now_ms, used, target, body),
    }


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


def _candidates(signature: str) -> list[str] | SignatureFailure:
    """The well-formed v2 values of a signature header, or why there are none."""
    parts = [part.strip() for part in signature.split(",")]
    if len(parts) > _MAX_SIGNATURES:
        return SignatureFailure(
            SignatureFailureReason.MALFORMED_SIGNATURE,
            f"{SIGNATURE_HEADER} carries more than {_MAX_SIGNATURES} values",
        )
    candidates: list[str] = []
    versions: set[str] = set()
    for part in parts:
        version, sep, value = part.partition("=")
        if not sep or not version:
            return SignatureFailure(
                SignatureFailureReason.MALFORMED_SIGNATURE,
                f"{SIGNATURE_HEADER} must be comma-separated <version>=<hex> values",
            )
        if version != VERSION:
            versions.add(version)
            continue
        if not _HEX_DIGEST.fullmatch(value):
            return SignatureFailure(
                SignatureFailureReason.MALFORMED_SIGNATURE,
                f"{SIGNATURE_HEADER} {VERSION} value must be 64 lower-case hex digits",
            )
        candidates.append(value)
    if candidates:
        return candidates
    if versions & RETIRED_VERSIONS:
        return SignatureFailure(
            SignatureFailureReason.RETIRED_VERSION,
            f"{SIGNATURE_HEADER}: {', '.join(sorted(versions & RETIRED_VERSIONS))} is retired; "
            f"sign with {VERSION} (timestamp, nonce, method, path, query and body)",
        )
    reason = (
        SignatureFailureReason.UNKNOWN_VERSION
        if versions
        else SignatureFailureReason.MALFORMED_SIGNATURE
    )
    return SignatureFailure(reason, f"{SIGNATURE_HEADER} has no {VERSION}= value")


def _fresh(timestamp: str, now_ms: int, tolerance_ms: int) -> SignatureFailure | None:
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
    return None


def verify(
    secret: bytes | Sequence[bytes],
    headers: Mapping[str, str],
    target: Target,
    body: bytes,
    now_ms: int,
    tolerance_ms: int = DEFAULT_TOLERANCE_MS,
) -> Verified | SignatureFailure:
    """`Verified` when `body` sent to `target` is signed by `secret` (or any of several
    secrets) within `tolerance_ms` of `now_ms`; otherwise the reason it is refused.
    Whether the nonce was seen before is the caller's to check."""
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
    stale = _fresh(timestamp, now_ms, tolerance_ms)
    if stale is not None:
        return stale
    candidates = _candidates(signature)
    if isinstance(candidates, SignatureFailure):
        return candidates
    nonce = _header(headers, NONCE_HEADER)
    if nonce is None:
        return SignatureFailure(
            SignatureFailureReason.MISSING_NONCE, f"{NONCE_HEADER} header is missing"
        )
    if not _NONCE.fullmatch(nonce):
        return SignatureFailure(
            SignatureFailureReason.MALFORMED_NONCE,
            f"{NONCE_HEADER} must be 16-64 characters of A-Z, a-z, 0-9, '_' and '-'",
        )
    problem = _target_problem(target)
    if problem is not None:
        return SignatureFailure(SignatureFailureReason.MALFORMED_TARGET, problem)
    matched = False
    # Every pair is compared (no early exit) so timing does not reveal which one matched.
    for key in secrets:
        expected = _digest(key, timestamp, nonce, target, body).encode("ascii")
        for candidate in candidates:
            matched |= hmac.compare_digest(expected, candidate.encode("ascii"))
    if not matched:
        return SignatureFailure(SignatureFailureReason.MISMATCH, "signature does not match")
    return Verified(int(timestamp), nonce)
