"""The brain composed: pipeline, feed, engine, monitor, heartbeat, pollers, supervisor.

`Brain` holds the parts and starts the supervised tasks; `run_live(config)` is
`edgegate brain run`: it follows Tradier's calendar, connects before the open, warms up
from history (once per session, away from the reconnect path), disconnects after the
close (then learns the day's insights from its outcomes), and on SIGTERM flushes state
atomically and exits. Replay (`brain.replay`) builds the very same `Brain` against the
simulator with a lockstep pace and a manual clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from brain.adoption import adopt_positions
from brain.alerts import BrainAlerts, fan_out
from brain.analyst import (
    Analyst,
    AnalystConfig,
    Fallback,
    SignalReviewer,
    build_analyst,
    check_analyst,
)
from brain.analyst.analysts import on_cap_notice
from brain.analyst.errors import AnalystConfigError
from brain.analyst.spend import FileSpendStore, SpendStore
from brain.config import BrainConfig
from brain.conversations.after_close import AfterClose
from brain.conversations.daybook import DayBook
from brain.engine import Engine, EngineEvent
from brain.exits import ExitPolicy
from brain.feed import EventStream, Feed
from brain.gate_client import GateClient
from brain.heartbeat import Heartbeat
from brain.limits import SignalLimiter
from brain.monitor import PositionMonitor
from brain.persist import StateFileError, StateStore
from brain.pipeline import Pipeline
from brain.proposals import IdFactory, Planner, random_ids
from brain.schedule import MarketSchedule
from brain.sizing import SizingPolicy
from brain.startchecks import data_token_accepted, gate_answers, state_dir_writable
from brain.strategies import OptionStrategy, build_strategies
from brain.supervisor import Supervisor
from brain.timing import Pace, clock_sleep
from brain.warmup import MarketPoller, warm_up
from brain.watchlist import unknown_message, unknown_symbols
from tradier.client import AsyncTradierClient
from tradier.clock import Clock, SystemClock, to_new_york
from tradier.errors import StreamAuthError, TradierError
from tradier.money import to_decimal
from tradier.stream_client import MarketStream

log = logging.getLogger(__name__)
MONITOR_INTERVAL_S = 30.0
EXECUTOR_INTERVAL_S = 0.25
BROKER_SYNC_INTERVAL_S = 300.0
UNFILLED_GRACE_MS = 15 * 60_000


@dataclass
class Brain:
    """Every part of a running brain, wired together."""

    clock: Clock
    pipeline: Pipeline
    feed: Feed
    engine: Engine
    monitor: PositionMonitor
    heartbeat: Heartbeat
    poller: MarketPoller
    limiter: SignalLimiter
    market: AsyncTradierClient
    gate: GateClient | None
    pace: Pace
    store: StateStore | None
    account: AsyncTradierClient | None = None
    supervisor: Supervisor | None = None
    warmed: dict[str, int] = field(default_factory=dict)
    analyst: Analyst | None = None

    def start(self, supervisor: Supervisor, *, with_feed: bool = True) -> None:
        """Start every supervised task."""
        self.supervisor = supervisor
        if with_feed:
            supervisor.supervise("feed", self.feed.run)
        supervisor.supervise("flush", lambda: self.feed.flush_loop(self.pace))
        supervisor.supervise("executor", self._executor)
        supervisor.supervise("monitor", self._monitor)
        supervisor.supervise("heartbeat", lambda: self.heartbeat.run(self.pace))
        supervisor.supervise("poll", lambda: self.poller.run(self.pace))
        if self.account is not None:
            supervisor.supervise("broker_sync", self._broker_sync)
        supervisor.on_stop(self.flush_state)

    async def _executor(self) -> None:
        while True:
            await self.pace.wait("executor", EXECUTOR_INTERVAL_S)
            await self.engine.process_pending()

    async def _monitor(self) -> None:
        while True:
            await self.pace.wait("monitor", MONITOR_INTERVAL_S)
            await self.monitor.check()

    async def _broker_sync(self) -> None:
        while True:
            await self.adopt_from_broker()
            await self.pace.wait("broker_sync", BROKER_SYNC_INTERVAL_S)

    async def adopt_from_broker(self) -> int:
        """Adopt positions held at the broker that the brain does not manage yet."""
        if self.account is None:
            return 0
        positions = await self.account.positions()
        found = adopt_positions(positions, self.clock.now_ms(), self.monitor.policy)
        held = {p.symbol for p in positions}
        # A managed position whose legs are all gone at the broker has been closed.
        # An opening order that never filled leaves nothing at the broker either; it is
        # given UNFILLED_GRACE_MS before the position is dropped.
        now = self.clock.now_ms()
        for pid, position in list(self.monitor.positions.items()):
            gone = not any(symbol in held for symbol in position.quote_symbols)
            settled = (
                position.closing_id is not None
                or position.adopted
                or now - position.opened_at_ms >= UNFILLED_GRACE_MS
            )
            if gone and settled:
                self.monitor.remove(pid)
        return self.monitor.adopt(found)

    async def warm_up(self) -> dict[str, int]:
        """Indicators from history; called once per session before the feed starts."""
        self.warmed = await warm_up(self.pipeline, self.market, self.clock)
        await self.poller.poll_once()
        return self.warmed

    def restore_state(self) -> None:
        """Load the position book, the limiter memory and the unsettled proposals written
        before a restart. Each is restored on its own; an unreadable one is moved aside
        (kept for the operator, never overwritten by the next save) and the brain starts
        without it: positions are then adopted from the broker when an account is set."""
        if self.store is None:
            return
        for name, restore in (
            ("positions", self.monitor.load),
            ("limits", self._restore_limits),
            ("unknown outcomes", self.engine.load_unknown),
        ):
            try:
                restore()
            except StateFileError as exc:
                kept = self.store.quarantine(exc.name)
                log.error("%s not restored: %s; the file was moved to %s", name, exc, kept)

    def _restore_limits(self) -> None:
        assert self.store is not None
        limits = self.store.load("limits")
        if limits:
            self.limiter.restore(limits)

    def flush_state(self) -> None:
        """Write what must survive a restart (atomically)."""
        if self.store is None:
            return
        self.monitor.save()
        self.store.save("limits", self.limiter.snapshot())
        self.engine.save_unknown()

    def summary(self) -> dict[str, Any]:
        """The small state summary sent with each heartbeat."""
        return {
            "events": self.feed.stats.events,
            "bars": self.pipeline.bars,
            "reconnects": self.feed.reconnects,
            **self.engine.summary(),
            **self.monitor.summary(),
            "restarts": sum(self.supervisor.summary().values()) if self.supervisor else 0,
            **({"analyst": self.analyst.status()} if self.analyst is not None else {}),
        }

    async def aclose(self) -> None:
        """Close the HTTP clients."""
        if self.analyst is not None:
            await self.analyst.aclose()
        if self.gate is not None:
            await self.gate.aclose()
        await self.market.aclose()
        if self.account is not None:
            await self.account.aclose()


def build_brain(
    *,
    symbols: Sequence[str],
    clock: Clock,
    market: AsyncTradierClient,
    stream_factory: Callable[[], EventStream],
    gate: GateClient | None,
    pace: Pace,
    equity: Decimal,
    ids: IdFactory | None = None,
    strategies: Sequence[OptionStrategy] | None = None,
    account: AsyncTradierClient | None = None,
    store: StateStore | None = None,
    report: Callable[[EngineEvent], None] | None = None,
    brain_id: str = "brain-1",
    sizing: SizingPolicy | None = None,
    exit_policy: ExitPolicy | None = None,
    extra_strategies: Sequence[Any] = (),
    analyst: Analyst | None = None,
    review_fallback: Fallback = Fallback.PROCEED,
) -> Brain:
    """Wire a brain from its outside parts (clients, clock, pace); with `analyst`, every
    signal is reviewed before it becomes a proposal."""
    chosen = list(strategies) if strategies is not None else build_strategies()
    policy = exit_policy or ExitPolicy()
    limiter = SignalLimiter(clock)
    monitor = PositionMonitor(clock=clock, quotes=market, policy=policy, store=store)

    async def account_equity() -> Decimal:
        if account is None:
            return equity
        balances = await account.balances()
        value = balances.total_equity
        return to_decimal(value) if value is not None else equity

    holder: dict[str, Heartbeat] = {}
    engine = Engine(
        clock=clock,
        strategies=chosen,
        planner=Planner(market, policy),
        limiter=limiter,
        gate=gate,
        monitor=monitor,
        equity=account_equity,
        ids=ids or random_ids(),
        sizing=sizing or SizingPolicy(),
        report=report or (lambda event: None),
        store=store,
        gate_state=lambda: holder["hb"].trading_state if "hb" in holder else None,
    )
    pipeline = Pipeline(symbols, [*chosen, *extra_strategies], clock)
    if analyst is not None:

        def gate_view() -> dict[str, Any]:
            hb = holder.get("hb")
            state = hb.trading_state if hb is not None else None
            return {"trading_state": state.value if state is not None else None}

        engine.reviewer = SignalReviewer(
            analyst,
            clock,
            review_fallback,
            state_of=pipeline.states.get,
            positions=lambda: list(monitor.positions.values()),
            gate=gate_view,
        )
        on_cap_notice(analyst, lambda reason, detail: engine.notify(detail))
    feed = Feed(pipeline, stream_factory, engine.submit_signal, clock)
    brain_ref: list[Brain] = []
    heartbeat = Heartbeat(
        gate=gate,
        clock=clock,
        sleep=clock_sleep(clock),
        brain_id=brain_id,
        summary=lambda: brain_ref[0].summary() if brain_ref else {},
    )
    holder["hb"] = heartbeat
    brain = Brain(
        clock=clock,
        pipeline=pipeline,
        feed=feed,
        engine=engine,
        monitor=monitor,
        heartbeat=heartbeat,
        poller=MarketPoller(pipeline, market, clock),
        limiter=limiter,
        market=market,
        gate=gate,
        pace=pace,
        store=store,
        account=account,
        analyst=analyst,
    )
    brain_ref.append(brain)
    return brain


def stream_symbols(symbols: Sequence[str], vix_symbol: str = "VIX") -> list[str]:
    """What the feed subscribes: the symbols and the VIX."""
    return [*symbols, vix_symbol] if vix_symbol not in symbols else list(symbols)


def spend_store(config: BrainConfig, clock: Clock) -> SpendStore:
    """Where the analyst's spend is kept: the sessions table when one is named, else a
    file in the state directory (both survive a restart)."""
    if config.sessions_table:
        import boto3

        from brain.analyst.spend_dynamo import DynamoSpendStore

        client = boto3.client("dynamodb")
        return DynamoSpendStore(client, config.sessions_table, lambda: clock.now_ms() / 1000)
    return FileSpendStore(StateStore(config.state_dir))


def live_analyst(config: BrainConfig, clock: Clock) -> Analyst | None:
    """The live brain's analyst (None when review is off); AnalystConfigError when its
    model has no price."""
    settings = config.analyst or AnalystConfig()
    if not settings.review:
        return None
    transcript = config.state_dir / "analyst-calls.jsonl"
    return build_analyst(settings, clock, spend=spend_store(config, clock), transcript=transcript)


def _alerts(config: BrainConfig) -> BrainAlerts | None:
    if config.webhook_url is None:
        return None
    from gatekeeper.webhook import WebhookPoster

    return BrainAlerts(WebhookPoster(config.webhook_url))


async def symbols_listed(market: AsyncTradierClient, symbols: Sequence[str]) -> bool:
    """Whether the market-data API knows every one of `symbols`, asked once at start; an
    unknown one stops the brain naming it. A network fault is not a verdict."""
    try:
        unknown = await unknown_symbols(market, symbols)
    except TradierError as exc:
        log.warning("could not check EDGEGATE_SYMBOLS yet: %s", exc)
        return True
    if unknown:
        log.error("EDGEGATE_SYMBOLS: %s", unknown_message(unknown))
    return not unknown


async def run_live(config: BrainConfig, report: Callable[[EngineEvent], None] | None = None) -> int:
    """`edgegate brain run`: stream through each trading day until SIGTERM."""
    clock = SystemClock()
    if not state_dir_writable(config.state_dir):
        return 2
    try:
        analyst = live_analyst(config, clock)
    except AnalystConfigError as exc:
        log.error("%s", exc)
        return 2
    market = AsyncTradierClient(config.data_base_url, config.data_token)
    account = (
        AsyncTradierClient(config.account_base_url, config.account_token, config.account_id)
        if config.account_token and config.account_id
        else None
    )
    schedule = MarketSchedule(market, clock)
    in_window = {"open": False}
    warmed_day: dict[str, object] = {}
    exit_code = {"code": 0}

    book = DayBook(clock)  # the day's outcomes, for the insights after the close

    def reported(event: EngineEvent) -> None:
        book.record(event)
        if report is not None:
            report(event)

    def stream() -> EventStream:
        return MarketStream(
            config.data_base_url,
            config.stream_url,
            config.data_token,
            stream_symbols(config.symbols),
            clock=clock,
            is_market_hours=lambda: in_window["open"],
        )

    brain = build_brain(
        symbols=config.symbols,
        clock=clock,
        market=market,
        stream_factory=stream,
        gate=GateClient(config.gate_url, config.signing_secret, clock),
        pace=Pace(asyncio.sleep),
        equity=config.equity,
        account=account,
        store=StateStore(config.state_dir),
        report=fan_out(reported, _alerts(config)),
        brain_id=f"brain-{os.getpid()}",
        analyst=analyst,
        review_fallback=(config.analyst or AnalystConfig()).fallback,
    )
    if analyst is not None:
        log.info("signals are reviewed by the %s analyst", analyst.kind)
        await check_analyst(analyst)
    ready = (
        await data_token_accepted(market)
        and await symbols_listed(market, config.symbols)
        and (brain.gate is None or await gate_answers(brain.gate, config.gate_url))
    )
    if not ready:
        await brain.aclose()
        return 2
    brain.restore_state()
    supervisor = Supervisor(clock, asyncio.sleep)
    supervisor.install_signal_handlers()
    brain.flush_state()  # a valid state file from the first second, not only after a stop

    async def sessions() -> None:
        # One streaming window per trading day; the feed lives only inside it.
        while True:
            window = await schedule.next_window()
            if window is None:
                await asyncio.sleep(3600)
                continue
            wait_s = (window.connect_ms - clock.now_ms()) / 1000
            if wait_s > 0:
                log.info(
                    "market closed: streaming %s from %s New York time (in %.0f min)",
                    window.day,
                    to_new_york(window.connect_ms).strftime("%H:%M"),
                    wait_s / 60,
                )
                await asyncio.sleep(wait_s)
            if warmed_day.get("day") != window.day:
                # Once per session, before streaming: never on the reconnect path.
                await brain.warm_up()
                warmed_day["day"] = window.day
            await brain.adopt_from_broker()
            in_window["open"] = True
            try:
                remaining = (window.disconnect_ms - clock.now_ms()) / 1000
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max(0.0, remaining)):
                        await _stream_until_cancelled(brain)
            except StreamAuthError as exc:
                log.error("%s", exc)
                exit_code["code"] = 2
                await supervisor.stop()
                return
            finally:
                in_window["open"] = False
                brain.flush_state()

    # The brain's API (conversations, confirmations) when EDGEGATE_API_TOKEN is set.
    from brain.api.auth import TokenError
    from brain.api.live import insights_learner, sessions_store, start_api

    conversations = sessions_store(config.sessions_table)  # shared with the API
    brain.monitor.on_closed = book.closed
    after_close = AfterClose(
        schedule, clock, asyncio.sleep, book, insights_learner(analyst), conversations
    )
    try:
        api = await start_api(brain, analyst, os.environ, store=conversations)
    except TokenError as exc:
        log.error("%s", exc)
        await brain.aclose()
        return 2
    brain.start(supervisor, with_feed=False)
    supervisor.supervise("sessions", sessions)
    supervisor.supervise("insights", after_close.run)
    await supervisor.wait_stopped()
    if api is not None:
        await api.cleanup()
    await brain.aclose()
    return exit_code["code"]


async def _stream_until_cancelled(brain: Brain) -> None:
    # The stream client reconnects by itself; this only restarts a feed that crashed.
    while True:
        try:
            await brain.feed.run()
        except StreamAuthError:
            raise
        except Exception as exc:
            log.warning("feed stopped: %s; restarting", type(exc).__name__)
            await asyncio.sleep(1.0)
