"""Tradier REST clients: `TradierClient` (sync, for the gate in Lambda) and
`AsyncTradierClient` (asyncio, for the brain), with the same method names.

Both only move bytes: requests and parsing live in `tradier.rest`. Reads retry with
tenacity (bounded attempts, jittered exponential backoff, waiting out a rate-limit window
when it is short); order sends are never retried, and an unsure send raises
`TradierOutcomeUnknown` so the caller looks the order up by tag. `calls` counts HTTP
requests per method (retries included) for benchmarks and health.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, Retrying, stop_after_attempt

from tradier import models, rest
from tradier.clock import Clock, SystemClock
from tradier.errors import (
    TradierError,
    TradierOutcomeUnknown,
    TradierRateLimited,
    TradierRetryable,
)
from tradier.orders import OrderRequest
from tradier.rest import Call, Kind, Reply, Request, RetryPolicy

T = TypeVar("T")

DEFAULT_TIMEOUT: Final = httpx.Timeout(10.0, connect=5.0)
PRODUCTION_URL: Final = "https://api.tradier.com/v1"
SANDBOX_URL: Final = "https://sandbox.tradier.com/v1"
# Failures that happen before a byte of the request left: an order was surely not sent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def api_base(base_url: str) -> str:
    """The REST base ending in `/v1` (a bare host such as the simulator's gets it added)."""
    url = base_url.rstrip("/")
    return url if url.endswith("/v1") else url + "/v1"


class _Core:
    """What both clients share: configuration, headers, fault mapping, retry timing."""

    def __init__(
        self,
        base_url: str,
        token: str,
        account_id: str | None,
        retry: RetryPolicy,
        clock: Clock | None,
        rng: random.Random | None,
    ) -> None:
        if not token:
            raise ValueError("token: required (no built-in token exists)")
        self.base_url = api_base(base_url)
        self.account_id = account_id
        self.retry = retry
        self.calls: Counter[str] = Counter()
        self._clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def _prepare(self, request: Request) -> dict[str, Any]:
        """httpx arguments for one attempt, counted in `calls`."""
        self.calls[request.name] += 1
        kwargs: dict[str, Any] = {"params": request.params, "headers": self._headers}
        if request.form is not None:
            kwargs["data"] = request.form
        elif request.method in ("POST", "PUT"):
            kwargs["content"] = b""  # Tradier wants Content-Length: 0 on bodyless POSTs
        return kwargs

    @staticmethod
    def _fault(exc: httpx.HTTPError, request: Request) -> TradierError:
        message = f"{request.name}: {type(exc).__name__}: {exc}"
        if request.kind is Kind.SEND and not isinstance(exc, _NOT_SENT):
            return TradierOutcomeUnknown(message, tag=(request.form or {}).get("tag"))
        return TradierRetryable(message)

    def _rate_wait_s(self, exc: TradierRateLimited) -> float:
        if exc.reset_at_ms is None:
            return self.retry.max_rate_wait_s
        return max(0.0, (exc.reset_at_ms - self._clock.now_ms()) / 1000)

    def _should_retry(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TradierRateLimited):
            return self._rate_wait_s(exc) <= self.retry.max_rate_wait_s
        return isinstance(exc, TradierRetryable)

    def _wait_s(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        backoff = self.retry.backoff.delay(state.attempt_number - 1, self._rng)
        if isinstance(exc, TradierRateLimited):
            # Never less than the backoff, so a skewed clock cannot make us hammer.
            return max(self._rate_wait_s(exc), backoff)
        return backoff

    def _retry_args(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.retry.attempts),
            "wait": self._wait_s,
            "retry": self._should_retry,
            "reraise": True,
        }


class TradierClient(_Core):
    """Synchronous Tradier REST client (httpx.Client)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        account_id: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(base_url, token, account_id, retry or RetryPolicy(), clock, rng)
        self._sleep = sleep
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> TradierClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _once(self, call: Call[T]) -> T:
        request = call.request
        try:
            response = self._http.request(request.method, request.path, **self._prepare(request))
        except httpx.HTTPError as exc:
            raise self._fault(exc, request) from exc
        return call.parse(Reply(response.status_code, response.headers, response.content))

    def _run(self, call: Call[T]) -> T:
        if call.request.kind is Kind.SEND:
            return self._once(call)  # never resent: the caller finds it by tag instead
        return Retrying(sleep=self._sleep, **self._retry_args())(self._once, call)

    def quotes(self, symbols: Sequence[str], greeks: bool = False) -> list[models.Quote]:
        """Quotes for the symbols (unknown symbols are left out)."""
        return self._run(rest.quotes(symbols, greeks))

    def clock(self) -> models.MarketClock:
        """The market clock."""
        return self._run(rest.clock())

    def calendar(self, year: int, month: int) -> list[models.CalendarDay]:
        """The market calendar of one month."""
        return self._run(rest.calendar(year, month))

    def expiration_details(
        self, symbol: str, include_all_roots: bool = False
    ) -> list[models.Expiration]:
        """Option expirations with contract size, type and strikes."""
        return self._run(rest.expirations(symbol, include_all_roots))

    def expirations(self, symbol: str, include_all_roots: bool = False) -> list[date]:
        """Option expiration dates."""
        return [e.date for e in self.expiration_details(symbol, include_all_roots)]

    def strikes(self, symbol: str, expiration: date | str) -> list[Decimal]:
        """Strikes of one expiration."""
        return self._run(rest.strikes(symbol, expiration))

    def chain(
        self, symbol: str, expiration: date | str, greeks: bool = True
    ) -> list[models.OptionQuote]:
        """The option chain of one expiration."""
        return self._run(rest.chain(symbol, expiration, greeks))

    def history(
        self,
        symbol: str,
        interval: str = "daily",
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> list[models.HistoryBar]:
        """Daily, weekly or monthly bars."""
        return self._run(rest.history(symbol, interval, start, end))

    def timesales(
        self,
        symbol: str,
        interval: str = "1min",
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        session_filter: str = "all",
    ) -> list[models.TimeSale]:
        """Intraday bars from time and sales."""
        return self._run(rest.timesales(symbol, interval, start, end, session_filter))

    def balances(self) -> models.Balances:
        """Account balances."""
        return self._run(rest.balances(self.account_id))

    def positions(self) -> list[models.Position]:
        """Open positions."""
        return self._run(rest.positions(self.account_id))

    def orders(
        self,
        include_tags: bool = True,
        filter: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> list[models.Order]:
        """Orders: today's (ET) by default, up to a month back with `filter="all"`."""
        return self._run(rest.orders(self.account_id, include_tags, filter, page, limit))

    def order(self, order_id: int) -> models.Order:
        """One order, with its tag."""
        return self._run(rest.order(self.account_id, order_id))

    def find_order_by_tag(self, tag: str) -> models.Order | None:
        """The order carrying `tag`: today's orders first, then `filter=all` pages."""
        previous: list[models.Order] | None = None
        for index, call in enumerate(rest.find_tag_calls(self.account_id, tag)):
            page = self._run(call)
            found = rest.match_tag(page, tag)
            if found is not None or rest.last_page(index, page, previous):
                return found
            previous = page if index else None
        return None

    def place_order(self, order: OrderRequest) -> models.OrderAck:
        """Place an order; never retried. Unsure -> TradierOutcomeUnknown (find by tag)."""
        return self._run(rest.place_order(self.account_id, order))

    def preview_order(self, order: OrderRequest) -> models.OrderPreview:
        """Run every validation of an order without placing it."""
        return self._run(rest.preview_order(self.account_id, order))

    def modify_order(
        self,
        order_id: int,
        *,
        type: str | None = None,
        duration: str | None = None,
        price: Decimal | None = None,
        stop: Decimal | None = None,
    ) -> models.OrderAck:
        """Change a working order's type, duration, price or stop; never retried."""
        call = rest.modify_order(
            self.account_id, order_id, type=type, duration=duration, price=price, stop=stop
        )
        return self._run(call)

    def cancel_order(self, order_id: int) -> models.CancelResult:
        """Cancel; an order already final answers `already_final` with its state."""
        return self._run(rest.cancel_order(self.account_id, order_id))

    def gainloss(
        self,
        page: int | None = None,
        limit: int | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
        symbol: str | None = None,
    ) -> list[models.GainLoss]:
        """Closed positions (nightly report)."""
        return self._run(rest.gainloss(self.account_id, page, limit, start, end, symbol))

    def create_market_session(self) -> models.StreamSession:
        """A market-data streaming session (production tokens only)."""
        rest.session_hint(self.base_url)
        return self._run(rest.create_market_session())


class AsyncTradierClient(_Core):
    """Asynchronous Tradier REST client (httpx.AsyncClient); same methods as TradierClient."""

    def __init__(
        self,
        base_url: str,
        token: str,
        account_id: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(base_url, token, account_id, retry or RetryPolicy(), clock, rng)
        self._sleep = sleep
        self._http = httpx.AsyncClient(base_url=self.base_url, transport=transport, timeout=timeout)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncTradierClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _once(self, call: Call[T]) -> T:
        request = call.request
        try:
            response = await self._http.request(
                request.method, request.path, **self._prepare(request)
            )
        except httpx.HTTPError as exc:
            raise self._fault(exc, request) from exc
        return call.parse(Reply(response.status_code, response.headers, response.content))

    async def _run(self, call: Call[T]) -> T:
        if call.request.kind is Kind.SEND:
            return await self._once(call)  # never resent: the caller finds it by tag
        retrying = AsyncRetrying(sleep=self._sleep, **self._retry_args())
        result: T = await retrying(self._once, call)
        return result

    async def quotes(self, symbols: Sequence[str], greeks: bool = False) -> list[models.Quote]:
        """Quotes for the symbols (unknown symbols are left out)."""
        return await self._run(rest.quotes(symbols, greeks))

    async def clock(self) -> models.MarketClock:
        """The market clock."""
        return await self._run(rest.clock())

    async def calendar(self, year: int, month: int) -> list[models.CalendarDay]:
        """The market calendar of one month."""
        return await self._run(rest.calendar(year, month))

    async def expiration_details(
        self, symbol: str, include_all_roots: bool = False
    ) -> list[models.Expiration]:
        """Option expirations with contract size, type and strikes."""
        return await self._run(rest.expirations(symbol, include_all_roots))

    async def expirations(self, symbol: str, include_all_roots: bool = False) -> list[date]:
        """Option expiration dates."""
        return [e.date for e in await self.expiration_details(symbol, include_all_roots)]

    async def strikes(self, symbol: str, expiration: date | str) -> list[Decimal]:
        """Strikes of one expiration."""
        return await self._run(rest.strikes(symbol, expiration))

    async def chain(
        self, symbol: str, expiration: date | str, greeks: bool = True
    ) -> list[models.OptionQuote]:
        """The option chain of one expiration."""
        return await self._run(rest.chain(symbol, expiration, greeks))

    async def history(
        self,
        symbol: str,
        interval: str = "daily",
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> list[models.HistoryBar]:
        """Daily, weekly or monthly bars."""
        return await self._run(rest.history(symbol, interval, start, end))

    async def timesales(
        self,
        symbol: str,
        interval: str = "1min",
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        session_filter: str = "all",
    ) -> list[models.TimeSale]:
        """Intraday bars from time and sales."""
        return await self._run(rest.timesales(symbol, interval, start, end, session_filter))

    async def balances(self) -> models.Balances:
        """Account balances."""
        return await self._run(rest.balances(self.account_id))

    async def positions(self) -> list[models.Position]:
        """Open positions."""
        return await self._run(rest.positions(self.account_id))

    async def orders(
        self,
        include_tags: bool = True,
        filter: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> list[models.Order]:
        """Orders: today's (ET) by default, up to a month back with `filter="all"`."""
        return await self._run(rest.orders(self.account_id, include_tags, filter, page, limit))

    async def order(self, order_id: int) -> models.Order:
        """One order, with its tag."""
        return await self._run(rest.order(self.account_id, order_id))

    async def find_order_by_tag(self, tag: str) -> models.Order | None:
        """The order carrying `tag`: today's orders first, then `filter=all` pages."""
        previous: list[models.Order] | None = None
        for index, call in enumerate(rest.find_tag_calls(self.account_id, tag)):
            page = await self._run(call)
            found = rest.match_tag(page, tag)
            if found is not None or rest.last_page(index, page, previous):
                return found
            previous = page if index else None
        return None

    async def place_order(self, order: OrderRequest) -> models.OrderAck:
        """Place an order; never retried. Unsure -> TradierOutcomeUnknown (find by tag)."""
        return await self._run(rest.place_order(self.account_id, order))

    async def preview_order(self, order: OrderRequest) -> models.OrderPreview:
        """Run every validation of an order without placing it."""
        return await self._run(rest.preview_order(self.account_id, order))

    async def modify_order(
        self,
        order_id: int,
        *,
        type: str | None = None,
        duration: str | None = None,
        price: Decimal | None = None,
        stop: Decimal | None = None,
    ) -> models.OrderAck:
        """Change a working order's type, duration, price or stop; never retried."""
        call = rest.modify_order(
            self.account_id, order_id, type=type, duration=duration, price=price, stop=stop
        )
        return await self._run(call)

    async def cancel_order(self, order_id: int) -> models.CancelResult:
        """Cancel; an order already final answers `already_final` with its state."""
        return await self._run(rest.cancel_order(self.account_id, order_id))

    async def gainloss(
        self,
        page: int | None = None,
        limit: int | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
        symbol: str | None = None,
    ) -> list[models.GainLoss]:
        """Closed positions (nightly report)."""
        return await self._run(rest.gainloss(self.account_id, page, limit, start, end, symbol))

    async def create_market_session(self) -> models.StreamSession:
        """A market-data streaming session (production tokens only)."""
        rest.session_hint(self.base_url)
        return await self._run(rest.create_market_session())
