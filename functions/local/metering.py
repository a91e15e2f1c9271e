"""Counting and timing wrappers around the gate's two network clients.

`CountingClient` is a proxy for a boto3 client: every API call goes through to the real
client (moto, DynamoDB Local or AWS) and is counted and timed on the way. `TimingTransport`
does the same for the httpx transport under the Tradier client. Tests use the counts to
prove that a refused request made no call; the benchmark subtracts the time spent inside
the calls to get the handler's own time.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

# Client attributes that are not DynamoDB API calls.
_NOT_CALLS = frozenset(
    {"meta", "exceptions", "get_waiter", "get_paginator", "can_paginate", "close", "waiter_names"}
)
WRITE_CALLS = frozenset(
    {
        "put_item",
        "update_item",
        "delete_item",
        "transact_write_items",
        "batch_write_item",
        "execute_statement",
        "batch_execute_statement",
        "execute_transaction",
    }
)


class _Meter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.actions: set[str] = set()
        self.seconds = 0.0

    def record(self, name: str, seconds: float, actions: Iterable[str] = ()) -> None:
        with self._lock:
            self.calls[name] += 1
            self.actions.update(actions)
            self.seconds += seconds

    def total(self) -> int:
        with self._lock:
            return sum(self.calls.values())

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.actions.clear()
            self.seconds = 0.0


class _Metered:
    """The counters both wrappers expose over their `_Meter`."""

    _meter: _Meter

    @property
    def calls(self) -> Counter[str]:
        """Calls by name: the DynamoDB operation (`put_item`, ...) or `METHOD /path`."""
        return self._meter.calls

    @property
    def seconds(self) -> float:
        """Wall time spent inside calls (a response's body included), all threads together."""
        return self._meter.seconds

    @property
    def total(self) -> int:
        """Number of calls."""
        return self._meter.total()

    def reset(self) -> None:
        """Start counting from zero."""
        self._meter.reset()


class CountingClient(_Metered):
    """A boto3 client that counts and times every API call it passes through."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._meter = _Meter()

    @property
    def iam_actions(self) -> set[str]:
        """The IAM actions the calls needed (a transaction needs one per item kind)."""
        return set(self._meter.actions)

    @property
    def writes(self) -> int:
        """Number of calls that can write."""
        return sum(n for name, n in self._meter.calls.items() if name in WRITE_CALLS)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name.startswith("_") or name in _NOT_CALLS or not callable(attr):
            return attr
        return _timed(attr, name, self._meter)


def iam_actions(name: str, kwargs: Mapping[str, Any]) -> list[str]:
    """The IAM actions a DynamoDB API call is authorised by (`put_item` -> PutItem; a
    transaction by the actions of its items: there is no TransactWriteItems action)."""
    if name in ("transact_write_items", "transact_get_items"):
        kinds = {kind for item in kwargs.get("TransactItems", []) for kind in item}
        return sorted(f"dynamodb:{kind}Item" for kind in kinds)
    return ["dynamodb:" + "".join(part.title() for part in name.split("_"))]


def _timed(fn: Callable[..., Any], name: str, meter: _Meter) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            meter.record(name, time.perf_counter() - started, iam_actions(name, kwargs))

    return call


class TimingTransport(_Metered, httpx.BaseTransport):
    """An httpx transport that counts and times the requests of the wrapped transport."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self._meter = _Meter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the inner transport, reading the body inside the timed span."""
        started = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
            try:
                # Raw (still encoded) bytes: the client decodes them once, as usual.
                raw = b"".join(response.stream)  # type: ignore[arg-type]
            finally:
                response.close()
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=httpx.ByteStream(raw),
                extensions=response.extensions,
                request=request,
            )
        finally:
            self._meter.record(
                f"{request.method} {request.url.path}", time.perf_counter() - started
            )

    def close(self) -> None:
        """Close the inner transport."""
        self._inner.close()
