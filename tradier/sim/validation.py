"""Order form validation as Tradier does it: form fields in, an `OrderRequest` or errors out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tradier.calendar import MarketState, read_clock, trading_day
from tradier.clock import to_new_york
from tradier.occ import OccSymbolError, parse_occ, underlying_of
from tradier.sim.venue import Venue

EQUITY_SIDES = ("buy", "buy_to_cover", "sell", "sell_short")
OPTION_SIDES = ("buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close")
SINGLE_TYPES = ("market", "limit", "stop", "stop_limit")
NET_TYPES = ("market", "debit", "credit", "even")
DURATIONS = ("day", "gtc", "pre", "post")
MAX_LEGS = 4
_TAG = re.compile(r"^[A-Za-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class LegRequest:
    """One leg: an option (OCC symbol) or, in a combo, the equity leg."""

    symbol: str
    side: str
    quantity: int
    is_option: bool

    @property
    def sign(self) -> int:
        """+1 when the leg buys, -1 when it sells."""
        return 1 if self.side.startswith("buy") else -1


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A validated order. Single-leg orders carry one leg too, so fills treat all alike."""

    klass: str
    symbol: str
    type: str
    duration: str
    legs: tuple[LegRequest, ...]
    price: Decimal | None
    stop: Decimal | None
    tag: str | None

    @property
    def is_single(self) -> bool:
        """Equity or option order."""
        return self.klass in ("equity", "option")


def check_tag(tag: str | None) -> str | None:
    """The tag error message, or None when the tag is acceptable."""
    if tag is None:
        return None
    if len(tag) > 255:
        return "Invalid parameter, tag: contains more than 255 characters."
    if not _TAG.match(tag):
        return "Invalid parameter, tag: contains invalid characters."
    return None


def positive_decimal(form: Mapping[str, str], key: str, errors: list[str]) -> Decimal | None:
    """A price field: None when absent; an error is appended when not a number > 0."""
    raw = form.get(key)
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(f"Invalid parameter, {key}: must be a number.")
        return None
    if not value.is_finite() or value <= 0:
        errors.append(f"Invalid parameter, {key}: must be greater than 0.")
        return None
    return value


def _quantity(raw: str | None, key: str, errors: list[str]) -> int:
    if raw is None or raw == "":
        errors.append(f"Invalid parameter, {key}: is required.")
        return 0
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.append(f"Invalid parameter, {key}: must be a number.")
        return 0
    if not value.is_finite() or value <= 0 or value != value.to_integral_value():
        errors.append(f"Invalid parameter, {key}: must be a whole number greater than 0.")
        return 0
    return int(value)


def _check_underlying(symbol: str, klass: str, venue: Venue, errors: list[str]) -> None:
    # An index quotes and lists options but has no shares: equity and combo orders on it
    # are refused, option and multileg orders on its series are fine.
    if not symbol:
        errors.append("Invalid parameter, symbol: is required.")
        return
    spec = venue.spec(symbol)
    if spec is None:
        errors.append(f"Invalid parameter, symbol: {symbol} is not a valid symbol.")
    elif spec.quote_only and klass in ("equity", "combo"):
        errors.append(f"Invalid parameter, symbol: {symbol} is an index and cannot be traded.")


def _check_option(
    option_symbol: str, symbol: str, key: str, venue: Venue, errors: list[str]
) -> None:
    if not option_symbol:
        errors.append(f"Invalid parameter, {key}: is required.")
        return
    try:
        occ = parse_occ(option_symbol)
    except OccSymbolError:
        errors.append(f"Invalid parameter, {key}: {option_symbol} is not a valid option symbol.")
        return
    if underlying_of(occ.root) != symbol:
        errors.append(f"Invalid parameter, {key}: root {occ.root} does not match symbol {symbol}.")
        return
    if venue.option(option_symbol) is None:
        errors.append(f"Invalid parameter, {key}: {option_symbol} is not a listed option.")


def _check_duration(duration: str, venue: Venue, errors: list[str]) -> None:
    if duration not in DURATIONS:
        errors.append("Invalid parameter, duration: must be one of day, gtc, pre, post.")
        return
    if not venue.follow_calendar or duration not in ("pre", "post"):
        return
    now = venue.now_ms()
    state = read_clock(now, True).state
    if duration == "pre" and state in (MarketState.OPEN, MarketState.POSTMARKET):
        errors.append("Invalid parameter, duration: pre market no longer available")
    local = to_new_york(now)
    info = trading_day(local.date())
    if duration == "post" and info.is_open and local.time() >= info.postmarket_end:
        errors.append("Invalid parameter, duration: post market no longer available")


