"""Tradier's REST responses as frozen msgspec Structs, with every quirk settled here, once.

Quirks handled at this edge (see shared/TRADIER.md sections 4-6):
- a list wrapper holds a bare object for one item, `"null"` or `null` for none;
- numbers may arrive as strings (decoded in lax mode);
- times become UTC epoch milliseconds: quote dates are already ms, the clock's `timestamp`
  is seconds, order and position dates are ISO with `Z`, the preview's `request_date` and
  time-and-sales `time` are zone-less New York times; calendar session times are ET;
- `open`/`high`/`low`/`close` are null before the open;
- `avg_fill_price` is 0 or missing on an unfilled order (it becomes None).

Money is `Decimal` per unit. Ratios and Greeks are floats. Fields renamed from the wire
keep the wire name (`msgspec.field(name=...)`), so encoding a model gives Tradier's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final, TypeVar

import msgspec

from tradier.clock import NEW_YORK, from_datetime

T = TypeVar("T")

FINAL_ORDER_STATES: Final = frozenset({"filled", "canceled", "expired", "rejected", "error"})


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


# ---------------------------------------------------------------- market data


class Greeks(msgspec.Struct, frozen=True, kw_only=True):
    """Option Greeks (supplied by ORATS, refreshed about hourly)."""

    delta: float | None = None
    gamma: float | None = None
    theta: float | None = None
    vega: float | None = None
    rho: float | None = None
    phi: float | None = None
    bid_iv: float | None = None
    mid_iv: float | None = None
    ask_iv: float | None = None
    smv_vol: float | None = None
    updated_at: str | None = None


class Quote(msgspec.Struct, frozen=True, kw_only=True):
    """A quote for a stock, ETF, index or option; option fields are None for others."""

    symbol: str
    description: str | None = None
    exch: str | None = None
    type: str | None = None
    last: Decimal | None = None
    change: Decimal | None = None
    change_percentage: float | None = None
    volume: int | None = None
    average_volume: int | None = None
    last_volume: int | None = None
    trade_date_ms: int | None = msgspec.field(default=None, name="trade_date")
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    prevclose: Decimal | None = None
    week_52_high: Decimal | None = None
    week_52_low: Decimal | None = None
    bid: Decimal | None = None
    bidsize: int | None = None
    bidexch: str | None = None
    bid_date_ms: int | None = msgspec.field(default=None, name="bid_date")
    ask: Decimal | None = None
    asksize: int | None = None
    askexch: str | None = None
    ask_date_ms: int | None = msgspec.field(default=None, name="ask_date")
    root_symbols: str | None = None
    underlying: str | None = None
    strike: Decimal | None = None
    open_interest: int | None = None
    contract_size: int | None = None
    expiration_date: date | None = None
    expiration_type: str | None = None
    option_type: str | None = None
    root_symbol: str | None = None
    greeks: Greeks | None = None

    @property
    def mid(self) -> Decimal | None:
        """Midpoint of bid and ask, or None when either side is missing."""
        if self.bid is None or self.ask is None:
            return None
        return (self.bid + self.ask) / 2


class OptionQuote(Quote, frozen=True, kw_only=True):
    """A quote from an option chain: the option fields are always present."""

    underlying: str
    strike: Decimal
    option_type: str
    expiration_date: date


class SessionHours(msgspec.Struct, frozen=True):
    """A trading session's start and end, New York wall-clock times."""

    start: time
    end: time


class CalendarDay(msgspec.Struct, frozen=True, kw_only=True):
    """One day of the market calendar; closed days carry no sessions."""

    date: date
    status: str
    description: str | None = None
    premarket: SessionHours | None = None
    open: SessionHours | None = None
    postmarket: SessionHours | None = None

    @property
    def is_open(self) -> bool:
        """True on a trading day (half days included)."""
        return self.status == "open"


class MarketClock(msgspec.Struct, frozen=True, kw_only=True):
    """The market clock; `next_change` is HH:MM New York time."""

    date: date
    description: str
    state: str
    timestamp_ms: int
    next_change: str
    next_state: str

    @property
    def is_open(self) -> bool:
        """True during the regular session."""
        return self.state == "open"


