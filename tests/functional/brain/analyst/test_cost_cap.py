"""The cost cap: reservations stop calls exactly at the limit, also when reviews run
concurrently, the brain is told once, and a restart does not reset the day."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from brain.analyst.analysts import ClaudeAnalyst
from brain.analyst.answers import Abstained, AbstainReason, Answered
from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.analyst.prefix import review_prefix
from brain.analyst.spend import FileSpendStore
from brain.persist import StateStore
from tests.functional.brain.analyst.support import claude_client, review_request


@pytest.fixture
async def fake() -> AsyncIterator[FakeClaude]:
    async with FakeClaude() as server:
        yield server


async def _worst_case(fake: FakeClaude) -> Decimal:
    """The reservation one review takes (the same request counts the same)."""
    client = claude_client(fake.url)
    analyst = ClaudeAnalyst(client, review_prefix())
    await analyst.review(review_request())
    await analyst.aclose()
    fake.requests.clear()
    return client.calls.records[-1].reserved


async def test_calls_when_hourly_cap_and_20_concurrent_reviews_then_exactly_cap_reach_api(
    fake: FakeClaude,
) -> None:
    client = claude_client(fake.url, calls_per_hour=7)
    notices: list[str] = []
    client.budget.on_cap = lambda reason, detail: notices.append(reason.value)
    analyst = ClaudeAnalyst(client, review_prefix())
    replies = await asyncio.gather(*(analyst.review(review_request()) for _ in range(20)))
    await analyst.aclose()
    assert sum(isinstance(r, Answered) for r in replies) == 7
    refused = [r for r in replies if isinstance(r, Abstained)]
    assert {r.reason for r in refused} == {AbstainReason.CALLS_PER_HOUR} and len(refused) == 13
    assert len(fake.messages) == 7
    assert notices == ["calls_per_hour"]  # said once, not once per refused review
    assert client.budget.capped is AbstainReason.CALLS_PER_HOUR


async def test_calls_when_daily_budget_and_20_concurrent_reviews_then_never_past_it(
    fake: FakeClaude,
) -> None:
    worst = await _worst_case(fake)
    # Every reply hangs past the timeout, so each attempt stays charged at its worst case
    # and exactly four fit, whatever the interleaving.
    fake.script(*[Reply(Scripted.HANG, hang_s=2.0)] * 20)
    client = claude_client(fake.url, budget=worst * 4, timeout_s=0.2)
    analyst = ClaudeAnalyst(client, review_prefix())
    replies = await asyncio.gather(*(analyst.review(review_request()) for _ in range(20)))
    await analyst.aclose()
    reasons = [r.reason for r in replies if isinstance(r, Abstained)]
    assert reasons.count(AbstainReason.TIMEOUT) == 4
    assert reasons.count(AbstainReason.DAILY_BUDGET) == 16
    assert len(fake.messages) == 4
    day = client.budget.today()
    assert day.committed == day.spent == worst * 4 == client.budget.daily_budget


async def test_calls_when_run_one_by_one_then_stop_only_when_the_next_worst_case_does_not_fit(
    fake: FakeClaude,
) -> None:
    worst = await _worst_case(fake)
    client = claude_client(fake.url, budget=worst * 3)
    analyst = ClaudeAnalyst(client, review_prefix())
    answered = 0
    while True:
        reply = await analyst.review(review_request())
        if isinstance(reply, Abstained):
            break
        answered += 1
    await analyst.aclose()
    assert reply.reason is AbstainReason.DAILY_BUDGET
    day = client.budget.today()
    # Settled costs are below the worst case, so more than three fit; it stops exactly
    # when one more worst case would pass the budget, never after.
    assert answered > 3
    assert day.committed <= client.budget.daily_budget < day.committed + worst
    assert len(fake.messages) == answered


async def test_budget_when_brain_restarts_then_the_day_is_not_reset(
    fake: FakeClaude, tmp_path: Path
) -> None:
    worst = await _worst_case(fake)
    fake.script(*[Reply(Scripted.HANG, hang_s=2.0)] * 3)
    budget = worst * 2
    first = claude_client(
        fake.url, spend=FileSpendStore(StateStore(tmp_path)), budget=budget, timeout_s=0.2
    )
    analyst = ClaudeAnalyst(first, review_prefix())
    assert [await analyst.review(review_request()) for _ in range(2)]
    await analyst.aclose()
    assert len(fake.messages) == 2
    # A new process, the same state directory: the two worst cases are still committed.
    again = claude_client(fake.url, spend=FileSpendStore(StateStore(tmp_path)), budget=budget)
    analyst = ClaudeAnalyst(again, review_prefix())
    reply = await analyst.review(review_request())
    await analyst.aclose()
    assert isinstance(reply, Abstained) and reply.reason is AbstainReason.DAILY_BUDGET
    assert len(fake.messages) == 2
    assert again.budget.today().spent == budget
