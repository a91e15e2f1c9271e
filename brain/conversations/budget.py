"""Fitting a conversation's prompt to its token budgets: hot, warm and cold memory.

The fixed parts — the instructions and schema (system), the market context, the user's
message and the question — are never cut. Memory fills what is left, up to the memory
budget (2,700 tokens by default) and within the whole prompt's cap: about 80 % for this
session's recent messages (hot), 15 % for summaries of earlier conversations about the
same symbols (warm), 5 % for insights (cold); a share its memory does not fill goes to the
hot share. Within each, the oldest and least relevant go first. Items are chosen with the
offline estimate, then the whole prompt is counted for real and, while it is over, the
oldest hot message (then the least relevant summary, then insight) is dropped and the
prompt counted again: the budgets hold by the real count, whatever the estimate's error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from brain.conversations.errors import BadRequest
from brain.conversations.records import Insight, Message, Summary
from brain.conversations.tokens import Estimate, Piece, Prompt, TokenCounter

HOT, WARM, COLD = "conversation_so_far", "relevant_history", "insights"
USER, CONTEXT = "user_message", "market_context"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BudgetConfig:
    """The token budgets (configurable; the defaults suit one trader)."""

    memory_tokens: int = 2_700
    hot_share: float = 0.80
    warm_share: float = 0.15
    cold_share: float = 0.05
    prompt_tokens: int = 12_000  # the whole prompt's cap, memory included
    user_tokens: int = 1_500  # the longest user message, by the offline estimate

    def __post_init__(self) -> None:
        shares = (self.hot_share, self.warm_share, self.cold_share)
        if any(s < 0 for s in shares) or sum(shares) > 1.0 + 1e-9:
            raise ValueError("memory shares must be >= 0 and add up to at most 1")
        if self.user_tokens <= 0 or self.memory_tokens < 0:
            raise ValueError("token budgets must be positive")
        if self.prompt_tokens <= self.user_tokens:
            raise ValueError("the prompt cap must be above the user message limit")


@dataclass(frozen=True, slots=True)
class Memory:
    """What could go into a prompt: hot oldest first, warm and cold most relevant first."""

    hot: Sequence[Message] = ()
    warm: Sequence[Summary] = ()
    cold: Sequence[Insight] = ()


@dataclass(frozen=True, slots=True)
class Fitted:
    """A prompt within both budgets, with what it holds and what it cost."""

    prompt: Prompt
    prompt_tokens: int
    memory_tokens: int
    hot: tuple[Message, ...]
    warm: tuple[Summary, ...]
    cold: tuple[Insight, ...]
    counts: int  # how many times the whole prompt was counted


def check_user_message(text: str, config: BudgetConfig, estimate: Estimate) -> None:
    """Refuse a user message over the limit (before anything is stored or called)."""
    if not text.strip():
        raise BadRequest("prompt", "must not be empty", "missing")
    tokens = estimate.text(text)
    if tokens > config.user_tokens:
        raise BadRequest(
            "prompt",
            f"is about {tokens} tokens; the limit is {config.user_tokens} tokens "
            f"(about {int(config.user_tokens * estimate.bytes_per_token)} bytes)",
            "too_long",
        )


def _hot_item(m: Message) -> dict[str, object]:
    return {"role": m.role, "at_ms": m.at_ms, "text": m.text}


def _warm_item(s: Summary) -> dict[str, object]:
    return {"symbol": s.symbol, "at_ms": s.at_ms, "summary": s.text}


def _cold_item(i: Insight) -> dict[str, object]:
    return {"symbol": i.symbol, "insight": i.text, "from": list(i.provenance)}


def _doc(title: str, items: Sequence[dict[str, object]]) -> Piece:
    return Piece(title, json.dumps(items, separators=(",", ":"), ensure_ascii=False))


def _take(
    items: Sequence[T], render: Callable[[T], dict[str, object]], cap: int, estimate: Estimate
) -> list[T]:
    """The longest run of `items` (in order) whose estimate fits `cap`."""
    taken: list[T] = []
    used = estimate.per_document + 2
    for item in items:
        cost = estimate.text(json.dumps(render(item), ensure_ascii=False)) + 1
        if used + cost > cap:
            break
        taken.append(item)
        used += cost
    return taken


def memory_documents(
    hot: Sequence[Message], warm: Sequence[Summary], cold: Sequence[Insight]
) -> list[Piece]:
    """The memory as data documents (only the non-empty ones)."""
    docs: list[Piece] = []
    if hot:
        docs.append(_doc(HOT, [_hot_item(m) for m in hot]))
    if warm:
        docs.append(_doc(WARM, [_warm_item(s) for s in warm]))
    if cold:
        docs.append(_doc(COLD, [_cold_item(i) for i in cold]))
    return docs


async def fit(
    fixed: Prompt,
    memory: Memory,
    config: BudgetConfig,
    counter: TokenCounter,
    estimate: Estimate,
) -> Fitted:
    """The prompt with as much memory as both budgets allow (see the module docstring).

    `fixed` holds the context and user documents; memory documents go between them."""
    fixed_tokens = await counter.count(fixed)
    counts = 1
    allowance = min(config.memory_tokens, config.prompt_tokens - fixed_tokens)
    if allowance < 0:
        raise BadRequest(
            "prompt",
            f"the prompt would be {fixed_tokens} tokens without any memory; "
            f"the limit is {config.prompt_tokens} tokens",
            "too_long",
        )
    warm = _take(memory.warm, _warm_item, int(allowance * config.warm_share), estimate)
    cold = _take(memory.cold, _cold_item, int(allowance * config.cold_share), estimate)
    # Hot gets what warm and cold leave (a share unfilled is not wasted).
    spent = sum(estimate.piece(d) for d in memory_documents((), warm, cold))
    newest_first = list(reversed(memory.hot))
    hot = list(reversed(_take(newest_first, _hot_item, allowance - spent, estimate)))
    while True:
        head, tail = fixed.documents[:1], fixed.documents[1:]
        prompt = fixed.with_documents([*head, *memory_documents(hot, warm, cold), *tail])
        if not (hot or warm or cold):
            return Fitted(prompt, fixed_tokens, 0, (), (), (), counts)
        total = await counter.count(prompt)
        counts += 1
        memory_tokens = total - fixed_tokens
        if memory_tokens <= allowance and total <= config.prompt_tokens:
            return Fitted(
                prompt, total, memory_tokens, tuple(hot), tuple(warm), tuple(cold), counts
            )
        if hot:
            hot.pop(0)  # the oldest message first
        elif warm:
            warm.pop()  # then the least relevant summary
        else:
            cold.pop()
