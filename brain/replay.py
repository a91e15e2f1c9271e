"""Replay: the live brain's code path in simulated time, on the simulator or on a file.

`--sim`: an in-process simulator on loopback with a manual clock. The driver moves the
clock in fixed steps; at each step the simulator publishes that step's frames over its
real WebSocket, the driver waits until the feed has consumed them, then lets the
periodic tasks (bar flush, IV/VIX poll, executor, monitor) run one after another in a
fixed order (`LockstepPace`). Chains are fetched and orders placed at the same simulated
instant on every run, and proposal ids come from (seed, sequence), so the same seed gives
the same proposals. The gate is the real one, composed in-process on the same clock
(`gate_factory`, injected by the composition root `edgegate.compose`: the brain itself
imports nothing of the gate but its contract), unless `gate_url` names another or `dry_run`
is set; with none of the three, proposals are built and printed but not sent.

FILE: newline-delimited recorded Tradier frames go through the same pipeline and engine,
with the clock following the frames' own timestamps; chains come from `base_url` when
given, else option strategies are reported as signals only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from brain.analyst import (
    Analyst,
    AnalystConfig,
    ClaudeAnalyst,
    OfflineAnalyst,
    SignalReviewer,
    build_analyst,
    check_analyst,
    load_analyst_config,
)
from brain.analyst.calls import percentile
from brain.bars import Bar
from brain.config import ConfigError
from brain.engine import EngineEvent
from brain.gate_client import GateClient, GateRequestRefused, GateUnavailable
from brain.market import Signal, SymbolState
from brain.proposals import seeded_ids
from brain.runtime import Brain, build_brain, stream_symbols
from brain.supervisor import RestartPolicy, Supervisor
from brain.timing import LockstepPace, Pace, clock_sleep
from brain.watchlist import unknown_message, unknown_symbols
from gatekeeper.contract import Proposal
from tradier.calendar import previous_trading_day, session_bounds_ms, trading_day
from tradier.client import AsyncTradierClient
from tradier.clock import NEW_YORK, Clock, ManualClock, from_datetime, to_new_york
from tradier.rest import Backoff
from tradier.sim.defaults import DEFAULT_ACCOUNT, DEFAULT_TOKEN
from tradier.stream import StreamError, decode_frame, event_time_ms
from tradier.stream_client import MarketStream

if TYPE_CHECKING:  # the simulator is imported only when a replay runs
    from tradier.sim.server import SimServer

log = logging.getLogger(__name__)
SIM_TOKEN = DEFAULT_TOKEN
SIM_ACCOUNT = DEFAULT_ACCOUNT
REPLAY_SECRET = b"replay-signing-secret-not-real-" + b"x" * 8
ORDER = ["flush", "poll", "executor", "monitor", "broker_sync", "heartbeat"]
DEFAULT_SYMBOLS = ("SPY", "QQQ", "IWM", "DIA")
GAP_STEP_MS = 200
BARRIER_S = 30.0
LOSSY_BARRIER_S = 0.25
GateFactory = Callable[[str, Clock, bytes], AbstractContextManager[str]]


class ReplayObserver(Protocol):
    """Watches a simulated replay from the driver's side (the demo's progress and report).

    Both calls run on the replay's event loop between rounds, so what they read of the
    simulator is settled: no request of the brain or the gate is half-served meanwhile.
    """

    def stepped(self, sim: SimServer, now_ms: int) -> None:
        """After each step's round (and once before the first step)."""

    async def finished(self, sim: SimServer) -> None:
        """Once, at the end of the window, while the gate and the simulator still run
        (awaited, so it can wait on the gate's threads while the loop serves the simulator)."""


class BarRecorder:
    """A strategy that never signals: keeps every regular-session bar (for tests)."""

    name = "bar_recorder"

    def __init__(self) -> None:
        self.bars: list[Bar] = []

    def on_bar(self, state: SymbolState, bar: Bar) -> list[Signal]:
        """Record the bar."""
        self.bars.append(bar)
        return []


