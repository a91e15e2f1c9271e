"""Order requests as frozen Structs, validated locally by the rules Tradier enforces.

A request that Tradier would refuse fails here first with a `ValueError` naming the field
and the rule, so nothing is sent. `to_form` builds Tradier's form fields (indexed
`option_symbol[0]` ... for multi-leg orders); the simulator validates with the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

import msgspec

from tradier.money import to_wire
from tradier.occ import OccSymbolError, parse_occ

EQUITY_SIDES: Final = frozenset({"buy", "buy_to_cover", "sell", "sell_short"})
OPTION_SIDES: Final = frozenset({"buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close"})
SINGLE_TYPES: Final = frozenset({"market", "limit", "stop", "stop_limit"})
NET_TYPES: Final = frozenset({"market", "debit", "credit", "even"})
EQUITY_DURATIONS: Final = frozenset({"day", "gtc", "pre", "post"})
OPTION_DURATIONS: Final = frozenset({"day", "gtc"})
MAX_TAG_LENGTH: Final = 255
MAX_LEGS: Final = 4
_TAG = re.compile(r"[A-Za-z0-9-]+")
_SYMBOL = re.compile(r"[A-Z][A-Z0-9./]{0,9}")


def _fail(field: str, rule: str) -> ValueError:
    return ValueError(f"{field}: {rule}")


def check_tag(tag: str | None, field: str = "tag") -> None:
    """Tradier's tag rule: at most 255 characters of [A-Za-z0-9-] (never truncated)."""
    if tag is None:
        return
    if len(tag) > MAX_TAG_LENGTH:
        raise _fail(field, f"at most {MAX_TAG_LENGTH} characters, got {len(tag)}")
    if not _TAG.fullmatch(tag):
        raise _fail(field, "only letters, digits and '-' are allowed")


def _check_symbol(symbol: str, field: str = "symbol") -> None:
    if not _SYMBOL.fullmatch(symbol):
        raise _fail(field, f"not an equity symbol: {symbol!r}")


def _check_option_symbol(symbol: str, field: str) -> None:
    try:
        parse_occ(symbol)
    except OccSymbolError as exc:
        raise _fail(field, str(exc)) from exc


def _check_choice(value: str, allowed: frozenset[str], field: str) -> None:
    if value not in allowed:
        raise _fail(field, f"must be one of {', '.join(sorted(allowed))}; got {value!r}")


def _check_quantity(quantity: int, field: str = "quantity") -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise _fail(field, f"must be a positive whole number, got {quantity!r}")


def _check_price(value: Decimal | None, needed: bool, field: str, when: str) -> None:
    if value is None:
        if needed:
            raise _fail(field, f"required when {when}")
        return
    if not needed:
        raise _fail(field, f"not allowed when {when}")
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise _fail(field, f"must be a positive Decimal, got {value!r}")


class _Order(msgspec.Struct, frozen=True, kw_only=True):
    """What every order request carries besides its instruments."""

    symbol: str
    type: str = "market"
    duration: str = "day"
    price: Decimal | None = None
    tag: str | None = None


class _SingleOrder(_Order, frozen=True, kw_only=True):
    """An order for one instrument: side, quantity and a stop price for stop types."""

    side: str
    quantity: int
    stop: Decimal | None = None


class EquityOrder(_SingleOrder, frozen=True, kw_only=True):
    """A stock/ETF order (`class=equity`)."""

    def __post_init__(self) -> None:
        _check_single(self, EQUITY_SIDES, EQUITY_DURATIONS)
        if self.side == "sell_short" and self.duration == "gtc":
            raise _fail("duration", "gtc is refused for short sells; use day")
        check_tag(self.tag)


class OptionOrder(_SingleOrder, frozen=True, kw_only=True):
    """A single-option order (`class=option`); `symbol` is the underlying."""

    option_symbol: str

    def __post_init__(self) -> None:
        _check_single(self, OPTION_SIDES, OPTION_DURATIONS)
        check_tag(self.tag)


def _check_single(
    order: EquityOrder | OptionOrder, sides: frozenset[str], durations: frozenset[str]
) -> None:
    _check_symbol(order.symbol)
    if isinstance(order, OptionOrder):
        _check_option_symbol(order.option_symbol, "option_symbol")
    _check_choice(order.side, sides, "side")
    _check_quantity(order.quantity)
    type_ = order.type
    _check_choice(type_, SINGLE_TYPES, "type")
    _check_choice(order.duration, durations, "duration")
    _check_price(order.price, type_ in ("limit", "stop_limit"), "price", f"type is {type_}")
    _check_price(order.stop, type_ in ("stop", "stop_limit"), "stop", f"type is {type_}")


