"""Signal review: what Claude is shown (the request) and what it may answer, each defined
once as a pydantic model. The answer's JSON schema (sent as `output_config.format`) and
its parser (`ReviewAnswer.model_validate_json`) both come from `ReviewAnswer`.

The answer can only say no or make things smaller: `approve`, `veto`, or `adjust` to a
smaller quantity and/or one of the alternatives the brain's planner offered, by index.
It has no field for a symbol, a leg or a price, so it cannot name one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from anthropic import transform_schema
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Verdict(StrEnum):
    """The three answers a review may give."""

    APPROVE = "approve"
    VETO = "veto"
    ADJUST = "adjust"


class ReviewAnswer(BaseModel):
    """Claude's answer to one signal review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: Verdict = Field(description="approve, veto, or adjust (smaller or an alternative)")
    rationale: str = Field(
        min_length=1, max_length=600, description="why, in one to three sentences"
    )
    quantity: int | None = Field(
        default=None,
        ge=1,
        description="adjust only: the new quantity, at most the planned quantity",
    )
    alternative: int | None = Field(
        default=None,
        ge=0,
        description="adjust only: the index of one of the offered alternatives",
    )
    concerns: list[str] = Field(
        default_factory=list, max_length=5, description="short risk notes, may be empty"
    )

    @model_validator(mode="after")
    def _adjust_says_what(self) -> ReviewAnswer:
        changes = self.quantity is not None or self.alternative is not None
        if self.verdict is Verdict.ADJUST and not changes:
            raise ValueError("adjust needs a quantity or an alternative")
        if self.verdict is not Verdict.ADJUST and changes:
            raise ValueError("only adjust may carry a quantity or an alternative")
        return self


class LegView(BaseModel):
    """One leg of a planned structure, as the planner priced it from the real chain."""

    model_config = ConfigDict(frozen=True)

    option_symbol: str
    side: str
    ratio: int
    option_type: str
    strike: str
    expiration: str
    bid: str
    ask: str
    delta: float | None = None
    iv: float | None = None


class Alternative(BaseModel):
    """One structure the planner offers for the signal (index 0 is its first choice)."""

    model_config = ConfigDict(frozen=True)

    index: int
    strategy: str
    kind: str
    legs: list[LegView] = Field(default_factory=list)
    side: str | None = None  # shares
    net_price: str
    net_kind: str
    max_loss_each: str | None = None
    stop: str | None = None  # shares
    quantity: int
    take_profit_each: str
    stop_loss_each: str


class PositionView(BaseModel):
    """An open position the brain manages."""

    model_config = ConfigDict(frozen=True)

    symbol: str
    strategy: str
    quantity: int
    entry_signed: str
    last_pnl_each: str | None = None
    closing: bool = False


class ReviewRequest(BaseModel):
    """Everything the reviewer is shown, as data. Text fields that come from outside the
    brain (a signal's reason, notes, memory) are untrusted and stay data."""

    model_config = ConfigDict(frozen=True)

    symbol: str
    strategy: str
    kind: str
    signal_reason: str
    strength: float
    signal_at: str
    now: str
    regime: str
    indicators: dict[str, float | None]
    quote: dict[str, float | None]
    alternatives: list[Alternative]
    open_positions: list[PositionView]
    gate: dict[str, Any]
    notes: list[str] = Field(default_factory=list)

    @property
    def planned_quantity(self) -> int:
        """The quantity of the planner's first choice."""
        return self.alternatives[0].quantity if self.alternatives else 0


def answer_schema() -> dict[str, Any]:
    """The JSON schema sent as `output_config.format.schema`, derived from `ReviewAnswer`
    by the SDK's own transform (constraints the API does not take move into descriptions;
    the parser still enforces them)."""
    return transform_schema(ReviewAnswer)
