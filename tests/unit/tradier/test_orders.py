"""Order requests: Tradier's rules checked locally, form fields built once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradier.orders import (
    ComboOrder,
    EquityLeg,
    EquityOrder,
    MultilegOrder,
    OptionLeg,
    OptionOrder,
    to_form,
)

PUT_500 = "SPY260320P00500000"
PUT_495 = "SPY260320P00495000"
CALL_510 = "SPY260320C00510000"


def spread(**kw: object) -> MultilegOrder:
    legs = (
        OptionLeg(option_symbol=PUT_500, side="sell_to_open", quantity=1),
        OptionLeg(option_symbol=PUT_495, side="buy_to_open", quantity=1),
    )
    args: dict = {"symbol": "SPY", "legs": legs, "type": "credit", "price": Decimal("1.25")}
    args.update(kw)
    return MultilegOrder(**args)


def test_equity_form_when_limit_then_class_price_and_tag() -> None:
    order = EquityOrder(
        symbol="SPY", side="buy", quantity=10, type="limit", price=Decimal("281.5"), tag="p-1"
    )
    assert to_form(order) == {
        "class": "equity",
        "symbol": "SPY",
        "side": "buy",
        "quantity": "10",
        "type": "limit",
        "duration": "day",
        "price": "281.5",
        "tag": "p-1",
    }


def test_option_form_when_stop_limit_then_price_and_stop() -> None:
    order = OptionOrder(
        symbol="SPY",
        option_symbol=CALL_510,
        side="buy_to_open",
        quantity=1,
        type="stop_limit",
        price=Decimal("2.10"),
        stop=Decimal("2.00"),
    )
    form = to_form(order)
    assert form["class"] == "option" and form["option_symbol"] == CALL_510
    assert (form["price"], form["stop"]) == ("2.10", "2.00")


def test_multileg_form_when_credit_spread_then_indexed_legs() -> None:
    form = to_form(spread(tag="abc-1"))
    assert form["class"] == "multileg" and form["type"] == "credit" and form["price"] == "1.25"
    assert form["option_symbol[0]"] == PUT_500 and form["side[0]"] == "sell_to_open"
    assert form["option_symbol[1]"] == PUT_495 and form["quantity[1]"] == "1"
    assert "option_symbol[2]" not in form


def test_combo_form_when_stock_and_call_then_leg_zero_is_equity() -> None:
    order = ComboOrder(
        symbol="SPY",
        equity=EquityLeg(side="buy", quantity=100),
        options=(OptionLeg(option_symbol=CALL_510, side="sell_to_open", quantity=1),),
        type="debit",
        price=Decimal("270.00"),
    )
    form = to_form(order)
    assert (form["side[0]"], form["quantity[0]"]) == ("buy", "100")
    assert form["option_symbol[1]"] == CALL_510 and "option_symbol[0]" not in form


def test_price_when_tiny_decimal_then_no_exponent_on_wire() -> None:
    order = EquityOrder(symbol="SPY", side="buy", quantity=1, type="limit", price=Decimal("1E-7"))
    assert to_form(order)["price"] == "0.0000001"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"side": "buy_to_open"}, "side"),
        ({"quantity": 0}, "quantity"),
        ({"type": "limit"}, "price"),
        ({"type": "stop", "price": Decimal("1")}, "price"),
        ({"type": "stop"}, "stop"),
        ({"type": "market", "price": Decimal("1")}, "price"),
        ({"duration": "week"}, "duration"),
        ({"side": "sell_short", "duration": "gtc"}, "duration"),
        ({"tag": "x" * 256}, "tag"),
        ({"tag": "has space"}, "tag"),
        ({"symbol": "spy"}, "symbol"),
    ],
)
def test_equity_when_rule_broken_then_value_error_names_field(kwargs: dict, field: str) -> None:
    args: dict = {"symbol": "SPY", "side": "buy", "quantity": 1, **kwargs}
    with pytest.raises(ValueError, match=rf"^{field}"):
        EquityOrder(**args)


def test_tag_when_255_allowed_characters_then_accepted() -> None:
    assert EquityOrder(symbol="SPY", side="buy", quantity=1, tag="A-9" * 85).tag


def test_option_when_equity_side_then_value_error_names_side() -> None:
    with pytest.raises(ValueError, match=r"^side"):
        OptionOrder(symbol="SPY", option_symbol=CALL_510, side="buy", quantity=1)


def test_option_when_symbol_not_occ_then_value_error_names_option_symbol() -> None:
    with pytest.raises(ValueError, match=r"^option_symbol"):
        OptionOrder(symbol="SPY", option_symbol="SPY 260320C510", side="buy_to_open", quantity=1)


def test_multileg_when_five_legs_then_value_error_names_legs() -> None:
    leg = OptionLeg(option_symbol=PUT_500, side="buy_to_open", quantity=1)
    with pytest.raises(ValueError, match=r"^legs"):
        spread(legs=(leg,) * 5)


def test_multileg_when_leg_side_is_equity_side_then_indexed_field_named() -> None:
    legs = (
        OptionLeg(option_symbol=PUT_500, side="sell_to_open", quantity=1),
        OptionLeg(option_symbol=PUT_495, side="buy", quantity=1),
    )
    with pytest.raises(ValueError, match=r"^side\[1\]"):
        spread(legs=legs)


def test_multileg_when_credit_without_price_then_price_required() -> None:
    with pytest.raises(ValueError, match=r"^price"):
        spread(price=None)


def test_multileg_when_even_with_price_then_price_not_allowed() -> None:
    with pytest.raises(ValueError, match=r"^price"):
        spread(type="even")


def test_multileg_when_same_option_twice_then_value_error() -> None:
    leg = OptionLeg(option_symbol=PUT_500, side="buy_to_open", quantity=1)
    with pytest.raises(ValueError, match=r"^legs"):
        spread(legs=(leg, leg))


def test_combo_when_no_option_leg_then_value_error_names_options() -> None:
    with pytest.raises(ValueError, match=r"^options"):
        ComboOrder(symbol="SPY", equity=EquityLeg(side="buy", quantity=100), options=())
