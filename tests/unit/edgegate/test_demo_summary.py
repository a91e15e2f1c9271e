"""The demo's closing summary, in a trader's words."""

from __future__ import annotations

import json
import uuid
from datetime import date

from brain.engine import EngineEvent
from brain.replay import check_replay_options
from edgegate.demo_summary import trader_summary
from gatekeeper.contract import decode_proposal
from gatekeeper.messages import Decision, DecisionKind, ReasonCode


def _proposed(intent: str, side: str) -> EngineEvent:
    raw = {
        "id": str(uuid.uuid4()),
        "created_at": 1,
        "symbol": "SPY",
        "strategy": "equity",
        "intent": intent,
        "quantity": 1,
        "order_type": "market",
        "duration": "day",
        "side": side,
        "source": {"kind": "signal", "name": "test"},
    }
    proposal = decode_proposal(json.dumps(raw).encode())
    return EngineEvent(1, "proposal", "SPY", "equity_trend", "", proposal=proposal)


def _decided(proposed: EngineEvent, reason: ReasonCode | None = None) -> EngineEvent:
    assert proposed.proposal is not None
    kind = DecisionKind.REJECTED if reason else DecisionKind.APPROVED
    decision = Decision(proposal_id=proposed.proposal.id, decision=kind, reason_code=reason)
    return EngineEvent(2, "decision", "SPY", "equity_trend", "", decision=decision)


def test_trader_summary_when_opens_closes_refusals_and_skips_then_each_counted_with_reasons() -> (
    None
):
    opening, closing, refused = (
        _proposed("open", "buy"),
        _proposed("close", "sell"),
        _proposed("open", "buy"),
    )
    events = [
        EngineEvent(0, "signal", "SPY", "equity_trend", "long"),
        EngineEvent(0, "skip", "SPY", "equity_trend", "max_open_positions"),
        EngineEvent(0, "skip", "QQQ", "equity_trend", "max_open_positions"),
        opening,
        _decided(opening),
        closing,
        _decided(closing),
        refused,
        _decided(refused, ReasonCode.STATE_HALTED),
    ]
    assert trader_summary(events) == [
        "summary: 1 signals, 3 proposals sent to the gate",
        "  approved: 1 to open, 1 to close",
        "  refused by the gate: 1 (STATE_HALTED 1)",
        "  held back by the brain's own limits: 2 (max_open_positions 2)",
    ]


def test_trader_summary_when_nothing_happened_then_zeros_and_none() -> None:
    assert trader_summary([]) == [
        "summary: 0 signals, 0 proposals sent to the gate",
        "  approved: 0 to open, 0 to close",
        "  refused by the gate: 0 (none)",
        "  held back by the brain's own limits: 0 (none)",
    ]


def test_check_options_when_day_closed_then_names_day() -> None:
    problem = check_replay_options(date(2026, 11, 21), 30, 10.0)  # a Saturday
    assert problem is not None and problem.startswith("--day 2026-11-21")


def test_check_options_when_minutes_beyond_half_day_session_then_names_minutes() -> None:
    problem = check_replay_options(date(2026, 11, 27), 300, 10.0)  # 13:00 close after Thanksgiving
    assert problem is not None and problem.startswith("--minutes 300") and "210" in problem


def test_check_options_when_minutes_zero_or_step_negative_then_refused() -> None:
    assert (check_replay_options(None, 0, 10.0) or "").startswith("--minutes 0")
    assert (check_replay_options(None, 30, -1.0) or "").startswith("--step -1.0")


def test_check_options_when_default_day_and_full_session_then_accepted() -> None:
    assert check_replay_options(None, 390, 10.0) is None
