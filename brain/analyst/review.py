"""Signal review: before a signal becomes a proposal, an analyst may hold it back or make
it smaller, and nothing else.

`SignalReviewer.review(signal, alternatives)` builds the request from the brain's state,
asks the analyst, and turns the reply into a `ReviewOutcome`:
- `approve`: proceed as planned; `veto`: the signal stops;
- `adjust`: proceed with a quantity no larger than the chosen alternative's and/or another
  alternative the planner offered; an adjustment outside those bounds is not applied
  (an abstention, `out_of_bounds`);
- an abstention (timeout, refusal, invalid reply, the cost cap, ...): the configured
  fallback, `proceed` (marked `unreviewed`) or `hold`.
The outcome never carries a symbol, a leg or a price: the engine builds the proposal from
the planner's own structure, and the gate still decides.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from brain.analyst.analysts import Analyst, AnalystKind
from brain.analyst.answers import Abstained, AbstainReason, Answered
from brain.analyst.config import Fallback
from brain.analyst.review_request import build_review_request
from brain.analyst.review_schema import ReviewAnswer, ReviewRequest, Verdict
from brain.market import Signal, SymbolState
from brain.monitor import OpenPosition
from brain.strategies.base import PlannedTrade
from tradier.clock import Clock

log = logging.getLogger(__name__)
ReviewStatus = Literal["approved", "vetoed", "adjusted", "unreviewed", "held"]
MAX_RATIONALE = 300


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    """What a review decided for one signal."""

    status: ReviewStatus
    analyst: AnalystKind
    quantity: int  # never above the chosen alternative's planned quantity
    alternative: int  # index into the planner's alternatives
    rationale: str
    abstained: AbstainReason | None = None
    call_id: str | None = None

    @property
    def proceeds(self) -> bool:
        """True when the signal goes on to a proposal."""
        return self.status not in ("vetoed", "held")

    def context(self) -> dict[str, Any]:
        """What goes into the proposal's `context` (and so the gate's audit)."""
        out: dict[str, Any] = {
            "status": self.status,
            "analyst": self.analyst,
            "rationale": self.rationale[:MAX_RATIONALE],
        }
        if self.abstained is not None:
            out["abstained"] = self.abstained.value
        if self.call_id is not None:
            out["call"] = self.call_id[:64]
        return out


def bounded(answer: ReviewAnswer, request: ReviewRequest) -> ReviewAnswer | Abstained:
    """`answer` when it stays within what the planner offered, else an abstention: an
    adjustment may only shrink the quantity or pick an offered alternative."""
    if answer.verdict is not Verdict.ADJUST:
        return answer
    index = answer.alternative if answer.alternative is not None else 0
    if not 0 <= index < len(request.alternatives):
        return Abstained(AbstainReason.OUT_OF_BOUNDS, f"alternative {index} was not offered")
    limit = request.alternatives[index].quantity
    if answer.quantity is not None and answer.quantity > limit:
        return Abstained(
            AbstainReason.OUT_OF_BOUNDS, f"quantity {answer.quantity} is above the planned {limit}"
        )
    return answer


@dataclass
class SignalReviewer:
    """Reviews signals with `analyst`; `fallback` applies when it abstains."""

    analyst: Analyst
    clock: Clock
    fallback: Fallback = Fallback.PROCEED
    state_of: Callable[[str], SymbolState | None] = lambda symbol: None
    positions: Callable[[], Iterable[OpenPosition]] = lambda: ()
    gate: Callable[[], Mapping[str, Any]] = lambda: {"trading_state": None}
    notes: Callable[[str], Sequence[str]] = lambda symbol: ()
    deadline_s: float = 60.0
    reviews: int = 0
    perf: Callable[[], float] = time.perf_counter
    # (call id, wall ms of the whole review: request, analyst, outcome) of recent reviews
    timings: deque[tuple[str | None, float]] = field(default_factory=lambda: deque(maxlen=5000))

    async def review(
        self, signal: Signal, alternatives: Sequence[tuple[PlannedTrade, int]]
    ) -> ReviewOutcome:
        """The outcome for `signal`; `alternatives` are (planned trade, sized quantity),
        the planner's first choice first."""
        self.reviews += 1
        start = self.perf()
        request = build_review_request(
            signal,
            alternatives,
            state=self.state_of(signal.symbol),
            positions=self.positions(),
            gate=self.gate(),
            now_ms=self.clock.now_ms(),
            notes=self.notes(signal.symbol),
        )
        try:
            # The analyst bounds its own time; this is the backstop for any analyst.
            async with asyncio.timeout(self.deadline_s):
                reply = await self.analyst.review(request)
        except TimeoutError:
            reply = Abstained(AbstainReason.TIMEOUT, f"review took over {self.deadline_s:g}s")
        outcome = self.outcome(reply, request)
        self.timings.append((outcome.call_id, (self.perf() - start) * 1000))
        return outcome

    def overheads_ms(self, model_ms: Mapping[str, float]) -> list[float]:
        """The brain's own time per review: the whole review less the time spent waiting
        on the model (`model_ms` by call id; a review without a call waited on nothing)."""
        return [
            max(0.0, total - model_ms.get(call_id or "", 0.0)) for call_id, total in self.timings
        ]

    def outcome(
        self, reply: Answered[ReviewAnswer] | Abstained, request: ReviewRequest
    ) -> ReviewOutcome:
        """Turn the analyst's reply into what the engine does."""
        kind = self.analyst.kind
        planned = request.planned_quantity
        if isinstance(reply, Answered):
            checked = bounded(reply.answer, request)
            if isinstance(checked, Abstained):
                reply = Abstained(checked.reason, checked.detail, reply.call_id)
            else:
                return _decided(checked, kind, request, reply.call_id)
        status: ReviewStatus = "unreviewed" if self.fallback is Fallback.PROCEED else "held"
        detail = reply.detail or reply.reason.value
        log.info("review of %s abstained (%s): %s", request.symbol, reply.reason.value, detail)
        return ReviewOutcome(
            status=status,
            analyst=kind,
            quantity=planned,
            alternative=0,
            rationale=f"no review: {reply.reason.value} ({detail})",
            abstained=reply.reason,
            call_id=reply.call_id,
        )


def _decided(
    answer: ReviewAnswer, kind: AnalystKind, request: ReviewRequest, call_id: str
) -> ReviewOutcome:
    planned = request.planned_quantity
    if answer.verdict is Verdict.VETO:
        return ReviewOutcome("vetoed", kind, 0, 0, answer.rationale, call_id=call_id)
    if answer.verdict is Verdict.APPROVE:
        return ReviewOutcome("approved", kind, planned, 0, answer.rationale, call_id=call_id)
    index = answer.alternative or 0
    offered = request.alternatives[index].quantity
    quantity = answer.quantity if answer.quantity is not None else offered
    return ReviewOutcome("adjusted", kind, quantity, index, answer.rationale, call_id=call_id)
