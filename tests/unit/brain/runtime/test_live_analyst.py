"""The live brain's analyst: offline without a key, Claude with one, off when asked, and
its spend kept where a restart finds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from brain.analyst.analysts import ClaudeAnalyst, OfflineAnalyst
from brain.analyst.errors import AnalystConfigError
from brain.analyst.spend import FileSpendStore
from brain.config import load_config
from brain.runtime import live_analyst, spend_store
from tradier.clock import ManualClock

ENV = {
    "TRADIER_DATA_TOKEN": "t",
    "EDGEGATE_GATE_URL": "http://127.0.0.1:9",
    "EDGEGATE_SIGNING_SECRET": "s" * 32,
    "EDGEGATE_SYMBOLS": "SPY",
}


def _config(tmp_path: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_config({**ENV, "EDGEGATE_STATE_DIR": str(tmp_path), **env})


async def test_live_analyst_when_no_key_then_offline(tmp_path: Path) -> None:
    assert isinstance(live_analyst(_config(tmp_path), ManualClock(0)), OfflineAnalyst)


async def test_live_analyst_when_key_then_claude_with_spend_in_the_state_dir(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path, ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL="http://127.0.0.1:9")
    analyst = live_analyst(config, ManualClock(0))
    assert isinstance(analyst, ClaudeAnalyst)
    assert isinstance(analyst.client.budget.store, FileSpendStore)
    assert analyst.client.calls.transcript == tmp_path / "analyst-calls.jsonl"
    await analyst.aclose()


def test_live_analyst_when_review_off_then_none(tmp_path: Path) -> None:
    assert live_analyst(_config(tmp_path, EDGEGATE_REVIEW="off"), ManualClock(0)) is None


def test_live_analyst_when_model_has_no_price_then_config_error(tmp_path: Path) -> None:
    config = _config(tmp_path, ANTHROPIC_API_KEY="k", EDGEGATE_ANALYST_MODEL="claude-x")
    with pytest.raises(AnalystConfigError):
        live_analyst(config, ManualClock(0))


def test_spend_store_when_sessions_table_named_then_dynamodb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # boto3 needs one; nothing is called
    store = spend_store(_config(tmp_path, EDGEGATE_SESSIONS_TABLE="sessions"), ManualClock(0))
    assert type(store).__name__ == "DynamoSpendStore"


async def test_insights_learner_when_claude_analyst_then_claude_through_its_budgeted_client(
    tmp_path: Path,
) -> None:
    from brain.api.live import insights_learner
    from brain.conversations.insights import ClaudeLearner

    config = _config(tmp_path, ANTHROPIC_API_KEY="k", ANTHROPIC_BASE_URL="http://127.0.0.1:9")
    analyst = live_analyst(config, ManualClock(0))
    assert isinstance(analyst, ClaudeAnalyst)
    learner = insights_learner(analyst)
    assert isinstance(learner, ClaudeLearner) and learner.client is analyst.client
    await analyst.aclose()


def test_insights_learner_when_offline_or_no_analyst_then_offline_learner() -> None:
    from brain.api.live import insights_learner
    from brain.conversations.insights import OfflineLearner

    assert isinstance(insights_learner(OfflineAnalyst()), OfflineLearner)
    assert isinstance(insights_learner(None), OfflineLearner)
