"""An insight's symbol follows the one symbol pattern (`tradier.occ.SYMBOL_PATTERN`)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from brain.conversations.insights import LearnedInsight


def test_learned_insight_when_share_class_symbol_then_accepted() -> None:
    insight = LearnedInsight(symbol="BRK/B", key="rejected-x", text="t", provenance=["a"])

    assert insight.symbol == "BRK/B"


def test_learned_insight_when_lower_case_symbol_then_refused() -> None:
    with pytest.raises(ValidationError, match="symbol"):
        LearnedInsight(symbol="brk/b", key="rejected-x", text="t", provenance=["a"])