class Expiration(msgspec.Struct, frozen=True, kw_only=True):
    """An option expiration with its details (when asked for)."""

    date: date
    contract_size: int | None = None
    expiration_type: str | None = None
    strikes: tuple[Decimal, ...] = ()


class HistoryBar(msgspec.Struct, frozen=True, kw_only=True):
    """A daily/weekly/monthly bar."""

    date: date
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    volume: int | None = None


class TimeSale(msgspec.Struct, frozen=True, kw_only=True):
    """An intraday bar from time and sales; `time_ms` is its start, UTC epoch ms."""

    time_ms: int
    price: Decimal | None = None
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    volume: int | None = None
    vwap: Decimal | None = None


class StreamSession(msgspec.Struct, frozen=True):
    """A streaming session id (valid to start a stream for 5 minutes)."""

    url: str
    sessionid: str


# ---------------------------------------------------------------- account


class MarginBalances(msgspec.Struct, frozen=True, kw_only=True):
    """Buying power of a margin account (a `pdt` account has the same fields, no sweep)."""

    fed_call: Decimal | None = None
    maintenance_call: Decimal | None = None
    option_buying_power: Decimal | None = None
    stock_buying_power: Decimal | None = None
    stock_short_value: Decimal | None = None
    sweep: Decimal | None = None


class CashBalances(msgspec.Struct, frozen=True, kw_only=True):
    """Buying power of a cash account."""

    cash_available: Decimal | None = None
    sweep: Decimal | None = None
    unsettled_funds: Decimal | None = None


class Balances(msgspec.Struct, frozen=True, kw_only=True):
    """Account balances; exactly one of margin/cash/pdt is set, by `account_type`."""

    account_number: str | None = None
    account_type: str | None = None
    total_equity: Decimal | None = None
    total_cash: Decimal | None = None
    equity: Decimal | None = None
    market_value: Decimal | None = None
    long_market_value: Decimal | None = None
    short_market_value: Decimal | None = None
    stock_long_value: Decimal | None = None
    option_long_value: Decimal | None = None
    option_short_value: Decimal | None = None
    option_requirement: Decimal | None = None
    current_requirement: Decimal | None = None
    close_pl: Decimal | None = None
    open_pl: Decimal | None = None
    uncleared_funds: Decimal | None = None
    pending_cash: Decimal | None = None
    pending_orders_count: int | None = None
    margin: MarginBalances | None = None
    cash: CashBalances | None = None
    pdt: MarginBalances | None = None

    @property
    def option_buying_power(self) -> Decimal | None:
        """Cash available to buy options, whatever the account type."""
        for sub in (self.margin, self.pdt):
            if sub is not None and sub.option_buying_power is not None:
                return sub.option_buying_power
        if self.cash is not None:
            return self.cash.cash_available
        return None


class Position(msgspec.Struct, frozen=True, kw_only=True):
    """A position; quantity is negative for shorts."""

    id: int | None = None
    symbol: str
    quantity: int
    cost_basis: Decimal
    date_acquired_ms: int | None = msgspec.field(default=None, name="date_acquired")


class Order(msgspec.Struct, frozen=True, kw_only=True):
    """An order as Tradier reports it; multileg/OCO parents carry their `legs`."""

    id: int
    status: str
    symbol: str | None = None
    class_: str | None = msgspec.field(default=None, name="class")
    type: str | None = None
    side: str | None = None
    quantity: int | None = None
    duration: str | None = None
    price: Decimal | None = None
    stop_price: Decimal | None = None
    avg_fill_price: Decimal | None = None
    exec_quantity: int = 0
    last_fill_price: Decimal | None = None
    last_fill_quantity: int = 0
    remaining_quantity: int = 0
    create_date_ms: int | None = msgspec.field(default=None, name="create_date")
    transaction_date_ms: int | None = msgspec.field(default=None, name="transaction_date")
    option_symbol: str | None = None
    tag: str | None = None
    reason_description: str | None = None
    num_legs: int | None = None
    strategy: str | None = None
    legs: tuple[Order, ...] = msgspec.field(default=(), name="leg")

    @property
    def is_final(self) -> bool:
        """True once the order can no longer change (filled, canceled, ...)."""
        return self.status in FINAL_ORDER_STATES


class OrderAck(msgspec.Struct, frozen=True, kw_only=True):
    """Tradier's answer to a placed, changed or cancelled order."""

    id: int
    status: str
    partner_id: str | None = None


