"""The feed: market stream events into the pipeline, signals out to the engine's queue.

The stream client (`tradier.stream_client.MarketStream`) owns the socket, the sessions and
the reconnects; the feed only moves events into `Pipeline.on_event` and hands the
signals to a sink. Nothing slow happens on this path (no REST, no chain fetching, no
warm-up): those live in other tasks, so a reconnect is never delayed by them.

If the stream iterator itself dies, the supervisor starts a fresh feed run with a new
stream; the counters here add up over every stream the feed has used.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from brain.market import Signal
from brain.pipeline import Pipeline
from brain.timing import Pace
from tradier.clock import Clock

log = logging.getLogger(__name__)
FLUSH_GRACE_MS = 5_000


class EventStream(Protocol):
    """An async iterator of stream events with connection counters (MarketStream)."""

    connects: int
    reconnects: int

    def __aiter__(self) -> AsyncIterator[Any]:
        """The events."""
        ...

    async def close(self) -> None:
        """Stop streaming."""
        ...


@dataclass(slots=True)
class FeedStats:
    """Counters over every stream the feed has used."""

    events: int = 0
    runs: int = 0
    connects_before: int = 0
    reconnects_before: int = 0
    last_event_ms: int | None = None


class Feed:
    """Runs one stream at a time through the pipeline; supervised."""

    def __init__(
        self,
        pipeline: Pipeline,
        stream_factory: Callable[[], EventStream],
        sink: Callable[[Signal], None],
        clock: Clock,
    ) -> None:
        self.pipeline = pipeline
        self._factory = stream_factory
        self._sink = sink
        self._clock = clock
        self.stream: EventStream | None = None
        self.stats = FeedStats()

    @property
    def connects(self) -> int:
        """Connections opened over every stream."""
        current = self.stream.connects if self.stream is not None else 0
        return self.stats.connects_before + current

    @property
    def reconnects(self) -> int:
        """Reconnections over every stream."""
        current = self.stream.reconnects if self.stream is not None else 0
        return self.stats.reconnects_before + current

    async def run(self) -> None:
        """Stream until cancelled or the stream ends; the supervisor restarts it."""
        self.stats.runs += 1
        stream = self._factory()
        self.stream = stream
        pipeline, sink = self.pipeline, self._sink
        try:
            async for event in stream:
                self.stats.events += 1
                for signal in pipeline.on_event(event):
                    sink(signal)
        finally:
            self.stats.connects_before += stream.connects
            self.stats.reconnects_before += stream.reconnects
            self.stream = None
            with contextlib.suppress(Exception):
                await stream.close()

    def flush(self) -> int:
        """Close bars whose minute ended more than the grace ago; returns signals made.
        The grace lets trades still in flight at the minute's end reach their bar."""
        count = 0
        for signal in self.pipeline.flush(self._clock.now_ms() - FLUSH_GRACE_MS):
            self._sink(signal)
            count += 1
        return count

    async def flush_loop(self, pace: Pace, interval_s: float = 1.0) -> None:
        """Close finished bars every `interval_s` (supervised)."""
        while True:
            await pace.wait("flush", interval_s)
            self.flush()