@dataclass
class ReplayOptions:
    """What to replay and how."""

    seed: int = 1
    day: date | None = None
    minutes: int = 390
    step_s: float = 1.0
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    gate_url: str | None = None
    gate_secret: bytes = REPLAY_SECRET
    dry_run: bool = False
    speed: float | None = None  # wall pacing: sim seconds per real second (None: flat out)
    disruptions_at_ms: tuple[int, ...] = ()  # expire sessions and drop streams at these times
    record_bars: bool = False
    # (simulator API URL, clock, signing secret) -> a context yielding a gate URL
    gate_factory: GateFactory | None = None
    observer: ReplayObserver | None = None
    # Signal review: None (off), "fake" (Claude's client against the local fake Messages
    # API), "offline" (the offline analyst), "env" (as configured by the environment:
    # ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, else offline)
    review: str | None = None
    # After the last step, before teardown (the demo's --keep-running serves the dashboard)
    hold: Callable[[Brain], Awaitable[None]] | None = None


@dataclass
class ReplayResult:
    """What a replay produced."""

    events: list[EngineEvent] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    connects: int = 0
    reconnects: int = 0
    dead_tasks: list[str] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    stalls: int = 0
    heartbeats: int = 0
    wall_s: float = 0.0
    start_ms: int = 0
    end_ms: int = 0
    analyst: dict[str, Any] = field(default_factory=dict)  # the analyst's status and figures

    @property
    def signals(self) -> list[EngineEvent]:
        """The signal events."""
        return [e for e in self.events if e.kind == "signal"]

    @property
    def proposals(self) -> list[Proposal]:
        """Every proposal made, in order."""
        return [e.proposal for e in self.events if e.proposal is not None]


def default_day() -> date:
    """A fixed, ordinary trading day, so a seed means the same market everywhere."""
    day = date(2026, 11, 18)
    while not trading_day(day).is_open:
        day = previous_trading_day(day)
    return day


def check_replay_options(day: date | None, minutes: int, step_s: float) -> str | None:
    """Why a simulated day cannot run with these options (naming the option), or None."""
    bounds = session_bounds_ms(day or default_day())
    if bounds is None:
        return f"--day {day}: the market is closed that day; pick a trading day"
    session_minutes = (bounds[1] - bounds[0]) // 60_000
    if not 1 <= minutes <= session_minutes:
        return f"--minutes {minutes}: must be from 1 to {session_minutes} (the session's length)"
    if step_s <= 0:
        return f"--step {step_s}: must be > 0"
    return None


def session_open_ms(day: date) -> int:
    """09:30 New York on `day`, epoch ms."""
    return from_datetime(datetime.combine(day, dtime(9, 30), tzinfo=NEW_YORK))


@contextlib.asynccontextmanager
async def _analyst(options: ReplayOptions, clock: Clock) -> AsyncIterator[Analyst | None]:
    """The replay's analyst; with "fake", the fake Messages API runs on loopback."""
    if options.review is None:
        yield None
        return
    if options.review == "offline":
        yield OfflineAnalyst()
        return
    if options.review == "env":
        yield build_analyst(load_analyst_config(os.environ), clock)
        return
    from brain.analyst.fake_claude import fake_in_thread

    # Its own thread and loop: the fake's work is not counted as the brain's overhead.
    with fake_in_thread() as fake:
        # The fake accepts any key; this one is not a credential anywhere.
        yield build_analyst(AnalystConfig(api_key="fake-claude", base_url=fake.url), clock)


