"""Tradier's REST responses as frozen msgspec Structs: the types the rest of edgegate sees.

Every quirk of the wire is settled before a model is built (`tradier.shapes` converts,
`tradier.responses` decodes): lists are lists, times are UTC epoch milliseconds in fields
named `*_ms`, money is `Decimal` per unit, ratios and Greeks are floats, and
`avg_fill_price` is None until something filled. Fields renamed from the wire keep the
wire name (`msgspec.field(name=...)`), so encoding a model gives Tradier's shape.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Final

import msgspec

FINAL_ORDER_STATES: Final = frozenset({"filled", "canceled", "expired", "rejected", "error"})


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


class Security(msgspec.Struct, frozen=True, kw_only=True):
    """One lookup, search or easy-to-borrow result (docs/market-data.md)."""

    symbol: str
    exchange: str | None = None
    type: str | None = None  # stock, option, etf, index, mutual_fund
    description: str | None = None


class HistoryBar(msgspec.Struct, frozen=True, kw_only=True):
    """A daily/weekly/monthly bar."""

    date: date
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    volume: int | None = None


class TimeSaleFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields a time-and-sales bar has alike on the wire and in `TimeSale`."""

    price: Decimal | None = None
    open: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    close: Decimal | None = None
    volume: int | None = None
    vwap: Decimal | None = None


class TimeSale(TimeSaleFields, frozen=True, kw_only=True):
    """An intraday bar from time and sales; `time_ms` is its start, UTC epoch ms."""

    time_ms: int


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


class PositionFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields a position has alike on the wire and in `Position`."""

    id: int | None = None
    symbol: str
    quantity: int
    cost_basis: Decimal


class Position(PositionFields, frozen=True, kw_only=True):
    """A position; quantity is negative for shorts."""

    date_acquired_ms: int | None = msgspec.field(default=None, name="date_acquired")


class OrderFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields an order has alike on the wire and in `Order` (see `tradier.shapes`)."""

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
    last_fill_price: Decimal | None = None
    option_symbol: str | None = None
    tag: str | None = None
    reason_description: str | None = None
    num_legs: int | None = None
    strategy: str | None = None


class Order(OrderFields, frozen=True, kw_only=True):
    """An order as Tradier reports it; multileg/OCO parents carry their `legs`.

    `avg_fill_price` and `last_fill_price` are None until something filled.
    """

    exec_quantity: int = 0
    last_fill_quantity: int = 0
    remaining_quantity: int = 0
    create_date_ms: int | None = msgspec.field(default=None, name="create_date")
    transaction_date_ms: int | None = msgspec.field(default=None, name="transaction_date")
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


class PreviewFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields a preview has alike on the wire and in `OrderPreview`."""

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


class OrderPreview(PreviewFields, frozen=True, kw_only=True):
    """The result of `preview=true`: every validation run, nothing placed."""

    request_date_ms: int | None = msgspec.field(default=None, name="request_date")


class GainLossFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields a closed position has alike on the wire and in `GainLoss`."""

    symbol: str
    quantity: int
    cost: Decimal
    proceeds: Decimal
    gain_loss: Decimal
    gain_loss_percent: float | None = None
    term: int | None = None


class GainLoss(GainLossFields, frozen=True, kw_only=True):
    """A closed position from the (nightly) gain/loss report."""

    open_date_ms: int | None = msgspec.field(default=None, name="open_date")
    close_date_ms: int | None = msgspec.field(default=None, name="close_date")
