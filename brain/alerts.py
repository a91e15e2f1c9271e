"""What the brain tells the operator's webhook: the analyst's notices (its cost cap) and a
burst of rejections, as it sees them in its own engine events.

The gate tells the rest (state changes, halts, fills, the end-of-day report) through the
same kind of webhook (`gatekeeper.webhook`). A burst is `threshold` rejections within
`window_ms`; it is told once, then not again until a window has passed without one, so a
gate refusing everything all day sends one message an hour, not one per proposal.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from brain.engine import EngineEvent
from gatekeeper.contract import DecisionKind


class Poster(Protocol):
    """Anything that queues a message without blocking (`gatekeeper.webhook.WebhookPoster`)."""

    def post(self, subject: str, detail: Mapping[str, str]) -> None:
        """Queue one message."""


@dataclass(frozen=True, slots=True)
class BurstPolicy:
    """How many rejections within how long make a burst worth telling."""

    threshold: int = 5
    window_ms: int = 10 * 60_000


class BrainAlerts:
    """Feed it every engine event; it posts what the operator must know."""

    def __init__(self, poster: Poster, policy: BurstPolicy | None = None) -> None:
        self._poster = poster
        self._policy = policy or BurstPolicy()
        self._rejections: deque[tuple[int, str]] = deque()
        self._told_at: int | None = None

    def __call__(self, event: EngineEvent) -> None:
        """Consider one event."""
        if event.kind == "notice":
            self._poster.post(f"brain notice: {event.detail}", {"from": event.strategy})
            return
        decision = event.decision
        if event.kind != "decision" or decision is None:
            return
        if decision.decision is not DecisionKind.REJECTED:
            return
        self._rejected(event.at_ms, str(decision.reason_code or "UNKNOWN"))

    def _rejected(self, at_ms: int, code: str) -> None:
        window = self._policy.window_ms
        self._rejections.append((at_ms, code))
        while self._rejections and self._rejections[0][0] <= at_ms - window:
            self._rejections.popleft()
        if self._told_at is not None and at_ms - self._told_at < window:
            return
        if len(self._rejections) < self._policy.threshold:
            return
        self._told_at = at_ms
        codes = Counter(code for _, code in self._rejections)
        self._poster.post(
            f"{len(self._rejections)} proposals rejected in {window // 60_000} min",
            {"reasons": ", ".join(f"{c} x{n}" for c, n in codes.most_common())},
        )


def fan_out(*reports: Callable[[EngineEvent], None] | None) -> Callable[[EngineEvent], None]:
    """One report callback that calls each given one in turn."""
    chosen = [r for r in reports if r is not None]

    def report(event: EngineEvent) -> None:
        for each in chosen:
            each(event)

    return report