class CancelResult(msgspec.Struct, frozen=True, kw_only=True):
    """Outcome of a cancel: `canceled` now, or `already_final` in `final_state`."""

    id: int
    outcome: str
    final_state: str | None = None


class OrderPreview(msgspec.Struct, frozen=True, kw_only=True):
    """The result of `preview=true`: every validation run, nothing placed."""

    status: str
    result: bool | None = None
    class_: str | None = msgspec.field(default=None, name="class")
    strategy: str | None = None
    symbol: str | None = None
    option_symbol: str | None = None
    side: str | None = None
    quantity: int | None = None
    type: str | None = None
    duration: str | None = None
    price: Decimal | None = None
    commission: Decimal | None = None
    cost: Decimal | None = None
    fees: Decimal | None = None
    order_cost: Decimal | None = None
    margin_change: Decimal | None = None
    extended_hours: bool | None = None
    day_trades: int | None = None
    request_date_ms: int | None = msgspec.field(default=None, name="request_date")


class GainLoss(msgspec.Struct, frozen=True, kw_only=True):
    """A closed position from the (nightly) gain/loss report."""

    symbol: str
    quantity: int
    cost: Decimal
    proceeds: Decimal
    gain_loss: Decimal
    gain_loss_percent: float | None = None
    open_date_ms: int | None = msgspec.field(default=None, name="open_date")
    close_date_ms: int | None = msgspec.field(default=None, name="close_date")
    term: int | None = None


# ---------------------------------------------------------------- wire shapes


class _Strikes(msgspec.Struct):
    strike: list[float] | float | str | None = None


class _ExpirationWire(msgspec.Struct):
    date: date
    contract_size: int | None = None
    expiration_type: str | None = None
    strikes: _Strikes | str | None = None


class _Expirations(msgspec.Struct):
    date: list[str] | str | None = None
    expiration: list[_ExpirationWire] | _ExpirationWire | str | None = None


class _ClockWire(msgspec.Struct):
    date: date
    state: str
    timestamp: int
    description: str = ""
    next_change: str = ""
    next_state: str = ""


class _HoursWire(msgspec.Struct):
    start: str
    end: str


class _DayWire(msgspec.Struct):
    date: date
    status: str
    description: str | None = None
    premarket: _HoursWire | None = None
    open: _HoursWire | None = None
    postmarket: _HoursWire | None = None


class _Days(msgspec.Struct):
    day: list[_DayWire] | _DayWire | str | None = None


class _Calendar(msgspec.Struct):
    days: _Days | str | None = None


class _TimeSaleWire(msgspec.Struct):
    time: datetime
    timestamp: int | None = None
    price: Decimal | None = None
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    volume: int | None = None
    vwap: Decimal | None = None


class _OrderWire(msgspec.Struct):
    id: int
    status: str
    symbol: str | None = None
    class_: str | None = msgspec.field(default=None, name="class")
    type: str | None = None
    side: str | None = None
    quantity: int | None = None
    duration: str | None = None
    price: Decimal | None = None
    stop_price: Decimal | None = None
    avg_fill_price: Decimal | None = None
    exec_quantity: int | None = None
    last_fill_price: Decimal | None = None
    last_fill_quantity: int | None = None
    remaining_quantity: int | None = None
    create_date: datetime | None = None
    transaction_date: datetime | None = None
    option_symbol: str | None = None
    tag: str | None = None
    reason_description: str | None = None
    num_legs: int | None = None
    strategy: str | None = None
    leg: list[_OrderWire] | _OrderWire | str | None = None


class _PositionWire(msgspec.Struct):
    symbol: str
    quantity: int
    cost_basis: Decimal
    id: int | None = None
    date_acquired: datetime | None = None


class _GainLossWire(msgspec.Struct):
    symbol: str
    quantity: int
    cost: Decimal
    proceeds: Decimal
    gain_loss: Decimal
    gain_loss_percent: float | None = None
    open_date: datetime | None = None
    close_date: datetime | None = None
    term: int | None = None


