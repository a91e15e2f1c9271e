"""Sans-I/O core of the REST client: one request builder per endpoint, and the parser of
its reply.

No sockets here. Each endpoint is a `Call` holding the `Request` to send and the parser of
its `Reply` (faults classified by `tradier.replies`, bodies decoded by
`tradier.responses`); `TradierClient` and `AsyncTradierClient` only move bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Generic, TypeVar

import msgspec

from tradier import models, responses
from tradier.clock import NEW_YORK
from tradier.errors import StreamAuthError, TradierOutcomeUnknown, TradierRetryable
from tradier.money import to_wire
from tradier.orders import OrderRequest, check_tag, to_form
from tradier.replies import Kind, Reply, cancel_verdict, raise_for_reply, unknown_order

__all__ = ["Backoff", "Call", "Kind", "Reply", "Request", "RetryPolicy", "raise_for_reply"]

T = TypeVar("T")

ORDERS_PAGE_LIMIT: Final = 100
MAX_ORDER_PAGES: Final = 20
MAX_GET_SYMBOLS_CHARS: Final = 1500  # longer symbol lists go in a POST body


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request relative to the API base (which ends in `/v1`)."""

    name: str
    method: str
    path: str
    kind: Kind = Kind.READ
    params: dict[str, str] | None = None
    form: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """A request and the parser of its reply."""

    request: Request
    decode: Callable[[bytes], T]
    # Answers some error statuses as values before they are classified as faults.
    intercept: Callable[[Reply], T | None] | None = None

    def parse(self, reply: Reply) -> T:
        """Raise the fault the reply carries, or decode its body."""
        kind = self.request.kind
        if self.intercept is not None:
            answer = self.intercept(reply)
            if answer is not None:
                return answer
        raise_for_reply(reply, kind)
        try:
            return self.decode(reply.body)
        except (msgspec.ValidationError, msgspec.DecodeError, ValueError) as exc:
            message = f"{self.request.name}: unexpected response body: {exc}"
            if kind is Kind.SEND:
                raise TradierOutcomeUnknown(message, status=reply.status) from exc
            raise TradierRetryable(message, status=reply.status) from exc


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits up to initial * factor**n, capped."""

    initial_s: float = 0.5
    max_s: float = 30.0
    factor: float = 2.0
    jitter: float = 0.5  # the fraction of each delay that is random

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        base = min(self.max_s, self.initial_s * self.factor ** min(attempt, 64))
        return base * (1.0 - self.jitter * rng.random())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How reads are retried: bounded attempts, jittered backoff, rate-limit reset honoured."""

    attempts: int = 4
    backoff: Backoff = field(default_factory=lambda: Backoff(initial_s=0.25, max_s=8.0))
    max_rate_wait_s: float = 65.0


