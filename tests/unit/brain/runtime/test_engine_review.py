"""Signal review inside the engine: a review can only hold a signal back or make it
smaller; the proposal is always built from the planner's own structure."""

from __future__ import annotations

from brain.analyst.answers import Abstained, AbstainReason, Answered, Reply
from brain.analyst.config import Fallback
from brain.analyst.review import SignalReviewer
from brain.analyst.review_schema import ReviewAnswer, ReviewRequest, Verdict

from .test_engine import engine, signal


class ScriptedAnalyst:
    """An analyst that gives one fixed reply and keeps the requests it was shown."""

    kind = "claude"

    def __init__(self, reply: Reply[ReviewAnswer]) -> None:
        self.reply = reply
        self.requests: list[ReviewRequest] = []

    async def review(self, request: ReviewRequest) -> Reply[ReviewAnswer]:
        self.requests.append(request)
        return self.reply

    def status(self) -> dict[str, object]:
        return {"analyst": self.kind}

    async def aclose(self) -> None:
        return None


def _answer(verdict: Verdict, **kw: object) -> Answered[ReviewAnswer]:
    return Answered(ReviewAnswer(verdict=verdict, rationale="because", **kw), "call-1")  # type: ignore[arg-type]


async def _run(reply: Reply[ReviewAnswer], fallback: Fallback = Fallback.PROCEED):  # type: ignore[no-untyped-def]
    eng, gate, events, clock = engine()
    analyst = ScriptedAnalyst(reply)
    eng.reviewer = SignalReviewer(analyst, clock, fallback)  # type: ignore[arg-type]
    await eng.handle(signal("iron_condor", "iron_condor"))
    return eng, gate, events, analyst


async def _unreviewed_quantity() -> int:
    eng, gate, _, _ = engine()
    await eng.handle(signal("iron_condor", "iron_condor"))
    return int(gate.proposals[0].quantity)


async def test_review_when_veto_then_no_proposal_and_the_signal_is_remembered():
    eng, gate, events, analyst = await _run(_answer(Verdict.VETO))
    assert gate.proposals == []
    assert [e.kind for e in events] == ["signal", "review", "skip"]
    assert events[-1].detail == "review_veto" and "vetoed" in events[1].detail
    assert eng.stats.reviews == {"vetoed": 1}
    # The request showed the planner's real structure and the sized quantity.
    alternative = analyst.requests[0].alternatives[0]
    assert alternative.quantity >= 1 and len(alternative.legs) == 4


async def test_review_when_approve_then_proposal_as_planned_with_review_in_context():
    planned = await _unreviewed_quantity()
    _, gate, _, _ = await _run(_answer(Verdict.APPROVE))
    proposal = gate.proposals[0]
    assert proposal.quantity == planned
    assert proposal.context["review"] == {
        "status": "approved",
        "analyst": "claude",
        "rationale": "because",
        "call": "call-1",
    }


async def test_review_when_adjust_smaller_then_proposal_smaller_same_legs():
    _eng, gate, _, analyst = await _run(_answer(Verdict.ADJUST, quantity=1))
    proposal = gate.proposals[0]
    assert proposal.quantity == 1
    planned_legs = [leg.option_symbol for leg in analyst.requests[0].alternatives[0].legs]
    assert [leg.option_symbol for leg in proposal.legs or ()] == planned_legs
    assert proposal.context["review"]["status"] == "adjusted"


async def test_review_when_adjust_larger_then_not_applied_and_marked_unreviewed():
    planned = await _unreviewed_quantity()
    _, gate, _, _ = await _run(_answer(Verdict.ADJUST, quantity=1000))
    proposal = gate.proposals[0]
    assert proposal.quantity == planned
    assert proposal.context["review"]["status"] == "unreviewed"
    assert proposal.context["review"]["abstained"] == "out_of_bounds"


async def test_review_when_alternative_not_offered_then_not_applied():
    _, gate, _, _ = await _run(_answer(Verdict.ADJUST, alternative=3))
    assert gate.proposals[0].context["review"]["abstained"] == "out_of_bounds"


async def test_review_when_cost_cap_and_fallback_proceed_then_trades_unreviewed():
    planned = await _unreviewed_quantity()
    _, gate, _, _ = await _run(Abstained(AbstainReason.DAILY_BUDGET, "cap"))
    assert gate.proposals[0].quantity == planned
    assert gate.proposals[0].context["review"]["status"] == "unreviewed"
    assert gate.proposals[0].context["review"]["abstained"] == "daily_budget"


async def test_review_when_timeout_and_fallback_hold_then_held_back():
    eng, gate, events, _ = await _run(Abstained(AbstainReason.TIMEOUT, "slow"), Fallback.HOLD)
    assert gate.proposals == []
    assert events[-1].detail == "review_held"
    assert eng.stats.reviews == {"held": 1}
