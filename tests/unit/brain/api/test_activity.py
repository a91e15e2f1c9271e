"""What the dashboard keeps of the engine's reports and the trader's confirmations."""

from __future__ import annotations

from brain.api.activity import KEEP, Activity
from brain.engine import EngineEvent
from gatekeeper.messages import Decision, DecisionKind, ReasonCode

PID = "0b6f4a52-6d1e-4c39-9d51-2f7a4c8e1a01"


def test_activity_when_a_refusal_is_reported_then_its_row_names_the_reason() -> None:
    activity = Activity()
    refused = Decision(
        proposal_id=PID,
        decision=DecisionKind.REJECTED,
        reason_code=ReasonCode.CORRELATION_GROUP_LIMIT,
    )
    activity.engine_event(EngineEvent(1_000, "signal", "SPY", "trend_put_spread", "bull"))
    activity.engine_event(EngineEvent(2_000, "decision", "SPY", "trend_put_spread", "no",
                                      decision=refused))  # fmt: skip
    [signal] = activity.signals
    assert signal["symbol"] == "SPY" and signal["detail"] == "bull"
    row = activity.proposals[PID]
    assert row["decision"] == "REJECTED"
    assert row["reason_code"] == "CORRELATION_GROUP_LIMIT"


def test_activity_when_a_chat_confirm_is_approved_then_a_chat_row_holds_it() -> None:
    activity = Activity()
    activity.confirmed(5_000, {"proposal_id": PID, "decision": "APPROVED", "order_id": 7})
    row = activity.proposals[PID]
    assert row["source"] == "chat" and row["decision"] == "APPROVED"
    assert row["reason_code"] is None


def test_activity_when_more_than_kept_then_only_the_latest_remain() -> None:
    activity = Activity()
    for i in range(KEEP + 5):
        activity.engine_event(EngineEvent(i, "signal", "SPY", "s", f"n{i}"))
        activity.confirmed(i, {"proposal_id": f"p{i}", "decision": "APPROVED"})
    assert len(activity.signals) == KEEP and activity.signals[-1]["detail"] == f"n{KEEP + 4}"
    assert len(activity.proposals) == KEEP and "p0" not in activity.proposals
