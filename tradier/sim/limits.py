"""Rate limits (fixed 1-minute windows per token and group) and injected faults."""

from __future__ import annotations

from dataclasses import dataclass, field

WINDOW_MS = 60_000
DEFAULT_LIMITS = {"standard": 60, "market": 60, "trade": 60}
FAULT_KINDS = ("5xx", "timeout", "lost_response")


def group_for(method: str, path: str) -> str:
    """Which rate-limit group a /v1 request counts against."""
    if path.startswith(("/v1/markets", "/beta/markets")):
        return "market"
    if "/orders" in path and method in ("POST", "PUT", "DELETE"):
        return "trade"
    return "standard"


@dataclass(frozen=True, slots=True)
class Usage:
    """One request's standing in its window."""

    allowed: int
    used: int
    expiry_ms: int

    @property
    def available(self) -> int:
        """Requests left in the window."""
        return max(0, self.allowed - self.used)

    @property
    def exceeded(self) -> bool:
        """True when this request is over the limit."""
        return self.used > self.allowed

    def headers(self) -> dict[str, str]:
        """The X-Ratelimit-* headers Tradier sends on every rate-limited response."""
        return {
            "X-Ratelimit-Allowed": str(self.allowed),
            "X-Ratelimit-Used": str(min(self.used, self.allowed)),
            "X-Ratelimit-Available": str(self.available),
            "X-Ratelimit-Expiry": str(self.expiry_ms),
        }


@dataclass(slots=True)
class RateLimiter:
    """Fixed windows that open with a token's first request in a group."""

    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    _windows: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def hit(self, token: str, group: str, now_ms: int) -> Usage:
        """Count one request and report the window."""
        allowed = self.limits.get(group, DEFAULT_LIMITS["standard"])
        start, used = self._windows.get((token, group), (now_ms, 0))
        if now_ms >= start + WINDOW_MS:
            start, used = now_ms, 0
        used += 1
        self._windows[(token, group)] = (start, used)
        return Usage(allowed, used, start + WINDOW_MS)

    def reset(self) -> None:
        """Forget every window."""
        self._windows.clear()


@dataclass(slots=True)
class Fault:
    """A fault armed for the next `count` matching requests."""

    kind: str
    count: int
    path_prefix: str = ""
    delay_s: float = 30.0


@dataclass(slots=True)
class FaultPlan:
    """Armed faults, consumed first-armed first."""

    faults: list[Fault] = field(default_factory=list)

    def arm(self, fault: Fault) -> None:
        """Add a fault; raises ValueError naming a bad field."""
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"kind: must be one of {', '.join(FAULT_KINDS)}")
        if fault.count < 1:
            raise ValueError("count: must be >= 1")
        if fault.delay_s < 0:
            raise ValueError("delay_s: must be >= 0")
        if fault.path_prefix and not fault.path_prefix.startswith("/v1"):
            # Accept "/accounts/..." as well as "/v1/accounts/...".
            fault.path_prefix = "/v1" + fault.path_prefix
        self.faults.append(fault)

    def take(self, path: str) -> Fault | None:
        """The fault for this request, if one matches (consuming one of its count)."""
        for fault in self.faults:
            if path.startswith(fault.path_prefix):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Disarm everything."""
        self.faults.clear()
