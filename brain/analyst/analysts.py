"""The two analysts behind one interface: Claude, and the offline analyst.

`Analyst.review(request)` answers a `ReviewRequest` with a `ReviewAnswer` or abstains.
`ClaudeAnalyst` asks Claude through `ClaudeClient` (the request goes as one JSON document,
never into the instructions). `OfflineAnalyst` is used when no `ANTHROPIC_API_KEY` is set:
deterministic rules over the same request's indicators, regime, positions and gate state,
and every answer says it is not Claude's. The demo and the tests run anywhere with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from brain.analyst.answers import AbstainReason, Answered, Reply
from brain.analyst.claude import ClaudeClient, Document
from brain.analyst.prefix import StaticPrefix
from brain.analyst.review_schema import ReviewAnswer, ReviewRequest, Verdict

AnalystKind = Literal["claude", "offline"]
OFFLINE_MARK = "Offline analyst (not Claude): "
SHORT_PREMIUM = frozenset({"credit_spread", "iron_condor", "iron_butterfly"})


class Analyst(Protocol):
    """Reviews signals; `kind` says who answers."""

    kind: AnalystKind

    async def review(self, request: ReviewRequest) -> Reply[ReviewAnswer]:
        """An answer to `request`, or an abstention with its reason."""
        ...

    def status(self) -> dict[str, Any]:
        """What the status page and the heartbeat show of this analyst."""
        ...

    async def aclose(self) -> None:
        """Release what the analyst holds (HTTP clients)."""
        ...


class ClaudeAnalyst:
    """Claude as the reviewer."""

    kind: AnalystKind = "claude"

    def __init__(self, client: ClaudeClient, prefix: StaticPrefix) -> None:
        self.client = client
        self.prefix = prefix

    async def review(self, request: ReviewRequest) -> Reply[ReviewAnswer]:
        """Ask Claude; the request is one JSON document."""
        document = Document("signal_review_request", request.model_dump_json())
        return await self.client.ask(self.prefix, [document], ReviewAnswer, purpose="review")

    def status(self) -> dict[str, Any]:
        """Model, budget and spend, and the calls' outcomes."""
        calls = self.client.calls
        return {
            "analyst": self.kind,
            "model": self.client.config.model,
            "prices_effective": str(self.client.price_effective),
            "budget": self.client.budget.status(),
            "calls": calls.calls,
            "retries": calls.retries,
            "outcomes": dict(sorted(calls.outcomes.items())),
        }

    async def aclose(self) -> None:
        """Close the SDK client."""
        await self.client.aclose()


def on_cap_notice(analyst: Analyst, notice: Callable[[AbstainReason, str], None]) -> None:
    """Have `notice` told when Claude's cost cap is reached (the offline analyst has none)."""
    if isinstance(analyst, ClaudeAnalyst):
        analyst.client.budget.on_cap = notice


def _half(quantity: int) -> int:
    return max(1, quantity // 2)


class OfflineAnalyst:
    """Deterministic rules over the request; never calls anything."""

    kind: AnalystKind = "offline"

    def __init__(self) -> None:
        self.reviews = 0
        self.verdicts: dict[str, int] = {}

    async def review(self, request: ReviewRequest) -> Reply[ReviewAnswer]:
        """The rules' answer (see `judge`)."""
        answer = judge(request)
        self.reviews += 1
        self.verdicts[answer.verdict.value] = self.verdicts.get(answer.verdict.value, 0) + 1
        return Answered(answer, f"offline-{self.reviews}")

    def status(self) -> dict[str, Any]:
        """Counts of its answers."""
        return {"analyst": self.kind, "reviews": self.reviews, "verdicts": dict(self.verdicts)}

    async def aclose(self) -> None:
        """Nothing to release."""


def _answer(verdict: Verdict, why: str, quantity: int | None = None) -> ReviewAnswer:
    return ReviewAnswer(verdict=verdict, rationale=OFFLINE_MARK + why, quantity=quantity)


def judge(request: ReviewRequest) -> ReviewAnswer:
    """The offline analyst's rules, first match wins: veto when the gate is not ACTIVE,
    the regime is unknown, or there is no two-sided quote; veto a share entry against an
    extreme RSI; halve a short-premium structure in a high-volatility expansion, one
    against a stretched RSI, or one on a symbol already held; approve otherwise."""
    state = request.gate.get("trading_state")
    if state not in (None, "ACTIVE"):
        return _answer(Verdict.VETO, f"the gate is {state}")
    if request.regime == "unknown":
        return _answer(Verdict.VETO, "the regime is not established yet")
    if request.quote.get("bid") is None or request.quote.get("ask") is None:
        return _answer(Verdict.VETO, "no two-sided quote for the underlying")
    rsi = request.indicators.get("rsi")
    quantity = request.planned_quantity
    if rsi is not None and request.kind == "long" and rsi >= 80:
        return _answer(Verdict.VETO, f"buying shares into RSI {rsi:.0f}")
    if rsi is not None and request.kind == "short" and rsi <= 20:
        return _answer(Verdict.VETO, f"shorting shares into RSI {rsi:.0f}")
    smaller = _half(quantity)
    if smaller < quantity:
        if request.strategy in SHORT_PREMIUM and request.regime == "high_vol_expansion":
            return _answer(Verdict.ADJUST, "short premium in a volatility expansion", smaller)
        if rsi is not None and (
            (request.kind == "bull_put" and rsi >= 75)
            or (request.kind == "bear_call" and rsi <= 25)
        ):
            return _answer(Verdict.ADJUST, f"RSI {rsi:.0f} is stretched", smaller)
        if any(p.symbol == request.symbol for p in request.open_positions):
            return _answer(Verdict.ADJUST, f"{request.symbol} is already held", smaller)
    return _answer(Verdict.APPROVE, f"{request.strategy} fits the {request.regime} regime")
