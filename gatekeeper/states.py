"""Trading states and order states: who may move them, and where.

Trading state (one per gate)::

    ACTIVE ──system or admin──▶ REDUCING ──system or admin──▶ HALTED
      ▲                            │                            │
      └──────────── admin only ────┴──────── admin only ────────┘

The system (daily-loss breach, watchdog) may only tighten; an admin may set any state, and
only an admin resumes to ACTIVE. Setting the current state again is a no-op.

Order state (one per proposal)::

    NONE ─▶ SUBMITTING ─┬─▶ SUBMITTED ─▶ OPEN ─▶ PARTIALLY_FILLED ─▶ FILLED
                        ├─▶ SUBMIT_UNKNOWN ─▶ (settled by tag) any broker state | NOT_PLACED
                        └─▶ REJECTED
    broker states reached from SUBMITTED/OPEN/PARTIALLY_FILLED: FILLED, CANCELED, EXPIRED,
    REJECTED. Terminal: FILLED, CANCELED, REJECTED, EXPIRED, NOT_PLACED.

SUBMIT_UNKNOWN never goes back to SUBMITTING: an unknown send is settled by finding the
order by its tag, never by sending it again. NOT_PLACED means the broker has no order with
that tag after the settle window.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from gatekeeper.contract import OrderState, TradingState
from gatekeeper.errors import TransitionError

__all__ = [
    "ORDER_TRANSITIONS",
    "TERMINAL_ORDER_STATES",
    "Actor",
    "OrderState",
    "TradingState",
    "advance_order",
    "can_advance_order",
    "can_transition",
    "order_state_from_tradier",
    "state_after_daily_loss",
    "transition",
]


class Actor(StrEnum):
    """Who asks for a trading-state change."""

    ADMIN = "admin"
    SYSTEM = "system"


_STRICTNESS: Final = {TradingState.ACTIVE: 0, TradingState.REDUCING: 1, TradingState.HALTED: 2}


def can_transition(current: TradingState, requested: TradingState, actor: Actor) -> bool:
    """True when `actor` may move the trading state from `current` to `requested`."""
    if actor is Actor.ADMIN or requested is current:
        return True
    return _STRICTNESS[requested] > _STRICTNESS[current]


def transition(current: TradingState, requested: TradingState, actor: Actor) -> TradingState:
    """The new trading state; raises TransitionError when `actor` may not make the change."""
    if not can_transition(current, requested, actor):
        raise TransitionError(
            f"{actor} may only tighten the trading state: {current} -> {requested} refused"
        )
    return requested


def state_after_daily_loss(current: TradingState) -> TradingState:
    """The state after a daily-loss breach: ACTIVE tightens to REDUCING, others stay."""
    return TradingState.REDUCING if current is TradingState.ACTIVE else current


_BROKER_STATES: Final = frozenset(
    {
        OrderState.OPEN,
        OrderState.PARTIALLY_FILLED,
        OrderState.FILLED,
        OrderState.CANCELED,
        OrderState.REJECTED,
        OrderState.EXPIRED,
    }
)
TERMINAL_ORDER_STATES: Final = frozenset(
    {
        OrderState.FILLED,
        OrderState.CANCELED,
        OrderState.REJECTED,
        OrderState.EXPIRED,
        OrderState.NOT_PLACED,
    }
)
ORDER_TRANSITIONS: Final[dict[OrderState, frozenset[OrderState]]] = {
    OrderState.NONE: frozenset({OrderState.SUBMITTING}),
    OrderState.SUBMITTING: frozenset(
        {OrderState.SUBMITTED, OrderState.SUBMIT_UNKNOWN, OrderState.NOT_PLACED} | _BROKER_STATES
    ),
    OrderState.SUBMIT_UNKNOWN: frozenset({OrderState.SUBMITTED, OrderState.NOT_PLACED})
    | _BROKER_STATES,
    OrderState.SUBMITTED: _BROKER_STATES,
    OrderState.OPEN: _BROKER_STATES,
    OrderState.PARTIALLY_FILLED: frozenset(
        {
            OrderState.PARTIALLY_FILLED,
            OrderState.FILLED,
            OrderState.CANCELED,
            OrderState.EXPIRED,
        }
    ),
    **{state: frozenset() for state in TERMINAL_ORDER_STATES},
}


def can_advance_order(current: OrderState, new: OrderState) -> bool:
    """True when an order may move from `current` to `new` (the same state is a no-op)."""
    return new is current or new in ORDER_TRANSITIONS[current]


def advance_order(current: OrderState, new: OrderState) -> OrderState:
    """The new order state; raises TransitionError for a move the machine forbids."""
    if not can_advance_order(current, new):
        raise TransitionError(f"order state {current} -> {new} is not allowed")
    return new


_FROM_TRADIER: Final = {
    "open": OrderState.OPEN,
    "partially_filled": OrderState.PARTIALLY_FILLED,
    "filled": OrderState.FILLED,
    "expired": OrderState.EXPIRED,
    "canceled": OrderState.CANCELED,
    "rejected": OrderState.REJECTED,
    "error": OrderState.REJECTED,
}


def order_state_from_tradier(status: str) -> OrderState:
    """Map a Tradier order status to an OrderState.

    Statuses that mean "accepted, not yet working" (pending, submitted, calculated,
    accepted_for_bidding, held) and any status we do not know map to SUBMITTED: not
    terminal, so reconcile keeps watching the order rather than assuming an outcome.
    """
    return _FROM_TRADIER.get(status.strip().lower(), OrderState.SUBMITTED)
