"""Proposal -> Tradier order request mapping."""

from __future__ import annotations

import pytest

from gatekeeper.orders import to_order_form, to_order_request
from tests.unit.gatekeeper.builders import (
    ALL_VALID,
    EQUITY,
    PROPOSAL_ID,
    RATIO_SPREAD,
    SINGLE_OPTION,
    VERTICAL,
    closing,
    proposal,
)
from tradier.orders import EquityOrder, MultilegOrder, OptionOrder


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_to_order_form_when_any_strategy_then_tagged_with_proposal_id(name: str) -> None:
    form = to_order_form(proposal(ALL_VALID[name]))
    assert form["tag"] == PROPOSAL_ID
    assert form["symbol"] == "SPY"


def test_to_order_request_when_equity_then_equity_order() -> None:
    order = to_order_request(proposal(EQUITY))
    assert isinstance(order, EquityOrder)
    assert to_order_form(proposal(EQUITY)) == {
        "class": "equity",
        "symbol": "SPY",
        "side": "buy",
        "quantity": "10",
        "type": "limit",
        "price": "600.50",
        "duration": "day",
        "tag": PROPOSAL_ID,
    }


def test_to_order_request_when_market_equity_then_no_price() -> None:
    form = to_order_form(proposal(EQUITY, order_type="market", price=...))
    assert form["type"] == "market"
    assert "price" not in form


def test_to_order_request_when_single_option_then_option_order() -> None:
    order = to_order_request(proposal(SINGLE_OPTION))
    assert isinstance(order, OptionOrder)
    form = to_order_form(proposal(SINGLE_OPTION))
    assert form["class"] == "option"
    assert form["option_symbol"] == "SPY251219C00600000"
    assert (form["side"], form["quantity"], form["price"]) == ("buy_to_open", "2", "3.10")


def test_to_order_request_when_vertical_then_indexed_legs() -> None:
    order = to_order_request(proposal(VERTICAL))
    assert isinstance(order, MultilegOrder)
    form = to_order_form(proposal(VERTICAL))
    assert form["class"] == "multileg"
    assert form["type"] == "credit"
    assert form["option_symbol[0]"] == "SPY251219P00580000"
    assert form["side[1]"] == "buy_to_open"
    assert form["quantity[0]"] == form["quantity[1]"] == "2"


def test_to_order_request_when_ratio_then_leg_quantity_is_quantity_times_ratio() -> None:
    form = to_order_form(proposal(RATIO_SPREAD, quantity=3))
    assert (form["quantity[0]"], form["quantity[1]"]) == ("3", "6")


def test_to_order_request_when_closing_then_close_sides() -> None:
    form = to_order_form(closing(VERTICAL))
    assert (form["side[0]"], form["side[1]"]) == ("buy_to_close", "sell_to_close")
    assert form["type"] == "debit"