class _PreviewWire(msgspec.Struct):
    status: str
    result: bool | None = None
    class_: str | None = msgspec.field(default=None, name="class")
    strategy: str | None = None
    symbol: str | None = None
    option_symbol: str | None = None
    side: str | None = None
    quantity: int | None = None
    type: str | None = None
    duration: str | None = None
    price: Decimal | None = None
    commission: Decimal | None = None
    cost: Decimal | None = None
    fees: Decimal | None = None
    order_cost: Decimal | None = None
    margin_change: Decimal | None = None
    extended_hours: bool | None = None
    day_trades: int | None = None
    request_date: datetime | None = None


# ---------------------------------------------------------------- conversions


def _clock(w: _ClockWire) -> MarketClock:
    return MarketClock(
        date=w.date,
        description=w.description,
        state=w.state,
        timestamp_ms=w.timestamp * 1000,
        next_change=w.next_change,
        next_state=w.next_state,
    )


def _hours(w: _HoursWire | None) -> SessionHours | None:
    if w is None:
        return None
    return SessionHours(time.fromisoformat(w.start), time.fromisoformat(w.end))


def _day(w: _DayWire) -> CalendarDay:
    return CalendarDay(
        date=w.date,
        status=w.status,
        description=w.description,
        premarket=_hours(w.premarket),
        open=_hours(w.open),
        postmarket=_hours(w.postmarket),
    )


def _strikes(w: _Strikes | str | None) -> tuple[Decimal, ...]:
    if w is None or isinstance(w, str):
        return ()
    return tuple(Decimal(repr(float(s))) for s in as_list(w.strike))


def _expiration(w: _ExpirationWire) -> Expiration:
    return Expiration(
        date=w.date,
        contract_size=w.contract_size,
        expiration_type=w.expiration_type,
        strikes=_strikes(w.strikes),
    )


def _timesale(w: _TimeSaleWire) -> TimeSale:
    time_ms = w.timestamp * 1000 if w.timestamp is not None else utc_ms(w.time)
    assert time_ms is not None  # `time` is required, so one of the two is set
    return TimeSale(
        time_ms=time_ms,
        price=w.price,
        open=w.open,
        high=w.high,
        low=w.low,
        close=w.close,
        volume=w.volume,
        vwap=w.vwap,
    )


def _order(w: _OrderWire) -> Order:
    executed = w.exec_quantity or 0
    # Unfilled orders report avg_fill_price as 0 or not at all; a fill at 0 is not a price.
    avg = w.avg_fill_price if executed and w.avg_fill_price else None
    return Order(
        id=w.id,
        status=w.status,
        symbol=w.symbol,
        class_=w.class_,
        type=w.type,
        side=w.side,
        quantity=w.quantity,
        duration=w.duration,
        price=w.price,
        stop_price=w.stop_price,
        avg_fill_price=avg,
        exec_quantity=executed,
        last_fill_price=w.last_fill_price if w.last_fill_quantity else None,
        last_fill_quantity=w.last_fill_quantity or 0,
        remaining_quantity=w.remaining_quantity or 0,
        create_date_ms=utc_ms(w.create_date),
        transaction_date_ms=utc_ms(w.transaction_date),
        option_symbol=w.option_symbol,
        tag=w.tag,
        reason_description=w.reason_description,
        num_legs=w.num_legs,
        strategy=w.strategy,
        legs=tuple(_order(leg) for leg in as_list(w.leg)),
    )


def _position(w: _PositionWire) -> Position:
    return Position(
        id=w.id,
        symbol=w.symbol,
        quantity=w.quantity,
        cost_basis=w.cost_basis,
        date_acquired_ms=utc_ms(w.date_acquired),
    )


def _gainloss(w: _GainLossWire) -> GainLoss:
    return GainLoss(
        symbol=w.symbol,
        quantity=w.quantity,
        cost=w.cost,
        proceeds=w.proceeds,
        gain_loss=w.gain_loss,
        gain_loss_percent=w.gain_loss_percent,
        open_date_ms=utc_ms(w.open_date),
        close_date_ms=utc_ms(w.close_date),
        term=w.term,
    )


def _preview(w: _PreviewWire) -> OrderPreview:
    fields: dict[str, Any] = msgspec.structs.asdict(w)
    fields["request_date_ms"] = utc_ms(fields.pop("request_date"))
    return OrderPreview(**fields)


