"""The offline analyst: deterministic answers from the request's data, each marked as not
Claude's."""

from __future__ import annotations

from brain.analyst.analysts import OFFLINE_MARK, OfflineAnalyst, judge
from brain.analyst.answers import Answered
from brain.analyst.review_schema import PositionView, Verdict
from tests.functional.brain.analyst.support import review_request


async def test_offline_when_fitting_regime_then_approves_and_says_it_is_not_claude():
    reply = await OfflineAnalyst().review(review_request())
    assert isinstance(reply, Answered)
    assert reply.answer.verdict is Verdict.APPROVE
    assert reply.answer.rationale.startswith(OFFLINE_MARK)


def test_offline_when_regime_unknown_then_veto():
    assert judge(review_request(regime="unknown")).verdict is Verdict.VETO


def test_offline_when_gate_reducing_then_veto():
    assert judge(review_request(gate={"trading_state": "REDUCING"})).verdict is Verdict.VETO


def test_offline_when_no_quote_then_veto():
    quote = {"bid": None, "ask": None, "spread": None}
    assert judge(review_request(quote=quote)).verdict is Verdict.VETO


def test_offline_when_symbol_already_held_then_halves_the_quantity():
    held = PositionView(symbol="SPY", strategy="vertical", quantity=1, entry_signed="0.5")
    answer = judge(review_request(open_positions=[held]))
    assert (answer.verdict, answer.quantity) == (Verdict.ADJUST, 1)


def test_offline_when_same_request_then_same_answer():
    assert judge(review_request()) == judge(review_request())
