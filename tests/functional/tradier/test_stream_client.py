"""MarketStream against the simulator's WebSocket on loopback: sessions, drops, expiry,
resubscription, the watchdog and the sandbox-token refusal."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterator

import pytest

from tests.functional.tradier.conftest import SANDBOX_TOKEN, TOKEN, sim_config
from tradier.errors import StreamAuthError
from tradier.rest import Backoff
from tradier.sim.server import RunningSim, run_in_thread
from tradier.stream import StreamEvent
from tradier.stream_client import MarketStream

WAIT_S = 8.0


@pytest.fixture(scope="module")
def fast_sim() -> Iterator[RunningSim]:
    # Simulated time runs 30x so ticks arrive often; the market is open throughout.
    with run_in_thread(sim_config(speed=30.0)) as running:
        yield running


class Sleeps:
    """Injected async sleep: records the backoff and yields without waiting."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0.01)


def make_stream(sim: RunningSim, symbols: list[str], **kw: object) -> MarketStream:
    args: dict = {
        "backoff": Backoff(initial_s=0.05, max_s=0.4),
        "watchdog_s": 5.0,
        "rng": random.Random(7),
        "sleep": Sleeps(),
    }
    args.update(kw)
    return MarketStream(sim.api_url, sim.ws_url, args.pop("token", TOKEN), symbols, **args)


async def next_matching(
    stream: MarketStream, predicate: Callable[[StreamEvent], bool], within_s: float = WAIT_S
) -> StreamEvent:
    async with asyncio.timeout(within_s):
        async for event in stream:
            if predicate(event):
                return event
    raise AssertionError("stream ended")


async def until(condition: Callable[[], bool]) -> None:
    """Wait until a counter the stream task updates reaches a state."""
    async with asyncio.timeout(WAIT_S):
        while not condition():  # noqa: ASYNC110 - the counters have no event to await
            await asyncio.sleep(0.01)


