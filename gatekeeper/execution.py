"""Exactly-once execution: send an order once, and settle an unknown outcome by its tag.

The order carries the proposal id as its `tag`. A send whose outcome is unknown (timeout,
5xx, lost response) is never repeated: the order is looked up by tag, here if possible and
otherwise by reconcile. Broker inputs that change slowly (clock, balances) are cached for a
few seconds so they cost no call on the hot path.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from gatekeeper.contract import OrderState
from gatekeeper.states import order_state_from_tradier
from tradier import models
from tradier.clock import Clock
from tradier.errors import (
    TradierError,
    TradierFatal,
    TradierOutcomeUnknown,
    TradierRateLimited,
)
from tradier.orders import OrderRequest

log = logging.getLogger(__name__)
T = TypeVar("T")
# How far Tradier's order timestamps may run ahead of the gate's clock, for deciding which
# orders cached balances already counted (erring the safe way: one read more).
CLOCK_SKEW_MARGIN_MS = 2_000

# Final states in which nothing more will execute than what was already filled.
UNFILLED_FINAL = frozenset(
    {OrderState.CANCELED, OrderState.EXPIRED, OrderState.REJECTED, OrderState.NOT_PLACED}
)


def order_state_of(order: models.Order) -> OrderState:
    """The gate's order state for a Tradier order."""
    return order_state_from_tradier(order.status)


class Broker(Protocol):
    """The part of `tradier.client.TradierClient` the gate uses."""

    def clock(self) -> models.MarketClock:
        """The market clock."""
        ...

    def balances(self) -> models.Balances:
        """Account balances."""
        ...

    def positions(self) -> list[models.Position]:
        """Open positions."""
        ...

    def quotes(self, symbols: Sequence[str], greeks: bool = False) -> list[models.Quote]:
        """Quotes (only when a risk check needs a price)."""
        ...

    def orders(self, include_tags: bool = True) -> list[models.Order]:
        """Today's orders."""
        ...

    def working_orders(self, include_older: bool = False) -> list[models.Order]:
        """Orders that may still fill: today's, or with `include_older` the last month's."""
        ...

    def find_order_by_tag(self, tag: str) -> models.Order | None:
        """The order carrying `tag`, if any."""
        ...

    def place_order(self, order: OrderRequest) -> models.OrderAck:
        """Place an order, never resent."""
        ...


class TtlCache(Generic[T]):
    """One value, refreshed when older than `ttl_ms` on the injected clock."""

    def __init__(self, clock: Clock, ttl_ms: int, load: Callable[[], T]) -> None:
        self._clock = clock
        self._ttl_ms = ttl_ms
        self._load = load
        self._value: T | None = None
        self._at = 0
        self._lock = threading.Lock()

    def get(self) -> T:
        """The cached value, loaded again once stale."""
        now = self._clock.now_ms()
        with self._lock:
            if self._value is not None and now - self._at < self._ttl_ms:
                return self._value
        value = self._load()
        with self._lock:
            self._value, self._at = value, now
        return value

    def loaded_at_ms(self) -> int:
        """When the value was last asked for from its source (0 before the first load)."""
        with self._lock:
            return self._at

    def clear(self) -> None:
        """Forget the value (next `get` loads)."""
        with self._lock:
            self._value = None


class BrokerInputs:
    """Risk inputs from the broker: clock and balances briefly cached, positions fresh."""

    def __init__(self, broker: Broker, clock: Clock, ttl_ms: int = 5_000) -> None:
        self.broker = broker
        self._clock = TtlCache(clock, ttl_ms, broker.clock)
        self._balances = TtlCache(clock, ttl_ms, broker.balances)

    def market_clock(self) -> models.MarketClock:
        """Tradier's market clock (cached a few seconds)."""
        return self._clock.get()

    def balances(self) -> models.Balances:
        """Balances (cached a few seconds)."""
        return self._balances.get()

    def positions(self) -> list[models.Position]:
        """Positions, always fresh (a close must match what is held now)."""
        return self.broker.positions()

    def working_orders(self, pending_count: int | None) -> list[models.Order]:
        """Every order that may still fill, always fresh. Tradier lists only today's orders
        without `filter=all`, so when the balances (`pending_count`) count more pending
        orders than today's list can account for, a GTC order from an earlier day is
        working: read the month too. The balances may be a few seconds old, so only today's
        orders created before they were read (less a margin for clock skew) account for
        their count; an order that has filled since only costs the extra read."""
        today = self.broker.working_orders()
        if pending_count is None or pending_count <= 0:
            return today
        before = self._balances.loaded_at_ms() - CLOCK_SKEW_MARGIN_MS
        counted = sum(
            1 for o in today if o.create_date_ms is not None and o.create_date_ms < before
        )
        if pending_count <= counted:
            return today
        return self.broker.working_orders(include_older=True)


@dataclass(frozen=True)
class SendResult:
    """What happened to one send: an order id and state, or a broker rejection."""

    order_state: OrderState
    order_id: int | None = None
    rejected: str | None = None

    @property
    def settled(self) -> bool:
        """True when the order's fate is known (placed, or certainly not placed)."""
        return self.order_state is not OrderState.SUBMIT_UNKNOWN


def lookup_by_tag(broker: Broker, tag: str) -> SendResult:
    """Settle by tag: the order found, or SUBMIT_UNKNOWN when absent or unreachable."""
    try:
        found = broker.find_order_by_tag(tag)
    except TradierError as exc:
        log.warning("order lookup by tag failed: %s", type(exc).__name__)
        return SendResult(OrderState.SUBMIT_UNKNOWN)
    if found is None:
        return SendResult(OrderState.SUBMIT_UNKNOWN)
    return SendResult(order_state_of(found), found.id)


def send_once(broker: Broker, order: OrderRequest, tag: str) -> SendResult:
    """Place `order` exactly once; an unknown outcome is looked up by tag, never resent."""
    try:
        ack = broker.place_order(order)
    except TradierOutcomeUnknown:
        return lookup_by_tag(broker, tag)
    except TradierRateLimited as exc:
        # A 429 is answered before the order is processed: certainly not placed.
        return SendResult(OrderState.NOT_PLACED, rejected=f"broker rate limit: {exc.message}")
    except TradierFatal as exc:
        errors = getattr(exc, "errors", None) or [exc.message]
        return SendResult(OrderState.REJECTED, rejected="; ".join(str(e) for e in errors))
    except Exception:
        # Anything else after the request may have left: treat as unknown, never resend.
        log.exception("order send failed with an unexpected error")
        return lookup_by_tag(broker, tag)
    return SendResult(OrderState.SUBMITTED, ack.id)
