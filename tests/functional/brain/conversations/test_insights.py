"""Insights from real outcomes only: each with its provenance, deduplicated by key,
expiring; none without outcomes (and then Claude is not even asked); one citing a
proposal that is not among the outcomes is discarded."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from brain.analyst.budget import Budget
from brain.analyst.calls import CallLog
from brain.analyst.claude import ClaudeClient
from brain.analyst.config import AnalystConfig
from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.analyst.prices import load_prices
from brain.analyst.spend import MemorySpendStore
from brain.conversations.insights import ClaudeLearner, OfflineLearner, Outcome, learn
from brain.conversations.store import SessionStore
from tests.functional.brain.conversations.support import no_sleep
from tradier.clock import ManualClock

T0 = 1_795_040_000_000
DAY = 86_400_000
OUTCOMES = [
    Outcome(
        "11111111-1111-4111-8111-111111111111",
        "SPY",
        "credit_spread",
        "REJECTED",
        "SYMBOL_RATE_LIMITED",
    ),
    Outcome(
        "22222222-2222-4222-8222-222222222222",
        "SPY",
        "credit_spread",
        "REJECTED",
        "SYMBOL_RATE_LIMITED",
    ),
    Outcome(
        "33333333-3333-4333-8333-333333333333",
        "QQQ",
        "iron_condor",
        "APPROVED",
        None,
        "FILLED",
        "-140.00",
    ),
]


def client(url: str, clock: ManualClock) -> ClaudeClient:
    settings = AnalystConfig(api_key="test-key", base_url=url)
    prices = load_prices(settings.prices_path)
    return ClaudeClient(
        settings,
        prices.price(settings.model),
        Budget(MemorySpendStore(), clock, Decimal("5.00"), 100),
        clock,
        calls=CallLog(),
        sleep=no_sleep,
        price_effective=prices.effective or date(2026, 1, 1),
    )


async def test_learn_when_no_outcomes_then_no_insight_and_claude_not_asked(
    store: SessionStore,
) -> None:
    clock = ManualClock(T0)
    async with FakeClaude() as fake:
        claude = client(fake.url, clock)
        assert await learn([], ClaudeLearner(claude), store, T0) == []
        await claude.aclose()
        assert fake.requests == []
    assert await learn([], OfflineLearner(), store, T0) == []
    assert store.insights("SPY", T0, 10) == []


async def test_learn_when_claude_cites_outcomes_then_kept_with_provenance_else_dropped(
    store: SessionStore,
) -> None:
    clock = ManualClock(T0)
    spy_ids = [OUTCOMES[0].proposal_id, OUTCOMES[1].proposal_id]
    answer = {
        "insights": [
            {
                "symbol": "SPY",
                "key": "spy-rate-limit",
                "text": "Two SPY entries within a minute were rate limited: space them out.",
                "provenance": spy_ids,
            },
            {
                "symbol": "SPY",
                "key": "invented-lesson",
                "text": "SPY always rises on Fridays.",
                "provenance": ["99999999-9999-4999-8999-999999999999"],
            },  # not an outcome
            {
                "symbol": "SPY",
                "key": "wrong-symbol",
                "text": "Condors lose.",
                "provenance": [OUTCOMES[2].proposal_id],
            },  # QQQ's proposal
        ]
    }
    async with FakeClaude() as fake:
        claude = client(fake.url, clock)
        fake.script(Reply(Scripted.VALID, json.dumps(answer)))
        stored = await learn(OUTCOMES, ClaudeLearner(claude), store, T0)
        fake.script(Reply(Scripted.VALID, json.dumps(answer)))  # the same lesson tomorrow
        again = await learn(OUTCOMES, ClaudeLearner(claude), store, T0 + DAY)
        await claude.aclose()
        outcomes_doc = fake.messages[0].body["messages"][-1]["content"][0]["source"]["data"]
    assert [i.key for i in stored] == ["spy-rate-limit"]
    assert stored[0].provenance == tuple(spy_ids)
    assert again == []  # deduplicated on its key
    [kept] = store.insights("SPY", T0 + 29 * DAY, 10)
    assert kept == stored[0]
    assert store.insights("SPY", T0 + 30 * DAY, 10) == []  # expired
    assert OUTCOMES[2].proposal_id in outcomes_doc  # the outcomes went as a data document


async def test_learn_when_offline_then_counts_rejections_with_their_proposals(
    store: SessionStore,
) -> None:
    [insight] = await learn(OUTCOMES, OfflineLearner(), store, T0)
    assert insight.symbol == "SPY" and insight.key == "rejected-symbol_rate_limited"
    assert insight.provenance == (OUTCOMES[0].proposal_id, OUTCOMES[1].proposal_id)