# ---------------------------------------------------------------- request builders


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _day(value: date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _et_minute(value: datetime | str) -> str:
    """Time-and-sales bounds are New York wall-clock `YYYY-MM-DD HH:MM`."""
    if isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(NEW_YORK)
    return value.strftime("%Y-%m-%d %H:%M")


def _account(account_id: str | None) -> str:
    if not account_id:
        raise ValueError("account_id: required for account and order endpoints")
    return account_id


def _drop_none(params: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in params.items() if v is not None}


def quotes(symbols: Sequence[str], greeks: bool = False) -> Call[list[models.Quote]]:
    """`GET /markets/quotes` (a form POST when the symbol list would make a long URL)."""
    if isinstance(symbols, str):
        symbols = [symbols]
    if not symbols:
        raise ValueError("symbols: at least one symbol is required")
    fields = {"symbols": ",".join(symbols), "greeks": _flag(greeks)}
    if len(fields["symbols"]) > MAX_GET_SYMBOLS_CHARS:
        request = Request("quotes", "POST", "/markets/quotes", form=fields)
    else:
        request = Request("quotes", "GET", "/markets/quotes", params=fields)
    return Call(request, lambda body: responses.decode_quotes(body)[0])


def clock() -> Call[models.MarketClock]:
    """`GET /markets/clock`."""
    return Call(Request("clock", "GET", "/markets/clock"), responses.decode_clock)


def calendar(year: int, month: int) -> Call[list[models.CalendarDay]]:
    """`GET /markets/calendar`."""
    if not 1 <= month <= 12:
        raise ValueError(f"month: must be 1-12, got {month}")
    params = {"month": f"{month:02d}", "year": str(year)}
    return Call(
        Request("calendar", "GET", "/markets/calendar", params=params), responses.decode_calendar
    )


def expirations(symbol: str, include_all_roots: bool = False) -> Call[list[models.Expiration]]:
    """`GET /markets/options/expirations` (with strikes and details)."""
    params = {"symbol": symbol, "includeAllRoots": _flag(include_all_roots), "strikes": "true"}
    request = Request("expirations", "GET", "/markets/options/expirations", params=params)
    return Call(request, responses.decode_expirations)


def expiration_dates(symbol: str, include_all_roots: bool = False) -> Call[list[date]]:
    """`GET /markets/options/expirations`, the dates alone."""
    details = expirations(symbol, include_all_roots)
    return Call(details.request, lambda body: [e.date for e in details.decode(body)])


def strikes(symbol: str, expiration: date | str) -> Call[list[Decimal]]:
    """`GET /markets/options/strikes`."""
    params = {"symbol": symbol, "expiration": _day(expiration)}
    request = Request("strikes", "GET", "/markets/options/strikes", params=params)
    return Call(request, responses.decode_strikes)


def chain(
    symbol: str, expiration: date | str, greeks: bool = True
) -> Call[list[models.OptionQuote]]:
    """`GET /markets/options/chains`."""
    params = {"symbol": symbol, "expiration": _day(expiration), "greeks": _flag(greeks)}
    return Call(
        Request("chain", "GET", "/markets/options/chains", params=params), responses.decode_chain
    )


def history(
    symbol: str,
    interval: str = "daily",
    start: date | str | None = None,
    end: date | str | None = None,
) -> Call[list[models.HistoryBar]]:
    """`GET /markets/history` (daily, weekly or monthly bars)."""
    params = _drop_none(
        {
            "symbol": symbol,
            "interval": interval,
            "start": None if start is None else _day(start),
            "end": None if end is None else _day(end),
        }
    )
    return Call(
        Request("history", "GET", "/markets/history", params=params), responses.decode_history
    )


def timesales(
    symbol: str,
    interval: str = "1min",
    start: datetime | str | None = None,
    end: datetime | str | None = None,
    session_filter: str = "all",
) -> Call[list[models.TimeSale]]:
    """`GET /markets/timesales` (intraday bars; bounds in New York time)."""
    params = _drop_none(
        {
            "symbol": symbol,
            "interval": interval,
            "start": None if start is None else _et_minute(start),
            "end": None if end is None else _et_minute(end),
            "session_filter": session_filter,
        }
    )
    request = Request("timesales", "GET", "/markets/timesales", params=params)
    return Call(request, responses.decode_timesales)


def lookup(
    q: str, exchanges: list[str] | None = None, types: list[str] | None = None
) -> Call[list[models.Security]]:
    """`GET /markets/lookup` (symbols starting with `q`, optionally by exchange and type)."""
    params = _drop_none(
        {
            "q": q,
            "exchanges": ",".join(exchanges) if exchanges else None,
            "types": ",".join(types) if types else None,
        }
    )
    request = Request("lookup", "GET", "/markets/lookup", params=params)
    return Call(request, responses.decode_securities)


def search(q: str, indexes: bool = True) -> Call[list[models.Security]]:
    """`GET /markets/search` (companies by name)."""
    params = {"q": q, "indexes": _flag(indexes)}
    request = Request("search", "GET", "/markets/search", params=params)
    return Call(request, responses.decode_securities)


def easy_to_borrow() -> Call[list[models.Security]]:
    """`GET /markets/etb`."""
    return Call(Request("etb", "GET", "/markets/etb"), responses.decode_securities)


def balances(account_id: str | None) -> Call[models.Balances]:
    """`GET /accounts/{id}/balances`."""
    path = f"/accounts/{_account(account_id)}/balances"
    return Call(Request("balances", "GET", path), responses.decode_balances)


def positions(account_id: str | None) -> Call[list[models.Position]]:
    """`GET /accounts/{id}/positions`."""
    path = f"/accounts/{_account(account_id)}/positions"
    return Call(Request("positions", "GET", path), responses.decode_positions)


def orders(
    account_id: str | None,
    include_tags: bool = True,
    filter: str | None = None,
    page: int | None = None,
    limit: int | None = None,
) -> Call[list[models.Order]]:
    """`GET /accounts/{id}/orders`; without `filter` only today's (ET) orders."""
    params = _drop_none(
        {
            "includeTags": _flag(include_tags),
            "filter": filter,
            "page": None if page is None else str(page),
            "limit": None if limit is None else str(limit),
        }
    )
    path = f"/accounts/{_account(account_id)}/orders"
    return Call(Request("orders", "GET", path, params=params), responses.decode_orders)


def order(account_id: str | None, order_id: int) -> Call[models.Order]:
    """`GET /accounts/{id}/orders/{order_id}` with its tag."""
    path = f"/accounts/{_account(account_id)}/orders/{int(order_id)}"
    params = {"includeTags": "true"}
    return Call(Request("order", "GET", path, params=params), responses.decode_order, unknown_order)


def place_order(account_id: str | None, order: OrderRequest) -> Call[models.OrderAck]:
    """`POST /accounts/{id}/orders`: never retried."""
    path = f"/accounts/{_account(account_id)}/orders"
    req = Request("place_order", "POST", path, Kind.SEND, form=to_form(order))
    return Call(req, responses.decode_order_ack)


def preview_order(account_id: str | None, order: OrderRequest) -> Call[models.OrderPreview]:
    """`POST /accounts/{id}/orders` with `preview=true`: validates, places nothing."""
    path = f"/accounts/{_account(account_id)}/orders"
    form = {**to_form(order), "preview": "true"}
    req = Request("preview_order", "POST", path, Kind.PREVIEW, form=form)
    return Call(req, responses.decode_preview)


def modify_order(
    account_id: str | None,
    order_id: int,
    *,
    type: str | None = None,
    duration: str | None = None,
    price: Decimal | None = None,
    stop: Decimal | None = None,
) -> Call[models.OrderAck]:
    """`PUT /accounts/{id}/orders/{order_id}`: only the fields that change."""
    form = _drop_none(
        {
            "type": type,
            "duration": duration,
            "price": None if price is None else to_wire(price),
            "stop": None if stop is None else to_wire(stop),
        }
    )
    if not form:
        raise ValueError("changes: give at least one of type, duration, price, stop")
    if duration is not None and len(form) > 1:
        # Tradier support advised never to send duration together with other changes.
        raise ValueError("duration: change it alone, not with type/price/stop")
    path = f"/accounts/{_account(account_id)}/orders/{int(order_id)}"
    request = Request("modify_order", "PUT", path, Kind.SEND, form=form)
    return Call(request, responses.decode_order_ack, unknown_order)


def cancel_order(account_id: str | None, order_id: int) -> Call[models.CancelResult]:
    """`DELETE /accounts/{id}/orders/{order_id}`; a finalized order answers which state."""
    oid = int(order_id)
    path = f"/accounts/{_account(account_id)}/orders/{oid}"

    def decode(body: bytes) -> models.CancelResult:
        ack = responses.decode_order_ack(body)
        return models.CancelResult(id=ack.id, outcome="canceled")

    request = Request("cancel_order", "DELETE", path, Kind.CANCEL)
    return Call(request, decode, lambda reply: cancel_verdict(reply, oid))


def gainloss(
    account_id: str | None,
    page: int | None = None,
    limit: int | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    symbol: str | None = None,
) -> Call[list[models.GainLoss]]:
    """`GET /accounts/{id}/gainloss` (closed positions; updated nightly)."""
    params = _drop_none(
        {
            "page": None if page is None else str(page),
            "limit": None if limit is None else str(limit),
            "start": None if start is None else _day(start),
            "end": None if end is None else _day(end),
            "symbol": symbol,
        }
    )
    path = f"/accounts/{_account(account_id)}/gainloss"
    return Call(Request("gainloss", "GET", path, params=params), responses.decode_gainloss)


def create_market_session() -> Call[models.StreamSession]:
    """`POST /markets/events/session` (a bodyless POST)."""
    request = Request("create_market_session", "POST", "/markets/events/session", Kind.SESSION)
    return Call(request, responses.decode_session)


# ---------------------------------------------------------------- finding an order by tag


def find_tag_calls(account_id: str | None, tag: str) -> list[Call[list[models.Order]]]:
    """Where to look for a tagged order, in order: today's orders, then `filter=all` pages."""
    check_tag(tag)
    calls = [orders(account_id, include_tags=True)]
    for page in range(1, MAX_ORDER_PAGES + 1):
        calls.append(orders(account_id, True, filter="all", page=page, limit=ORDERS_PAGE_LIMIT))
    return calls


def match_tag(found: list[models.Order], tag: str) -> models.Order | None:
    """The newest order carrying `tag`, if any."""
    tagged = [o for o in found if o.tag == tag]
    return max(tagged, key=lambda o: (o.create_date_ms or 0, o.id)) if tagged else None


def last_page(index: int, page: list[models.Order], previous: list[models.Order] | None) -> bool:
    """True when paging `filter=all` can stop (a short page, or the server ignores `page`)."""
    if index == 0:
        return False  # the today-only list is not paged
    if len(page) < ORDERS_PAGE_LIMIT:
        return True
    return previous is not None and [o.id for o in page] == [o.id for o in previous]


# ---------------------------------------------------------------- working orders


def working_order_calls(
    account_id: str | None, include_older: bool = False
) -> list[Call[list[models.Order]]]:
    """The pages that list an account's orders, in order: today's (ET) orders, or with
    `include_older` the month `filter=all` reaches (a GTC order placed on an earlier day is
    only there). Read until a short page: the list is paged even without a filter."""
    scope = "all" if include_older else None
    return [
        orders(account_id, True, filter=scope, page=page, limit=ORDERS_PAGE_LIMIT)
        for page in range(1, MAX_ORDER_PAGES + 1)
    ]


def is_working(order: models.Order) -> bool:
    """True while an order may still fill: any status but a final one, so a status we do not
    know (held, calculated, accepted_for_bidding...) counts as working."""
    return not order.is_final


def repeats(page: list[models.Order], previous: list[models.Order] | None) -> bool:
    """True when `page` repeats the previous one (the server does not page this list)."""
    return previous is not None and [o.id for o in page] == [o.id for o in previous]


def page_ends(page: list[models.Order], previous: list[models.Order] | None) -> bool:
    """True when `page` is the last one to read: short, or a repeat of the previous one."""
    return len(page) < ORDERS_PAGE_LIMIT or repeats(page, previous)


def session_hint(base_url: str) -> None:
    """Refuse market streaming against the sandbox host before any request is made."""
    if "sandbox.tradier.com" in base_url:
        raise StreamAuthError("the sandbox host has no market-data streaming")
