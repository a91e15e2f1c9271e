"""Confirming a recommendation: exactly once, at a price the trader saw, through the gate.

`Confirmer.confirm(id, yes)`: an unknown id is 404, a decided one 409 with the first
decision, an expired one 410. A yes re-plans the structure from the current chain; when
its legs changed or its net price moved beyond the tolerance, the new structure is stored
(version + 1, a fresh window) and shown again instead of trading. Otherwise one
conditional write claims the recommendation (PENDING at the version seen, unexpired):
of any number of concurrent confirms exactly one wins and sends one signed proposal, whose
id is derived from the recommendation's, through the gate client; the gate decides.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from msgspec import to_builtins

from brain.conversations.answer import Idea
from brain.conversations.outcomes import (
    AlreadyConfirmed,
    Confirmed,
    ConfirmOutcome,
    Declined,
    Expired,
    GateUnreachable,
    PriceMoved,
    Unknown,
)
from brain.conversations.plans import Built, RecommendationPlanner, proposal_id_of
from brain.conversations.records import (
    RECOMMENDATION_TTL_MS,
    Recommendation,
    RecommendationState,
)
from brain.conversations.store import SessionStore
from brain.gate_client import GateClient, GateRequestRefused, GateUnavailable
from brain.proposals import Skip, open_proposal
from gatekeeper.contract import Decision, Proposal
from tradier.clock import Clock
from tradier.money import to_wire

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ConfirmConfig:
    """How long a recommendation waits, and how far its price may move before a confirm
    asks again: the larger of an absolute and a relative move of the net price."""

    ttl_ms: int = RECOMMENDATION_TTL_MS
    abs_tolerance: Decimal = Decimal("0.05")
    rel_tolerance: Decimal = Decimal("0.10")

    def moved_too_far(self, shown: Decimal, now: Decimal) -> bool:
        """True when `now` is beyond tolerance of `shown`."""
        return abs(now - shown) > max(self.abs_tolerance, self.rel_tolerance * abs(shown))


def shown_view(rec: Recommendation) -> dict[str, Any]:
    """The recommendation as the trader sees it: id, strategy, symbol, the structure."""
    view: dict[str, Any] = json.loads(rec.structure)
    view.pop("legs_id", None)
    # The contract's name for the structure (vertical, iron_condor, equity...).
    view["structure"] = view.pop("strategy", None)
    return {
        **view,
        "id": rec.recommendation_id,
        "strategy": rec.strategy,
        "symbol": rec.symbol,
        "expires_at": rec.expires_at_ms,
        "rationale": rec.meta.get("rationale", ""),
    }


def decision_body(decision: Decision, rec: Recommendation) -> dict[str, Any]:
    """The gate's decision as the API returns it."""
    body: dict[str, Any] = to_builtins(decision)
    return {**body, "recommendation_id": rec.recommendation_id}