def analyst_figures(analyst: Analyst | None, reviewer: SignalReviewer | None) -> dict[str, Any]:
    """The analyst's status plus, for Claude, per-call figures and the prefix's size, and
    the brain's own time per review (the whole review less the model's time)."""
    if analyst is None:
        return {}
    out = analyst.status()
    model_ms: dict[str, float] = {}
    if isinstance(analyst, ClaudeAnalyst):
        out["figures"] = analyst.client.calls.figures()
        out["prefix_bytes"] = analyst.prefix.size_bytes
        model_ms = {r.call_id: r.model_ms for r in analyst.client.calls.records}
    if reviewer is not None:
        overheads = reviewer.overheads_ms(model_ms)
        out["review_overhead_ms"] = {
            "median": round(statistics.median(overheads), 3) if overheads else 0.0,
            "p99": round(percentile(overheads, 99), 3),
            "n": len(overheads),
        }
    return out


@contextlib.contextmanager
def _gate(options: ReplayOptions, api_url: str, clock: ManualClock) -> Iterator[str | None]:
    if options.dry_run:
        yield None
        return
    if options.gate_url:
        yield options.gate_url
        return
    if options.gate_factory is None:
        yield None  # no gate: proposals are built and printed, none is sent
        return
    with options.gate_factory(api_url, clock, options.gate_secret) as url:
        yield url


async def _gate_on_replay_clock(gate: GateClient, url: str, clock: ManualClock) -> None:
    """Refuse a `--gate` that would refuse every request: the replay signs in simulated
    time, so a gate on the wall clock answers each one 401 (stale timestamp). One signed
    status call at the replay's start time tells, before anything is replayed."""
    at = to_new_york(clock.now_ms()).strftime("%Y-%m-%d %H:%M")
    try:
        await gate.status()
    except GateRequestRefused as exc:
        await gate.aclose()
        raise ConfigError(
            "--gate",
            f"the gate at {url} refused a request signed at the replay's simulated time "
            f"({at} New York; HTTP {exc.status} {exc.code or ''}): it is not on the "
            "replay's clock (or not on this secret); leave out --gate to replay through "
            "the in-process gate",
        ) from exc
    except GateUnavailable as exc:
        await gate.aclose()
        raise ConfigError("--gate", f"cannot reach the gate at {url}: {exc}") from exc


class _FrameBarrier:
    """Frames the simulator has delivered to the feed, less those lost in drops."""

    def __init__(self, sim: SimServer) -> None:
        self._sim = sim
        self._lost = 0

    @property
    def sent(self) -> int:
        """Frames the feed should have received by now."""
        return self._sim.stream_stats().frames_sent - self._lost

    def resync(self, received: int) -> None:
        """Count whatever the feed has not received as lost (around a drop)."""
        self._lost = self._sim.stream_stats().frames_sent - received

    def subscribed(self) -> bool:
        """True when a connection has subscribed symbols."""
        return self._sim.stream_stats().subscribed > 0


async def _until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


async def replay_sim(
    options: ReplayOptions, report: Callable[[EngineEvent], None] | None = None
) -> ReplayResult:
    """Replay a generated day through the simulator; see the module docstring."""
    from tradier.sim.core import SimConfig
    from tradier.sim.server import SimServer

    day = options.day or default_day()
    start_ms = session_open_ms(day)
    end_ms = start_ms + options.minutes * 60_000
    clock = ManualClock(start_ms)
    result = ReplayResult(start_ms=start_ms, end_ms=end_ms)

    def record(event: EngineEvent) -> None:
        result.events.append(event)
        if report is not None:
            report(event)

    sim = SimServer(SimConfig(seed=options.seed, tick_s=0.5, follow_calendar=True), clock)
    await sim.start()
    counter = _FrameBarrier(sim)
    wall0 = time.monotonic()
    try:
        async with _analyst(options, clock) as analyst:
            await _replay_with(options, sim, counter, clock, result, record, end_ms, analyst)
    finally:
        await sim.stop()
    result.wall_s = time.monotonic() - wall0
    return result