def check_prices(
    order_type: str, price: Decimal | None, stop: Decimal | None, errors: list[str]
) -> None:
    """Price is required for limit-like types, stop for stop types."""
    if order_type in ("limit", "stop_limit", "debit", "credit") and price is None:
        errors.append(f"Invalid parameter, price: is required for {order_type} orders.")
    if order_type in ("stop", "stop_limit") and stop is None:
        errors.append(f"Invalid parameter, stop: is required for {order_type} orders.")


def validate_order(form: Mapping[str, str], venue: Venue) -> OrderRequest | list[str]:
    """Validate a POSTed order form; every problem found is reported at once."""
    errors: list[str] = []
    klass = form.get("class", "")
    symbol = form.get("symbol", "").upper()
    order_type = form.get("type", "")
    duration = form.get("duration", "")
    tag = form.get("tag")
    tag_error = check_tag(tag)
    if tag_error:
        errors.append(tag_error)
    if klass not in ("equity", "option", "multileg", "combo"):
        errors.append(
            "Invalid parameter, class: must be one of equity, option, multileg, combo, oto, oco, "
            "otoco."
        )
        return errors
    _check_underlying(symbol, klass, venue, errors)
    _check_duration(duration, venue, errors)
    price = positive_decimal(form, "price", errors)
    stop = positive_decimal(form, "stop", errors)
    legs: list[LegRequest] = []
    if klass in ("equity", "option"):
        if order_type not in SINGLE_TYPES:
            errors.append(f"type is invalid for class {klass}")
        side = form.get("side", "")
        sides = EQUITY_SIDES if klass == "equity" else OPTION_SIDES
        if side not in sides:
            errors.append(f"side is invalid for class {klass}")
        quantity = _quantity(form.get("quantity"), "quantity", errors)
        if side == "sell_short" and duration == "gtc":
            errors.append("Invalid parameter, duration: gtc is not allowed for sell_short orders.")
        leg_symbol = symbol
        if klass == "option":
            leg_symbol = form.get("option_symbol", "")
            _check_option(leg_symbol, symbol, "option_symbol", venue, errors)
        legs.append(LegRequest(leg_symbol, side, quantity, klass == "option"))
    else:
        if order_type not in NET_TYPES:
            errors.append(f"type is invalid for class {klass}")
        legs = _parse_legs(form, klass, symbol, venue, errors)
        if any(leg.side == "sell_short" for leg in legs) and duration == "gtc":
            errors.append("Invalid parameter, duration: gtc is not allowed for sell_short orders.")
    if klass != "equity" and duration in ("pre", "post"):
        errors.append("Invalid parameter, duration: pre and post are for equity orders only.")
    check_prices(order_type, price, stop, errors)
    if errors:
        return errors
    return OrderRequest(klass, symbol, order_type, duration, tuple(legs), price, stop, tag)


def _parse_legs(
    form: Mapping[str, str], klass: str, symbol: str, venue: Venue, errors: list[str]
) -> list[LegRequest]:
    indices = sorted(
        {
            int(m[1])
            for k in form
            for m in [re.match(r"^(?:option_symbol|side|quantity)\[(\d+)\]$", k)]
            if m
        }
    )
    if len(indices) > MAX_LEGS:
        errors.append(f"Invalid parameter, legs: at most {MAX_LEGS} legs are allowed.")
        return []
    if len(indices) < 2:
        errors.append(f"Invalid parameter, legs: a {klass} order needs at least 2 legs.")
        return []
    if klass == "combo" and (indices[0] != 0 or len(indices) > 3):
        errors.append("Invalid parameter, legs: a combo is equity leg 0 and 1-2 option legs.")
        return []
    legs: list[LegRequest] = []
    for i in indices:
        side = form.get(f"side[{i}]", "")
        quantity = _quantity(form.get(f"quantity[{i}]"), f"quantity[{i}]", errors)
        if klass == "combo" and i == 0:
            if side not in EQUITY_SIDES:
                errors.append(f"side[{i}] is invalid for the equity leg of class combo")
            legs.append(LegRequest(symbol, side, quantity, False))
            continue
        if side not in OPTION_SIDES:
            errors.append(f"side[{i}] is invalid for class {klass}")
        option_symbol = form.get(f"option_symbol[{i}]", "")
        _check_option(option_symbol, symbol, f"option_symbol[{i}]", venue, errors)
        legs.append(LegRequest(option_symbol, side, quantity, True))
    seen = [leg.symbol for leg in legs]
    if len(set(seen)) != len(seen):
        errors.append("Invalid parameter, legs: the same symbol appears in two legs.")
    return legs