async def test_stream_when_subscribed_then_typed_events_for_those_symbols_only(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(fast_sim, ["SPY", "QQQ"])
    seen: set[tuple[str, str]] = set()
    async with asyncio.timeout(WAIT_S):
        async for event in stream:
            seen.add((type(event).__name__, event.symbol))
            if {s for _, s in seen} == {"SPY", "QQQ"} and stream.events >= 20:
                break
    await stream.close()
    assert {s for _, s in seen} == {"SPY", "QQQ"}
    assert "QuoteEvent" in {t for t, _ in seen}
    assert (stream.connects, stream.sessions, stream.reconnects) == (1, 1, 0)
    assert stream.frames >= stream.events >= 20


async def test_stream_when_filter_given_then_only_those_types(fast_sim: RunningSim) -> None:
    stream = make_stream(fast_sim, ["SPY"], filter=["quote"])
    kinds = set()
    async with asyncio.timeout(WAIT_S):
        async for event in stream:
            kinds.add(type(event).__name__)
            if stream.events >= 10:
                break
    await stream.close()
    assert kinds == {"QuoteEvent"}


async def test_stream_when_server_drops_then_reconnects_with_a_new_session(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(fast_sim, ["SPY"])
    await next_matching(stream, lambda e: True)
    await asyncio.to_thread(fast_sim.controls.drop_streams)
    await next_matching(stream, lambda e: stream.connects == 2)
    await stream.close()
    assert stream.reconnects == 1 and stream.sessions == 2
    assert stream.last_error is not None and "closed" in stream.last_error


async def test_stream_when_session_expired_and_resubscribed_then_error_frame_and_reconnect(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(fast_sim, ["SPY"])
    await next_matching(stream, lambda e: True)
    await asyncio.to_thread(fast_sim.controls.expire_sessions)
    await stream.set_symbols(["QQQ"])  # the old session id is now unknown to the server
    event = await next_matching(stream, lambda e: e.symbol == "QQQ")
    await stream.close()
    assert event.symbol == "QQQ"
    assert stream.errors == 1
    assert stream.last_error is not None and "session not found" in stream.last_error
    assert stream.connects == 2 and stream.sessions == 2


async def test_stream_when_symbols_change_then_resubscribed_on_the_same_socket(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(fast_sim, ["SPY"])
    await next_matching(stream, lambda e: e.symbol == "SPY")
    await stream.set_symbols(["IWM"])
    await next_matching(stream, lambda e: e.symbol == "IWM")
    # after the switch settles, only IWM arrives
    tail = [await next_matching(stream, lambda e: True) for _ in range(10)]
    await stream.close()
    assert tail[-1].symbol == "IWM"
    assert stream.connects == 1 and stream.sessions == 1


async def test_stream_when_sandbox_token_then_stream_auth_error_and_no_retry(
    fast_sim: RunningSim,
) -> None:
    sleeps = Sleeps()
    stream = make_stream(fast_sim, ["SPY"], token=SANDBOX_TOKEN, sleep=sleeps)
    with pytest.raises(StreamAuthError, match="sandbox tokens cannot stream"):
        await next_matching(stream, lambda e: True)
    assert stream.connects == 0 and sleeps.slept == []
    await stream.close()


async def test_stream_when_invalid_symbol_then_error_frame_counted(fast_sim: RunningSim) -> None:
    stream = make_stream(fast_sim, ["ZZZZ9"], watchdog_s=0.5, is_market_hours=lambda: False)
    iterator = aiter(stream)
    task = asyncio.ensure_future(anext(iterator))
    await until(lambda: stream.errors > 0)
    task.cancel()
    await stream.close()
    assert stream.last_error == "ZZZZ9 is not a valid symbol"
    assert stream.reconnects == 0


async def test_stream_when_silent_during_market_hours_then_watchdog_reconnects(
    fast_sim: RunningSim,
) -> None:
    # No tradex ticks during the regular session: the subscription stays silent.
    stream = make_stream(fast_sim, ["SPY"], filter=["tradex"], watchdog_s=0.2)
    task = asyncio.ensure_future(anext(aiter(stream)))
    await until(lambda: stream.connects >= 2)
    task.cancel()
    await stream.close()
    assert stream.watchdog_trips >= 1 and stream.sessions >= 2


async def test_stream_when_silent_outside_market_hours_then_stays_connected(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(
        fast_sim, ["SPY"], filter=["tradex"], watchdog_s=0.1, is_market_hours=lambda: False
    )
    task = asyncio.ensure_future(anext(aiter(stream)))
    await asyncio.sleep(0.6)
    task.cancel()
    await stream.close()
    assert stream.connects == 1 and stream.watchdog_trips == 0


async def test_stream_when_server_unreachable_then_backoff_grows_then_resets() -> None:
    sleeps = Sleeps()
    with run_in_thread(sim_config(speed=30.0)) as sim:
        dead_ws = sim.ws_url.replace(str(sim.server.port), "1")  # nothing listens on port 1
        stream = MarketStream(
            sim.api_url,
            dead_ws,
            TOKEN,
            ["SPY"],
            backoff=Backoff(initial_s=0.1, max_s=0.4, jitter=0.0),
            sleep=sleeps,
        )
        task = asyncio.ensure_future(anext(aiter(stream)))
        await until(lambda: len(sleeps.slept) >= 4)
        stream.ws_url = sim.ws_url  # the server comes back
        await task
        failures = len(sleeps.slept)
        await asyncio.to_thread(sim.controls.drop_streams)
        await next_matching(stream, lambda e: stream.connects == 2)
        await stream.close()
    assert sleeps.slept[:4] == [0.1, 0.2, 0.4, 0.4]
    assert sleeps.slept[failures] == 0.1  # a healthy connection reset the backoff


async def test_stream_when_closed_then_iteration_ends(fast_sim: RunningSim) -> None:
    stream = make_stream(fast_sim, ["SPY"])
    await next_matching(stream, lambda e: True)
    await stream.close()
    remaining = [e async for e in stream]
    assert len(remaining) <= 1


async def test_stream_when_session_creation_fails_repeatedly_then_backs_off_and_connects(
    fast_sim: RunningSim,
) -> None:
    sleeps = Sleeps()
    await asyncio.to_thread(fast_sim.controls.fault, "5xx", 5, "/v1/markets/events/session")
    stream = make_stream(fast_sim, ["SPY"], sleep=sleeps)
    await next_matching(stream, lambda e: True)
    await stream.close()
    # 4 failed attempts inside the REST client (3 waits), one stream backoff, then the
    # fifth fault and a retry that succeeds (1 wait)
    assert stream.connects == 1 and stream.sessions == 1 and stream.reconnects == 1
    assert len(sleeps.slept) == 3 + 1 + 1
    assert stream.last_error is not None and "500" in stream.last_error


async def test_stream_when_linebreak_requested_then_newline_payloads_decode(
    fast_sim: RunningSim,
) -> None:
    stream = make_stream(fast_sim, ["SPY", "QQQ"], linebreak=True)
    async with asyncio.timeout(WAIT_S):
        async for _ in stream:
            if stream.events >= 10:
                break
    await stream.close()
    assert stream.errors == 0 and stream.events >= 10