async def _replay_with(
    options: ReplayOptions,
    sim: SimServer,
    counter: _FrameBarrier,
    clock: ManualClock,
    result: ReplayResult,
    record: Callable[[EngineEvent], None],
    end_ms: int,
    analyst: Analyst | None,
) -> None:
    if analyst is not None:
        check = await check_analyst(analyst)
        if check is not None:
            result.analyst["prefix_tokens"] = check.tokens
            result.analyst["min_cacheable_tokens"] = check.minimum
    with _gate(options, sim.api_url, clock) as gate_url:
        gate = GateClient(gate_url, options.gate_secret, clock) if gate_url else None
        if gate is not None and options.gate_url:
            await _gate_on_replay_clock(gate, options.gate_url, clock)
        market = AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT)
        account = AsyncTradierClient(sim.api_url, SIM_TOKEN, SIM_ACCOUNT)
        if unknown := await unknown_symbols(market, options.symbols):
            await market.aclose()
            await account.aclose()
            raise ConfigError("--symbols", unknown_message(unknown))
        pace = LockstepPace(clock, ORDER)
        recorder = BarRecorder()

        def stream() -> MarketStream:
            return MarketStream(
                sim.api_url,
                sim.ws_url,
                SIM_TOKEN,
                stream_symbols(options.symbols),
                backoff=Backoff(initial_s=0.002, max_s=0.02),
                watchdog_s=3600.0,
                clock=clock,
            )

        brain = build_brain(
            symbols=options.symbols,
            clock=clock,
            market=market,
            stream_factory=stream,
            gate=gate,
            pace=pace,
            equity=Decimal(100_000),
            ids=seeded_ids(options.seed),
            account=account,
            report=record,
            extra_strategies=[recorder] if options.record_bars else (),
            analyst=analyst,
        )
        try:
            await _drive(brain, sim, counter, pace, clock, options, result, end_ms)
        finally:
            result.analyst.update(analyst_figures(analyst, brain.engine.reviewer))
        result.bars = recorder.bars
        if options.observer is not None:
            await options.observer.finished(sim)


async def _drive(
    brain: Brain,
    sim: SimServer,
    counter: _FrameBarrier,
    pace: LockstepPace,
    clock: ManualClock,
    options: ReplayOptions,
    result: ReplayResult,
    end_ms: int,
) -> None:
    await brain.warm_up()
    supervisor = Supervisor(
        clock, clock_sleep(clock), RestartPolicy(initial_s=0.5, max_s=5, healthy_after_s=30)
    )
    brain.start(supervisor)
    disruptions = sorted(options.disruptions_at_ms)
    gap_start: int | None = None
    settling = False
    step_ms = max(1, int(options.step_s * 1000))
    wall_start = time.monotonic()
    try:
        if not await _until(counter.subscribed, 10.0):
            raise RuntimeError("replay: the feed never subscribed to the simulator's stream")
        await pace.run_round()
        now = clock.now_ms()
        if options.observer is not None:
            options.observer.stepped(sim, now)
        while now < end_ms:
            # While the stream is down, simulated time crawls, so a gap stays short.
            now = clock.advance(step_ms if gap_start is None else min(step_ms, GAP_STEP_MS))
            await sim.step()
            if gap_start is not None:
                if counter.subscribed():
                    result.gaps.append((gap_start, now))
                    gap_start = None
                    settling = True
                else:
                    await asyncio.sleep(0.002)  # real time for the reconnect to happen
            # Frames can only be lost around a drop; otherwise wait as long as it takes
            # (a loaded machine is slow, and moving on early would break determinism).
            patience = LOSSY_BARRIER_S if gap_start is not None or settling else BARRIER_S
            if await _until(lambda: brain.feed.stats.events >= counter.sent, patience):
                settling = False
            else:
                counter.resync(brain.feed.stats.events)  # frames lost in a drop
            await pace.run_round()
            if options.observer is not None:
                options.observer.stepped(sim, now)
            while disruptions and disruptions[0] <= now and gap_start is None:
                disruptions.pop(0)
                sim.expire_sessions()
                await sim.drop_streams()
                gap_start = now
            if options.speed:
                ahead = (now - result.start_ms) / 1000 / options.speed
                lag = ahead - (time.monotonic() - wall_start)
                if lag > 0:
                    await asyncio.sleep(lag)
        if gap_start is not None:
            result.gaps.append((gap_start, now))
        if options.hold is not None:
            await options.hold(brain)
        result.dead_tasks = supervisor.dead()
    finally:
        result.connects = brain.feed.connects
        result.reconnects = brain.feed.reconnects
        result.restarts = supervisor.summary()
        result.stalls = pace.stalls
        result.heartbeats = brain.heartbeat.sent
        await supervisor.stop()
        await brain.aclose()


