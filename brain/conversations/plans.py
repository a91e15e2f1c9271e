"""From Claude's idea to a structure the brain can really build, or why it cannot.

An `Idea` (strategy, symbol, direction, size) becomes a `Signal` with the underlying's
current mid; the brain's own `Planner` picks expirations and legs from the real chain
with the strategy's own rules, and the brain's sizing caps the quantity. The structure
shown to the trader is exactly what a confirm trades (re-priced, within tolerance).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from brain.analyst.review_request import alternative_of
from brain.conversations.answer import DIRECTIONS, Idea
from brain.conversations.context import BrainState
from brain.market import Signal
from brain.proposals import Planner, Skip, planned_quantity
from brain.sizing import SizingPolicy
from brain.strategies.base import EquityPlan, PlannedTrade
from brain.strategies.registry import BUILT_INS
from tradier.clock import Clock, to_new_york
from tradier.money import to_wire

EquitySource = Callable[[], Awaitable[Decimal]]
# Proposal ids derived from recommendation ids: one recommendation, one proposal id, so
# even a confirm retried after a lost answer is the same proposal to the gate.
PROPOSAL_NAMESPACE = uuid.UUID("6b3f9a52-3c1e-4d8a-9f0e-2a7c5d10e4b1")


def proposal_id_of(recommendation_id: str) -> str:
    """The one proposal id a recommendation can ever be sent as."""
    return str(uuid.uuid5(PROPOSAL_NAMESPACE, recommendation_id))


@dataclass(frozen=True, slots=True)
class Built:
    """A planned structure and the quantity the brain would send."""

    trade: PlannedTrade
    quantity: int

    def view(self) -> dict[str, Any]:
        """Legs, net price and kind, max loss (each and in all), quantity, targets."""
        shown = alternative_of(0, self.trade, self.quantity).model_dump(
            mode="json", exclude={"index"}
        )
        plan = self.trade.plan
        # Dollars at risk in all: per structure (multiplier applied) or per share to the stop.
        each = abs(plan.price - plan.stop) if isinstance(plan, EquityPlan) else plan.max_loss_each
        shown["max_loss"] = to_wire(each * self.quantity)
        return shown

    @property
    def net_price(self) -> Decimal:
        """The per-unit price a confirm compares."""
        plan = self.trade.plan
        return plan.price if isinstance(plan, EquityPlan) else plan.net.price

    @property
    def legs_id(self) -> str:
        """The contracts, so a re-plan that picked other legs is seen as a change."""
        plan = self.trade.plan
        if isinstance(plan, EquityPlan):
            return f"{plan.symbol}:{plan.side.value}"
        return "|".join(f"{leg.side.value}:{leg.ratio}:{leg.contract.symbol}" for leg in plan.legs)

    def structure(self) -> str:
        """What a recommendation stores: the view and the legs' identity, as JSON."""
        return json.dumps({**self.view(), "legs_id": self.legs_id}, sort_keys=True)


class RecommendationPlanner:
    """Ideas to `Built` structures through the brain's planner and sizing."""

    def __init__(
        self,
        planner: Planner,
        brain: BrainState,
        equity: EquitySource,
        clock: Clock,
        sizing: SizingPolicy | None = None,
    ) -> None:
        self._planner = planner
        self._brain = brain
        self._equity = equity
        self._clock = clock
        self._sizing = sizing or SizingPolicy()

    async def build(self, idea: Idea) -> Built | Skip:
        """The structure for `idea`, or why the brain cannot build it."""
        if idea.direction not in DIRECTIONS[idea.strategy]:
            return Skip(f"{idea.strategy} does not build {idea.direction}")
        state = self._brain.symbol_state(idea.symbol)
        mid = state.mid if state is not None else None
        if state is None or mid is None:
            return Skip(f"no two-sided quote for {idea.symbol} (not streamed or not yet quoted)")
        now = self._clock.now_ms()
        signal = Signal(
            symbol=idea.symbol,
            strategy=idea.strategy,
            kind=idea.direction,
            created_at_ms=now,
            reason=f"conversation: {idea.rationale[:150]}",
            # What the strategies' own signals carry (equity plans need bid, ask and ATR).
            params={
                "price": str(round(mid, 4)),
                "bid": str(state.bid),
                "ask": str(state.ask),
                "atr": state.atr.value,
                "regime": state.current_regime.value,
            },
        )
        strategy = BUILT_INS[idea.strategy]()
        planned = await self._planner.plan(signal, strategy, to_new_york(now).date())
        if isinstance(planned, Skip):
            return planned
        allowed = planned_quantity(planned, await self._equity(), self._sizing)
        quantity = min(idea.quantity, allowed)
        if quantity <= 0:
            return Skip("size_zero: the structure's risk is over the sizing policy")
        return Built(planned, quantity)
