import asyncio
import contextlib

from brain.feed import Feed
from brain.market import Signal
from brain.pipeline import Pipeline
from tradier.clock import ManualClock
from tradier.stream import decode_frame

T0 = 1_795_012_200_000


def trade(ms: int, price: float = 500.0) -> bytes:
    return (
        f'{{"type":"trade","symbol":"SPY","exch":"P","price":"{price}","size":"100",'
        f'"cvol":"1","date":"{ms}","last":"{price}"}}'
    ).encode()


class ListStream:
    """A stream that yields a list of events, then fails (like a dead socket)."""

    def __init__(self, frames: list[bytes], fail: bool) -> None:
        self.events = [decode_frame(f) for f in frames]
        self.fail = fail
        self.connects = 1
        self.reconnects = 2
        self.closed = False

    def __aiter__(self):
        return self._run()

    async def _run(self):
        for event in self.events:
            yield event
        if self.fail:
            raise ConnectionError("socket died")

    async def close(self) -> None:
        self.closed = True


class Always:
    name = "always"

    def on_bar(self, state, bar):
        return [Signal(state.symbol, self.name, "long", bar.end_ms)]


async def test_feed_when_stream_events_then_bars_and_signals_to_sink_and_counters_add_up():
    streams = [
        ListStream([trade(T0), trade(T0 + 1_000), trade(T0 + 61_000)], fail=True),
        ListStream([trade(T0 + 121_000)], fail=False),
    ]
    made = iter(streams)
    got: list[Signal] = []
    pipeline = Pipeline(["SPY"], [Always()], ManualClock(T0))
    feed = Feed(pipeline, lambda: next(made), got.append, ManualClock(T0))
    with contextlib.suppress(ConnectionError):
        await feed.run()
    await feed.run()
    assert [s.created_at_ms for s in got] == [T0 + 60_000, T0 + 120_000]
    assert feed.stats.events == 4
    assert feed.connects == 2 and feed.reconnects == 4
    assert all(s.closed for s in streams)


async def test_feed_when_flush_after_grace_then_open_bar_closed():
    clock = ManualClock(T0)
    got: list[Signal] = []
    feed = Feed(
        Pipeline(["SPY"], [Always()], clock),
        lambda: ListStream([trade(T0)], False),
        got.append,
        clock,
    )
    await feed.run()
    clock.set(T0 + 61_000)
    assert feed.flush() == 0  # inside the grace: trades may still be in flight
    clock.set(T0 + 66_000)
    assert feed.flush() == 1
    await asyncio.sleep(0)
    assert len(got) == 1
