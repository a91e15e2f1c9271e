"""Decoding Tradier's response bodies into models: one msgspec Decoder per envelope, built
once, in lax mode (Tradier sometimes sends numbers as strings and quantities as 1.0)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import msgspec

from tradier.models import (
    Balances,
    CalendarDay,
    Expiration,
    GainLoss,
    HistoryBar,
    MarketClock,
    OptionQuote,
    Order,
    OrderAck,
    OrderPreview,
    Position,
    Quote,
    Security,
    StreamSession,
    TimeSale,
)
from tradier.shapes import (
    CalendarWire,
    ClockWire,
    ExpirationsWire,
    GainLossWire,
    OrderWire,
    PositionWire,
    PreviewWire,
    StrikesWire,
    TimeSaleWire,
    as_list,
    as_str_list,
    to_calendar,
    to_clock,
    to_expirations,
    to_gainloss,
    to_order,
    to_position,
    to_preview,
    to_strikes,
    to_timesale,
)

T = TypeVar("T")


class _Unmatched(msgspec.Struct):
    symbol: list[str] | str | None = None


class _Quotes(msgspec.Struct):
    quote: list[Quote] | Quote | str | None = None
    unmatched_symbols: _Unmatched | str | None = None


class _Options(msgspec.Struct):
    option: list[OptionQuote] | OptionQuote | str | None = None


class _Orders(msgspec.Struct):
    order: list[OrderWire] | OrderWire | str | None = None


class _Positions(msgspec.Struct):
    position: list[PositionWire] | PositionWire | str | None = None


class _GainLosses(msgspec.Struct):
    closed_position: list[GainLossWire] | GainLossWire | str | None = None


class _History(msgspec.Struct):
    day: list[HistoryBar] | HistoryBar | str | None = None


class _Securities(msgspec.Struct):
    security: list[Security] | Security | str | None = None


class _Series(msgspec.Struct):
    data: list[TimeSaleWire] | TimeSaleWire | str | None = None


class _Env(msgspec.Struct):
    """Every top-level key a response may hold; each endpoint reads its own."""

    quotes: _Quotes | str | None = None
    options: _Options | str | None = None
    expirations: ExpirationsWire | str | None = None
    strikes: StrikesWire | str | None = None
    clock: ClockWire | None = None
    calendar: CalendarWire | None = None
    history: _History | str | None = None
    series: _Series | str | None = None
    securities: _Securities | str | None = None
    balances: Balances | None = None
    positions: _Positions | str | None = None
    orders: _Orders | str | None = None
    order: OrderWire | None = None
    gainloss: _GainLosses | str | None = None
    stream: StreamSession | None = None


def _decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    # Lax mode: Tradier sometimes sends numbers as strings ("1.5") and quantities as 1.0.
    return msgspec.json.Decoder(type_, strict=False)


class _OrderEnv(msgspec.Struct):
    order: OrderAck


class _PreviewEnv(msgspec.Struct):
    order: PreviewWire


_ENV = _decoder(_Env)
_ACK = _decoder(_OrderEnv)
_PREVIEW = _decoder(_PreviewEnv)


def _envelope(body: bytes, key: str) -> Any:
    value = getattr(_ENV.decode(body), key)
    if value is None:
        raise msgspec.ValidationError(f"Object missing required field `{key}`")
    return value


def _optional(body: bytes, key: str) -> Any:
    return getattr(_ENV.decode(body), key)


def decode_quotes(body: bytes) -> tuple[list[Quote], list[str]]:
    """Quotes and the symbols Tradier did not recognise."""
    q = _optional(body, "quotes")
    if q is None or isinstance(q, str):
        return [], []
    unmatched = (
        []
        if q.unmatched_symbols is None or isinstance(q.unmatched_symbols, str)
        else (as_str_list(q.unmatched_symbols.symbol))
    )
    return as_list(q.quote), unmatched


def _list_of(key: str, attr: str, convert: Callable[[Any], T] | None = None) -> Any:
    def decode(body: bytes) -> list[T]:
        wrapper = _optional(body, key)
        if wrapper is None or isinstance(wrapper, str):
            return []
        items = as_list(getattr(wrapper, attr))
        return [convert(i) for i in items] if convert else items

    decode.__doc__ = f"The `{key}.{attr}` list, whatever its cardinality."
    return decode


decode_chain: Callable[[bytes], list[OptionQuote]] = _list_of("options", "option")
decode_orders: Callable[[bytes], list[Order]] = _list_of("orders", "order", to_order)
decode_positions: Callable[[bytes], list[Position]] = _list_of("positions", "position", to_position)
decode_gainloss: Callable[[bytes], list[GainLoss]] = _list_of(
    "gainloss", "closed_position", to_gainloss
)
decode_history: Callable[[bytes], list[HistoryBar]] = _list_of("history", "day")
decode_timesales: Callable[[bytes], list[TimeSale]] = _list_of("series", "data", to_timesale)
decode_securities: Callable[[bytes], list[Security]] = _list_of("securities", "security")


def decode_strikes(body: bytes) -> list[Decimal]:
    """Strikes for one expiration."""
    return list(to_strikes(_optional(body, "strikes")))


def decode_expirations(body: bytes) -> list[Expiration]:
    """Expirations, with details when Tradier sent them."""
    return to_expirations(_optional(body, "expirations"))


def decode_clock(body: bytes) -> MarketClock:
    """The market clock, timestamp in ms."""
    return to_clock(_envelope(body, "clock"))


def decode_calendar(body: bytes) -> list[CalendarDay]:
    """The days of one calendar month."""
    return to_calendar(_envelope(body, "calendar"))


def decode_balances(body: bytes) -> Balances:
    """Account balances."""
    result: Balances = _envelope(body, "balances")
    return result


def decode_order(body: bytes) -> Order:
    """One order (`GET .../orders/{id}`)."""
    return to_order(_envelope(body, "order"))


def decode_order_ack(body: bytes) -> OrderAck:
    """The `{"order": {"id", "status", "partner_id"}}` answer to place/change/cancel."""
    result: OrderAck = _ACK.decode(body).order
    return result


def decode_preview(body: bytes) -> OrderPreview:
    """The answer to `preview=true`."""
    return to_preview(_PREVIEW.decode(body).order)


def decode_session(body: bytes) -> StreamSession:
    """A new streaming session."""
    result: StreamSession = _envelope(body, "stream")
    return result
