"""Tradier REST clients: `TradierClient` (sync, for the gate in Lambda) and
`AsyncTradierClient` (asyncio, for the brain), with the same method names.

Every endpoint is defined once: the requests and their parsing live in `tradier.rest`,
and `_Endpoints` lists each public method once as an `Endpoint` over a `tradier.rest`
builder. Both clients run the same coroutine (`_Core._run`: call counting, fault mapping
and retries); they differ only in `_send` and `_pause`. The async client awaits them;
the sync client's versions block and never suspend, so `_finish` completes the coroutine
in one step without an event loop.

Reads retry with tenacity (bounded attempts, jittered exponential backoff, waiting out a
rate-limit window when it is short); order sends are never retried, and an unsure send raises
`TradierOutcomeUnknown` so the caller looks the order up by tag. `calls` counts HTTP
requests per method (retries included) for benchmarks and health.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, Final, Generic, ParamSpec, TypeVar, overload

import httpx
from tenacity import AsyncRetrying, RetryCallState

from tradier import models, rest
from tradier.clock import Clock, SystemClock
from tradier.errors import (
    TradierError,
    TradierOutcomeUnknown,
    TradierRateLimited,
    TradierRetryable,
)
from tradier.rest import Call, Kind, Reply, Request, RetryPolicy

T = TypeVar("T")
P = ParamSpec("P")

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
    """What both clients share: configuration, headers, call counting, faults and retries."""

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

    async def _send(self, request: Request, args: dict[str, Any]) -> httpx.Response:
        """One HTTP request: the only I/O of a client."""
        raise NotImplementedError

    async def _pause(self, seconds: float) -> None:
        """Wait between attempts (the injected sleep)."""
        raise NotImplementedError

    def _complete(self, operation: Coroutine[Any, Any, T]) -> Any:
        """What a public method returns for its operation: the result, or an awaitable."""
        raise NotImplementedError

    async def _run(self, call: Call[T]) -> T:
        """Send a call, retrying a read (tenacity) while its fault allows; a send goes once."""
        request = call.request

        def wait_s(state: RetryCallState) -> float:
            return self._retry_wait_s(request, _failure(state), state.attempt_number) or 0.0

        def should_retry(state: RetryCallState) -> bool:
            failure = _failure(state)
            return failure is not None and (
                self._retry_wait_s(request, failure, state.attempt_number) is not None
            )

        # Both clients drive this coroutine; the sync client's pause blocks and never
        # suspends, so tenacity's async loop completes without an event loop there too.
        retrying = AsyncRetrying(sleep=self._pause, wait=wait_s, retry=should_retry, reraise=True)
        result: T = await retrying(self._once, call)
        return result

    async def _once(self, call: Call[T]) -> T:
        request = call.request
        self.calls[request.name] += 1
        args: dict[str, Any] = {"params": request.params, "headers": self._headers}
        if request.form is not None:
            args["data"] = request.form
        elif request.method in ("POST", "PUT"):
            args["content"] = b""  # Tradier wants Content-Length: 0 on bodyless POSTs
        try:
            response = await self._send(request, args)
        except httpx.HTTPError as exc:
            raise self._fault(exc, request) from exc
        return call.parse(Reply(response.status_code, response.headers, response.content))

    @staticmethod
    def _fault(exc: httpx.HTTPError, request: Request) -> TradierError:
        message = f"{request.name}: {type(exc).__name__}: {exc}"
        if request.kind is Kind.SEND and not isinstance(exc, _NOT_SENT):
            return TradierOutcomeUnknown(message, tag=(request.form or {}).get("tag"))
        return TradierRetryable(message)

    def _retry_wait_s(
        self, request: Request, exc: BaseException | None, attempt: int
    ) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to raise `exc` now."""
        if request.kind is Kind.SEND or not isinstance(exc, TradierError):
            return None  # never resent: the caller finds the order by tag instead
        rate_wait_s: float | None = None
        if isinstance(exc, TradierRateLimited):
            rate_wait_s = self._rate_wait_s(exc)
            if rate_wait_s > self.retry.max_rate_wait_s:
                return None
        elif not isinstance(exc, TradierRetryable):
            return None
        if attempt >= self.retry.attempts:
            return None
        backoff = self.retry.backoff.delay(attempt - 1, self._rng)
        # Never less than the backoff, so a skewed clock cannot make us hammer.
        return backoff if rate_wait_s is None else max(rate_wait_s, backoff)

    def _rate_wait_s(self, exc: TradierRateLimited) -> float:
        if exc.reset_at_ms is None:
            return self.retry.max_rate_wait_s
        return max(0.0, (exc.reset_at_ms - self._clock.now_ms()) / 1000)


def _failure(state: RetryCallState) -> BaseException | None:
    outcome = state.outcome
    return outcome.exception() if outcome is not None and outcome.failed else None


# ---------------------------------------------------------------- endpoints, once

Operation = Callable[Concatenate[_Core, P], Coroutine[Any, Any, T]]


