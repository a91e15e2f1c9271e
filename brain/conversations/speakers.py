"""Who answers a conversation: Claude through the analyst's client, or the offline rules.

Both take the fitted `Prompt` and answer a typed `ConversationAnswer` or abstain
(`brain.analyst.answers`). Claude's prompt goes as the cached static prefix plus data
documents (never into the instructions); its tokens are counted by the SDK's
`messages.count_tokens` (`SdkCounter`). The offline speaker answers from the market
context alone, says it is not Claude, and is counted by the offline estimate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Protocol

from brain.analyst.analysts import OFFLINE_MARK
from brain.analyst.answers import Answered, Reply
from brain.analyst.claude import ClaudeClient, Document
from brain.analyst.prefix import StaticPrefix
from brain.conversations.answer import ConversationAnswer, Idea
from brain.conversations.budget import CONTEXT
from brain.conversations.tokens import EstimateCounter, Prompt, TokenCounter


class Speaker(Protocol):
    """Answers one fitted prompt."""

    kind: str

    @property
    def counter(self) -> TokenCounter:
        """What counts this speaker's prompts."""
        ...

    async def answer(self, prompt: Prompt) -> Reply[ConversationAnswer]:
        """The typed answer, or an abstention with its reason."""
        ...


def _documents(prompt: Prompt) -> list[Document]:
    return [Document(p.title, p.data) for p in prompt.documents]


class SdkCounter:
    """`TokenCounter` through the SDK's `messages.count_tokens` (the analyst's client)."""

    def __init__(
        self,
        client: ClaudeClient,
        prefix: StaticPrefix,
        perf: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._perf = perf
        self.calls = 0
        self.seconds = 0.0  # waiting on the API's count: model time, not the brain's

    async def count(self, prompt: Prompt) -> int:
        """The API's count of what `ClaudeSpeaker.answer(prompt)` would send."""
        self.calls += 1
        t0 = self._perf()
        try:
            return await self._client.count(
                self._prefix, _documents(prompt), ConversationAnswer, ask=prompt.ask
            )
        finally:
            self.seconds += self._perf() - t0


class ClaudeSpeaker:
    """Claude, through the analyst's budgeted client."""

    kind = "claude"

    def __init__(self, client: ClaudeClient, prefix: StaticPrefix) -> None:
        self.client = client
        self.prefix = prefix
        self.counter = SdkCounter(client, prefix)

    async def answer(self, prompt: Prompt) -> Reply[ConversationAnswer]:
        """Ask Claude; the prompt's documents are data blocks."""
        return await self.client.ask(
            self.prefix,
            _documents(prompt),
            ConversationAnswer,
            purpose="conversation",
            ask=prompt.ask,
        )


# What the offline speaker recommends in each regime (nothing in an expansion).
_BY_REGIME: dict[str, tuple[str, str] | None] = {
    "trending": ("credit_spread", "bull_put"),
    "low_vol_chop": ("iron_condor", "iron_condor"),
    "compressed": ("calendar", "calendar"),
    "high_vol_expansion": None,
}


class OfflineSpeaker:
    """Deterministic rules over the market context; never calls anything."""

    kind = "offline"

    def __init__(self) -> None:
        self.counter: TokenCounter = EstimateCounter()
        self.answers = 0

    async def answer(self, prompt: Prompt) -> Reply[ConversationAnswer]:
        """Describe each symbol's known state; recommend by regime when the gate is ACTIVE."""
        self.answers += 1
        context: dict[str, Any] = {}
        for piece in prompt.documents:
            if piece.title == CONTEXT:
                context = json.loads(piece.data)
        gate = context.get("gate") or {}
        state = gate.get("trading_state")
        lines: list[str] = []
        ideas: list[Idea] = []
        for symbol, view in sorted((context.get("symbols") or {}).items()):
            if not view.get("tracked"):
                lines.append(f"{symbol}: unknown (the brain does not stream it).")
                continue
            regime = view.get("regime")
            rsi = (view.get("indicators") or {}).get("rsi")
            said = f"{symbol}: regime {regime or 'unknown'}, RSI " + (
                f"{rsi:.0f}" if isinstance(rsi, int | float) else "unknown"
            )
            lines.append(said + ".")
            pick = _BY_REGIME.get(regime) if regime else None
            if pick is not None and state == "ACTIVE" and len(ideas) < 3:
                strategy, direction = pick
                if direction == "bull_put" and isinstance(rsi, int | float) and rsi < 45:
                    direction = "bear_call"
                ideas.append(
                    Idea(
                        strategy=strategy,  # type: ignore[arg-type]
                        symbol=symbol,
                        direction=direction,  # type: ignore[arg-type]
                        quantity=1,
                        rationale=f"{OFFLINE_MARK}{strategy} fits the {regime} regime",
                    )
                )
        if state != "ACTIVE":
            lines.append(f"The gate is {state or 'unknown'}: no new trades.")
        response = OFFLINE_MARK + " ".join(lines or ["no symbols to talk about."])
        return Answered(
            ConversationAnswer(response=response[:4000], recommendations=ideas),
            f"offline-conversation-{self.answers}",
        )
