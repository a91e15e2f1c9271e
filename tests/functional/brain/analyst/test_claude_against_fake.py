"""Claude's client against the local fake Messages API: every scripted reply ends in the
right answer, retry or abstention, and every attempt's usage and cost is recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx2
import pytest

from brain.analyst.analysts import ClaudeAnalyst
from brain.analyst.answers import Abstained, AbstainReason, Answered
from brain.analyst.claude import Document
from brain.analyst.fake_claude import FakeClaude, Reply, Scripted
from brain.analyst.prefix import review_prefix
from brain.analyst.review_schema import ReviewAnswer, Verdict, answer_schema
from brain.analyst.spend import MemorySpendStore
from tests.functional.brain.analyst.support import claude_client, review_request

APPROVE = '{"verdict": "approve", "rationale": "fits the regime"}'


@pytest.fixture
async def fake() -> AsyncIterator[FakeClaude]:
    async with FakeClaude() as server:
        yield server


async def _review(fake: FakeClaude, **config: object) -> tuple[object, ClaudeAnalyst]:
    client = claude_client(fake.url, **config)
    analyst = ClaudeAnalyst(client, review_prefix())
    try:
        return await analyst.review(review_request()), analyst
    finally:
        await analyst.aclose()


async def test_review_when_valid_answer_then_typed_answer_with_usage_and_cost(
    fake: FakeClaude,
) -> None:
    fake.script(Reply(Scripted.VALID, APPROVE))
    reply, analyst = await _review(fake)
    assert isinstance(reply, Answered)
    assert reply.answer == ReviewAnswer(verdict=Verdict.APPROVE, rationale="fits the regime")
    record = analyst.client.calls.records[-1]
    assert record.outcome == "answered" and record.attempts == 1 and record.retries == 0
    assert record.usage.cache_write_tokens > 0 and record.usage.output_tokens > 0
    assert record.cost == analyst.client.price.cost(record.usage) > 0
    assert record.reserved >= record.cost
    assert record.reply_text == APPROVE
    day = analyst.client.budget.today()
    assert (day.calls, day.settled, day.spent, day.reserved) == (1, 1, record.cost, 0)


async def test_request_when_sent_then_schema_from_the_model_and_data_as_documents(
    fake: FakeClaude,
) -> None:
    await _review(fake)
    sent = fake.messages[-1]
    assert sent.auth in ("x-api-key", "bearer")  # the key was sent, never kept
    assert sent.body["output_config"]["format"] == {
        "type": "json_schema",
        "schema": answer_schema(),
    }
    assert "tool_choice" not in sent.body and "tools" not in sent.body
    assert sent.body["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "5m"}
    content = sent.body["messages"][-1]["content"]
    assert content[0]["type"] == "document"
    assert review_request().model_dump_json() == content[0]["source"]["data"]


async def test_second_call_when_same_prefix_then_read_from_cache(fake: FakeClaude) -> None:
    client = claude_client(fake.url)
    analyst = ClaudeAnalyst(client, review_prefix())
    await analyst.review(review_request())
    await analyst.review(review_request(reason="another signal"))
    await analyst.aclose()
    first, second = client.calls.records
    assert first.usage.cache_write_tokens > 0 and first.usage.cache_read_tokens == 0
    assert second.usage.cache_read_tokens == first.usage.cache_write_tokens
    assert second.cost < first.cost
    assert client.calls.cache_misses == 0


@pytest.mark.parametrize(
    ("scripted", "reason"),
    [
        (Scripted.MALFORMED_JSON, AbstainReason.INVALID_JSON),
        (Scripted.SCHEMA_INVALID, AbstainReason.SCHEMA_INVALID),
        (Scripted.REFUSAL, AbstainReason.REFUSAL),
        (Scripted.MAX_TOKENS, AbstainReason.MAX_TOKENS),
    ],
)
async def test_review_when_reply_unusable_then_abstains_and_records_billed_usage(
    fake: FakeClaude, scripted: Scripted, reason: AbstainReason
) -> None:
    fake.script(scripted)
    reply, analyst = await _review(fake)
    assert isinstance(reply, Abstained) and reply.reason is reason
    record = analyst.client.calls.records[-1]
    assert record.outcome == reason.value and record.attempts == 1
    # The API answered, so the call was billed: its usage and cost are recorded.
    assert record.usage.prompt_tokens > 0
    assert record.cost == analyst.client.price.cost(record.usage) > 0
    assert analyst.client.budget.today().spent == record.cost


async def test_review_when_schema_invalid_json_then_no_field_of_it_is_used(
    fake: FakeClaude,
) -> None:
    fake.script(Reply(Scripted.VALID, '{"verdict": "approve", "rationale": "ok", "quantity": 3}'))
    reply, _ = await _review(fake)
    # approve with a quantity is not an answer: abstain, never keep the "approve".
    assert isinstance(reply, Abstained) and reply.reason is AbstainReason.SCHEMA_INVALID


async def test_review_when_rate_limited_once_then_retried_and_both_attempts_counted(
    fake: FakeClaude,
) -> None:
    fake.script(Reply(Scripted.RATE_LIMITED, retry_after_s=0.01), Reply(Scripted.VALID, APPROVE))
    reply, analyst = await _review(fake)
    assert isinstance(reply, Answered)
    record = analyst.client.calls.records[-1]
    assert (record.attempts, record.retries, len(fake.messages)) == (2, 1, 2)
    day = analyst.client.budget.today()
    assert (day.calls, day.settled, day.retries, day.reserved) == (2, 2, 1, 0)
    assert record.request_ids and len(record.request_ids) == 2


async def test_review_when_overloaded_past_retries_then_unavailable_at_no_cost(
    fake: FakeClaude,
) -> None:
    fake.script(Scripted.OVERLOADED, Scripted.OVERLOADED, Scripted.OVERLOADED, Scripted.VALID)
    reply, analyst = await _review(fake, max_retries=2)
    assert isinstance(reply, Abstained) and reply.reason is AbstainReason.UNAVAILABLE
    record = analyst.client.calls.records[-1]
    assert (record.attempts, record.retries, len(fake.messages)) == (3, 2, 3)
    assert record.cost == 0  # a 529 is not billed
    assert analyst.client.budget.today().calls == 3


async def test_review_when_server_error_then_retried(fake: FakeClaude) -> None:
    fake.script(Scripted.SERVER_ERROR, Reply(Scripted.VALID, APPROVE))
    reply, analyst = await _review(fake)
    assert isinstance(reply, Answered)
    assert analyst.client.calls.records[-1].retries == 1


async def test_review_when_reply_hangs_past_timeout_then_abstains_settled_at_worst_case(
    fake: FakeClaude,
) -> None:
    fake.script(Reply(Scripted.HANG, APPROVE, hang_s=5.0))
    reply, analyst = await _review(fake, timeout_s=0.3)
    assert isinstance(reply, Abstained) and reply.reason is AbstainReason.TIMEOUT
    record = analyst.client.calls.records[-1]
    assert record.attempts == 1 and len(fake.messages) == 1  # a timeout is never retried
    # Whether it was billed is unknown: the reservation is kept as spent.
    assert record.cost == record.reserved > 0
    assert analyst.client.budget.today().spent == record.reserved


async def test_review_when_unauthorized_then_fatal_without_retry(fake: FakeClaude) -> None:
    fake.script(Scripted.UNAUTHORIZED)
    reply, analyst = await _review(fake)
    assert isinstance(reply, Abstained) and reply.reason is AbstainReason.FATAL
    assert len(fake.messages) == 1 and analyst.client.calls.records[-1].cost == 0


async def test_prefix_when_shorter_than_model_minimum_then_not_cacheable_and_misses_counted(
    fake: FakeClaude,
) -> None:
    client = claude_client(fake.url, model="claude-haiku-5-5")
    fake.min_cacheable = {"claude-haiku-5-5": 2048}
    analyst = ClaudeAnalyst(client, review_prefix())
    check = await client.check_prefix(analyst.prefix)
    assert not check.cacheable and check.minimum == 2048
    await analyst.review(review_request())
    await analyst.review(review_request())
    await analyst.aclose()
    assert all(r.usage.cache_read_tokens == 0 for r in client.calls.records)
    assert client.calls.cache_misses == 1


async def test_prefix_when_sonnet_then_long_enough_to_cache(fake: FakeClaude) -> None:
    client = claude_client(fake.url)
    check = await client.check_prefix(review_prefix())
    await client.aclose()
    assert check.cacheable and check.minimum == 1024


async def test_fake_when_bearer_token_then_accepted_and_without_key_then_401(
    fake: FakeClaude,
) -> None:
    body = {"model": "claude-sonnet-5-5", "max_tokens": 10, "messages": []}
    async with httpx2.AsyncClient(base_url=fake.url) as http:
        ok = await http.post("/v1/messages", json=body, headers={"authorization": "Bearer t"})
        refused = await http.post("/v1/messages", json=body)
    assert ok.status_code == 200 and ok.json()["usage"]["input_tokens"] > 0
    assert refused.status_code == 401
    assert refused.json()["error"]["type"] == "authentication_error"


async def test_spend_when_many_attempts_then_store_totals_match_the_records(
    fake: FakeClaude,
) -> None:
    store = MemorySpendStore()
    client = claude_client(fake.url, spend=store)
    analyst = ClaudeAnalyst(client, review_prefix())
    fake.script(Scripted.RATE_LIMITED, Scripted.VALID, Scripted.MALFORMED_JSON)
    await analyst.review(review_request())
    await analyst.review(review_request())
    await analyst.aclose()
    day = client.budget.today()
    assert day.spent == sum((r.cost for r in client.calls.records), Decimal(0))
    assert day.calls == sum(r.attempts for r in client.calls.records) == 3
    assert day.input_tokens + day.cache_write_tokens + day.cache_read_tokens == sum(
        r.usage.prompt_tokens for r in client.calls.records
    )


async def test_fake_cache_when_ttl_passed_then_written_again() -> None:
    now = [0.0]
    async with FakeClaude(now=lambda: now[0]) as server:
        client = claude_client(server.url)
        analyst = ClaudeAnalyst(client, review_prefix())
        await analyst.review(review_request())
        now[0] = 299.0  # within the 5-minute TTL: read, and the TTL starts again
        await analyst.review(review_request())
        now[0] = 299.0 + 301.0  # past it
        await analyst.review(review_request())
        await analyst.aclose()
    written = [r.usage.cache_write_tokens > 0 for r in client.calls.records]
    read = [r.usage.cache_read_tokens > 0 for r in client.calls.records]
    assert (written, read) == ([True, False, True], [False, True, False])


async def test_count_when_asked_before_a_call_then_the_tokens_the_call_reserves_for(
    fake: FakeClaude,
) -> None:
    client = claude_client(fake.url)
    document = Document("signal_review_request", review_request().model_dump_json())
    counted = await client.count(review_prefix(), [document], ReviewAnswer)
    await client.ask(review_prefix(), [document], ReviewAnswer, purpose="review")
    await client.aclose()
    record = client.calls.records[-1]
    assert counted == record.counted_tokens == record.usage.prompt_tokens
