"""A replayed morning with signal review: Claude's client against the local fake, and the
offline analyst. Every proposal sent carries its review; vetoed signals send nothing."""

from __future__ import annotations

import asyncio

import pytest

from brain.replay import ReplayOptions, ReplayResult, replay_sim
from edgegate.compose import in_process_gate

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]


def _replay(review: str) -> ReplayResult:
    options = ReplayOptions(
        seed=1, minutes=50, step_s=5.0, gate_factory=in_process_gate, review=review
    )
    return asyncio.run(replay_sim(options))


@pytest.fixture(scope="module")
def fake_run() -> ReplayResult:
    return _replay("fake")


def test_replay_when_reviewed_by_fake_claude_then_every_proposal_carries_its_review(
    fake_run: ReplayResult,
) -> None:
    reviews = [e for e in fake_run.events if e.kind == "review"]
    assert len(reviews) >= 3
    assert all(p.context["review"]["analyst"] == "claude" for p in fake_run.proposals)
    statuses = [p.context["review"]["status"] for p in fake_run.proposals]
    assert set(statuses) <= {"approved", "adjusted", "unreviewed"}
    vetoed = sum(1 for e in reviews if e.detail.startswith("vetoed"))
    assert len(fake_run.proposals) == len(reviews) - vetoed
    assert fake_run.dead_tasks == []


def test_replay_when_reviewed_by_fake_claude_then_usage_cost_and_cache_recorded(
    fake_run: ReplayResult,
) -> None:
    figures = fake_run.analyst["figures"]
    assert figures["calls"] == len([e for e in fake_run.events if e.kind == "review"])
    assert figures["outcomes"] == {"answered": figures["calls"]}
    assert 0 < float(figures["cost"]) < 5
    assert figures["cache_read_share"] > 0.3  # the static prefix is read from the cache
    assert fake_run.analyst["prefix_tokens"] >= fake_run.analyst["min_cacheable_tokens"]
    assert fake_run.analyst["review_overhead_ms"]["n"] == figures["calls"]


def test_replay_when_reviewed_offline_then_answers_say_they_are_not_claude() -> None:
    run = _replay("offline")
    reviews = [e for e in run.events if e.kind == "review"]
    assert reviews and all("by offline" in e.detail for e in reviews)
    assert all(
        p.context["review"]["rationale"].startswith("Offline analyst (not Claude)")
        for p in run.proposals
    )
