"""The analyst's reviews as the report reads them from the engine's events."""

from __future__ import annotations

from decimal import Decimal

from brain.analyst.review import ReviewOutcome
from brain.engine import EngineEvent
from edgegate.report.recorder import reviews_of
from tests.unit.edgegate.report.factories import at, equity_proposal, proposed


def _review(minutes: float, status: str, analyst: str = "offline") -> EngineEvent:
    outcome = ReviewOutcome(
        status=status,  # type: ignore[arg-type]
        analyst=analyst,  # type: ignore[arg-type]
        quantity=10,
        alternative=0,
        rationale=f"{status} because the trend holds",
    )
    return EngineEvent(at(minutes), "review", "SPY", "equity_trend", status, review=outcome)


def test_reviews_of_when_approved_then_linked_to_the_proposal_it_let_through() -> None:
    proposal = equity_proposal(1.0, "open", "buy")
    reviews = reviews_of([_review(1.0, "approved"), proposed(proposal)])
    assert len(reviews) == 1
    assert reviews[0].verdict == "approved"
    assert reviews[0].proposal_id == proposal.id
    assert reviews[0].reviewer == "offline"
    assert reviews[0].cost_usd == Decimal(0)


def test_reviews_of_when_vetoed_then_no_proposal_and_a_model_cost_left_unknown() -> None:
    later = equity_proposal(5.0, "open", "buy")
    reviews = reviews_of([_review(1.0, "vetoed", analyst="claude"), proposed(later)])
    assert [(r.verdict, r.proposal_id, r.cost_usd) for r in reviews] == [("vetoed", None, None)]


def test_reviews_of_when_no_review_events_then_empty() -> None:
    assert reviews_of([proposed(equity_proposal(1.0, "open", "buy"))]) == ()
