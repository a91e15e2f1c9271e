"""The one client of Claude: structured answers, bounded cost, abstentions as values.

`ClaudeClient.ask(prefix, documents, Answer)` sends the static prefix as a cached system
block, the per-call data as `document` blocks (data, never instructions), and asks for
`Answer`'s JSON schema through `output_config.format` (the 5.5 models refuse a forced
`tool_choice`). Before every attempt it counts the prompt (`count_tokens`; a byte-length
bound when counting fails), reserves the worst case (prompt at the dearest input rate
plus `max_tokens` of output) against the budget, and after it settles the real cost.

The SDK's own retries are off (`max_retries=0`): it retries 408/409/429/5xx without an
idempotency key, so a retried call can be billed twice. Here each retry is an attempt of
its own, reserved and settled, within `max_retries` and the call's deadline, honouring
`retry-after`. An answer the API rejected (an HTTP error) is settled at zero; a timeout
or a dropped connection at its full reservation (it may have been billed).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

import anthropic
import httpx2
from pydantic import BaseModel

from brain.analyst.answers import Abstained, AbstainReason, Answered, Reply
from brain.analyst.budget import Budget, Reservation
from brain.analyst.calls import CallLog, CallRecord
from brain.analyst.config import AnalystConfig
from brain.analyst.prefix import StaticPrefix
from brain.analyst.prices import ModelPrice, TokenUsage
from brain.analyst.replies import read_answer, retry_after, texts_of, usage_of
from tradier.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]
ASK = (
    "Review the plan described in the documents above, as the rules in the system prompt "
    "say, and answer with one JSON object of the schema."
)


@dataclass(frozen=True, slots=True)
class Document:
    """One data block: a title and its content (JSON text)."""

    title: str
    data: str


@dataclass(frozen=True, slots=True)
class Turn:
    """A prior turn of a conversation (for the conversations that build on this client)."""

    role: Literal["user", "assistant"]
    text: str


@dataclass(frozen=True, slots=True)
class PrefixCheck:
    """The static prefix against the model's minimum cacheable length."""

    tokens: int
    minimum: int

    @property
    def cacheable(self) -> bool:
        """True when the API will cache the prefix."""
        return self.tokens >= self.minimum


@dataclass
class _Attempts:
    """What the attempts of one call added up to."""

    attempts: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage)
    cost: Decimal = Decimal(0)
    reserved: Decimal = Decimal(0)
    model_s: float = 0.0
    request_ids: list[str] = field(default_factory=list)