def _expirations(w: _Expirations | str | None) -> list[Expiration]:
    if w is None or isinstance(w, str):
        return []
    if w.expiration is not None:
        return [_expiration(e) for e in as_list(w.expiration)]
    return [Expiration(date=date.fromisoformat(d)) for d in as_str_list(w.date)]


def _calendar(w: _Calendar) -> list[CalendarDay]:
    if w.days is None or isinstance(w.days, str):
        return []
    return [_day(d) for d in as_list(w.days.day)]


# ---------------------------------------------------------------- envelopes and decoders


class _Unmatched(msgspec.Struct):
    symbol: list[str] | str | None = None


class _Quotes(msgspec.Struct):
    quote: list[Quote] | Quote | str | None = None
    unmatched_symbols: _Unmatched | str | None = None


class _Options(msgspec.Struct):
    option: list[OptionQuote] | OptionQuote | str | None = None


class _Orders(msgspec.Struct):
    order: list[_OrderWire] | _OrderWire | str | None = None


class _Positions(msgspec.Struct):
    position: list[_PositionWire] | _PositionWire | str | None = None


class _GainLosses(msgspec.Struct):
    closed_position: list[_GainLossWire] | _GainLossWire | str | None = None


class _History(msgspec.Struct):
    day: list[HistoryBar] | HistoryBar | str | None = None


class _Series(msgspec.Struct):
    data: list[_TimeSaleWire] | _TimeSaleWire | str | None = None


class _Env(msgspec.Struct):
    """Every top-level key a response may hold; each endpoint reads its own."""

    quotes: _Quotes | str | None = None
    options: _Options | str | None = None
    expirations: _Expirations | str | None = None
    strikes: _Strikes | str | None = None
    clock: _ClockWire | None = None
    calendar: _Calendar | None = None
    history: _History | str | None = None
    series: _Series | str | None = None
    balances: Balances | None = None
    positions: _Positions | str | None = None
    orders: _Orders | str | None = None
    order: _OrderWire | None = None
    gainloss: _GainLosses | str | None = None
    stream: StreamSession | None = None


def _decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    # Lax mode: Tradier sometimes sends numbers as strings ("1.5") and quantities as 1.0.
    return msgspec.json.Decoder(type_, strict=False)


class _OrderEnv(msgspec.Struct):
    order: OrderAck


class _PreviewEnv(msgspec.Struct):
    order: _PreviewWire


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
decode_orders: Callable[[bytes], list[Order]] = _list_of("orders", "order", _order)
decode_positions: Callable[[bytes], list[Position]] = _list_of("positions", "position", _position)
decode_gainloss: Callable[[bytes], list[GainLoss]] = _list_of(
    "gainloss", "closed_position", _gainloss
)
decode_history: Callable[[bytes], list[HistoryBar]] = _list_of("history", "day")
decode_timesales: Callable[[bytes], list[TimeSale]] = _list_of("series", "data", _timesale)


def decode_strikes(body: bytes) -> list[Decimal]:
    """Strikes for one expiration."""
    return list(_strikes(_optional(body, "strikes")))


def decode_expirations(body: bytes) -> list[Expiration]:
    """Expirations, with details when Tradier sent them."""
    return _expirations(_optional(body, "expirations"))


def decode_clock(body: bytes) -> MarketClock:
    """The market clock, timestamp in ms."""
    return _clock(_envelope(body, "clock"))


def decode_calendar(body: bytes) -> list[CalendarDay]:
    """The days of one calendar month."""
    return _calendar(_envelope(body, "calendar"))


def decode_balances(body: bytes) -> Balances:
    """Account balances."""
    result: Balances = _envelope(body, "balances")
    return result


def decode_order(body: bytes) -> Order:
    """One order (`GET .../orders/{id}`)."""
    return _order(_envelope(body, "order"))


def decode_order_ack(body: bytes) -> OrderAck:
    """The `{"order": {"id", "status", "partner_id"}}` answer to place/change/cancel."""
    result: OrderAck = _ACK.decode(body).order
    return result


def decode_preview(body: bytes) -> OrderPreview:
    """The answer to `preview=true`."""
    return _preview(_PREVIEW.decode(body).order)


def decode_session(body: bytes) -> StreamSession:
    """A new streaming session."""
    result: StreamSession = _envelope(body, "stream")
    return result
