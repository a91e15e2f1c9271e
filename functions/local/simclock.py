"""A clock that follows the Tradier simulator's clock (for replays in accelerated time).

It asks the simulator for its time and speed (`POST /sim/clock` with an empty body answers
without changing anything) at most once a second, and runs scaled time in between, so
the gate's signature and staleness checks use the simulated "now".
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from tradier.clock import Clock, SystemClock

REFRESH_S = 1.0


class SimFollowingClock:
    """Simulated now, resynchronised with the simulator every `refresh_s` of real time."""

    def __init__(
        self,
        sim_base_url: str,
        *,
        refresh_s: float = REFRESH_S,
        base: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(base_url=sim_base_url, timeout=2.0, transport=transport)
        self._base = base or SystemClock()
        self._refresh_ms = int(refresh_s * 1000)
        self._lock = threading.Lock()
        self._sim_ms, self._speed = self._fetch()
        self._synced_at = self._base.now_ms()

    def _fetch(self) -> tuple[int, float]:
        reply: Any = self._http.post("/sim/clock", json={}).raise_for_status().json()
        return int(reply["now_ms"]), float(reply.get("speed") or 1.0)

    def now_ms(self) -> int:
        """The simulator's now, extrapolated from the last sync."""
        with self._lock:
            real = self._base.now_ms()
            if real - self._synced_at >= self._refresh_ms:
                try:
                    self._sim_ms, self._speed = self._fetch()
                    self._synced_at = real
                except (httpx.HTTPError, KeyError, ValueError, TypeError):
                    pass  # keep extrapolating from the last good sync
            return self._sim_ms + int((real - self._synced_at) * self._speed)

    def close(self) -> None:
        """Close the HTTP connection."""
        self._http.close()


def sim_base_url(trade_base_url: str) -> str:
    """`http://127.0.0.1:8700/v1` -> `http://127.0.0.1:8700` (where /sim/ lives)."""
    url = trade_base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url
