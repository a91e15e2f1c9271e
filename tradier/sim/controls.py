"""A small synchronous client for the simulator's /sim/ test controls."""

from __future__ import annotations

from typing import Any

import httpx


class SimControls:
    """Calls the /sim/ endpoints of a running simulator (no Tradier auth needed)."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=10.0, transport=transport)

    def _post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._http.post(path, json=body or {})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def fault(
        self, kind: str, count: int = 1, path_prefix: str = "", delay_s: float | None = None
    ) -> None:
        """Arm `count` faults of `kind` (5xx, timeout, lost_response) for matching paths."""
        body: dict[str, Any] = {"kind": kind, "count": count, "path_prefix": path_prefix}
        if delay_s is not None:
            body["delay_s"] = delay_s
        self._post("/sim/faults", body)

    def drop_streams(self) -> int:
        """Close every WebSocket."""
        return int(self._post("/sim/stream/drop")["dropped"])

    def expire_sessions(self) -> int:
        """Expire every stream session id."""
        return int(self._post("/sim/stream/expire")["expired"])

    def blast(self, count: int) -> int:
        """Send `count` generated quote frames to every subscribed stream connection at once;
        returns the frames delivered."""
        return int(self._post("/sim/stream/blast", {"count": count})["sent"])

    def set_clock(self, now_ms: int | None = None, speed: float | None = None) -> int:
        """Jump the clock and/or change speed; returns the new now (ms)."""
        body: dict[str, Any] = {}
        if now_ms is not None:
            body["now_ms"] = now_ms
        if speed is not None:
            body["speed"] = speed
        return int(self._post("/sim/clock", body)["now_ms"])

    def pin_quote(self, symbol: str, bid: float, ask: float, last: float) -> None:
        """Fix a symbol's book and last price."""
        self._post("/sim/quotes", {"symbol": symbol, "bid": bid, "ask": ask, "last": last})

    def unpin_quote(self, symbol: str) -> None:
        """Release a pinned price."""
        self._post("/sim/quotes", {"symbol": symbol, "unpin": True})

    def orders(self) -> list[dict[str, Any]]:
        """Every order of every day, with tags."""
        response = self._http.get("/sim/orders")
        response.raise_for_status()
        orders: list[dict[str, Any]] = response.json()["orders"]
        return orders

    def state(self) -> dict[str, Any]:
        """Clock, market state and counters."""
        response = self._http.get("/sim/state")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def reset(self) -> None:
        """Forget orders, positions, pins, faults, rate windows and sessions."""
        self._post("/sim/reset")

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._http.close()
