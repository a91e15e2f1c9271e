"""The conversation bench over the real API, the fake Messages API and the simulator: a
short session's figures are the ones the budget and the cache promise."""

from __future__ import annotations

from brain.conversations.bench import report, run
from brain.conversations.budget import BudgetConfig


async def test_bench_when_session_runs_then_memory_grows_within_budget_and_prefix_cached() -> None:
    figures, calibration = await run(turns=6)
    budget = BudgetConfig()
    assert [f.turn for f in figures] == [1, 2, 3, 4, 5, 6]
    assert figures[0].memory_tokens == 0 < figures[1].memory_tokens < figures[-1].memory_tokens
    assert all(f.memory_tokens <= budget.memory_tokens for f in figures)
    assert all(f.prompt_tokens <= budget.prompt_tokens for f in figures)
    assert figures[0].cache_read_tokens == 0  # the first call writes the prefix
    assert all(f.cache_read_tokens > 0 for f in figures[1:])  # later calls read it
    assert figures[4].recommendations == 1  # turn 5 recommends: built from the chain
    assert all(f.cost > 0 for f in figures)
    # The offline estimate is pessimistic: never under the fake's count.
    assert calibration["estimate_over_real_min"] >= 1.0
    assert "cache-read share" in report(figures, calibration)
