"""Tradier's JSON as it arrives, and its conversion into `tradier.models`.

Quirks settled here (see shared/TRADIER.md sections 4-6):
- a list wrapper holds a bare object for one item, `"null"` or `null` for none;
- numbers may arrive as strings (decoded in lax mode by `tradier.responses`);
- times become UTC epoch milliseconds: quote dates are already ms, the clock's `timestamp`
  is seconds, order and position dates are ISO with `Z`, the preview's `request_date` and
  time-and-sales `time` are zone-less New York times; calendar session times are ET;
- `open`/`high`/`low`/`close` are null before the open;
- `avg_fill_price` is 0 or missing on an unfilled order (it becomes None).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

import msgspec

from tradier.clock import NEW_YORK, from_datetime
from tradier.models import (
    CalendarDay,
    Expiration,
    GainLoss,
    GainLossFields,
    MarketClock,
    Order,
    OrderFields,
    OrderPreview,
    Position,
    PositionFields,
    PreviewFields,
    SessionHours,
    TimeSale,
    TimeSaleFields,
)

T = TypeVar("T")


def as_list(value: list[T] | tuple[T, ...] | T | str | None) -> list[T]:
    """Tradier's list cardinality: `"null"`/null -> [], one object -> [it], a list -> it."""
    if value is None or isinstance(value, str):
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def as_str_list(value: list[str] | str | None) -> list[str]:
    """A list of strings with Tradier's cardinality: `"null"`/null -> [], "X" -> ["X"]."""
    if value is None or value in ("null", ""):
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def utc_ms(value: datetime | None) -> int | None:
    """A wire datetime as epoch ms; a zone-less one is New York time (Tradier's habit)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=NEW_YORK)
    return from_datetime(value)


# ---------------------------------------------------------------- wire shapes


class StrikesWire(msgspec.Struct):
    strike: list[float] | float | str | None = None


class ExpirationWire(msgspec.Struct):
    date: date
    contract_size: int | None = None
    expiration_type: str | None = None
    strikes: StrikesWire | str | None = None


class ExpirationsWire(msgspec.Struct):
    date: list[str] | str | None = None
    expiration: list[ExpirationWire] | ExpirationWire | str | None = None


class ClockWire(msgspec.Struct):
    date: date
    state: str
    timestamp: int
    description: str = ""
    next_change: str = ""
    next_state: str = ""


class HoursWire(msgspec.Struct):
    start: str
    end: str


class DayWire(msgspec.Struct):
    date: date
    status: str
    description: str | None = None
    premarket: HoursWire | None = None
    open: HoursWire | None = None
    postmarket: HoursWire | None = None


class DaysWire(msgspec.Struct):
    day: list[DayWire] | DayWire | str | None = None


class CalendarWire(msgspec.Struct):
    days: DaysWire | str | None = None


class TimeSaleWire(TimeSaleFields, frozen=True, kw_only=True):
    time: datetime
    timestamp: int | None = None


class OrderWire(OrderFields, frozen=True, kw_only=True):
    exec_quantity: int | None = None
    last_fill_quantity: int | None = None
    remaining_quantity: int | None = None
    create_date: datetime | None = None
    transaction_date: datetime | None = None
    leg: list[OrderWire] | OrderWire | str | None = None


class PositionWire(PositionFields, frozen=True, kw_only=True):
    date_acquired: datetime | None = None


class GainLossWire(GainLossFields, frozen=True, kw_only=True):
    open_date: datetime | None = None
    close_date: datetime | None = None


class PreviewWire(PreviewFields, frozen=True, kw_only=True):
    request_date: datetime | None = None


# ---------------------------------------------------------------- conversions


def _common(w: msgspec.Struct, base: type[msgspec.Struct]) -> dict[str, Any]:
    """The values of the fields `w` shares with a model through `base`."""
    return {name: getattr(w, name) for name in base.__struct_fields__}


def to_clock(w: ClockWire) -> MarketClock:
    """The market clock with its timestamp in ms."""
    return MarketClock(
        date=w.date,
        description=w.description,
        state=w.state,
        timestamp_ms=w.timestamp * 1000,
        next_change=w.next_change,
        next_state=w.next_state,
    )


def to_hours(w: HoursWire | None) -> SessionHours | None:
    """Session hours as New York times."""
    if w is None:
        return None
    return SessionHours(time.fromisoformat(w.start), time.fromisoformat(w.end))


def to_day(w: DayWire) -> CalendarDay:
    """One calendar day."""
    return CalendarDay(
        date=w.date,
        status=w.status,
        description=w.description,
        premarket=to_hours(w.premarket),
        open=to_hours(w.open),
        postmarket=to_hours(w.postmarket),
    )


def to_strikes(w: StrikesWire | str | None) -> tuple[Decimal, ...]:
    """Strikes as Decimals."""
    if w is None or isinstance(w, str):
        return ()
    return tuple(Decimal(repr(float(s))) for s in as_list(w.strike))


def to_expiration(w: ExpirationWire) -> Expiration:
    """One expiration with details."""
    return Expiration(
        date=w.date,
        contract_size=w.contract_size,
        expiration_type=w.expiration_type,
        strikes=to_strikes(w.strikes),
    )


def to_timesale(w: TimeSaleWire) -> TimeSale:
    """A time-and-sales bar with its start in UTC ms."""
    time_ms = w.timestamp * 1000 if w.timestamp is not None else utc_ms(w.time)
    assert time_ms is not None  # `time` is required, so one of the two is set
    return TimeSale(**_common(w, TimeSaleFields), time_ms=time_ms)


def to_order(w: OrderWire) -> Order:
    """An order with ms dates, legs as orders and no fill price until filled."""
    fields = _common(w, OrderFields)
    executed = w.exec_quantity or 0
    # Unfilled orders report avg_fill_price as 0 or not at all; a fill at 0 is not a price.
    fields["avg_fill_price"] = w.avg_fill_price if executed and w.avg_fill_price else None
    fields["last_fill_price"] = w.last_fill_price if w.last_fill_quantity else None
    return Order(
        **fields,
        exec_quantity=executed,
        last_fill_quantity=w.last_fill_quantity or 0,
        remaining_quantity=w.remaining_quantity or 0,
        create_date_ms=utc_ms(w.create_date),
        transaction_date_ms=utc_ms(w.transaction_date),
        legs=tuple(to_order(leg) for leg in as_list(w.leg)),
    )


def to_position(w: PositionWire) -> Position:
    """A position with its acquisition time in ms."""
    return Position(**_common(w, PositionFields), date_acquired_ms=utc_ms(w.date_acquired))


def to_gainloss(w: GainLossWire) -> GainLoss:
    """A closed position with ms dates."""
    return GainLoss(
        **_common(w, GainLossFields),
        open_date_ms=utc_ms(w.open_date),
        close_date_ms=utc_ms(w.close_date),
    )


def to_preview(w: PreviewWire) -> OrderPreview:
    """A preview with its zone-less request date read as New York time."""
    return OrderPreview(**_common(w, PreviewFields), request_date_ms=utc_ms(w.request_date))


def to_expirations(w: ExpirationsWire | str | None) -> list[Expiration]:
    """Expirations, plain dates or with details."""
    if w is None or isinstance(w, str):
        return []
    if w.expiration is not None:
        return [to_expiration(e) for e in as_list(w.expiration)]
    return [Expiration(date=date.fromisoformat(d)) for d in as_str_list(w.date)]


def to_calendar(w: CalendarWire) -> list[CalendarDay]:
    """The days of a calendar month."""
    if w.days is None or isinstance(w.days, str):
        return []
    return [to_day(d) for d in as_list(w.days.day)]