class Confirmer:
    """See the module docstring."""

    def __init__(
        self,
        store: SessionStore,
        planner: RecommendationPlanner,
        gate: GateClient | None,
        clock: Clock,
        config: ConfirmConfig | None = None,
        on_approved: Callable[[Proposal], None] = lambda proposal: None,
    ) -> None:
        self._store = store
        self._planner = planner
        self._gate = gate
        self._clock = clock
        self.config = config or ConfirmConfig()
        self._on_approved = on_approved
        self.proposals_sent = 0

    async def confirm(self, recommendation_id: str, confirmed: bool) -> ConfirmOutcome:
        """The outcome of the trader's answer (see the module docstring)."""
        rec = await asyncio.to_thread(self._store.get_recommendation, recommendation_id)
        if rec is None:
            return Unknown()
        if rec.state is not RecommendationState.PENDING:
            return _already(rec)
        now = self._clock.now_ms()
        if rec.expired(now):
            return Expired(rec.expires_at_ms)
        if not confirmed:
            return await self._decline(rec, now)
        idea = Idea.model_validate_json(rec.meta["idea"])
        built = await self._planner.build(idea)
        if isinstance(built, Skip):
            return Declined(f"cannot be built now: {built.reason}")
        shown = json.loads(rec.structure)
        shown_price = Decimal(shown["net_price"])
        if (
            built.legs_id != shown.get("legs_id")
            or built.quantity < int(shown["quantity"])
            or self.config.moved_too_far(shown_price, built.net_price)
        ):
            return await self._reprice(rec, built, shown_price, now)
        if not await asyncio.to_thread(self._store.claim, rec.recommendation_id, rec.version, now):
            return await self._lost(rec.recommendation_id)
        return await self._send(rec, built, int(shown["quantity"]), now)

    async def _decline(self, rec: Recommendation, now: int) -> ConfirmOutcome:
        if not await asyncio.to_thread(self._store.claim, rec.recommendation_id, rec.version, now):
            return await self._lost(rec.recommendation_id)
        declined = {"decision": "DECLINED_BY_TRADER", "recommendation_id": rec.recommendation_id}
        await asyncio.to_thread(self._store.decide, rec.recommendation_id, json.dumps(declined))
        return Declined("the trader said no: nothing was placed")

    async def _reprice(
        self, rec: Recommendation, built: Built, shown_price: Decimal, now: int
    ) -> ConfirmOutcome:
        structure = built.structure()
        expires = now + self.config.ttl_ms
        stored = await asyncio.to_thread(
            self._store.reprice, rec.recommendation_id, rec.version, structure, expires
        )
        if not stored:
            return await self._lost(rec.recommendation_id)
        fresh = await asyncio.to_thread(self._store.get_recommendation, rec.recommendation_id)
        if fresh is None:  # pragma: no cover - a stored recommendation does not vanish
            return Unknown()
        return PriceMoved(shown_view(fresh), to_wire(built.net_price - shown_price))

    async def _lost(self, recommendation_id: str) -> ConfirmOutcome:
        """Another confirm (or the clock) got there first: say what happened."""
        rec = await asyncio.to_thread(self._store.get_recommendation, recommendation_id)
        if rec is None:
            return Unknown()
        if rec.state is RecommendationState.PENDING:
            if rec.expired(self._clock.now_ms()):
                return Expired(rec.expires_at_ms)
            return PriceMoved(shown_view(rec), "0")  # re-priced concurrently: look again
        return _already(rec)

    async def _send(
        self, rec: Recommendation, built: Built, quantity: int, now: int
    ) -> ConfirmOutcome:
        proposal = open_proposal(
            built.trade,
            min(quantity, built.quantity),
            proposal_id=proposal_id_of(rec.recommendation_id),
            created_at_ms=now,
            source_name=f"chat.{rec.strategy}",
            context={
                "recommendation_id": rec.recommendation_id,
                "session_id": rec.session_id,
                "rationale": rec.meta.get("rationale", "")[:200],
            },
        )
        self.proposals_sent += 1
        if self._gate is None:
            return await self._unknown(rec, proposal.id, "no gate is configured")
        try:
            decision = await self._gate.submit(proposal)
        except GateRequestRefused as exc:
            body = {
                "proposal_id": proposal.id,
                "decision": "REFUSED",
                "reason_code": exc.code,
                "reason": str(exc),
                "recommendation_id": rec.recommendation_id,
            }
            await asyncio.to_thread(self._store.decide, rec.recommendation_id, json.dumps(body))
            return Confirmed(body)
        except GateUnavailable as exc:
            return await self._unknown(rec, proposal.id, str(exc))
        body = decision_body(decision, rec)
        await asyncio.to_thread(self._store.decide, rec.recommendation_id, json.dumps(body))
        if decision.decision.value == "APPROVED":
            self._on_approved(proposal)
        return Confirmed(body)

    async def _unknown(self, rec: Recommendation, proposal_id: str, detail: str) -> ConfirmOutcome:
        # The recommendation stays claimed: its one proposal id may have reached the gate,
        # and `GET /v1/proposals/{id}` on the gate tells; a new confirm never resends.
        body = {
            "proposal_id": proposal_id,
            "decision": "UNKNOWN",
            "reason": detail,
            "recommendation_id": rec.recommendation_id,
        }
        await asyncio.to_thread(self._store.decide, rec.recommendation_id, json.dumps(body))
        log.warning("confirm of %s: gate outcome unknown (%s)", rec.recommendation_id, detail)
        return GateUnreachable(proposal_id, detail)


def _already(rec: Recommendation) -> AlreadyConfirmed:
    return AlreadyConfirmed(json.loads(rec.decision) if rec.decision else None)