async def _frames(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        for line in handle:
            line = line.strip()
            if line:
                yield line


async def replay_file(
    path: Path,
    options: ReplayOptions,
    report: Callable[[EngineEvent], None] | None = None,
    base_url: str | None = None,
    token: str = SIM_TOKEN,
) -> ReplayResult:
    """Replay newline-delimited recorded frames through the pipeline and the engine."""
    result = ReplayResult()
    clock = ManualClock(0)

    def record(event: EngineEvent) -> None:
        result.events.append(event)
        if report is not None:
            report(event)

    market = AsyncTradierClient(base_url or "http://127.0.0.1:9/v1", token)
    brain = build_brain(
        symbols=options.symbols,
        clock=clock,
        market=market,
        stream_factory=lambda: _NoStream(),
        gate=GateClient(options.gate_url, options.gate_secret, clock) if options.gate_url else None,
        pace=Pace(clock_sleep(clock)),
        equity=Decimal(100_000),
        ids=seeded_ids(options.seed),
        report=record,
    )
    wall0 = time.monotonic()
    try:
        async for raw in _frames(path):
            event = decode_frame(raw)
            ts = None if isinstance(event, StreamError) else event_time_ms(event)
            if ts is not None and ts > clock.now_ms():
                clock.set(ts)
                if result.start_ms == 0:
                    result.start_ms = ts
            for signal in brain.pipeline.on_event(event):
                brain.engine.submit_signal(signal)
            for signal in brain.pipeline.flush(clock.now_ms() - 5_000):
                brain.engine.submit_signal(signal)
            if brain.engine.pending:
                if base_url is None:
                    _report_signals_only(brain, record)
                else:
                    await brain.engine.process_pending()
        result.end_ms = clock.now_ms()
    finally:
        await brain.aclose()
    result.wall_s = time.monotonic() - wall0
    return result


def _report_signals_only(brain: Brain, record: Callable[[EngineEvent], None]) -> None:
    # Without a chain source, signals are printed but nothing can be priced.
    for signal in brain.engine.take_pending():
        record(
            EngineEvent(
                signal.created_at_ms,
                "signal",
                signal.symbol,
                signal.strategy,
                f"{signal.kind} ({signal.reason})",
            )
        )


class _NoStream:
    """The file replay feeds the pipeline directly; no socket."""

    connects = 0
    reconnects = 0

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._empty()

    async def _empty(self) -> AsyncIterator[Any]:
        return
        yield

    async def close(self) -> None:
        """Nothing to close."""


def disruption_times(
    start_ms: int, end_ms: int, count: int, margin_ms: int = 120_000
) -> tuple[int, ...]:
    """`count` evenly spaced instants inside (start + margin, end - margin)."""
    span = end_ms - start_ms - 2 * margin_ms
    if count <= 0 or span <= 0:
        return ()
    gap = span // (count + 1)
    return tuple(start_ms + margin_ms + gap * (i + 1) for i in range(count))


def minutes_of(day: date) -> int:
    """Regular-session minutes of `day` (390, or 210 on a half day)."""
    info = trading_day(day)
    close = datetime.combine(day, info.close)
    return int((close - datetime.combine(day, dtime(9, 30))) / timedelta(minutes=1))
