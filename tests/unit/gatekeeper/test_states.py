"""Trading-state and order-state machines."""

from __future__ import annotations

import itertools

import pytest

from gatekeeper.errors import TransitionError
from gatekeeper.states import (
    ORDER_TRANSITIONS,
    TERMINAL_ORDER_STATES,
    Actor,
    OrderState,
    TradingState,
    advance_order,
    can_advance_order,
    can_transition,
    order_state_from_tradier,
    state_after_daily_loss,
    transition,
)

ACTIVE, REDUCING, HALTED = TradingState.ACTIVE, TradingState.REDUCING, TradingState.HALTED


@pytest.mark.parametrize(("current", "requested"), list(itertools.product(TradingState, repeat=2)))
def test_transition_when_admin_then_any_state(
    current: TradingState, requested: TradingState
) -> None:
    assert transition(current, requested, Actor.ADMIN) is requested


@pytest.mark.parametrize(
    ("current", "requested"),
    [(ACTIVE, REDUCING), (ACTIVE, HALTED), (REDUCING, HALTED), (HALTED, HALTED)],
)
def test_transition_when_system_tightens_then_allowed(
    current: TradingState, requested: TradingState
) -> None:
    assert transition(current, requested, Actor.SYSTEM) is requested


@pytest.mark.parametrize(
    ("current", "requested"), [(REDUCING, ACTIVE), (HALTED, ACTIVE), (HALTED, REDUCING)]
)
def test_transition_when_system_loosens_then_refused(
    current: TradingState, requested: TradingState
) -> None:
    assert not can_transition(current, requested, Actor.SYSTEM)
    with pytest.raises(TransitionError):
        transition(current, requested, Actor.SYSTEM)


def test_state_after_daily_loss_when_active_then_reducing_else_unchanged() -> None:
    assert state_after_daily_loss(ACTIVE) is REDUCING
    assert state_after_daily_loss(REDUCING) is REDUCING
    assert state_after_daily_loss(HALTED) is HALTED


def test_order_machine_when_terminal_then_no_way_out() -> None:
    for state in TERMINAL_ORDER_STATES:
        assert ORDER_TRANSITIONS[state] == frozenset()
        for other in OrderState:
            assert can_advance_order(state, other) is (other is state)


def test_order_machine_when_every_state_then_listed() -> None:
    assert set(ORDER_TRANSITIONS) == set(OrderState)


def test_order_machine_when_submit_unknown_then_never_resubmits() -> None:
    assert not can_advance_order(OrderState.SUBMIT_UNKNOWN, OrderState.SUBMITTING)
    assert can_advance_order(OrderState.SUBMIT_UNKNOWN, OrderState.FILLED)
    assert can_advance_order(OrderState.SUBMIT_UNKNOWN, OrderState.NOT_PLACED)


def test_order_machine_when_happy_path_then_each_step_allowed() -> None:
    path = [
        OrderState.NONE,
        OrderState.SUBMITTING,
        OrderState.SUBMITTED,
        OrderState.OPEN,
        OrderState.PARTIALLY_FILLED,
        OrderState.PARTIALLY_FILLED,
        OrderState.FILLED,
    ]
    state = path[0]
    for step in path[1:]:
        state = advance_order(state, step)
    assert state is OrderState.FILLED


def test_advance_order_when_backwards_then_transition_error() -> None:
    with pytest.raises(TransitionError):
        advance_order(OrderState.FILLED, OrderState.OPEN)
    with pytest.raises(TransitionError):
        advance_order(OrderState.PARTIALLY_FILLED, OrderState.OPEN)
    with pytest.raises(TransitionError):
        advance_order(OrderState.NONE, OrderState.FILLED)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("open", OrderState.OPEN),
        ("partially_filled", OrderState.PARTIALLY_FILLED),
        ("filled", OrderState.FILLED),
        ("expired", OrderState.EXPIRED),
        ("canceled", OrderState.CANCELED),
        ("rejected", OrderState.REJECTED),
        ("error", OrderState.REJECTED),
        ("pending", OrderState.SUBMITTED),
        ("held", OrderState.SUBMITTED),
        ("something_new", OrderState.SUBMITTED),
        (" Filled ", OrderState.FILLED),
    ],
)
def test_order_state_from_tradier_when_status_then_mapped(status: str, state: OrderState) -> None:
    assert order_state_from_tradier(status) is state
