"""The brain's reasons for holding a signal back, in the words the summary prints."""

from __future__ import annotations

import pytest

from edgegate.report.summary import held_back_reason


@pytest.mark.parametrize(
    "code",
    [
        "group_strategy_cap",
        "group_cap",
        "gate_group_full",
        "review_veto",
        "review_held",
        "reward_risk_below_floor",
        "spread_too_wide_for_stop",
        "position_open",
    ],
)
def test_held_back_reason_when_brain_code_then_words_not_the_code(code: str) -> None:
    words = held_back_reason(code)
    assert words != code
    assert "_" not in words


def test_held_back_reason_when_gate_state_then_names_the_state() -> None:
    assert held_back_reason("gate_halted") == "the gate is HALTED"
