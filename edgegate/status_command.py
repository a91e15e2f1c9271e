"""`edgegate status`: one signed v2 `GET /v1/status` to the gate, from the command line.

Reads EDGEGATE_GATE_URL and EDGEGATE_SIGNING_SECRET (as the brain does; >= 32 bytes) and
prints the gate's answer as JSON: trading state, open structures, limits in use, day P&L,
last heartbeat, recent decisions. Exit 0 when the gate answered 200, 1 when it refused
(the error it gave is printed: a 401 means the secret or the clock is wrong), 2 when it
could not be asked (configuration, network).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from gatekeeper.signing import Target, secret_problem, signed_headers

STATUS_PATH = "/v1/status"


class StatusConfigError(Exception):
    """A missing or unusable variable, named."""


def register(parser: argparse.ArgumentParser) -> None:
    """Add the `status` options."""
    parser.description = __doc__.splitlines()[0]
    parser.add_argument("--url", help="the gate's base URL (default: $EDGEGATE_GATE_URL)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait (default: %(default)s)"
    )


def _settings(env: Mapping[str, str], url: str | None) -> tuple[str, bytes]:
    base = (url or env.get("EDGEGATE_GATE_URL", "")).strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StatusConfigError(f"EDGEGATE_GATE_URL: must be an http(s) URL, got {base!r}")
    secret = env.get("EDGEGATE_SIGNING_SECRET", "").encode("utf-8")
    if not secret:
        raise StatusConfigError("EDGEGATE_SIGNING_SECRET: is not set")
    problem = secret_problem(secret)
    if problem is not None:
        raise StatusConfigError(f"EDGEGATE_SIGNING_SECRET: {problem}")
    return base, secret


def fetch_status(
    base_url: str, secret: bytes, now_ms: int, timeout_s: float = 10.0, transport: Any = None
) -> tuple[int, Any]:
    """GET /v1/status signed with `secret` at `now_ms`: (HTTP status, decoded body)."""
    import httpx

    prefix = urlsplit(base_url).path.rstrip("/")  # a gate behind a path prefix signs it too
    headers = signed_headers(secret, Target("GET", prefix + STATUS_PATH), b"", now_ms)
    with httpx.Client(timeout=timeout_s, transport=transport) as client:
        response = client.get(base_url + STATUS_PATH, headers=headers)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {"body": response.text}


def run(args: argparse.Namespace) -> int:
    """Ask the gate for its status and print it."""
    import httpx

    try:
        base, secret = _settings(os.environ, args.url)
    except StatusConfigError as exc:
        print(f"edgegate status: configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        status, body = fetch_status(base, secret, int(time.time() * 1000), args.timeout)
    except httpx.HTTPError as exc:
        print(f"edgegate status: cannot reach the gate at {base}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(body, indent=2, sort_keys=True))
    if status != 200:
        print(f"edgegate status: the gate answered HTTP {status}", file=sys.stderr)
        return 1
    return 0
