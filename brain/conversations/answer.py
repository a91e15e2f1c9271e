"""What Claude answers in a conversation: prose and a typed list of recommendations.

A recommendation names a strategy the brain can build, a symbol, a direction (the
strategy's kind) and a size; the brain's planner turns it into legs and prices from the
real chain. There is no field for an option symbol, a strike or a price: Claude cannot
write them, so nothing it says is traded as written.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from brain.strategies.registry import BUILT_INS

StrategyName = Literal[
    "credit_spread",
    "iron_condor",
    "iron_butterfly",
    "put_ratio_backspread",
    "calendar",
    "equity_trend",
]
Direction = Literal[
    "bull_put",
    "bear_call",
    "iron_condor",
    "iron_butterfly",
    "put_ratio_backspread",
    "calendar",
    "long",
    "short",
]
# Which directions each strategy builds (a pairing outside this is refused by the brain).
DIRECTIONS: dict[str, frozenset[str]] = {
    "credit_spread": frozenset({"bull_put", "bear_call"}),
    "iron_condor": frozenset({"iron_condor"}),
    "iron_butterfly": frozenset({"iron_butterfly"}),
    "put_ratio_backspread": frozenset({"put_ratio_backspread"}),
    "calendar": frozenset({"calendar"}),
    "equity_trend": frozenset({"long", "short"}),
}
assert set(DIRECTIONS) == set(BUILT_INS), "every built-in strategy needs its directions"
MAX_RECOMMENDATIONS = 3
MAX_QUANTITY = 10


class Idea(BaseModel):
    """One recommendation as Claude may state it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strategy: StrategyName
    symbol: str = Field(pattern=r"^[A-Z][A-Z0-9.]{0,9}$")
    direction: Direction
    quantity: int = Field(ge=1, le=MAX_QUANTITY, description="structures (or 100s of shares)")
    rationale: str = Field(max_length=600)


class ConversationAnswer(BaseModel):
    """Claude's whole answer to one turn."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    response: str = Field(max_length=4000, description="what to tell the trader")
    recommendations: list[Idea] = Field(default_factory=list, max_length=MAX_RECOMMENDATIONS)
