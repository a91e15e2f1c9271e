"""The prompt budget, as a property: for sessions of any length, messages of any size
within the limit and any amount of history and insights, the fitted prompt stays within
the memory budget and the whole prompt's cap by the counter's own count, and always holds
the user's message, the instructions and the schema, uncut. The counter is made to
disagree with the estimate both ways, so the recount (not luck) keeps the budgets."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brain.conversations.budget import (
    HOT,
    BudgetConfig,
    Memory,
    check_user_message,
    fit,
)
from brain.conversations.errors import BadRequest
from brain.conversations.records import Insight, Message, Summary
from brain.conversations.tokens import Estimate, EstimateCounter, Piece, Prompt

SYSTEM = "You talk strategy with the trader. Rules: ... " * 40
SCHEMA = json.dumps({"type": "object", "properties": {"recommendations": {"type": "array"}}})
ASK = "Answer the user_message document with one JSON object of the schema."
CONFIG = BudgetConfig()
ESTIMATE = Estimate()
T0 = 1_795_000_000_000

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=4_000
)
user_texts = texts.filter(lambda t: t.strip() != "" and ESTIMATE.text(t) <= CONFIG.user_tokens)


def _fixed(user: str) -> Prompt:
    context = Piece("market_context", json.dumps({"SPY": {"bid": "600.01", "ask": "600.03"}}))
    return Prompt(SYSTEM, (context, Piece("user_message", user)), ASK, SCHEMA)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    user=user_texts,
    hot=st.lists(texts, max_size=120),
    warm=st.lists(st.text(max_size=600), max_size=30),
    cold=st.lists(st.text(max_size=300), max_size=20),
    real_bytes_per_token=st.sampled_from([2.0, 2.5, 3.0, 4.0, 6.0]),
    memory_tokens=st.sampled_from([0, 200, 2_700, 6_000]),
)
def test_fit_when_any_session_then_within_both_budgets_and_fixed_parts_whole(
    user: str,
    hot: list[str],
    warm: list[str],
    cold: list[str],
    real_bytes_per_token: float,
    memory_tokens: int,
) -> None:
    config = BudgetConfig(memory_tokens=memory_tokens)
    counter = EstimateCounter(Estimate(bytes_per_token=real_bytes_per_token))
    memory = Memory(
        hot=[
            Message("s", f"{i:013d}#0", "user" if i % 2 else "assistant", t, T0 + i)
            for i, t in enumerate(hot)
        ],
        warm=[Summary("SPY", f"s{i}", T0 - i, t) for i, t in enumerate(warm)],
        cold=[Insight("SPY", f"k{i}", t, ("p",), T0, T0 + 1) for i, t in enumerate(cold)],
    )
    fixed = _fixed(user)
    try:
        fitted = asyncio.run(fit(fixed, memory, config, counter, ESTIMATE))
    except BadRequest:
        # Only when the fixed parts alone pass the cap under this (pessimistic) counter.
        assert asyncio.run(counter.count(fixed)) > config.prompt_tokens
        return
    total = asyncio.run(counter.count(fitted.prompt))
    assert total == fitted.prompt_tokens <= config.prompt_tokens
    assert fitted.memory_tokens <= config.memory_tokens
    assert fitted.prompt.system == SYSTEM and fitted.prompt.schema == SCHEMA
    assert fitted.prompt.ask == ASK
    assert fitted.prompt.documents[-1] == Piece("user_message", user)
    assert fitted.prompt.documents[0] == fixed.documents[0]
    if fitted.hot:  # what is kept of the session is its newest messages, in order
        assert list(fitted.hot) == memory.hot[len(memory.hot) - len(fitted.hot) :]


def test_fit_when_estimate_agrees_then_hot_takes_unused_shares_and_one_recount() -> None:
    memory = Memory(
        hot=[Message("s", f"{i:013d}#0", "user", "x" * 300, T0 + i) for i in range(200)]
    )
    fitted = asyncio.run(
        fit(_fixed("what about SPY?"), memory, CONFIG, EstimateCounter(), ESTIMATE)
    )
    assert fitted.counts == 2  # the fixed parts, then the whole prompt
    assert CONFIG.memory_tokens * 0.9 < fitted.memory_tokens <= CONFIG.memory_tokens
    assert fitted.prompt.documents[1].title == HOT
    assert fitted.hot[-1] == memory.hot[-1]  # the newest message is kept, the oldest dropped


def test_fit_when_history_and_insights_then_each_within_its_share() -> None:
    memory = Memory(
        hot=[Message("s", f"{i:013d}#0", "user", "y" * 200, T0 + i) for i in range(100)],
        warm=[Summary("SPY", f"s{i}", T0 - i, "w" * 150) for i in range(40)],
        cold=[Insight("SPY", f"k{i}", "c" * 100, ("p1",), T0, T0 + 1) for i in range(40)],
    )
    fitted = asyncio.run(fit(_fixed("and QQQ?"), memory, CONFIG, EstimateCounter(), ESTIMATE))
    warm_doc, cold_doc = fitted.prompt.documents[2], fitted.prompt.documents[3]
    assert ESTIMATE.piece(warm_doc) <= CONFIG.memory_tokens * CONFIG.warm_share
    assert ESTIMATE.piece(cold_doc) <= CONFIG.memory_tokens * CONFIG.cold_share
    assert fitted.warm == tuple(memory.warm[: len(fitted.warm)])  # most relevant first
    assert 0 < len(fitted.cold) < 40 and 0 < len(fitted.warm) < 40


def test_user_message_when_over_the_limit_then_refused_naming_the_limit() -> None:
    too_long = "z" * (CONFIG.user_tokens * 3 + 3)
    with pytest.raises(BadRequest) as refused:
        check_user_message(too_long, CONFIG, ESTIMATE)
    assert refused.value.field == "prompt" and refused.value.code == "too_long"
    assert f"limit is {CONFIG.user_tokens} tokens" in refused.value.detail
    check_user_message("z" * CONFIG.user_tokens * 3, CONFIG, ESTIMATE)  # exactly at it


def test_user_message_when_blank_then_refused_as_missing() -> None:
    with pytest.raises(BadRequest) as refused:
        check_user_message("   ", CONFIG, ESTIMATE)
    assert refused.value.code == "missing"