class ClaudeClient:
    """Claude behind a budget; see the module docstring."""

    def __init__(
        self,
        config: AnalystConfig,
        price: ModelPrice,
        budget: Budget,
        clock: Clock,
        *,
        calls: CallLog | None = None,
        http_client: httpx2.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
        perf: Callable[[], float] = time.perf_counter,
        price_effective: date | None = None,
    ) -> None:
        if config.api_key is None:
            raise ValueError("ClaudeClient needs an API key (the offline analyst has none)")
        self.config = config
        self.price = price
        self.price_effective = price_effective
        self.budget = budget
        self.clock = clock
        self.calls = calls or CallLog()
        self._sleep = sleep
        self._perf = perf
        self._ids = itertools.count(1)
        self._seen_prefix: dict[str, int] = {}
        timeout = httpx2.Timeout(config.timeout_s, connect=min(5.0, config.timeout_s))
        self._sdk = anthropic.AsyncAnthropic(
            api_key=config.api_key,
            base_url=config.base_url,
            max_retries=0,  # retries are ours: reserved, counted, bounded
            timeout=timeout,
            http_client=http_client,
        )

    async def aclose(self) -> None:
        """Close the SDK's HTTP client."""
        await self._sdk.close()

    async def check_prefix(self, prefix: StaticPrefix) -> PrefixCheck:
        """Count the prefix's tokens and compare them with the model's minimum cacheable
        length; a prefix too short is never cached (the API says nothing), so say it."""
        system = self._system(prefix)
        counted = await self._sdk.messages.count_tokens(
            model=self.config.model,
            system=system,
            messages=[{"role": "user", "content": "."}],
        )
        check = PrefixCheck(int(counted.input_tokens), self.price.min_cacheable_tokens)
        if not check.cacheable:
            log.warning(
                "the analyst's static prefix is %d tokens, under %s's minimum cacheable "
                "length of %d: it will not be cached and every call pays for it in full",
                check.tokens,
                self.config.model,
                check.minimum,
            )
        return check

    def _system(self, prefix: StaticPrefix) -> list[Any]:
        return [
            {
                "type": "text",
                "text": prefix.text,
                "cache_control": {"type": "ephemeral", "ttl": self.config.cache_ttl},
            }
        ]

    async def ask(
        self,
        prefix: StaticPrefix,
        documents: Sequence[Document],
        answer: type[T],
        *,
        purpose: str,
        prior: Sequence[Turn] = (),
        ask: str = ASK,
    ) -> Reply[T]:
        """One structured call: the typed answer, or an abstention with its reason."""
        start = self._perf()
        call_id = f"{purpose}-{self.clock.now_ms()}-{next(self._ids)}"
        system, messages, output_config = self._request(prefix, documents, answer, prior, ask)
        tally = _Attempts()
        counted = await self._count(system, messages, output_config, tally)
        result, reply_text = await self._attempts(
            system, messages, output_config, answer, counted, start, tally
        )
        if isinstance(result, Answered):
            self._check_cache(prefix, tally.usage)
        outcome = "answered" if isinstance(result, Answered) else result.reason.value
        self.calls.add(
            CallRecord(
                call_id=call_id,
                purpose=purpose,
                model=self.config.model,
                at_ms=self.clock.now_ms(),
                outcome=outcome,
                detail="" if isinstance(result, Answered) else result.detail,
                attempts=tally.attempts,
                retries=max(0, tally.attempts - 1),
                usage=tally.usage,
                cost=tally.cost,
                reserved=tally.reserved,
                counted_tokens=counted,
                latency_ms=(self._perf() - start) * 1000,
                model_ms=tally.model_s * 1000,
                prefix_digest=prefix.digest,
                documents={d.title: d.data for d in documents},
                reply_text=reply_text,
                request_ids=tuple(tally.request_ids),
            )
        )
        if isinstance(result, Answered):
            return Answered(result.answer, call_id)
        return Abstained(result.reason, result.detail, call_id)

    def _request(
        self,
        prefix: StaticPrefix,
        documents: Sequence[Document],
        answer: type[BaseModel],
        prior: Sequence[Turn],
        ask: str,
    ) -> tuple[list[Any], list[Any], Any]:
        """(system, messages, output_config) of a call: the cached prefix, prior turns,
        then the documents and the fixed question in the last user turn."""
        content: list[Any] = [
            {
                "type": "document",
                "source": {"type": "text", "media_type": "text/plain", "data": d.data},
                "title": d.title,
            }
            for d in documents
        ]
        content.append({"type": "text", "text": ask})
        messages: list[Any] = [{"role": t.role, "content": t.text} for t in prior]
        messages.append({"role": "user", "content": content})
        output_config: Any = {
            "format": {"type": "json_schema", "schema": anthropic.transform_schema(answer)}
        }
        return self._system(prefix), messages, output_config

    async def count(
        self,
        prefix: StaticPrefix,
        documents: Sequence[Document],
        answer: type[BaseModel],
        *,
        prior: Sequence[Turn] = (),
        ask: str = ASK,
    ) -> int:
        """The prompt tokens `ask(...)` would send (the API's count; a byte bound when it
        cannot be had), for callers that fit a prompt to a token budget."""
        system, messages, output_config = self._request(prefix, documents, answer, prior, ask)
        return await self._count(system, messages, output_config, _Attempts())

    async def _count(self, system: Any, messages: Any, output_config: Any, tally: _Attempts) -> int:
        t0 = self._perf()
        try:
            counted = await self._sdk.messages.count_tokens(
                model=self.config.model,
                system=system,
                messages=messages,
                output_config=output_config,
            )
            return int(counted.input_tokens)
        except anthropic.APIError as exc:
            # A token is at least one byte: the request's length bounds its count.
            log.info("count_tokens failed (%s): bounding the prompt by its bytes", exc)
            body = json.dumps([system, messages, output_config])
            return len(body.encode("utf-8"))
        finally:
            tally.model_s += self._perf() - t0

    async def _attempts(
        self,
        system: Any,
        messages: Any,
        output_config: Any,
        answer: type[T],
        counted: int,
        start: float,
        tally: _Attempts,
    ) -> tuple[Answered[T] | Abstained, str | None]:
        config = self.config
        worst = self.price.worst_case(counted, config.max_tokens, config.cache_ttl)
        deadline = start + config.deadline_s
        while True:
            remaining = deadline - self._perf()
            if remaining <= 0:
                return Abstained(AbstainReason.TIMEOUT, "deadline passed before a reply"), None
            reserved = await self.budget.reserve(worst)
            if isinstance(reserved, AbstainReason):
                return Abstained(reserved, f"worst case ${worst} refused"), None
            tally.attempts += 1
            tally.reserved += worst
            t0 = self._perf()
            try:
                message = await self._sdk.messages.create(
                    model=config.model,
                    max_tokens=config.max_tokens,
                    system=system,
                    messages=messages,
                    output_config=output_config,
                    timeout=min(config.timeout_s, remaining),
                )
            except anthropic.APITimeoutError:
                await self._settle(reserved, worst, TokenUsage(), tally, t0)
                return Abstained(AbstainReason.TIMEOUT, f"no reply in {config.timeout_s:g}s"), None
            except anthropic.APIStatusError as exc:
                await self._settle(reserved, Decimal(0), TokenUsage(), tally, t0)
                if exc.request_id:
                    tally.request_ids.append(exc.request_id)
                status = exc.status_code
                if status in (408, 409, 429) or status >= 500:
                    wait = await self._backoff(tally, retry_after(exc), deadline)
                    if wait is None:
                        detail = f"HTTP {status} after {tally.attempts} attempt(s)"
                        return Abstained(AbstainReason.UNAVAILABLE, detail), None
                    continue
                return Abstained(AbstainReason.FATAL, f"HTTP {status}: {exc.message}"), None
            except anthropic.APIConnectionError as exc:
                # The request may have reached the API: settled as if billed in full.
                await self._settle(reserved, worst, TokenUsage(), tally, t0)
                wait = await self._backoff(tally, None, deadline)
                if wait is None:
                    return Abstained(AbstainReason.UNAVAILABLE, f"connection: {exc}"), None
                continue
            usage = usage_of(message)
            await self._settle(reserved, self.price.cost(usage, config.cache_ttl), usage, tally, t0)
            request_id = getattr(message, "_request_id", None)
            if request_id:
                tally.request_ids.append(str(request_id))
            texts = texts_of(message)
            read = read_answer(message, answer)
            if isinstance(read, Abstained):
                return read, "".join(texts) or None
            return Answered(read, ""), "".join(texts)

    async def _settle(
        self,
        reservation: Reservation,
        cost: Decimal,
        usage: TokenUsage,
        tally: _Attempts,
        t0: float,
    ) -> None:
        tally.model_s += self._perf() - t0
        tally.usage = tally.usage + usage
        tally.cost += cost
        await self.budget.settle(reservation, cost, usage, retry=tally.attempts > 1)

    async def _backoff(
        self, tally: _Attempts, asked_s: float | None, deadline: float
    ) -> float | None:
        """Sleep before the next attempt; None when no attempt is left (or no time). The
        wait is the API's doing, so it counts as model time, not as the brain's."""
        attempts = tally.attempts
        if attempts > self.config.max_retries:
            return None
        wait = asked_s if asked_s is not None else 0.5 * 2 ** (attempts - 1)
        wait = min(wait, self.config.max_retry_wait_s)
        if self._perf() + wait >= deadline:
            return None
        t0 = self._perf()
        await self._sleep(wait)
        tally.model_s += self._perf() - t0
        return wait

    def _check_cache(self, prefix: StaticPrefix, usage: TokenUsage) -> None:
        seen = self._seen_prefix.get(prefix.digest, 0)
        self._seen_prefix[prefix.digest] = seen + 1
        if seen >= 1 and usage.cache_read_tokens == 0:
            self.calls.cache_misses += 1
            log.warning(
                "call %d with the same static prefix read nothing from the cache "
                "(prefix too short for %s, expired, or changed)",
                seen + 1,
                self.config.model,
            )