def _finish(coro: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends (the sync client's I/O blocks)."""
    try:
        coro.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    coro.close()
    raise RuntimeError("a TradierClient call suspended: its I/O must block, not await")


class Endpoint(Generic[P, T]):
    """A public client method defined once: a method of `TradierClient` returning `T`,
    and of `AsyncTradierClient` returning an awaitable of `T`."""

    def __init__(
        self, operation: Operation[P, T], signature: inspect.Signature, doc: str | None
    ) -> None:
        self._operation = operation
        # Parameters only: what the method returns differs between the two clients.
        self._signature = signature.replace(return_annotation=inspect.Signature.empty)
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, client: None, owner: type) -> Endpoint[P, T]: ...

    @overload
    def __get__(self, client: TradierClient, owner: type) -> Callable[P, T]: ...

    @overload
    def __get__(
        self, client: AsyncTradierClient, owner: type
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...

    def __get__(self, client: _Core | None, owner: type) -> Any:
        if client is None:
            return self
        operation = self._operation

        def method(*args: Any, **kwargs: Any) -> Any:
            return client._complete(operation(client, *args, **kwargs))

        method.__name__ = method.__qualname__ = self._name
        method.__doc__ = self.__doc__
        method.__signature__ = self._signature  # type: ignore[attr-defined]
        return method


def _without_first(function: Callable[..., Any]) -> inspect.Signature:
    signature = inspect.signature(function)
    return signature.replace(parameters=list(signature.parameters.values())[1:])


def market(build: Callable[P, Call[T]]) -> Endpoint[P, T]:
    """A client method running one market-data call built by `build`."""

    async def operation(client: _Core, *args: P.args, **kwargs: P.kwargs) -> T:
        return await client._run(build(*args, **kwargs))

    return Endpoint(operation, inspect.signature(build), build.__doc__)


def account(build: Callable[Concatenate[str | None, P], Call[T]]) -> Endpoint[P, T]:
    """A client method running one call on the client's account, built by `build`."""

    async def operation(client: _Core, *args: P.args, **kwargs: P.kwargs) -> T:
        return await client._run(build(client.account_id, *args, **kwargs))

    return Endpoint(operation, _without_first(build), build.__doc__)


def composite(operation: Operation[P, T]) -> Endpoint[P, T]:
    """A client method that is more than one call (`operation` runs on either client)."""
    return Endpoint(operation, _without_first(operation), operation.__doc__)


async def _find_order_by_tag(client: _Core, tag: str) -> models.Order | None:
    """The order carrying `tag`: today's orders first, then `filter=all` pages."""
    previous: list[models.Order] | None = None
    for index, call in enumerate(rest.find_tag_calls(client.account_id, tag)):
        page = await client._run(call)
        found = rest.match_tag(page, tag)
        if found is not None or rest.last_page(index, page, previous):
            return found
        previous = page if index else None
    return None


async def _working_orders(client: _Core, include_older: bool = False) -> list[models.Order]:
    """Every order that may still fill (open, pending, partially filled...): today's list,
    or with `include_older` every order of the last month. Raises TradierRetryable when the
    list is longer than the pages read, rather than answer with part of it."""
    found: list[models.Order] = []
    previous: list[models.Order] | None = None
    for call in rest.working_order_calls(client.account_id, include_older):
        page = await client._run(call)
        if not rest.repeats(page, previous):
            found.extend(page)
        if rest.page_ends(page, previous):
            return [order for order in found if rest.is_working(order)]
        previous = page
    raise TradierRetryable(f"working_orders: over {len(found)} orders; the list was not read whole")


async def _create_market_session(client: _Core) -> models.StreamSession:
    """A market-data streaming session (production tokens only)."""
    rest.session_hint(client.base_url)
    return await client._run(rest.create_market_session())


class _Endpoints(_Core):
    """Every public method of both clients, once, over `tradier.rest`."""

    quotes = market(rest.quotes)
    clock = market(rest.clock)
    calendar = market(rest.calendar)
    expiration_details = market(rest.expirations)
    expirations = market(rest.expiration_dates)
    strikes = market(rest.strikes)
    chain = market(rest.chain)
    history = market(rest.history)
    timesales = market(rest.timesales)
    lookup = market(rest.lookup)
    search = market(rest.search)
    easy_to_borrow = market(rest.easy_to_borrow)
    balances = account(rest.balances)
    positions = account(rest.positions)
    orders = account(rest.orders)
    order = account(rest.order)
    find_order_by_tag = composite(_find_order_by_tag)
    working_orders = composite(_working_orders)
    place_order = account(rest.place_order)
    preview_order = account(rest.preview_order)
    modify_order = account(rest.modify_order)
    cancel_order = account(rest.cancel_order)
    gainloss = account(rest.gainloss)
    create_market_session = composite(_create_market_session)


class TradierClient(_Endpoints):
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

    async def _send(self, request: Request, args: dict[str, Any]) -> httpx.Response:
        return self._http.request(request.method, request.path, **args)  # blocks: never awaits

    async def _pause(self, seconds: float) -> None:
        self._sleep(seconds)

    def _complete(self, operation: Coroutine[Any, Any, T]) -> T:
        return _finish(operation)


class AsyncTradierClient(_Endpoints):
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

    async def _send(self, request: Request, args: dict[str, Any]) -> httpx.Response:
        return await self._http.request(request.method, request.path, **args)

    async def _pause(self, seconds: float) -> None:
        await self._sleep(seconds)

    def _complete(self, operation: Coroutine[Any, Any, T]) -> Coroutine[Any, Any, T]:
        return operation