class OptionLeg(msgspec.Struct, frozen=True, kw_only=True):
    """One option leg of a multileg or combo order."""

    option_symbol: str
    side: str
    quantity: int


Leg = OptionLeg


class EquityLeg(msgspec.Struct, frozen=True, kw_only=True):
    """The stock leg of a combo order (quantity in shares)."""

    side: str
    quantity: int


def _check_option_legs(legs: tuple[OptionLeg, ...], first_index: int) -> None:
    for i, leg in enumerate(legs, start=first_index):
        _check_option_symbol(leg.option_symbol, f"option_symbol[{i}]")
        _check_choice(leg.side, OPTION_SIDES, f"side[{i}]")
        _check_quantity(leg.quantity, f"quantity[{i}]")


def _check_net(order: _Order) -> None:
    type_ = order.type
    _check_choice(type_, NET_TYPES, "type")
    _check_choice(order.duration, OPTION_DURATIONS, "duration")
    _check_price(order.price, type_ in ("debit", "credit"), "price", f"type is {type_}")
    check_tag(order.tag)


class MultilegOrder(_Order, frozen=True, kw_only=True):
    """A 2-4 leg option order (`class=multileg`) at a net debit/credit/even or market."""

    legs: tuple[OptionLeg, ...]

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        if not 2 <= len(self.legs) <= MAX_LEGS:
            raise _fail("legs", f"a multileg order has 2 to {MAX_LEGS} legs, got {len(self.legs)}")
        _check_option_legs(self.legs, 0)
        if len({leg.option_symbol for leg in self.legs}) != len(self.legs):
            raise _fail("legs", "each option_symbol may appear only once")
        _check_net(self)


class ComboOrder(_Order, frozen=True, kw_only=True):
    """Stock plus one or two option legs (`class=combo`); leg 0 is the stock."""

    equity: EquityLeg
    options: tuple[OptionLeg, ...]

    def __post_init__(self) -> None:
        _check_symbol(self.symbol)
        _check_choice(self.equity.side, EQUITY_SIDES, "side[0]")
        _check_quantity(self.equity.quantity, "quantity[0]")
        if not 1 <= len(self.options) <= 2:
            raise _fail("options", f"a combo has 1 or 2 option legs, got {len(self.options)}")
        _check_option_legs(self.options, 1)
        _check_net(self)


OrderRequest = EquityOrder | OptionOrder | MultilegOrder | ComboOrder


def _common(form: dict[str, str], order: _Order) -> dict[str, str]:
    form["symbol"] = order.symbol
    form["type"] = order.type
    form["duration"] = order.duration
    if order.price is not None:
        form["price"] = to_wire(order.price)
    if order.tag is not None:
        form["tag"] = order.tag
    return form


def _legs(form: dict[str, str], legs: tuple[OptionLeg, ...], first_index: int) -> None:
    for i, leg in enumerate(legs, start=first_index):
        form[f"option_symbol[{i}]"] = leg.option_symbol
        form[f"side[{i}]"] = leg.side
        form[f"quantity[{i}]"] = str(leg.quantity)


def to_form(order: OrderRequest) -> dict[str, str]:
    """Tradier's form fields for an order request (without `preview`)."""
    match order:
        case EquityOrder() | OptionOrder():
            form = {"class": "equity" if isinstance(order, EquityOrder) else "option"}
            if isinstance(order, OptionOrder):
                form["option_symbol"] = order.option_symbol
            form["side"] = order.side
            form["quantity"] = str(order.quantity)
            if order.stop is not None:
                form["stop"] = to_wire(order.stop)
            return _common(form, order)
        case MultilegOrder():
            form = {"class": "multileg"}
            _legs(form, order.legs, 0)
            return _common(form, order)
        case ComboOrder():
            form = {
                "class": "combo",
                "side[0]": order.equity.side,
                "quantity[0]": str(order.equity.quantity),
            }
            _legs(form, order.options, 1)
            return _common(form, order)
    raise TypeError(f"not an order request: {type(order).__name__}")
