"""Everything one simulator instance holds: config, clock, venue, broker, stream, limits."""

from __future__ import annotations

import asyncio
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tradier.clock import Clock, ManualClock, ScaledClock, SystemClock
from tradier.sim.account_stream import AccountHub
from tradier.sim.broker import Broker
from tradier.sim.defaults import DEFAULT_ACCOUNT, DEFAULT_TOKEN
from tradier.sim.errors import SimConfigError
from tradier.sim.frames import FrameGenerator, StaleRepeater
from tradier.sim.limits import DEFAULT_LIMITS, FaultPlan, RateLimiter
from tradier.sim.margin import ACCOUNT_TYPES
from tradier.sim.market import GeneratedMarket
from tradier.sim.options import parse_listed
from tradier.sim.orders import SimOrder
from tradier.sim.stream import StreamHub
from tradier.sim.symbols import DEFAULT_SYMBOLS
from tradier.sim.venue import MarketSource, Venue

_DAY_MS = 86_400_000
_SIX_UTC = 6 * 3_600_000


@dataclass(frozen=True)
class SimConfig:
    """How to run one simulator."""

    host: str = "127.0.0.1"
    port: int = 0
    token: str = DEFAULT_TOKEN
    account: str = DEFAULT_ACCOUNT
    seed: int = 1
    data_file: str | None = None
    speed: float = 1.0
    follow_calendar: bool = False
    start_ms: int | None = None
    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    sandbox_tokens: tuple[str, ...] = ()
    rate_limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    starting_cash: Decimal = Decimal(100_000)
    fault_delay_s: float = 30.0
    tick_s: float = 0.05
    gainloss_immediate: bool = False
    fill_cap: int = 0  # most shares/contracts a single-leg order fills per tick; 0: no cap
    account_type: str = "margin"  # margin, cash or pdt: which /balances sub-object appears
    # Opt-in quirks reported by client authors (TRADIER.md §2, §6):
    stale_repeat_ms: int = 0  # re-send an idle symbol's last trade/quote this often (20_000)
    overnight_drop: bool = False  # close market WebSockets when 06:00 UTC passes
    fill_data_lag_ms: int = 0  # a fill reads `filled` with avg_fill_price 0 for this long


def _check_config(config: SimConfig) -> None:
    """Refuse a configuration the simulator cannot honour, naming the field."""
    if config.account_type not in ACCOUNT_TYPES:
        raise SimConfigError(f"account_type: must be one of {', '.join(ACCOUNT_TYPES)}")
    if config.speed <= 0:
        raise SimConfigError("speed: must be > 0")
    if config.tick_s <= 0:
        raise SimConfigError("tick_s: must be > 0")
    if any(v < 1 for v in config.rate_limits.values()):
        raise SimConfigError("rate_limits: every limit must be >= 1")
    if config.fill_cap < 0:
        raise SimConfigError("fill_cap: must be >= 0 (0: no cap)")
    if not config.symbols:
        raise SimConfigError("symbols: at least one")


class SimClock:
    """The simulator's clock: wraps an injected clock or runs scaled time; can be re-set."""

    def __init__(self, inner: Clock, speed: float) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self.speed = speed

    def now_ms(self) -> int:
        """Simulated now."""
        with self._lock:
            return self._inner.now_ms()

    def set(self, now_ms: int | None = None, speed: float | None = None) -> None:
        """Jump to `now_ms` and/or change speed (a ManualClock only jumps)."""
        if speed is not None and speed <= 0:
            raise ValueError("speed: must be > 0")
        with self._lock:
            if isinstance(self._inner, ManualClock):
                if now_ms is not None:
                    self._inner.set(now_ms)
                return
            target = self._inner.now_ms() if now_ms is None else now_ms
            self.speed = self.speed if speed is None else speed
            self._inner = ScaledClock(target, self.speed, SystemClock())


