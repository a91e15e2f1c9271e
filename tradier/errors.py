"""Faults talking to Tradier, grouped by what the caller must do.

```
TradierError                      root: anything the Tradier client raises
├── TradierRateLimited            quota exceeded; wait until `reset_at_ms`, then retry
├── TradierRetryable              5xx, timeouts, maintenance pages, datastore faults,
│   │                             transport errors: the same request may succeed later
│   └── TradierOutcomeUnknown     an order send whose fate is unknown (timeout, 5xx, lost
│                                 response): look the order up by tag, never resend it
└── TradierFatal                  bad token, validation errors: retrying cannot help
    ├── TradierOrderRejected      an order refused (400, or HTTP 200 carrying `errors`)
    ├── TradierOrderNotFound      an order id Tradier does not know for this account
    └── StreamAuthError           market streaming refused: needs a production token
```

Rejections of a proposal are values elsewhere; these are faults of the broker link. An
order the broker refused is a fault here and becomes a rejection value in the gate.
"""

from __future__ import annotations

STREAM_AUTH_MESSAGE = (
    "market streaming needs a production market-data token (a Tradier brokerage account "
    "token from api.tradier.com; it needs no funded account); sandbox tokens cannot stream"
)


class TradierError(Exception):
    """Root of every fault raised by the Tradier client."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class TradierRateLimited(TradierError):
    """The per-token quota for this window is spent; it resets at `reset_at_ms`."""

    def __init__(self, reset_at_ms: int | None, *, status: int | None = 429) -> None:
        when = "unknown" if reset_at_ms is None else str(reset_at_ms)
        super().__init__(f"rate limited until epoch ms {when}", status=status)
        self.reset_at_ms = reset_at_ms


class TradierRetryable(TradierError):
    """A transient fault: the same request may succeed if sent again later."""


class TradierOutcomeUnknown(TradierRetryable):
    """An order-changing request whose outcome is unknown; find the order by tag."""

    def __init__(self, message: str, *, status: int | None = None, tag: str | None = None):
        super().__init__(message, status=status)
        self.tag = tag


class TradierFatal(TradierError):
    """A fault retrying cannot fix (bad token, invalid request); carries Tradier's errors."""

    def __init__(
        self, message: str, *, status: int | None = None, errors: list[str] | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.errors: list[str] = list(errors) if errors else [message]


class TradierOrderRejected(TradierFatal):
    """Tradier refused an order, a change or a cancel (400, or 200 with `errors`)."""


class TradierOrderNotFound(TradierFatal):
    """No such order id on this account (Tradier answers 401 `Unauthorized Account`)."""


class StreamAuthError(TradierFatal):
    """Market streaming refused for this token: sandbox tokens cannot stream."""

    def __init__(self, detail: str | None = None, *, status: int | None = None) -> None:
        message = STREAM_AUTH_MESSAGE if not detail else f"{STREAM_AUTH_MESSAGE} ({detail})"
        super().__init__(message, status=status, errors=[message])