class SimCore:
    """The shared state every handler and control works on."""

    def __init__(self, config: SimConfig, clock: Clock | None = None) -> None:
        _check_config(config)
        self.config = config
        self._rng = random.Random(f"ids|{config.seed}")
        source: MarketSource
        if config.data_file:
            from tradier.sim.replay import ReplayMarket

            replay = ReplayMarket.load(Path(config.data_file))
            source = replay
            start = config.start_ms if config.start_ms is not None else replay.start_ms - 1
        else:
            source = GeneratedMarket(config.seed, config.symbols, config.follow_calendar)
            start = config.start_ms if config.start_ms is not None else SystemClock().now_ms()
        inner = clock if clock is not None else ScaledClock(start, config.speed)
        self.clock = SimClock(inner, config.speed)
        self.venue = Venue(source, self.clock, config.follow_calendar)
        self.limiter = RateLimiter(dict(config.rate_limits))
        self.faults = FaultPlan()
        self.stream = StreamHub(self.clock.now_ms, self.is_streamable, self.new_uuid)
        self.accounts = AccountHub(self.clock.now_ms, self.new_uuid)
        self._order_ids = iter(range(1000, 10**9))
        self.broker = self._new_broker()
        self.frames = FrameGenerator(self.venue)
        self.repeater = StaleRepeater(config.stale_repeat_ms) if config.stale_repeat_ms else None
        self.last_pump_ms = self.clock.now_ms()
        self.stopping = asyncio.Event()
        self.partner_ids: dict[int, str] = {}
        self.on_reset: list[Callable[[], None]] = []

    def _new_broker(self) -> Broker:
        config = self.config
        return Broker(
            self.venue, config.account, config.starting_cash, self.next_order_id, config.fill_cap
        )

    def next_order_id(self) -> int:
        """Order ids, increasing."""
        return next(self._order_ids)

    def new_uuid(self) -> str:
        """A uuid4-shaped id from the seeded generator (ids are reproducible per seed)."""
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def is_streamable(self, symbol: str) -> bool:
        """Known underlying or a listed option on one."""
        if self.venue.knows(symbol):
            return True
        occ = parse_listed(symbol)
        return occ is not None and self.venue.option(symbol) is not None

    async def pump(self) -> None:
        """Advance to the clock's now: publish stream frames, let the broker fill, and send
        account events for whatever changed (REST calls included)."""
        now = self.clock.now_ms()
        if now != self.last_pump_ms:
            if now < self.last_pump_ms:  # the clock was set back: no frames for the past
                self.last_pump_ms = now
            wanted = self.stream.wanted_symbols()
            payloads = self.frames.between(self.last_pump_ms, now, wanted) if wanted else []
            if self.repeater is not None:
                payloads += self.repeater.due(now, wanted, payloads)
            crossed_six = (now - _SIX_UTC) // _DAY_MS > (self.last_pump_ms - _SIX_UTC) // _DAY_MS
            self.last_pump_ms = now
            if self.config.overnight_drop and crossed_six:
                await self.stream.drop_all()  # Lean #6040: Tradier closed the socket ~06:00 UTC
            await self.stream.publish(payloads)
            self.broker.on_tick(now)
        await self.accounts.publish(now, self.broker.orders)

    def all_orders(self) -> list[SimOrder]:
        """Every order of every day."""
        return list(self.broker.orders)

    def reset(self) -> None:
        """Forget orders, positions, pins, faults, rate windows and sessions."""
        self.broker = self._new_broker()
        self.venue.pins.clear()
        self.faults.clear()
        self.limiter.reset()
        self.stream.expire_all()
        self.accounts.sessions.expire_all()
        for hook in self.on_reset:
            hook()

    def state_summary(self) -> dict[str, Any]:
        """A small description for GET /sim/state."""
        return {
            "now_ms": self.clock.now_ms(),
            "speed": self.clock.speed,
            "market_state": self.venue.market_state().value,
            "orders": len(self.broker.orders),
            "subscribers": len(self.stream.subscribers),
            "frames_sent": self.stream.frames_sent,
            "sessions": len(self.stream.sessions),
        }
